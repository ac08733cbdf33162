package tracking.platform.httpsink;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.ConnectException;
import org.apache.kafka.connect.sink.SinkRecord;
import org.apache.kafka.connect.sink.SinkTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends records synchronously inside put(): when put() returns, every record it was given has
 * been answered 2xx (or skipped by behavior.on.error), so the offsets Connect then commits never
 * run ahead of what the endpoint accepted.
 */
public final class HttpSinkTask extends SinkTask {
  private static final Logger log = LoggerFactory.getLogger(HttpSinkTask.class);
  private static final long MAX_BACKOFF_MS = 60_000;

  private HttpSinkConfig config;
  private HttpClient client;
  private List<int[]> retryRanges;
  private Map<String, String> headers;
  private String authorization;

  @Override
  public String version() {
    return HttpSinkConnector.VERSION;
  }

  @Override
  public void start(Map<String, String> props) {
    config = new HttpSinkConfig(props);
    retryRanges = config.retryRanges();
    headers = config.headerMap();
    if (config.getString(HttpSinkConfig.AUTH_TYPE).equals("BASIC")) {
      String token = config.getString(HttpSinkConfig.USER) + ":" + config.password();
      authorization =
          "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8));
    }
    client =
        HttpClient.newBuilder()
            // Plain HTTP/1.1: no h2c upgrade attempt that analytics endpoints may mishandle.
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofMillis(config.getInt(HttpSinkConfig.CONNECT_TIMEOUT_MS)))
            .build();
  }

  @Override
  public void put(Collection<SinkRecord> records) {
    int max = config.getInt(HttpSinkConfig.BATCH_MAX_SIZE);
    List<String> batch = new ArrayList<>(Math.min(max, records.size()));
    for (SinkRecord record : records) {
      if (record.value() == null) {
        if (config.getString(HttpSinkConfig.BEHAVIOR_ON_NULL).equals("fail")) {
          throw new ConnectException(
              "Record " + record.topic() + "-" + record.kafkaPartition() + "@"
                  + record.kafkaOffset() + " has a null value and `behavior.on.null.values` is fail");
        }
        continue;
      }
      batch.add(render(record.value()));
      if (batch.size() >= max) {
        send(batch);
        batch.clear();
      }
    }
    if (!batch.isEmpty()) send(batch);
  }

  private String body(List<String> batch) {
    boolean asArray = config.getBoolean(HttpSinkConfig.BATCH_JSON_AS_ARRAY);
    String prefix = asArray ? "[" : config.getString(HttpSinkConfig.BATCH_PREFIX);
    String suffix = asArray ? "]" : config.getString(HttpSinkConfig.BATCH_SUFFIX);
    String separator = asArray ? "," : config.getString(HttpSinkConfig.BATCH_SEPARATOR);
    return prefix + String.join(separator, batch) + suffix;
  }

  private void send(List<String> batch) {
    String body = body(batch);
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(config.getString(HttpSinkConfig.URL)))
            .timeout(Duration.ofMillis(config.getInt(HttpSinkConfig.REQUEST_TIMEOUT_MS)))
            .header("Content-Type", "application/json")
            .method(
                config.getString(HttpSinkConfig.METHOD),
                HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    headers.forEach(builder::header);
    if (authorization != null) builder.header("Authorization", authorization);
    HttpRequest request = builder.build();

    int maxRetries = config.getInt(HttpSinkConfig.MAX_RETRIES);
    long backoff = config.getInt(HttpSinkConfig.RETRY_BACKOFF_MS);
    String lastError = "";
    for (int attempt = 0; attempt <= maxRetries; attempt++) {
      if (attempt > 0) sleep(Math.min(backoff << Math.min(attempt - 1, 20), MAX_BACKOFF_MS));
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status >= 200 && status < 300) return;
        lastError = "HTTP " + status + ": " + truncate(response.body());
        if (!retryable(status)) break;
      } catch (java.io.IOException e) {
        lastError = e.toString(); // connection refused, reset, timeout: always worth a retry
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ConnectException("Interrupted while sending to " + request.uri(), e);
      }
      log.warn("Request {}/{} to {} failed: {}", attempt + 1, maxRetries + 1, request.uri(), lastError);
    }
    String message =
        "Sending " + batch.size() + " record(s) to " + request.uri() + " failed: " + lastError;
    switch (config.getString(HttpSinkConfig.BEHAVIOR_ON_ERROR)) {
      case "log":
        log.error("{}; skipped because `behavior.on.error` is log", message);
        return;
      case "ignore":
        return;
      default:
        throw new ConnectException(message + " (`behavior.on.error` is fail)");
    }
  }

  private boolean retryable(int status) {
    for (int[] range : retryRanges) {
      if (status >= range[0] && status <= range[1]) return true;
    }
    return false;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ConnectException("Interrupted while waiting to retry", e);
    }
  }

  private static String truncate(String s) {
    return s.length() > 200 ? s.substring(0, 200) + "..." : s;
  }

  /**
   * StringConverter gives the original text, which is sent untouched; JsonConverter (schemas off)
   * gives maps and lists, which are written back as JSON.
   */
  static String render(Object value) {
    if (value instanceof String) return (String) value;
    if (value instanceof byte[]) return new String((byte[]) value, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    writeJson(value, out);
    return out.toString();
  }

  private static void writeJson(Object value, StringBuilder out) {
    if (value == null) {
      out.append("null");
    } else if (value instanceof String) {
      quote((String) value, out);
    } else if (value instanceof Number || value instanceof Boolean) {
      out.append(value);
    } else if (value instanceof Map) {
      out.append('{');
      boolean first = true;
      for (Map.Entry<?, ?> e : ((Map<?, ?>) value).entrySet()) {
        if (!first) out.append(',');
        first = false;
        quote(String.valueOf(e.getKey()), out);
        out.append(':');
        writeJson(e.getValue(), out);
      }
      out.append('}');
    } else if (value instanceof Collection) {
      out.append('[');
      boolean first = true;
      for (Object item : (Collection<?>) value) {
        if (!first) out.append(',');
        first = false;
        writeJson(item, out);
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
        writeJson(struct.get(field), out);
      }
      out.append('}');
    } else {
      quote(value.toString(), out);
    }
  }

  private static void quote(String s, StringBuilder out) {
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

  @Override
  public void stop() {}
}
