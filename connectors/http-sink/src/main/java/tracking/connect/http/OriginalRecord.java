package tracking.connect.http;

import java.lang.reflect.Method;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.connect.sink.SinkRecord;

/**
 * The consumer record a worker's SinkRecord was made from, as Kafka Connect's runtime keeps it
 * (`InternalSinkRecord.context().original()`, Kafka 3.8+; `originalRecord()` before). Reached by
 * reflection: the runtime is not part of the Connect API a plugin may compile against. Null when
 * the record is not the worker's or the runtime keeps it differently.
 */
final class OriginalRecord {
  private OriginalRecord() {}

  static ConsumerRecord<?, ?> of(SinkRecord record) {
    Object found = call(call(record, "context"), "original");
    if (found == null) found = call(record, "originalRecord");
    return found instanceof ConsumerRecord ? (ConsumerRecord<?, ?>) found : null;
  }

  private static Object call(Object target, String name) {
    if (target == null) return null;
    try {
      Method m = target.getClass().getMethod(name);
      return m.invoke(target);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }
}
