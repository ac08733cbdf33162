package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.ConfigValue;
import org.junit.jupiter.api.Test;

/** The cross-key rules, as the worker's validate endpoint sees them: errors on the key at fault. */
class CrossChecksTest {
  /** Error messages by key of HttpSinkConnector.validate(), keys without errors left out. */
  static Map<String, List<String>> errors(String... kv) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (ConfigValue v : new HttpSinkConnector().validate(HttpSinkConfigTest.props(kv)).configValues()) {
      if (!v.errorMessages().isEmpty()) out.put(v.name(), v.errorMessages());
    }
    return out;
  }

  private static void onlyError(Map<String, List<String>> errors, String key, String... mentions) {
    assertEquals(List.of(key), List.copyOf(errors.keySet()), errors.toString());
    assertEquals(1, errors.get(key).size(), errors.toString());
    String message = errors.get(key).get(0);
    assertTrue(message.startsWith("`" + key + "` "), message);
    for (String m : mentions) assertTrue(message.contains(m), message);
  }

  /** A task that skipped validation fails on the same rule, naming the key. */
  private static void constructorFails(String key, String... kv) {
    ConfigException e = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(HttpSinkConfigTest.props(kv)));
    assertTrue(e.getMessage().contains("`" + key + "`"), e.getMessage());
  }

  @Test
  void aValidConfigHasNoErrors() {
    assertEquals(Map.of(), errors());
    assertEquals(Map.of(), errors("auth.type", "BASIC", "connection.user", "u",
        "connection.password", "p", "batch.json.as.array", "true", "batch.separator", ",",
        "retry.backoff.ms", "1000", "retry.backoff.max.ms", "1000"));
  }

  @Test
  void basicAuthNeedsAUserAndAPassword() {
    onlyError(errors("auth.type", "BASIC", "connection.password", "p"), "connection.user",
        "`auth.type` is BASIC", "set `connection.user`");
    onlyError(errors("auth.type", "basic", "connection.user", "u"), "connection.password",
        "`auth.type` is BASIC", "set `connection.password`");
    Map<String, List<String>> both = errors("auth.type", "BASIC");
    assertEquals(java.util.Set.of("connection.user", "connection.password"), both.keySet());
    constructorFails("connection.password", "auth.type", "BASIC", "connection.user", "u");
  }

  @Test
  void oauth2NeedsTokenUrlClientIdAndSecret() {
    String[] all = {"auth.type", "OAUTH2", "oauth2.token.url", "https://auth.example.com/token",
        "oauth2.client.id", "c", "oauth2.client.secret", "s"};
    assertEquals(Map.of(), errors(all));
    for (int i = 2; i < all.length; i += 2) {
      String[] without = all.clone();
      without[i + 1] = "";
      onlyError(errors(without), all[i], "`auth.type` is OAUTH2", "set `" + all[i] + "`");
      constructorFails(all[i], without);
    }
    onlyError(errors("auth.type", "OAUTH2", "oauth2.token.url", "ftp://auth/x?k=secret",
        "oauth2.client.id", "c", "oauth2.client.secret", "s"), "oauth2.token.url",
        "http:// or https://");
    assertFalse(errors("auth.type", "OAUTH2", "oauth2.token.url", "ftp://auth/x?k=secret")
        .toString().contains("k=secret"));
  }

  @Test
  void jsonArrayBatchesContradictOtherFraming() {
    onlyError(errors("batch.json.as.array", "true", "batch.prefix", "{\"events\":["),
        "batch.prefix", "`batch.json.as.array` is true", "remove `batch.prefix`",
        "set `batch.json.as.array` to false");
    onlyError(errors("batch.json.as.array", "true", "batch.suffix", "]}"), "batch.suffix",
        "remove `batch.suffix`");
    onlyError(errors("batch.json.as.array", "true", "batch.separator", "\n"), "batch.separator",
        "remove `batch.separator`");
    // What the array framing itself uses is no contradiction; without the array, framing is free.
    assertEquals(Map.of(), errors("batch.json.as.array", "true", "batch.prefix", "[",
        "batch.suffix", "]"));
    assertEquals(Map.of(), errors("batch.prefix", "{\"events\":[", "batch.suffix", "]}",
        "batch.separator", "\n", "batch.max.size", "50"));
    constructorFails("batch.prefix", "batch.json.as.array", "true", "batch.prefix", "<");
  }

  @Test
  void theBackoffCapMayNotBeBelowTheBase() {
    onlyError(errors("retry.backoff.ms", "5000", "retry.backoff.max.ms", "1000"),
        "retry.backoff.max.ms", "below `retry.backoff.ms` (5000 ms)", "at least 5000");
    // Confluent's default base (3000) with a base above our default cap (60000)
    onlyError(errors("retry.backoff.ms", "120000"), "retry.backoff.max.ms", "120000");
    constructorFails("retry.backoff.max.ms", "retry.backoff.ms", "5000", "retry.backoff.max.ms", "1");
  }

  @Test
  void deletingNullValuesNeedsTheKeyInTheUrl() {
    onlyError(errors("behavior.on.null.values", "delete"), "behavior.on.null.values",
        "`${key}`", "set `behavior.on.null.values` to ignore or fail");
    assertEquals(Map.of(), errors("behavior.on.null.values", "delete",
        "http.api.url", "https://collect.example.com/users/${key}"));
    constructorFails("behavior.on.null.values", "behavior.on.null.values", "DELETE");
  }

  @Test
  void malformedHeadersAreNamedWithoutTheirValue() {
    Map<String, List<String>> e = errors("headers", "Authorization Bearer s3cr3t");
    onlyError(e, "headers", "`Name:Value`", "header.separator");
    assertFalse(e.toString().contains("s3cr3t"), e.toString());
    assertEquals(Map.of(), errors("headers", "A:1;B:2", "header.separator", ";"));
  }

  @Test
  void aKeyThatFailedItsOwnValidationIsNotCheckedAgain() {
    Map<String, List<String>> e = errors("retry.backoff.ms", "soon", "retry.backoff.max.ms", "1");
    assertEquals(List.of("retry.backoff.ms"), List.copyOf(e.keySet()), e.toString());
    assertFalse(e.get("retry.backoff.ms").toString().contains("retry.backoff.max.ms"), e.toString());
  }
}
