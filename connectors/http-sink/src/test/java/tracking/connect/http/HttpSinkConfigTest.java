package tracking.connect.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class HttpSinkConfigTest {
  static Map<String, String> props(String... kv) {
    Map<String, String> m = new HashMap<>();
    m.put("http.api.url", "https://collect.example.com/e");
    for (int i = 0; i < kv.length; i += 2) m.put(kv[i], kv[i + 1]);
    return m;
  }

  @Test
  void keepsFramingTextAsGivenWhereConnectWouldTrimIt() {
    HttpSinkConfig c =
        new HttpSinkConfig(props("batch.separator", "\n", "batch.prefix", " ", "batch.suffix", "\n"));
    // What ConfigDef makes of them: trimmed to nothing.
    assertEquals("", c.getString("batch.separator"));
    assertEquals("\n", c.framing("batch.separator"));
    assertEquals(" ", c.framing("batch.prefix"));
    assertEquals("\n", c.framing("batch.suffix"));
    assertEquals(",", new HttpSinkConfig(props()).framing("batch.separator"));
  }

  @Test
  void sharedKeysHaveConfluentsDefaults() {
    HttpSinkConfig c = new HttpSinkConfig(props());
    assertEquals(1, c.getInt("batch.max.size"));
    assertEquals(10, c.getInt("max.retries"));
    assertEquals(3000, c.getInt("retry.backoff.ms"));
    assertEquals("EXPONENTIAL_WITH_JITTER", c.getString("retry.backoff.policy"));
    assertEquals("400-", c.getString("retry.on.status.codes"));
    assertEquals("fail", c.getString("behavior.on.error"));
    assertEquals("ignore", c.getString("behavior.on.null.values"));
    assertEquals("NONE", c.getString("auth.type"));
    assertEquals("POST", c.getString("request.method"));
    assertEquals(30000, c.getInt("http.request.timeout.ms"));
    assertEquals("Idempotency-Key", c.getString("idempotency.key.header"));
    assertEquals("none", c.getString("request.body.compression"));
  }

  @Test
  void secretsArePasswordTyped() {
    for (String key : new String[] {"connection.password", "oauth2.client.secret", "headers"}) {
      assertEquals(ConfigDef.Type.PASSWORD, HttpSinkConfig.DEF.configKeys().get(key).type, key);
    }
  }

  @Test
  void validationNamesTheKey() {
    ConfigException bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("http.api.url", "ftp://x/y")));
    assertTrue(bad.getMessage().contains("http.api.url"), bad.getMessage());
    bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("retry.on.status.codes", "429,abc")));
    assertTrue(bad.getMessage().contains("retry.on.status.codes"), bad.getMessage());
    bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("request.body.compression", "zstd")));
    assertTrue(bad.getMessage().contains("request.body.compression"), bad.getMessage());
    bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("auth.type", "OAUTH2", "oauth2.client.id", "c")));
    assertTrue(bad.getMessage().contains("oauth2.token.url"), bad.getMessage());
    bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("idempotency.key.header", "Bad Header")));
    assertTrue(bad.getMessage().contains("idempotency.key.header"), bad.getMessage());
  }

  @Test
  void aMissingUrlIsOneValidationError() {
    java.util.List<String> errors = HttpSinkConfig.DEF.validate(new HashMap<>()).stream()
        .filter(v -> v.name().equals("http.api.url"))
        .findFirst().orElseThrow().errorMessages();
    assertEquals(1, errors.size(), errors.toString());
  }

  @Test
  void aMalformedHeaderListNeverEchoesItsValue() {
    ConfigException bad = assertThrows(ConfigException.class,
        () -> new HttpSinkConfig(props("headers", "Authorization Bearer s3cr3t")));
    assertTrue(bad.getMessage().contains("headers"), bad.getMessage());
    assertFalse(bad.getMessage().contains("s3cr3t"), bad.getMessage());
  }

  @Test
  void readsErrorsToleranceFromTheConnectorConfig() {
    assertTrue(new HttpSinkConfig(props("errors.tolerance", "all")).deadLetterOnFailure());
    assertFalse(new HttpSinkConfig(props("errors.tolerance", "none")).deadLetterOnFailure());
    assertFalse(new HttpSinkConfig(props()).deadLetterOnFailure());
  }

  @Test
  void versionIsThePomVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    Matcher m = Pattern.compile("<artifactId>tracking-http-sink</artifactId>\\s*<version>([^<]+)</version>")
        .matcher(pom);
    assertTrue(m.find());
    assertEquals(m.group(1), new HttpSinkConnector().version());
  }

  @Test
  void redactsCredentialsFromUrls() {
    assertEquals("https://api.example.com:8443/v1/e?…",
        Redact.url("https://user:pw@api.example.com:8443/v1/e?api_key=abc#x"));
  }
}
