package tracking.platform.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.FileInputStream;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Kafka alone, for {@code npm run bench:load}: one kafka-clients producer sending as fast as the
 * client lets it (send() blocks only when its buffer is full) to a topic for a fixed time, with the
 * producer settings the REST proxy stand-in builds from its own config file. What it prints is what
 * the broker takes from such a producer with no HTTP in front of it.
 *
 * <p>Usage: {@code ProducerBench <rest-proxy.properties> <topic> <records file> <warm-up s> <s>}.
 * The records file holds one record a line: the key's bytes, a tab, the value's bytes, exactly as
 * the proxy writes them (JSON text); they are sent in turn, round and round. Acknowledgements
 * during the warm-up are not counted. Prints one JSON line with the events acknowledged in the
 * measured seconds, their rate, the errors, this JVM's CPU seconds and the settings used.
 */
public final class ProducerBench {
  private ProducerBench() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 5) {
      System.err.println(
          "usage: ProducerBench <rest-proxy.properties> <topic> <records file> <warm-up s> <s>");
      System.exit(2);
    }
    Properties producerProps = proxyProducerSettings(args[0]);
    String topic = args[1];
    List<byte[][]> records = readRecords(Path.of(args[2]));
    long warmupNanos = (long) (Double.parseDouble(args[3]) * 1e9);
    long measureNanos = (long) (Double.parseDouble(args[4]) * 1e9);

    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long base = 0;
    long cpuBase = 0;
    long from = 0;
    long now;
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      long start = System.nanoTime();
      long warmEnd = start + warmupNanos;
      long end = warmEnd + measureNanos;
      boolean warm = warmupNanos == 0;
      if (warm) {
        from = start;
        cpuBase = os.getProcessCpuTime();
      }
      int i = 0;
      while ((now = System.nanoTime()) < end) {
        if (!warm && now >= warmEnd) {
          warm = true;
          base = acked.get();
          from = now;
          cpuBase = os.getProcessCpuTime();
        }
        byte[][] record = records.get(i);
        i = (i + 1) % records.size();
        producer.send(
            new ProducerRecord<>(topic, record[0], record[1]),
            (meta, err) -> (err == null ? acked : errors).incrementAndGet());
      }
      long events = acked.get() - base;
      double seconds = (now - from) / 1e9;
      double cpu = (os.getProcessCpuTime() - cpuBase) / 1e9;
      producer.flush();
      System.out.printf(
          Locale.ROOT,
          "{\"events\":%d,\"seconds\":%.3f,\"eventsPerSecond\":%.1f,\"errors\":%d,"
              + "\"cpuSeconds\":%.3f,\"acks\":\"%s\",\"lingerMs\":\"%s\",\"batchSize\":\"%s\","
              + "\"compression\":\"%s\"}%n",
          events,
          seconds,
          events / seconds,
          errors.get(),
          cpu,
          producerProps.getProperty(ProducerConfig.ACKS_CONFIG),
          producerProps.getProperty(ProducerConfig.LINGER_MS_CONFIG),
          producerProps.getProperty(ProducerConfig.BATCH_SIZE_CONFIG, "default"),
          producerProps.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, "none"));
    }
  }

  /**
   * The producer settings as the REST proxy stand-in builds them (RestProxy's constructor):
   * {@code client.*}, then {@code producer.*} over them, idempotence off, acks=all, linger.ms=1
   * and max.block.ms=10000 unless set.
   */
  static Properties proxyProducerSettings(String configFile) throws Exception {
    Properties config = new Properties();
    try (InputStream in = new FileInputStream(configFile)) {
      config.load(in);
    }
    Properties out = new Properties();
    for (String prefix : List.of("client.", "producer.")) {
      for (String key : config.stringPropertyNames()) {
        if (key.startsWith(prefix)) out.put(key.substring(prefix.length()), config.getProperty(key));
      }
    }
    out.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, config.getProperty("bootstrap.servers"));
    out.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    out.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    out.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
    out.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    return out;
  }

  private static List<byte[][]> readRecords(Path file) throws Exception {
    List<byte[][]> out = new ArrayList<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      int tab = line.indexOf('\t');
      if (tab < 0) continue;
      out.add(
          new byte[][] {
            line.substring(0, tab).getBytes(StandardCharsets.UTF_8),
            line.substring(tab + 1).getBytes(StandardCharsets.UTF_8)
          });
    }
    if (out.isEmpty()) throw new IllegalArgumentException("No records in " + file);
    return out;
  }
}
