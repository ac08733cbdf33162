package tracking.connect.http;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** A real HTTP server on 127.0.0.1 that records requests and answers from a script. */
final class TestEndpoint implements AutoCloseable {
  static final class Seen {
    final String method;
    final String path;
    final Map<String, List<String>> headers;
    final String body;

    Seen(String method, String path, Map<String, List<String>> headers, String body) {
      this.method = method;
      this.path = path;
      this.headers = headers;
      this.body = body;
    }

    String header(String name) {
      for (Map.Entry<String, List<String>> e : headers.entrySet()) {
        if (e.getKey().equalsIgnoreCase(name)) return e.getValue().get(0);
      }
      return null;
    }
  }

  static final class Answer {
    final int status;
    final String body;
    final Map<String, String> headers;

    Answer(int status, String body, Map<String, String> headers) {
      this.status = status;
      this.body = body;
      this.headers = headers;
    }
  }

  final List<Seen> seen = new ArrayList<>();
  /** Answers for the next requests, in order; 200 once empty. */
  final Deque<Answer> script = new ArrayDeque<>();
  private final HttpServer server;

  TestEndpoint() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", exchange -> {
      byte[] raw = exchange.getRequestBody().readAllBytes();
      String enc = exchange.getRequestHeaders().getFirst("Content-Encoding");
      if ("gzip".equals(enc)) {
        raw = new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes();
      }
      Answer a;
      synchronized (this) {
        seen.add(new Seen(exchange.getRequestMethod(), exchange.getRequestURI().toString(),
            Map.copyOf(exchange.getRequestHeaders()), new String(raw, StandardCharsets.UTF_8)));
        a = script.isEmpty() ? new Answer(200, "{\"ok\":true}", Map.of()) : script.poll();
      }
      a.headers.forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
      byte[] out = a.body.getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(a.status, out.length == 0 ? -1 : out.length);
      if (out.length > 0) exchange.getResponseBody().write(out);
      exchange.close();
    });
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  synchronized void answer(int status, String body, Map<String, String> headers) {
    script.add(new Answer(status, body, headers));
  }

  synchronized List<Seen> requests(String path) {
    List<Seen> out = new ArrayList<>();
    for (Seen s : seen) if (s.path.startsWith(path)) out.add(s);
    return out;
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
