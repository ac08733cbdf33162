package tracking.platform.httpsink;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.AbstractConfig;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Type;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The keys this connector reads. Names and defaults follow Confluent's HTTP Sink (the connector
 * deployed in production) so one connector config is valid in both places; keys it does not know
 * are ignored by Connect, as with any connector.
 */
public final class HttpSinkConfig extends AbstractConfig {
  public static final String URL = "http.api.url";
  public static final String METHOD = "request.method";
  public static final String HEADERS = "headers";
  public static final String HEADER_SEPARATOR = "header.separator";
  public static final String AUTH_TYPE = "auth.type";
  public static final String USER = "connection.user";
  public static final String PASSWORD = "connection.password";
  public static final String BATCH_MAX_SIZE = "batch.max.size";
  public static final String BATCH_PREFIX = "batch.prefix";
  public static final String BATCH_SUFFIX = "batch.suffix";
  public static final String BATCH_SEPARATOR = "batch.separator";
  public static final String BATCH_JSON_AS_ARRAY = "batch.json.as.array";
  public static final String MAX_RETRIES = "max.retries";
  public static final String RETRY_BACKOFF_MS = "retry.backoff.ms";
  public static final String RETRY_ON_STATUS_CODES = "retry.on.status.codes";
  public static final String BEHAVIOR_ON_ERROR = "behavior.on.error";
  public static final String BEHAVIOR_ON_NULL = "behavior.on.null.values";
  public static final String CONNECT_TIMEOUT_MS = "http.connect.timeout.ms";
  public static final String REQUEST_TIMEOUT_MS = "http.request.timeout.ms";

  public static final ConfigDef DEF =
      new ConfigDef()
          .define(URL, Type.STRING, ConfigDef.NO_DEFAULT_VALUE, Importance.HIGH,
              "URL every batch is sent to.")
          .define(METHOD, Type.STRING, "POST", ConfigDef.ValidString.in("POST", "PUT"),
              Importance.MEDIUM, "HTTP method.")
          .define(HEADERS, Type.STRING, "", Importance.MEDIUM,
              "Extra headers, `Name:Value` pairs separated by header.separator.")
          .define(HEADER_SEPARATOR, Type.STRING, "|", Importance.LOW, "Separator of `headers`.")
          .define(AUTH_TYPE, Type.STRING, "NONE", ConfigDef.ValidString.in("NONE", "BASIC"),
              Importance.MEDIUM, "NONE or BASIC.")
          .define(USER, Type.STRING, "", Importance.MEDIUM, "Basic auth user.")
          .define(PASSWORD, Type.PASSWORD, "", Importance.MEDIUM, "Basic auth password.")
          .define(BATCH_MAX_SIZE, Type.INT, 1, ConfigDef.Range.between(1, 1_000_000),
              Importance.MEDIUM, "Records per request.")
          .define(BATCH_PREFIX, Type.STRING, "", Importance.LOW, "Text before a batch.")
          .define(BATCH_SUFFIX, Type.STRING, "", Importance.LOW, "Text after a batch.")
          .define(BATCH_SEPARATOR, Type.STRING, ",", Importance.LOW, "Text between records.")
          .define(BATCH_JSON_AS_ARRAY, Type.BOOLEAN, false, Importance.LOW,
              "Send each batch as a JSON array (overrides prefix, suffix and separator).")
          .define(MAX_RETRIES, Type.INT, 10, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
              "Retries of one request before behavior.on.error applies.")
          .define(RETRY_BACKOFF_MS, Type.INT, 3000, ConfigDef.Range.atLeast(0), Importance.MEDIUM,
              "Wait before the first retry; doubles per retry, capped at 60 s.")
          .define(RETRY_ON_STATUS_CODES, Type.STRING, "400-", Importance.MEDIUM,
              "Status codes that are retried: a comma list of codes and ranges (`429,500-`).")
          .define(BEHAVIOR_ON_ERROR, Type.STRING, "fail",
              ConfigDef.ValidString.in("fail", "log", "ignore"), Importance.MEDIUM,
              "After the last retry: fail the task, or log and skip the batch, or skip silently.")
          .define(BEHAVIOR_ON_NULL, Type.STRING, "ignore", ConfigDef.ValidString.in("ignore", "fail"),
              Importance.LOW, "What a record with a null value does.")
          .define(CONNECT_TIMEOUT_MS, Type.INT, 30000, ConfigDef.Range.atLeast(1),
              Importance.LOW, "TCP connect timeout.")
          .define(REQUEST_TIMEOUT_MS, Type.INT, 30000, ConfigDef.Range.atLeast(1),
              Importance.LOW, "Whole request timeout.");

  public HttpSinkConfig(Map<String, String> props) {
    super(DEF, props);
    if (getString(AUTH_TYPE).equals("BASIC") && getString(USER).isEmpty()) {
      throw new ConfigException(USER, "", "`connection.user` is required when `auth.type` is BASIC");
    }
    retryRanges();
    headerMap();
  }

  public String password() {
    Password p = getPassword(PASSWORD);
    return p == null ? "" : p.value();
  }

  /** Parses `429,500-599,503-` into inclusive [low, high] pairs. */
  public List<int[]> retryRanges() {
    List<int[]> ranges = new ArrayList<>();
    for (String part : getString(RETRY_ON_STATUS_CODES).split(",")) {
      String p = part.trim();
      if (p.isEmpty()) continue;
      try {
        int dash = p.indexOf('-');
        if (dash < 0) {
          int code = Integer.parseInt(p);
          ranges.add(new int[] {code, code});
        } else {
          int low = Integer.parseInt(p.substring(0, dash).trim());
          String hi = p.substring(dash + 1).trim();
          ranges.add(new int[] {low, hi.isEmpty() ? 999 : Integer.parseInt(hi)});
        }
      } catch (NumberFormatException e) {
        throw new ConfigException(RETRY_ON_STATUS_CODES, getString(RETRY_ON_STATUS_CODES),
            "expected codes or ranges such as `429,500-`");
      }
    }
    return ranges;
  }

  public Map<String, String> headerMap() {
    Map<String, String> headers = new LinkedHashMap<>();
    String raw = getString(HEADERS);
    if (raw.isEmpty()) return headers;
    for (String pair : raw.split(java.util.regex.Pattern.quote(getString(HEADER_SEPARATOR)))) {
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new ConfigException(HEADERS, raw, "each header must look like `Name:Value`");
      }
      headers.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
    }
    return headers;
  }
}
