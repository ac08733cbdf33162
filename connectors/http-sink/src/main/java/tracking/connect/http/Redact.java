package tracking.connect.http;

import java.net.URI;

/** What may leave the connector in logs, exceptions and dead-letter headers. */
final class Redact {
  private Redact() {}

  /** The URL without user info, query string or fragment (API keys often travel there). */
  static String url(String raw) {
    try {
      URI u = new URI(raw);
      if (u.getScheme() == null || u.getHost() == null) return "<not a URL>";
      String port = u.getPort() < 0 ? "" : ":" + u.getPort();
      String path = u.getRawPath() == null ? "" : u.getRawPath();
      return u.getScheme() + "://" + u.getHost() + port + path + (u.getRawQuery() == null ? "" : "?…");
    } catch (java.net.URISyntaxException e) {
      return "<not a URL>";
    }
  }

  /** At most `max` characters of a response body, on one line. */
  static String excerpt(String body, int max) {
    if (body == null) return "";
    String one = body.replaceAll("[\\r\\n\\t]+", " ").trim();
    return one.length() > max ? one.substring(0, max) + "…" : one;
  }
}
