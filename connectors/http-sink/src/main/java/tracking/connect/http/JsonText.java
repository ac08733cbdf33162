package tracking.connect.http;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collection;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;

/**
 * A record value as request text. Text (StringConverter) and bytes are sent as they are, so the
 * destination gets what was produced; maps, lists and structs (JsonConverter, Avro, after SMTs)
 * are written as the JSON they are, never as a Java toString.
 */
final class JsonText {
  private JsonText() {}

  static String render(Object value) {
    if (value instanceof String) return (String) value;
    if (value instanceof byte[]) return new String((byte[]) value, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  private static void write(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      quote((String) value, out);
    } else if (value instanceof Double || value instanceof Float) {
      double d = ((Number) value).doubleValue();
      if (Double.isNaN(d) || Double.isInfinite(d)) out.append("null");
      else out.append(value);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof byte[]) {
      quote(Base64.getEncoder().encodeToString((byte[]) value), out);
    } else if (value instanceof java.nio.ByteBuffer) {
      java.nio.ByteBuffer b = ((java.nio.ByteBuffer) value).duplicate();
      byte[] bytes = new byte[b.remaining()];
      b.get(bytes);
      quote(Base64.getEncoder().encodeToString(bytes), out);
    } else if (value instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) out.append(',');
        first = false;
        quote(String.valueOf(e.getKey()), out);
        out.append(':');
        write(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) out.append(',');
        first = false;
        write(item, out);
      }
      out.append(']');
    } else if (value instanceof Struct) {
      Struct struct = (Struct) value;
      out.append('{');
      boolean first = true;
      for (Field field : struct.schema().fields()) {
        if (!first) out.append(',');
        first = false;
        quote(field.name(), out);
        out.append(':');
        write(struct.get(field), out);
      }
      out.append('}');
    } else if (value instanceof java.util.Date) {
      quote(((java.util.Date) value).toInstant().toString(), out);
    } else {
      quote(value.toString(), out);
    }
  }

  static void quote(String s, StringBuilder out) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
          else out.append(c);
      }
    }
    out.append('"');
  }
}
