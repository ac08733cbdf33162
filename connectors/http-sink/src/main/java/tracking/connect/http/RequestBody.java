package tracking.connect.http;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.types.Password;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * How a batch of records becomes a request body, with what analytics APIs ask of it: an object
 * envelope that may carry the API key inside the body (Amplitude's `api_key` + `events`,
 * PostHog's `api_key` + `batch`), the event's id copied into the member the destination
 * deduplicates on, and a limit on the body's size. Without these keys set, a body is the
 * Confluent framing (`batch.prefix`, the records joined by `batch.separator`, `batch.suffix`).
 */
final class RequestBody {
  static final String EVENTS_FIELD = "batch.envelope.events.field";
  static final String SECRET_FIELD = "batch.envelope.secret.field";
  static final String SECRET = "batch.envelope.secret";
  static final String MAX_BYTES = "batch.max.bytes";
  static final String ID_FIELD = "event.id.field";
  static final String ID_TARGET = "event.id.target";

  /** The keys, in the additions group of the connector's ConfigDef. */
  static int define(ConfigDef d, String group, int order) {
    int o = order;
    d.define(EVENTS_FIELD, Type.STRING, "", Importance.MEDIUM,
        "When set, each body is a JSON object with the batch's records in this member "
            + "(`events`, `batch`), instead of batch.prefix + records + batch.suffix.", group,
        ++o, ConfigDef.Width.SHORT, EVENTS_FIELD);
    d.define(SECRET_FIELD, Type.STRING, "", Importance.MEDIUM,
        "Member of the envelope that carries batch.envelope.secret (`api_key`); empty for none.",
        group, ++o, ConfigDef.Width.SHORT, SECRET_FIELD);
    d.define(SECRET, Type.PASSWORD, "", Importance.MEDIUM,
        "The value of batch.envelope.secret.field, an API key that the destination reads from the "
            + "body. PASSWORD-typed; give it as a config provider reference.", group, ++o,
        ConfigDef.Width.MEDIUM, SECRET);
    d.define(MAX_BYTES, Type.INT, 0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
        "Most bytes of one body before compression (envelope included): a batch is sent early "
            + "rather than grow past it, and a record too large alone fails as a request would; "
            + "0 for no limit.", group, ++o, ConfigDef.Width.SHORT, MAX_BYTES);
    d.define(ID_FIELD, Type.STRING, "id", Importance.LOW,
        "Top-level member of each event that holds its id, copied to event.id.target.", group,
        ++o, ConfigDef.Width.SHORT, ID_FIELD);
    d.define(ID_TARGET, Type.STRING, "", Importance.MEDIUM,
        "Where the destination reads the id it deduplicates on, as member names joined by dots "
            + "(`insert_id`, `properties.$insert_id`, `messageId`); set from event.id.field when "
            + "absent. Empty copies nothing.", group, ++o, ConfigDef.Width.MEDIUM, ID_TARGET);
    return o;
  }

  private final String prefix;
  private final String suffix;
  private final String separator;
  private final String idField;
  private final List<String> idTarget;
  private final int maxBytes;

  RequestBody(HttpSinkConfig config) {
    String events = config.getString(EVENTS_FIELD);
    if (!events.isEmpty()) {
      StringBuilder open = new StringBuilder("{");
      String secretField = config.getString(SECRET_FIELD);
      if (!secretField.isEmpty()) {
        Password secret = config.getPassword(SECRET);
        JsonText.quote(secretField, open);
        open.append(':');
        JsonText.quote(secret == null ? "" : secret.value(), open);
        open.append(',');
      }
      JsonText.quote(events, open);
      prefix = open.append(":[").toString();
      suffix = "]}";
      separator = ",";
    } else if (config.getBoolean(HttpSinkConfig.BATCH_JSON_AS_ARRAY)) {
      prefix = "[";
      suffix = "]";
      separator = ",";
    } else {
      prefix = config.framing(HttpSinkConfig.BATCH_PREFIX);
      suffix = config.framing(HttpSinkConfig.BATCH_SUFFIX);
      separator = config.framing(HttpSinkConfig.BATCH_SEPARATOR);
    }
    idField = config.getString(ID_FIELD);
    String target = config.getString(ID_TARGET);
    idTarget = target.isEmpty() ? List.of() : Arrays.asList(target.split("\\.", -1));
    maxBytes = config.getInt(MAX_BYTES);
  }

  /** A record's value as it goes in the body: its JSON text, with the id copied when asked. */
  String event(SinkRecord record) {
    String text = JsonText.render(record.value());
    if (idTarget.isEmpty()) return text;
    String id = JsonMembers.valueOf(text, idField);
    return id == null ? text : JsonMembers.insert(text, idTarget, id);
  }

  /** The body of a batch of rendered events. */
  String body(List<String> events) {
    StringBuilder out = new StringBuilder(prefix);
    for (int i = 0; i < events.size(); i++) {
      if (i > 0) out.append(separator);
      out.append(events.get(i));
    }
    return out.append(suffix).toString();
  }

  /** The byte limit of a body, or 0 for none. */
  int maxBytes() {
    return maxBytes;
  }

  /** The bytes a body of no event takes (the envelope or framing). */
  int emptyBytes() {
    return bytes(prefix) + bytes(suffix);
  }

  int separatorBytes() {
    return bytes(separator);
  }

  static int bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }
}
