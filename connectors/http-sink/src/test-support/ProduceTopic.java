import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Test support for the integration tests: produces records with exact key and value bytes, and
 * real tombstones (a null value), which the REST proxy's JSON format cannot. Reads one record a
 * line from standard input, `partition<TAB>key<TAB>value`, key and value in base64 or `-` for
 * null (partition `-` lets the producer choose), and prints `partition offset` for each, in
 * order. Run as a single-file program with Kafka's jars:
 *
 *   java -cp "<kafka libs>/*" ProduceTopic.java <bootstrap> <topic> < records.tsv
 */
public final class ProduceTopic {
  private static byte[] bytes(String field) {
    return field.equals("-") ? null : Base64.getDecoder().decode(field);
  }

  public static void main(String[] args) throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", args[0]);
    p.put("key.serializer", ByteArraySerializer.class.getName());
    p.put("value.serializer", ByteArraySerializer.class.getName());
    p.put("acks", "all");
    String topic = args[1];
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p);
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        if (line.isEmpty()) continue;
        String[] f = line.split("\t", -1);
        Integer partition = f[0].equals("-") ? null : Integer.valueOf(f[0]);
        sent.add(producer.send(new ProducerRecord<>(topic, partition, bytes(f[1]), bytes(f[2]))));
        producer.flush(); // one at a time: offsets follow input order within a partition
      }
      for (Future<RecordMetadata> f : sent) {
        RecordMetadata m = f.get();
        System.out.println(m.partition() + " " + m.offset());
      }
    }
  }
}
