package tracking.connect.http;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * A bounded run (`stop.at.offsets`): for each listed partition, the task sends the records
 * before that offset and none from it on. A partition that reaches its end is paused and a
 * commit requested, and the offsets committed never pass the end, so a later run with the same
 * consumer group starts exactly there. A dead-letter redrive is such a run: it sends what the
 * dead-letter topic held when it started, and what is refused again lands after that end.
 */
final class StopOffsets {
  static final String KEY = "stop.at.offsets";

  private final Map<TopicPartition, Long> ends;
  private final Set<TopicPartition> reached = new HashSet<>();

  private StopOffsets(Map<TopicPartition, Long> ends) {
    this.ends = ends;
  }

  static int define(ConfigDef d, String group, int order) {
    d.define(KEY, Type.STRING, "", new Format(), Importance.LOW,
        "`topic:partition:offset` pairs joined by commas: the task sends each partition's records "
            + "before that offset only, then pauses it; the committed offset stops there. Empty "
            + "for no end (a sink that runs for ever).", group, order + 1,
        ConfigDef.Width.LONG, KEY);
    return order + 1;
  }

  static StopOffsets of(String text) {
    return new StopOffsets(parse(text));
  }

  boolean bounded() {
    return !ends.isEmpty();
  }

  /** The records before their partition's end; records of unlisted partitions all pass. */
  List<SinkRecord> within(Collection<SinkRecord> records) {
    if (ends.isEmpty()) return records instanceof List ? (List<SinkRecord>) records : new ArrayList<>(records);
    List<SinkRecord> kept = new ArrayList<>(records.size());
    for (SinkRecord r : records) {
      Long end = ends.get(partitionOf(r));
      if (end == null || r.kafkaOffset() < end) kept.add(r);
    }
    return kept;
  }

  /**
   * The partitions that reached their end with these records (the record just before the end was
   * among them, or one at or after it was), each reported once.
   */
  List<TopicPartition> newlyReached(Collection<SinkRecord> records) {
    List<TopicPartition> out = new ArrayList<>();
    for (SinkRecord r : records) {
      TopicPartition tp = partitionOf(r);
      Long end = ends.get(tp);
      if (end != null && r.kafkaOffset() >= end - 1 && reached.add(tp)) out.add(tp);
    }
    return out;
  }

  /** What Connect may commit: no listed partition past its end. */
  Map<TopicPartition, OffsetAndMetadata> capped(Map<TopicPartition, OffsetAndMetadata> offsets) {
    if (ends.isEmpty()) return offsets;
    Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>(offsets);
    for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
      Long end = ends.get(e.getKey());
      if (end != null && e.getValue().offset() > end) {
        out.put(e.getKey(), new OffsetAndMetadata(end, e.getValue().metadata()));
      }
    }
    return out;
  }

  private static TopicPartition partitionOf(SinkRecord r) {
    return new TopicPartition(r.topic(), r.kafkaPartition() == null ? -1 : r.kafkaPartition());
  }

  static Map<TopicPartition, Long> parse(String text) {
    Map<TopicPartition, Long> out = new LinkedHashMap<>();
    if (text == null || text.isBlank()) return out;
    for (String raw : text.split(",")) {
      String item = raw.trim();
      int last = item.lastIndexOf(':');
      int first = last <= 0 ? -1 : item.lastIndexOf(':', last - 1);
      if (first <= 0) throw new ConfigException(KEY, text, "`" + item + "` is not topic:partition:offset");
      try {
        int partition = Integer.parseInt(item.substring(first + 1, last));
        long offset = Long.parseLong(item.substring(last + 1));
        if (partition < 0 || offset < 0) throw new NumberFormatException("negative");
        out.put(new TopicPartition(item.substring(0, first), partition), offset);
      } catch (NumberFormatException e) {
        throw new ConfigException(KEY, text, "`" + item + "` needs a partition and an offset of 0 or more");
      }
    }
    return out;
  }

  static final class Format implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      parse(value == null ? "" : value.toString());
    }

    @Override
    public String toString() {
      return "topic:partition:offset[,...]";
    }
  }
}
