package tracking.connect.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys this connector reads. Every key it shares with Confluent's HTTP Sink has Confluent's
 * name, default and meaning, so switching connector class is one line; its own additions are
 * listed under "Additions" and validated here like the rest. Secrets are PASSWORD-typed, so the
 * worker masks them in its logs and in validation answers.
 */
public final class HttpSinkConfig extends AbstractConfig {
  // Confluent HTTP Sink keys.
  public static final String URL = "http.api.url";
  public static final String METHOD = "request.method";
  public static final String HEADERS = "headers";
  public static final String HEADER_SEPARATOR = "header.separator";
  public static final String AUTH_TYPE = "auth.type";
  public static final String USER = "connection.user";
  public static final String PASSWORD = "connection.password";
  public static final String OAUTH2_TOKEN_URL = "oauth2.token.url";
  public static final String OAUTH2_CLIENT_ID = "oauth2.client.id";
  public static final String OAUTH2_CLIENT_SECRET = "oauth2.client.secret";
  public static final String OAUTH2_CLIENT_AUTH_MODE = "oauth2.client.auth.mode";
  public static final String OAUTH2_CLIENT_SCOPE = "oauth2.client.scope";
  public static final String OAUTH2_TOKEN_PROPERTY = "oauth2.token.property";
  public static final String BATCH_MAX_SIZE = "batch.max.size";
  public static final String BATCH_PREFIX = "batch.prefix";
  public static final String BATCH_SUFFIX = "batch.suffix";
  public static final String BATCH_SEPARATOR = "batch.separator";
  public static final String BATCH_JSON_AS_ARRAY = "batch.json.as.array";
  public static final String REQUEST_BODY_FORMAT = "request.body.format";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String RETRY_BACKOFF_POLICY = "retry.backoff.policy";
  public static final String RETRY_ON_STATUS_CODES = "retry.on.status.codes";
  public static final String BEHAVIOR_ON_ERROR = "behavior.on.error";
  public static final String BEHAVIOR_ON_NULL = "behavior.on.null.values";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "http.request.timeout.ms";
  // Additions.
  public static final String RETRY_BACKOFF_MAX_MS = "retry.backoff.max.ms";
  public static final String RETRY_AFTER_MAX_MS = "retry.after.max.ms";
  public static final String IDEMPOTENCY_KEY_HEADER = "idempotency.key.header";
  public static final String COMPRESSION = "request.body.compression";
  public static final String RATE_LIMIT = "request.rate.limit.per.second";
  public static final String EVENT_RATE_LIMIT = "request.rate.limit.events.per.second";
  /** Set by the connector in each task's config: how many tasks share the rate limit. */
  public static final String TASK_COUNT = "tracking.http.sink.task.count";
  /** Set by the connector in each task's config: the task's number, for its metric names. */
  public static final String TASK_INDEX = "tracking.http.sink.task.index";
  // The framework key this connector reads (see deadLetterOnFailure).
  public static final String ERRORS_TOLERANCE = "errors.tolerance";

  public static final String POLICY_CONSTANT = "CONSTANT_VALUE";
  public static final String POLICY_EXPONENTIAL = "EXPONENTIAL_WITH_JITTER";

  private static final String GROUP_CONFLUENT = "HTTP (Confluent HTTP Sink keys)";
  private static final String GROUP_ADDITIONS = "HTTP (tracking-http-sink additions)";

  public static final ConfigDef DEF = define();

  private static ConfigDef define() {
    ConfigDef d = new ConfigDef();
    int o = 0;
    String g = GROUP_CONFLUENT;
    d.define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, new HttpUrl(), Importance.HIGH,
        "URL every batch is sent to (http or https); `${topic}` and `${key}` in it are replaced by "
            + "the record's topic and key (one percent-encoded path segment each), and records "
            + "whose URL differs go in separate requests.", g, ++o, ConfigDef.Width.LONG, URL);
    d.define(METHOD, Type.STRING, "POST",
        ConfigDef.CaseInsensitiveValidString.in("POST", "PUT", "PATCH", "DELETE"),
        Importance.MEDIUM, "HTTP method of each batch: POST, PUT, PATCH or DELETE.", g, ++o,
        ConfigDef.Width.SHORT, METHOD);
    d.define(HEADERS, Type.PASSWORD, "", Importance.MEDIUM,
        "Extra request headers, `Name:Value` pairs separated by header.separator. PASSWORD-typed "
            + "because API keys travel here.", g, ++o, ConfigDef.Width.LONG, HEADERS);
    d.define(HEADER_SEPARATOR, Type.STRING, "|", new NonEmpty(), Importance.LOW,
        "Separator of `headers`.", g, ++o, ConfigDef.Width.SHORT, HEADER_SEPARATOR);
    d.define(AUTH_TYPE, Type.STRING, "NONE",
        ConfigDef.CaseInsensitiveValidString.in("NONE", "BASIC", "OAUTH2"), Importance.MEDIUM,
        "NONE, BASIC (connection.user/password) or OAUTH2 (client credentials).", g, ++o,
        ConfigDef.Width.SHORT, AUTH_TYPE);
    d.define(USER, Type.STRING, "", Importance.MEDIUM, "Basic auth user.", g, ++o,
        ConfigDef.Width.MEDIUM, USER);
    d.define(PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Basic auth password.", g, ++o,
        ConfigDef.Width.MEDIUM, PASSWORD);
    d.define(OAUTH2_TOKEN_URL, Type.STRING, "", Importance.MEDIUM,
        "OAuth2 token endpoint (client credentials grant).", g, ++o, ConfigDef.Width.LONG,
        OAUTH2_TOKEN_URL);
    d.define(OAUTH2_CLIENT_ID, Type.STRING, "", Importance.MEDIUM, "OAuth2 client id.", g, ++o,
        ConfigDef.Width.MEDIUM, OAUTH2_CLIENT_ID);
    d.define(OAUTH2_CLIENT_SECRET, Type.PASSWORD, "", Importance.MEDIUM, "OAuth2 client secret.",
        g, ++o, ConfigDef.Width.MEDIUM, OAUTH2_CLIENT_SECRET);
    d.define(OAUTH2_CLIENT_AUTH_MODE, Type.STRING, "header",
        ConfigDef.CaseInsensitiveValidString.in("header", "url"), Importance.LOW,
        "How the client credentials reach the token endpoint: `header` (HTTP basic) or `url` "
            + "(form fields).", g, ++o, ConfigDef.Width.SHORT, OAUTH2_CLIENT_AUTH_MODE);
    d.define(OAUTH2_CLIENT_SCOPE, Type.STRING, "any", Importance.LOW,
        "Scope asked for; empty asks for none.", g, ++o, ConfigDef.Width.MEDIUM,
        OAUTH2_CLIENT_SCOPE);
    d.define(OAUTH2_TOKEN_PROPERTY, Type.STRING, "access_token", new NonEmpty(), Importance.LOW,
        "Field of the token response that holds the token.", g, ++o, ConfigDef.Width.MEDIUM,
        OAUTH2_TOKEN_PROPERTY);
    d.define(BATCH_MAX_SIZE, Type.INT, 1, ConfigDef.Range.between(1, 1_000_000),
        Importance.MEDIUM, "Records per request (each request holds one partition's records).",
        g, ++o, ConfigDef.Width.SHORT, BATCH_MAX_SIZE);
    d.define(BATCH_PREFIX, Type.STRING, "", Importance.LOW, "Text before a batch.", g, ++o,
        ConfigDef.Width.SHORT, BATCH_PREFIX);
    d.define(BATCH_SUFFIX, Type.STRING, "", Importance.LOW, "Text after a batch.", g, ++o,
        ConfigDef.Width.SHORT, BATCH_SUFFIX);
    d.define(BATCH_SEPARATOR, Type.STRING, ",", Importance.LOW, "Text between records.", g, ++o,
        ConfigDef.Width.SHORT, BATCH_SEPARATOR);
    d.define(BATCH_JSON_AS_ARRAY, Type.BOOLEAN, false, Importance.LOW,
        "Send each batch as a JSON array (overrides prefix, suffix and separator).", g, ++o,
        ConfigDef.Width.SHORT, BATCH_JSON_AS_ARRAY);
    d.define(REQUEST_BODY_FORMAT, Type.STRING, "string",
        ConfigDef.CaseInsensitiveValidString.in("string", "json"), Importance.LOW,
        "string or json. Values are always written as JSON when they are structured (maps, "
            + "lists, structs) and sent as they are when they are text.", g, ++o,
        ConfigDef.Width.SHORT, REQUEST_BODY_FORMAT);
    d.define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
        "Retries of one request before it fails for good.", g, ++o, ConfigDef.Width.SHORT,
        MAX_RETRIES);
    d.define(RETRY_BACKOFF_MS, Type.INT, 3000, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
        "Wait before the first retry (the base of the backoff policy).", g, ++o,
        ConfigDef.Width.SHORT, RETRY_BACKOFF_MS);
    d.define(RETRY_BACKOFF_POLICY, Type.STRING, POLICY_EXPONENTIAL,
        ConfigDef.CaseInsensitiveValidString.in(POLICY_CONSTANT, POLICY_EXPONENTIAL),
        Importance.LOW, "CONSTANT_VALUE or EXPONENTIAL_WITH_JITTER.", g, ++o,
        ConfigDef.Width.MEDIUM, RETRY_BACKOFF_POLICY);
    d.define(RETRY_ON_STATUS_CODES, Type.STRING, "400-", new StatusRanges(), Importance.MEDIUM,
        "Status codes that are retried: a comma list of codes and ranges (`429,500-`). "
            + "Connection errors and timeouts are always retried.", g, ++o,
        ConfigDef.Width.MEDIUM, RETRY_ON_STATUS_CODES);
    d.define(BEHAVIOR_ON_ERROR, Type.STRING, "fail",
        ConfigDef.CaseInsensitiveValidString.in("fail", "log", "ignore"), Importance.MEDIUM,
        "When a request fails for good and errors.tolerance is not `all`: fail the task, or log "
            + "and skip the batch, or skip it silently.", g, ++o, ConfigDef.Width.SHORT,
        BEHAVIOR_ON_ERROR);
    d.define(BEHAVIOR_ON_NULL, Type.STRING, "ignore",
        ConfigDef.CaseInsensitiveValidString.in("ignore", "delete", "fail"), Importance.LOW,
        "A record with a null value: skip it, send a DELETE to the URL (`${key}` in the URL is "
            + "replaced by the record key), or fail the task.", g, ++o, ConfigDef.Width.SHORT,
        BEHAVIOR_ON_NULL);
    d.define(CONNECT_TIMEOUT_MS, Type.INT, 30000, ConfigDef.Range.atLeast(1), Importance.LOW,
        "TCP connect timeout.", g, ++o, ConfigDef.Width.SHORT, CONNECT_TIMEOUT_MS);
    d.define(REQUEST_TIMEOUT_MS, Type.INT, 30000, ConfigDef.Range.atLeast(1), Importance.LOW,
        "Whole request timeout.", g, ++o, ConfigDef.Width.SHORT, REQUEST_TIMEOUT_MS);

    g = GROUP_ADDITIONS;
    o = 0;
    d.define(RETRY_BACKOFF_MAX_MS, Type.LONG, 60_000L, ConfigDef.Range.atLeast(0),
        Importance.LOW, "Longest wait the backoff policy may choose.", g, ++o,
        ConfigDef.Width.SHORT, RETRY_BACKOFF_MAX_MS);
    d.define(RETRY_AFTER_MAX_MS, Type.LONG, 300_000L, ConfigDef.Range.atLeast(0),
        Importance.LOW,
        "Longest wait a 429 or 503 answer's Retry-After (seconds or HTTP date) may impose.", g,
        ++o, ConfigDef.Width.SHORT, RETRY_AFTER_MAX_MS);
    d.define(IDEMPOTENCY_KEY_HEADER, Type.STRING, "Idempotency-Key", new HeaderName(),
        Importance.LOW,
        "Header carrying a key derived from the batch's topic, partition and offset range, the "
            + "same on every retry and re-send; empty sends none.", g, ++o,
        ConfigDef.Width.MEDIUM, IDEMPOTENCY_KEY_HEADER);
    d.define(COMPRESSION, Type.STRING, "none",
        ConfigDef.CaseInsensitiveValidString.in("none", "gzip"), Importance.LOW,
        "Compress request bodies: none or gzip (sent with Content-Encoding: gzip).", g, ++o,
        ConfigDef.Width.SHORT, COMPRESSION);
    d.define(RATE_LIMIT, Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
        "Most requests per second for the whole connector (retries included), shared exactly "
            + "by its tasks (each gets this divided by tasks.max, fractions kept); 0 for no limit.",
        g, ++o, ConfigDef.Width.SHORT, RATE_LIMIT);
    d.define(EVENT_RATE_LIMIT, Type.DOUBLE, 0.0, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
        "Most events (records) per second for the whole connector, retries included, shared "
            + "exactly by its tasks; a request of k records takes k. A batch larger than a task's "
            + "per-second share still goes out, and that task then waits until its share has paid "
            + "for it; 0 for no limit.", g, ++o, ConfigDef.Width.SHORT, EVENT_RATE_LIMIT);
    o = RequestBody.define(d, g, o);
    StopOffsets.define(d, g, o);
    return d;
  }

  /** How many tasks share the rate limit (1 when the connector did not say). */
  public int taskCount() {
    Object v = originals().get(TASK_COUNT);
    try {
      return v == null ? 1 : Math.max(1, Integer.parseInt(v.toString()));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  /** The connector's name, as the worker passes it in every config ("unknown" in a bare test). */
  public String connectorName() {
    Object v = originals().get("name");
    return v == null ? "unknown" : v.toString();
  }

  /**
   * A batch framing setting (`batch.prefix`, `batch.suffix`, `batch.separator`) exactly as given.
   * Connect's ConfigDef trims every STRING value, which turns a newline separator (NDJSON) into
   * nothing and runs the records together; the original text is used instead.
   */
  public String framing(String key) {
    Object raw = originals().get(key);
    return raw instanceof String ? (String) raw : getString(key);
  }

  /** The task's number in its connector (0 when the connector did not say). */
  public String taskIndex() {
    Object v = originals().get(TASK_INDEX);
    return v == null ? "0" : v.toString();
  }

  public HttpSinkConfig(Map<String, String> props) {
    super(DEF, props);
    // The same cross-key rules as the connector's validate(), so a config that skipped
    // validation still fails here, naming the key.
    Map<String, List<String>> errors = CrossChecks.check(values()::get);
    if (!errors.isEmpty()) throw new ConfigException(CrossChecks.describe(errors));
  }

  public String authType() {
    return getString(AUTH_TYPE).toUpperCase(java.util.Locale.ROOT);
  }

  public String method() {
    return getString(METHOD).toUpperCase(java.util.Locale.ROOT);
  }

  public String lower(String key) {
    return getString(key).toLowerCase(java.util.Locale.ROOT);
  }

  public String secret(String key) {
    Password p = getPassword(key);
    return p == null ? "" : p.value();
  }

  /**
   * Connect's `errors.tolerance` (validated by the worker, not declared here so that validation
   * lists it once): with `all`, records of a request that failed for good go to the dead-letter
   * topic instead of `behavior.on.error`.
   */
  public boolean deadLetterOnFailure() {
    Object v = originals().get(ERRORS_TOLERANCE);
    return v != null && v.toString().trim().equalsIgnoreCase("all");
  }

  /** Parses `429,500-599,503-` into inclusive [low, high] pairs. */
  public List<int[]> retryRanges() {
    return StatusRanges.parse(getString(RETRY_ON_STATUS_CODES));
  }

  public Map<String, String> headerMap() {
    return parseHeaders(secret(HEADERS), getString(HEADER_SEPARATOR));
  }

  /** `Name:Value` pairs separated by `separator`; the error never echoes the text (secrets). */
  static Map<String, String> parseHeaders(String raw, String separator) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (raw.isEmpty()) return headers;
    for (String pair : raw.split(Pattern.quote(separator))) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        // The value may hold a credential: name the setting and the rule, never the text.
        throw new ConfigException("`" + HEADERS + "`: each header must look like `Name:Value`, "
            + "separated by `" + separator + "` (header.separator)");
      }
      headers.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
    }
    return headers;
  }

  /** An absolute http(s) URL. */
  static final class HttpUrl implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null) return; // a missing required key has its own error
      String s = value.toString();
      try {
        URI uri = new URI(s.replace("${key}", "key").replace("${topic}", "topic"));
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) return;
      } catch (java.net.URISyntaxException e) {
        // reported below
      }
      throw new ConfigException(name, Redact.url(s), "must be an absolute http:// or https:// URL");
    }

    @Override
    public String toString() {
      return "absolute http(s) URL";
    }
  }

  static final class NonEmpty implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      if (value == null || value.toString().isEmpty()) {
        throw new ConfigException(name, value, "must not be empty");
      }
    }

    @Override
    public String toString() {
      return "non-empty string";
    }
  }

  /** An HTTP header name (RFC 9110 token), or empty. */
  static final class HeaderName implements ConfigDef.Validator {
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]*");

    @Override
    public void ensureValid(String name, Object value) {
      if (value != null && !TOKEN.matcher(value.toString()).matches()) {
        throw new ConfigException(name, value, "must be an HTTP header name, or empty for none");
      }
    }

    @Override
    public String toString() {
      return "HTTP header name or empty";
    }
  }

  /** `429,500-599,503-`: codes and inclusive ranges, an open range ending at 999. */
  static final class StatusRanges implements ConfigDef.Validator {
    @Override
    public void ensureValid(String name, Object value) {
      parse(value == null ? "" : value.toString());
    }

    static List<int[]> parse(String raw) {
      List<int[]> ranges = new ArrayList<>();
      for (String part : raw.split(",")) {
        String p = part.trim();
        if (p.isEmpty()) continue;
        try {
          int dash = p.indexOf('-');
          int low = Integer.parseInt(dash < 0 ? p : p.substring(0, dash).trim());
          String hi = dash < 0 ? p : p.substring(dash + 1).trim();
          int high = hi.isEmpty() ? 999 : Integer.parseInt(hi);
          if (low < 100 || high > 999 || low > high) throw new NumberFormatException(p);
          ranges.add(new int[] {low, high});
        } catch (NumberFormatException e) {
          throw new ConfigException(RETRY_ON_STATUS_CODES, raw,
              "expected status codes (100-999) or ranges such as `429,500-`");
        }
      }
      return ranges;
    }

    @Override
    public String toString() {
      return "codes and ranges such as 408,429,500-";
    }
  }
}
