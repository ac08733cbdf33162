package tracking.connect.http;

import java.util.List;

/**
 * Reads and adds members of a JSON object given as text, without parsing it into objects: the
 * text of every other member is kept byte for byte, so the destination gets what was produced
 * plus the one member added. Used to copy an event's id into the field a destination
 * deduplicates on (`insert_id`, `properties.$insert_id`, `messageId`).
 */
final class JsonMembers {
  private JsonMembers() {}

  /** One member's value: where its text starts and ends in the object's text. */
  private static final class Span {
    final int start;
    final int end;

    Span(int start, int end) {
      this.start = start;
      this.end = end;
    }
  }

  /** The raw JSON text of the value of the top-level member `key`, or null (absent, or no object). */
  static String valueOf(String json, String key) {
    Span span = find(json, key);
    return span == null ? null : json.substring(span.start, span.end);
  }

  /**
   * `json` with `"<last>":<raw>` added at `path` (top-level member names, outermost first),
   * creating the objects on the way that are absent. Unchanged when the member is already there
   * (the producer's own value wins), when `json` is not an object, or when a member on the way
   * is not an object.
   */
  static String insert(String json, List<String> path, String raw) {
    int open = skipWhitespace(json, 0);
    if (open >= json.length() || json.charAt(open) != '{') return json;
    String key = path.get(0);
    Span span = find(json, key);
    if (path.size() == 1) {
      if (span != null) return json;
      return addFirst(json, open, key, raw);
    }
    List<String> rest = path.subList(1, path.size());
    if (span == null) return addFirst(json, open, key, nested(rest, raw));
    String inner = json.substring(span.start, span.end);
    String changed = insert(inner, rest, raw);
    if (changed.equals(inner)) return json;
    return json.substring(0, span.start) + changed + json.substring(span.end);
  }

  private static String nested(List<String> path, String raw) {
    StringBuilder out = new StringBuilder();
    for (String key : path) {
      out.append('{');
      JsonText.quote(key, out);
      out.append(':');
    }
    out.append(raw);
    for (int i = 0; i < path.size(); i++) out.append('}');
    return out.toString();
  }

  private static String addFirst(String json, int open, String key, String raw) {
    StringBuilder member = new StringBuilder();
    JsonText.quote(key, member);
    member.append(':').append(raw);
    int next = skipWhitespace(json, open + 1);
    boolean empty = next < json.length() && json.charAt(next) == '}';
    if (!empty) member.append(',');
    return json.substring(0, open + 1) + member + json.substring(open + 1);
  }

  /** The span of the value of the top-level member `key` of the object `json`, or null. */
  private static Span find(String json, String key) {
    int i = skipWhitespace(json, 0);
    if (i >= json.length() || json.charAt(i) != '{') return null;
    i = skipWhitespace(json, i + 1);
    if (i < json.length() && json.charAt(i) == '}') return null;
    while (i < json.length()) {
      if (json.charAt(i) != '"') return null;
      int keyEnd = skipString(json, i);
      if (keyEnd < 0) return null;
      String name = decode(json.substring(i + 1, keyEnd - 1));
      i = skipWhitespace(json, keyEnd);
      if (i >= json.length() || json.charAt(i) != ':') return null;
      int start = skipWhitespace(json, i + 1);
      int end = skipValue(json, start);
      if (end < 0) return null;
      if (name.equals(key)) return new Span(start, end);
      i = skipWhitespace(json, end);
      if (i >= json.length() || json.charAt(i) != ',') return null;
      i = skipWhitespace(json, i + 1);
    }
    return null;
  }

  private static int skipWhitespace(String s, int i) {
    while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
    return i;
  }

  /** The index after the string starting at `i` (a quote), or -1 when it does not end. */
  private static int skipString(String s, int i) {
    for (int j = i + 1; j < s.length(); j++) {
      char c = s.charAt(j);
      if (c == '\\') j++;
      else if (c == '"') return j + 1;
    }
    return -1;
  }

  /** The index after the value starting at `i`, or -1 when it is not well formed. */
  private static int skipValue(String s, int i) {
    if (i >= s.length()) return -1;
    char c = s.charAt(i);
    if (c == '"') return skipString(s, i);
    if (c == '{' || c == '[') {
      int depth = 0;
      for (int j = i; j < s.length(); j++) {
        char d = s.charAt(j);
        if (d == '"') {
          j = skipString(s, j) - 1;
          if (j < 0) return -1;
        } else if (d == '{' || d == '[') {
          depth++;
        } else if (d == '}' || d == ']') {
          if (--depth == 0) return j + 1;
        }
      }
      return -1;
    }
    int j = i;
    while (j < s.length() && ",}] \t\r\n".indexOf(s.charAt(j)) < 0) j++;
    return j == i ? -1 : j;
  }

  /** A member name's text without its quotes, its common escapes resolved. */
  private static String decode(String text) {
    if (text.indexOf('\\') < 0) return text;
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c != '\\' || i + 1 >= text.length()) {
        out.append(c);
        continue;
      }
      char e = text.charAt(++i);
      switch (e) {
        case 'n':
          out.append('\n');
          break;
        case 't':
          out.append('\t');
          break;
        case 'r':
          out.append('\r');
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'u':
          try {
            out.append((char) Integer.parseInt(text.substring(i + 1, i + 5), 16));
            i += 4;
          } catch (NumberFormatException | StringIndexOutOfBoundsException bad) {
            out.append("\\u"); // not an escape a producer meant: compared as written
          }
          break;
        default:
          out.append(e);
      }
    }
    return out.toString();
  }
}
