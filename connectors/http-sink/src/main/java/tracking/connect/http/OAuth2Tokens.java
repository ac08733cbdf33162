package tracking.connect.http;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.connect.errors.RetriableException;

/**
 * OAuth2 client-credentials tokens, as Confluent's `auth.type=OAUTH2`: asked of
 * `oauth2.token.url`, cached until 30 s before `expires_in`, and fetched again after a `401`.
 */
final class OAuth2Tokens {
  private final HttpClient client;
  private final Clock clock;
  private final String tokenUrl;
  private final String clientId;
  private final String clientSecret;
  private final boolean credentialsInHeader;
  private final String scope;
  private final Pattern tokenField;
  private final Duration timeout;
  private String token;
  private Instant expires = Instant.MIN;

  OAuth2Tokens(HttpSinkConfig config, HttpClient client, Clock clock) {
    this.client = client;
    this.clock = clock;
    this.tokenUrl = config.getString(HttpSinkConfig.OAUTH2_TOKEN_URL);
    this.clientId = config.getString(HttpSinkConfig.OAUTH2_CLIENT_ID);
    this.clientSecret = config.secret(HttpSinkConfig.OAUTH2_CLIENT_SECRET);
    this.credentialsInHeader =
        config.lower(HttpSinkConfig.OAUTH2_CLIENT_AUTH_MODE).equals("header");
    this.scope = config.getString(HttpSinkConfig.OAUTH2_CLIENT_SCOPE);
    this.tokenField = stringField(config.getString(HttpSinkConfig.OAUTH2_TOKEN_PROPERTY));
    this.timeout = Duration.ofMillis(config.getInt(HttpSinkConfig.REQUEST_TIMEOUT_MS));
  }

  private static Pattern stringField(String name) {
    return Pattern.compile("\"" + Pattern.quote(name) + "\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
  }

  private static final Pattern EXPIRES_IN = Pattern.compile("\"expires_in\"\\s*:\\s*\"?(\\d+)");

  /** The `Authorization` header value, fetching a token when there is none or it expired. */
  synchronized String authorization() throws InterruptedException {
    if (token == null || !clock.instant().isBefore(expires)) fetch();
    return "Bearer " + token;
  }

  /** Forgets the token (after a 401), so the next request asks for a new one. */
  synchronized void invalidate() {
    token = null;
  }

  private static String form(String key, String value) {
    return URLEncoder.encode(key, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  private void fetch() throws InterruptedException {
    StringBuilder body = new StringBuilder(form("grant_type", "client_credentials"));
    if (!scope.isEmpty()) body.append('&').append(form("scope", scope));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(tokenUrl))
            .timeout(timeout)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json");
    if (credentialsInHeader) {
      String pair = clientId + ":" + clientSecret;
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    } else {
      body.append('&').append(form("client_id", clientId));
      body.append('&').append(form("client_secret", clientSecret));
    }
    request.POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    String where = Redact.url(tokenUrl);
    HttpResponse<String> response;
    try {
      response = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new RetriableException("OAuth2 token request to " + where + " failed: " + e, e);
    }
    if (response.statusCode() / 100 != 2) {
      throw new RetriableException("OAuth2 token request to " + where + " answered HTTP "
          + response.statusCode() + ": " + Redact.excerpt(response.body(), 200));
    }
    Matcher m = tokenField.matcher(response.body());
    if (!m.find()) {
      throw new RetriableException("OAuth2 token response of " + where + " has no string field `"
          + tokenField.pattern().split("\"")[1] + "` (oauth2.token.property)");
    }
    token = m.group(1);
    Matcher e = EXPIRES_IN.matcher(response.body());
    long seconds = e.find() ? Long.parseLong(e.group(1)) : 3600;
    expires = clock.instant().plusSeconds(Math.max(0, seconds - 30));
  }
}
