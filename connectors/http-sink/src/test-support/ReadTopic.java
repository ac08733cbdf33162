import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Test support for the integration tests: prints every record of a topic (from the beginning,
 * until `min` records were read or `timeoutMs` passed) as one JSON object per line, headers
 * included. Run as a single-file program with Kafka's jars:
 *
 *   java -cp "<kafka libs>/*" ReadTopic.java <bootstrap> <topic> <min> <timeoutMs>
 *
 * A plain consumer with no group: it assigns every partition and reads from offset 0.
 */
public final class ReadTopic {
  public static void main(String[] args) {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("key.deserializer", ByteArrayDeserializer.class.getName());
    p.put("value.deserializer", ByteArrayDeserializer.class.getName());
    p.put("enable.auto.commit", "false");
    String topic = args[1];
    int min = Integer.parseInt(args[2]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[3]);
    int seen = 0;
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
      List<TopicPartition> partitions = new ArrayList<>();
      List<PartitionInfo> infos = null;
      while (infos == null || infos.isEmpty()) {
        infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        if (System.currentTimeMillis() > deadline) return;
      }
      for (PartitionInfo info : infos) partitions.add(new TopicPartition(topic, info.partition()));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (seen < min && System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          StringBuilder out = new StringBuilder("{\"partition\":").append(r.partition());
          out.append(",\"offset\":").append(r.offset()).append(",\"key\":");
          quote(r.key(), out);
          out.append(",\"value\":");
          quote(r.value(), out);
          out.append(",\"headers\":{");
          boolean first = true;
          for (Header h : r.headers()) {
            if (!first) out.append(',');
            first = false;
            quote(h.key().getBytes(StandardCharsets.UTF_8), out);
            out.append(':');
            quote(h.value(), out);
          }
          System.out.println(out.append("}}"));
          seen++;
        }
      }
    }
  }

  private static void quote(byte[] bytes, StringBuilder out) {
    if (bytes == null) {
      out.append("null");
      return;
    }
    String s = new String(bytes, StandardCharsets.UTF_8);
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') out.append('\\').append(c);
      else if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
      else out.append(c);
    }
    out.append('"');
  }
}
