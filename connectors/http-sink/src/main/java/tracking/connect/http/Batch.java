package tracking.connect.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * Consecutive records of one topic partition, sent in one request. Its idempotency key depends
 * only on the topic, the partition and the first and last offsets, so a retry, or a re-send of
 * the same offsets after a task restart, carries the same key.
 */
final class Batch {
  final String topic;
  final int partition;
  final List<SinkRecord> records;
  final String body;

  Batch(List<SinkRecord> records, String body) {
    this.records = List.copyOf(records);
    this.topic = records.get(0).topic();
    Integer p = records.get(0).kafkaPartition();
    this.partition = p == null ? -1 : p;
    this.body = body;
  }

  long firstOffset() {
    return records.get(0).kafkaOffset();
  }

  long lastOffset() {
    return records.get(records.size() - 1).kafkaOffset();
  }

  String describe() {
    return records.size() + " record(s) of " + topic + "-" + partition + " at offsets "
        + firstOffset() + ".." + lastOffset();
  }

  /** `sha256(topic/partition/first-last)` in hex, cut to 32 characters. */
  String idempotencyKey() {
    return key(topic, partition, firstOffset(), lastOffset());
  }

  static String key(String topic, int partition, long first, long last) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      byte[] digest =
          sha.digest((topic + "/" + partition + "/" + first + "-" + last)
              .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest).substring(0, 32);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
