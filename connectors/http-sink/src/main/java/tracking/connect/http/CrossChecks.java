package tracking.connect.http;

import static tracking.connect.http.HttpSinkConfig.AUTH_TYPE;
import static tracking.connect.http.HttpSinkConfig.BATCH_JSON_AS_ARRAY;
import static tracking.connect.http.HttpSinkConfig.BATCH_PREFIX;
import static tracking.connect.http.HttpSinkConfig.BATCH_SEPARATOR;
import static tracking.connect.http.HttpSinkConfig.BATCH_SUFFIX;
import static tracking.connect.http.HttpSinkConfig.BEHAVIOR_ON_NULL;
import static tracking.connect.http.HttpSinkConfig.HEADERS;
import static tracking.connect.http.HttpSinkConfig.HEADER_SEPARATOR;
import static tracking.connect.http.HttpSinkConfig.OAUTH2_CLIENT_ID;
import static tracking.connect.http.HttpSinkConfig.OAUTH2_CLIENT_SECRET;
import static tracking.connect.http.HttpSinkConfig.OAUTH2_TOKEN_URL;
import static tracking.connect.http.HttpSinkConfig.PASSWORD;
import static tracking.connect.http.HttpSinkConfig.RETRY_BACKOFF_MAX_MS;
import static tracking.connect.http.HttpSinkConfig.RETRY_BACKOFF_MS;
import static tracking.connect.http.HttpSinkConfig.URL;
import static tracking.connect.http.HttpSinkConfig.USER;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * Rules that involve more than one key, which a ConfigDef validator (one key at a time) cannot
 * express. Each error is filed under the key a user has to change and says how, so the worker's
 * `PUT /connector-plugins/.../config/validate` names it. Used by the connector's validate() and
 * by HttpSinkConfig's constructor, so both agree.
 */
final class CrossChecks {
  private CrossChecks() {}

  /**
   * Errors by key, in the order found, each message starting with its key. `value` gives each key's parsed value, or null when the
   * key is unset or failed its own validation (that error is reported already; rules that need
   * it are skipped).
   */
  static Map<String, List<String>> check(Function<String, Object> value) {
    Map<String, List<String>> errors = new LinkedHashMap<>();
    Rules r = new Rules(value, errors);
    r.auth();
    r.framing();
    r.backoff();
    r.nullValues();
    r.headers();
    r.envelope();
    return errors;
  }

  /** One line naming every key at fault, for an exception. */
  static String describe(Map<String, List<String>> errors) {
    StringBuilder out = new StringBuilder("Invalid tracking-http-sink configuration:");
    errors.forEach((key, messages) -> {
      for (String m : messages) out.append(' ').append(m).append(';');
    });
    out.setLength(out.length() - 1);
    return out.toString();
  }

  private static final class Rules {
    private final Function<String, Object> value;
    private final Map<String, List<String>> errors;

    Rules(Function<String, Object> value, Map<String, List<String>> errors) {
      this.value = value;
      this.errors = errors;
    }

    /** Files `message` under `key`, starting with the key, so it reads alone as well. */
    private void error(String key, String message) {
      errors.computeIfAbsent(key, k -> new ArrayList<>()).add("`" + key + "` " + message);
    }

    /** The key's text ("" when unset or invalid); a Password's value, never logged. */
    private String text(String key) {
      Object v = value.apply(key);
      if (v instanceof Password) return ((Password) v).value();
      return v == null ? "" : v.toString();
    }

    private boolean isSet(String key) {
      return value.apply(key) != null;
    }

    void auth() {
      String auth = text(AUTH_TYPE).toUpperCase(Locale.ROOT);
      if (auth.equals("BASIC")) {
        for (String key : List.of(USER, PASSWORD)) {
          if (text(key).isEmpty()) {
            error(key, "is required when `auth.type` is BASIC: set `" + key
                + "`, or set `auth.type` to NONE (or OAUTH2 with its oauth2.* keys)");
          }
        }
      } else if (auth.equals("OAUTH2")) {
        for (String key : List.of(OAUTH2_TOKEN_URL, OAUTH2_CLIENT_ID, OAUTH2_CLIENT_SECRET)) {
          if (text(key).isEmpty()) {
            error(key, "is required when `auth.type` is OAUTH2 (client credentials): set `" + key
                + "`, or set `auth.type` to NONE or BASIC");
          }
        }
        String tokenUrl = text(OAUTH2_TOKEN_URL);
        if (!tokenUrl.isEmpty()) {
          try {
            new HttpSinkConfig.HttpUrl().ensureValid(OAUTH2_TOKEN_URL, tokenUrl);
          } catch (ConfigException e) {
            error(OAUTH2_TOKEN_URL, "must be an absolute http:// or https:// URL of the token "
                + "endpoint (got " + Redact.url(tokenUrl) + ")");
          }
        }
      }
    }

    /**
     * `batch.json.as.array=true` frames every batch as `[a,b]` and ignores prefix, suffix and
     * separator: a different value there means the user expects a framing they will not get.
     */
    void framing() {
      if (!Boolean.TRUE.equals(value.apply(BATCH_JSON_AS_ARRAY))) return;
      String[][] framing = {{BATCH_PREFIX, "", "["}, {BATCH_SUFFIX, "", "]"},
          {BATCH_SEPARATOR, ",", ","}};
      for (String[] f : framing) {
        String v = text(f[0]);
        if (!isSet(f[0]) || v.equals(f[1]) || v.equals(f[2])) continue;
        error(f[0], "is `" + v + "` but `batch.json.as.array` is true, which sends every batch "
            + "as a JSON array and ignores `" + f[0] + "`: remove `" + f[0] + "`, or set "
            + "`batch.json.as.array` to false to frame batches with batch.prefix, batch.suffix "
            + "and batch.separator");
      }
    }

    void backoff() {
      Object base = value.apply(RETRY_BACKOFF_MS);
      Object max = value.apply(RETRY_BACKOFF_MAX_MS);
      if (!(base instanceof Number) || !(max instanceof Number)) return;
      long b = ((Number) base).longValue();
      long m = ((Number) max).longValue();
      if (m < b) {
        error(RETRY_BACKOFF_MAX_MS, "is " + m + " ms, below `retry.backoff.ms` (" + b + " ms), "
            + "so every retry would wait at most " + m + " ms: raise `retry.backoff.max.ms` to "
            + "at least " + b + ", or lower `retry.backoff.ms`");
      }
    }

    /** `delete` sends DELETE to the URL with `${key}` replaced; without it, to the URL itself. */
    void nullValues() {
      if (!text(BEHAVIOR_ON_NULL).equalsIgnoreCase("delete") || !isSet(URL)) return;
      if (!text(URL).contains("${key}")) {
        error(BEHAVIOR_ON_NULL, "is delete but `http.api.url` has no `${key}`, so every record "
            + "with a null value would send DELETE to the URL itself: put `${key}` in "
            + "`http.api.url` where the record key goes, or set `behavior.on.null.values` to "
            + "ignore or fail");
      }
    }

    /**
     * The envelope replaces the framing; its secret needs a member to go in, and the member a
     * secret; an id target needs an id to copy and member names to reach.
     */
    void envelope() {
      String events = text(RequestBody.EVENTS_FIELD);
      String secretField = text(RequestBody.SECRET_FIELD);
      String secret = text(RequestBody.SECRET);
      if (!events.isEmpty()) {
        boolean array = Boolean.TRUE.equals(value.apply(BATCH_JSON_AS_ARRAY));
        for (String key : List.of(BATCH_PREFIX, BATCH_SUFFIX)) {
          if (array || text(key).isEmpty()) continue;
          error(key, "is set but `" + RequestBody.EVENTS_FIELD + "` makes each body a JSON "
              + "object with the records in `" + events + "`: remove `" + key + "`, or unset `"
              + RequestBody.EVENTS_FIELD + "` to frame batches yourself");
        }
        if (array) {
          error(BATCH_JSON_AS_ARRAY, "is true but `" + RequestBody.EVENTS_FIELD + "` makes each "
              + "body a JSON object: set `batch.json.as.array` to false, or unset `"
              + RequestBody.EVENTS_FIELD + "`");
        }
      } else if (!secretField.isEmpty()) {
        error(RequestBody.SECRET_FIELD, "needs `" + RequestBody.EVENTS_FIELD + "`: the secret "
            + "goes in an object envelope; set `" + RequestBody.EVENTS_FIELD + "` (e.g. events) "
            + "or unset `" + RequestBody.SECRET_FIELD + "`");
      }
      if (!secretField.isEmpty() && secret.isEmpty()) {
        error(RequestBody.SECRET, "is empty but `" + RequestBody.SECRET_FIELD + "` is `"
            + secretField + "`: give the secret (as a config provider reference), or unset `"
            + RequestBody.SECRET_FIELD + "`");
      }
      if (secretField.isEmpty() && !secret.isEmpty()) {
        error(RequestBody.SECRET, "is set but `" + RequestBody.SECRET_FIELD + "` is empty, so "
            + "it would go nowhere: name the member (e.g. api_key), or remove the secret");
      }
      String target = text(RequestBody.ID_TARGET);
      if (target.isEmpty()) return;
      if (text(RequestBody.ID_FIELD).isEmpty()) {
        error(RequestBody.ID_FIELD, "is empty but `" + RequestBody.ID_TARGET + "` is `" + target
            + "`: name the member holding each event's id (e.g. id), or unset `"
            + RequestBody.ID_TARGET + "`");
      }
      if (List.of(target.split("\\.", -1)).contains("")) {
        error(RequestBody.ID_TARGET, "is `" + target + "`, which has an empty member name: "
            + "join member names with single dots (e.g. properties.$insert_id)");
      }
    }

    void headers() {
      if (!isSet(HEADERS) || !isSet(HEADER_SEPARATOR)) return;
      try {
        HttpSinkConfig.parseHeaders(text(HEADERS), text(HEADER_SEPARATOR));
      } catch (ConfigException e) {
        error(HEADERS, "is malformed: each header must look like `Name:Value`, the pairs "
            + "separated by `" + text(HEADER_SEPARATOR) + "` (header.separator): fix `headers`, or set "
            + "`header.separator` to the separator it uses");
      }
    }
  }
}
