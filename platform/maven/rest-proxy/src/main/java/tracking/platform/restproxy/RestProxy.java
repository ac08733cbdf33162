package tracking.platform.restproxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of Confluent REST Proxy that the pipeline uses, with its wire format: v2 produce
 * (`POST /topics/{topic}`, `application/vnd.kafka.json.v2+json`) and v3 topic admin. It stands in
 * locally because neither Confluent REST Proxy nor the Strimzi bridge is served by the registry
 * this project can reach.
 *
 * <p>Config file keys: `listeners` (http://host:port), `bootstrap.servers`, `cluster.id`, and, as
 * cp-kafka-rest reads them, `client.*` (prefix stripped) for every Kafka client, then `producer.*`
 * and `admin.*` for one client each (these win over `client.*`). So a secured cluster is configured
 * with `client.security.protocol`, `client.sasl.mechanism`, `client.sasl.jaas.config`,
 * `client.ssl.truststore.type`/`location`/`certificates`, exactly as for Confluent's proxy.
 *
 * <p>Kafka's refusals are answered as Confluent's are: an authorization failure is HTTP 403 with
 * `error_code` 40301, an authentication failure 401 with 40101; a refused produce sends nothing.
 *
 * <p>Confluent's request rate limit ({@link RateLimit}: `rate.limit.enable`,
 * `rate.limit.permits.per.sec`, `rate.limit.timeout.ms`; over it HTTP 429, nothing sent to Kafka)
 * applies to every request but `GET /`, which probes ask. Every request is counted in Confluent's
 * HTTP request metrics ({@link RequestMetrics}, MBeans `kafka.rest:type=jersey-metrics,*`).
 */
public final class RestProxy {
  private static final Logger log = LoggerFactory.getLogger(RestProxy.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String V2_JSON = "application/vnd.kafka.json.v2+json";
  private static final String V2 = "application/vnd.kafka.v2+json";
  private static final Pattern TOPIC_PATH = Pattern.compile("^/topics/([A-Za-z0-9._-]+)/?$");
  private static final Pattern V3_TOPICS =
      Pattern.compile("^/v3/clusters/([^/]+)/topics(?:/([A-Za-z0-9._-]+))?/?$");

  private final KafkaProducer<byte[], byte[]> producer;
  private final Admin admin;
  private final String clusterId;
  private final long metadataTimeoutMs;
  private final Map<String, Long> knownTopics = new ConcurrentHashMap<>();
  private final RateLimit rateLimit;
  private final RequestMetrics requestMetrics = new RequestMetrics();

  private RestProxy(Properties config) {
    // Checked first: a bad value stops the start before any Kafka client exists.
    rateLimit = RateLimit.fromConfig(config);
    String bootstrap = required(config, "bootstrap.servers");
    clusterId = config.getProperty("cluster.id", "local");
    Properties producerProps = prefixed(config, "client.");
    producerProps.putAll(prefixed(config, "producer."));
    producerProps.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    // cp-kafka-rest forces this off whatever the config says (its KREST-4606); so does the stand-in.
    producerProps.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "false");
    producerProps.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, "1");
    // A missing topic must fail the request in seconds, not hang it for the 60 s default.
    producerProps.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, "10000");
    metadataTimeoutMs = Long.parseLong(producerProps.getProperty(ProducerConfig.MAX_BLOCK_MS_CONFIG));
    producer =
        new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer());
    Properties adminProps = prefixed(config, "client.");
    adminProps.putAll(prefixed(config, "admin."));
    adminProps.put("bootstrap.servers", bootstrap);
    admin = Admin.create(adminProps);
  }

  public static void main(String[] args) throws Exception {
    if (args.length != 1) {
      System.err.println("usage: RestProxy <config.properties>");
      System.exit(2);
    }
    Properties config = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      config.load(in);
    }
    String listener = required(config, "listeners");
    Matcher m = Pattern.compile("^http://([^:/]+):(\\d+)/?$").matcher(listener);
    if (!m.matches()) {
      throw new IllegalArgumentException("`listeners` must look like http://127.0.0.1:18080 (got " + listener + ")");
    }
    RestProxy proxy = new RestProxy(config);
    HttpServer server =
        HttpServer.create(new InetSocketAddress(m.group(1), Integer.parseInt(m.group(2))), 128);
    server.setExecutor(Executors.newFixedThreadPool(16));
    server.createContext("/", proxy::handle);
    server.start();
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.stop(0);
                  proxy.producer.close();
                  proxy.admin.close();
                  proxy.requestMetrics.close();
                }));
    log.info(
        "REST proxy listening on {} (request rate limit: {})", listener, proxy.rateLimit.describe());
  }

  /** Every request: the rate limit, then its route; counted in the metrics whatever the answer. */
  private void handle(HttpExchange ex) throws IOException {
    long started = System.nanoTime();
    try {
      if (rateLimit.admits(ex.getRequestMethod(), ex.getRequestURI().getPath())) {
        route(ex);
      } else {
        error(ex, 429, 429, RateLimit.EXCEEDED_MESSAGE);
      }
    } finally {
      requestMetrics.record(ex.getResponseCode(), System.nanoTime() - started);
      ex.close();
    }
  }

  private void route(HttpExchange ex) throws IOException {
    try {
      String path = ex.getRequestURI().getPath();
      String method = ex.getRequestMethod();
      Matcher topic = TOPIC_PATH.matcher(path);
      Matcher v3 = V3_TOPICS.matcher(path);
      if (path.equals("/") && method.equals("GET")) {
        // Confluent answers `{}` here; Kubernetes probes rely on it.
        send(ex, 200, JSON.createObjectNode(), V2);
      } else if (path.equals("/topics") && method.equals("GET")) {
        ArrayNode names = JSON.createArrayNode();
        admin.listTopics().names().get(metadataTimeoutMs, TimeUnit.MILLISECONDS).stream()
            .sorted()
            .forEach(names::add);
        send(ex, 200, names, V2);
      } else if (topic.matches() && method.equals("POST")) {
        produce(ex, topic.group(1));
      } else if (path.equals("/v3/clusters") && method.equals("GET")) {
        ObjectNode cluster = JSON.createObjectNode().put("cluster_id", clusterId);
        ObjectNode body = JSON.createObjectNode().put("kind", "KafkaClusterList");
        body.putArray("data").add(cluster);
        send(ex, 200, body, "application/json");
      } else if (v3.matches()) {
        topicsV3(ex, method, v3.group(1), v3.group(2));
      } else {
        error(ex, 404, 404, "HTTP 404 Not Found");
      }
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      if (cause instanceof AuthenticationException) {
        log.warn("Request {} {}: Kafka refused the proxy's credentials: {}", ex.getRequestMethod(), ex.getRequestURI(), cause.getMessage());
        error(ex, 401, ErrorCodes.KAFKA_AUTHENTICATION_ERROR, cause.getMessage());
      } else if (cause instanceof AuthorizationException) {
        log.warn("Request {} {}: not authorized: {}", ex.getRequestMethod(), ex.getRequestURI(), cause.getMessage());
        error(ex, 403, ErrorCodes.KAFKA_AUTHORIZATION_ERROR, cause.getMessage());
      } else {
        log.error("Request {} {} failed", ex.getRequestMethod(), ex.getRequestURI(), e);
        error(ex, 500, 500, e.toString());
      }
    }
  }

  private void produce(HttpExchange ex, String topic) throws Exception {
    String contentType =
        Optional.ofNullable(ex.getRequestHeaders().getFirst("Content-Type")).orElse("");
    if (!contentType.split(";")[0].trim().equalsIgnoreCase(V2_JSON)) {
      error(ex, 415, 415, "HTTP 415 Unsupported Media Type: use Content-Type " + V2_JSON);
      return;
    }
    JsonNode body;
    try {
      body = JSON.readTree(ex.getRequestBody());
    } catch (JsonProcessingException e) {
      error(ex, 400, 400, "Malformed JSON: " + e.getOriginalMessage());
      return;
    }
    if (body == null || !body.isObject() || !body.path("records").isArray()) {
      error(ex, 422, 422, "The request body must be an object with a `records` array");
      return;
    }
    ArrayNode records = (ArrayNode) body.get("records");
    for (JsonNode record : records) {
      if (!record.isObject() || !record.has("value") && !record.has("key")) {
        error(ex, 422, 422, "Each record must be an object with a `value` (and optional `key`)");
        return;
      }
    }
    Optional<Exception> refused = Optional.empty();
    try {
      if (!topicExists(topic)) {
        error(ex, 404, 40401, "Topic " + topic + " not found.");
        return;
      }
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof AuthorizationException || e.getCause() instanceof AuthenticationException)) throw e;
      // Without Describe on the topic the proxy may not even learn whether it exists. Confluent's
      // producer fails each record with this error; the stand-in sends none at all.
      refused = Optional.of((Exception) e.getCause());
    }
    if (refused.isPresent()) {
      log.warn("Produce to {} refused: {}", topic, refused.get().getMessage());
      ObjectNode response = JSON.createObjectNode();
      ArrayNode offsets = response.putArray("offsets");
      for (int i = 0; i < records.size(); i++) {
        offsets.addObject().putNull("partition").putNull("offset")
            .put("error_code", ErrorCodes.of(refused.get())).put("error", refused.get().getMessage());
      }
      response.putNull("key_schema_id").putNull("value_schema_id");
      send(ex, ErrorCodes.produceStatus(offsets), response, V2);
      return;
    }
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (JsonNode record : records) {
      // As cp-kafka-rest's JSON v2 format: a JSON null (or no field) is a null key or value,
      // so `"value": null` with a key is a real tombstone, not the four bytes `null`.
      byte[] key = jsonOrNull(record.get("key"));
      byte[] value = jsonOrNull(record.get("value"));
      Integer partition = record.has("partition") ? record.get("partition").asInt() : null;
      sent.add(producer.send(new ProducerRecord<>(topic, partition, key, value)));
    }
    ObjectNode response = JSON.createObjectNode();
    ArrayNode offsets = response.putArray("offsets");
    for (Future<RecordMetadata> future : sent) {
      ObjectNode offset = offsets.addObject();
      try {
        RecordMetadata meta = future.get();
        offset.put("partition", meta.partition()).put("offset", meta.offset());
        offset.putNull("error_code").putNull("error");
      } catch (ExecutionException e) {
        // Confluent reports per-record failures in the body, with its codes for each kind.
        offset.putNull("partition").putNull("offset");
        offset.put("error_code", ErrorCodes.of(e.getCause())).put("error", e.getCause().getMessage());
      }
    }
    response.putNull("key_schema_id").putNull("value_schema_id");
    send(ex, ErrorCodes.produceStatus(offsets), response, V2);
  }

  /**
   * Asks the admin client rather than the producer: a producer waits max.block.ms for a topic that
   * does not exist, the admin client answers at once. A positive answer is cached briefly.
   */
  private boolean topicExists(String topic) throws Exception {
    Long until = knownTopics.get(topic);
    if (until != null && until > System.currentTimeMillis()) return true;
    try {
      admin.describeTopics(List.of(topic)).allTopicNames().get(metadataTimeoutMs, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof UnknownTopicOrPartitionException) {
        knownTopics.remove(topic);
        return false;
      }
      throw e;
    }
    knownTopics.put(topic, System.currentTimeMillis() + 10_000);
    return true;
  }

  private void topicsV3(HttpExchange ex, String method, String cluster, String name)
      throws Exception {
    if (!cluster.equals(clusterId)) {
      error(ex, 404, 404, "Cluster " + cluster + " not found (this proxy serves " + clusterId + ")");
      return;
    }
    if (name == null && method.equals("GET")) {
      ObjectNode body = JSON.createObjectNode().put("kind", "KafkaTopicList");
      ArrayNode data = body.putArray("data");
      Set<String> names = admin.listTopics().names().get(metadataTimeoutMs, TimeUnit.MILLISECONDS);
      names.stream().sorted().forEach(n -> data.addObject().put("topic_name", n));
      send(ex, 200, body, "application/json");
    } else if (name == null && method.equals("POST")) {
      JsonNode body;
      try {
        body = JSON.readTree(ex.getRequestBody());
      } catch (JsonProcessingException e) {
        error(ex, 400, 400, "Malformed JSON: " + e.getOriginalMessage());
        return;
      }
      String topic = body.path("topic_name").asText("");
      if (topic.isEmpty()) {
        error(ex, 400, 400, "`topic_name` is required");
        return;
      }
      NewTopic newTopic =
          new NewTopic(
              topic,
              Optional.of(body.path("partitions_count").asInt(1)),
              Optional.of((short) body.path("replication_factor").asInt(1)));
      Map<String, String> configs = new java.util.HashMap<>();
      for (JsonNode c : body.path("configs")) configs.put(c.path("name").asText(), c.path("value").asText());
      newTopic.configs(configs);
      try {
        admin.createTopics(List.of(newTopic)).all().get(metadataTimeoutMs, TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof TopicExistsException) {
          error(ex, 400, 40002, "Topic '" + topic + "' already exists.");
          return;
        }
        throw e;
      }
      ObjectNode out = JSON.createObjectNode().put("kind", "KafkaTopic");
      out.put("cluster_id", clusterId).put("topic_name", topic);
      out.put("partitions_count", body.path("partitions_count").asInt(1));
      send(ex, 201, out, "application/json");
    } else if (name != null && method.equals("DELETE")) {
      try {
        admin.deleteTopics(List.of(name)).all().get(metadataTimeoutMs, TimeUnit.MILLISECONDS);
        knownTopics.remove(name);
      } catch (ExecutionException e) {
        if (e.getCause() instanceof UnknownTopicOrPartitionException) {
          error(ex, 404, 40403, "This server does not host this topic-partition.");
          return;
        }
        throw e;
      }
      ex.sendResponseHeaders(204, -1);
    } else {
      error(ex, 405, 405, "HTTP 405 Method Not Allowed");
    }
  }

  private static void error(HttpExchange ex, int status, int code, String message)
      throws IOException {
    send(ex, status, JSON.createObjectNode().put("error_code", code).put("message", message), V2);
  }

  private static void send(HttpExchange ex, int status, JsonNode body, String contentType)
      throws IOException {
    byte[] bytes = JSON.writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", contentType);
    ex.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static String required(Properties config, String key) {
    String value = config.getProperty(key);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("`" + key + "` is required in the REST proxy config");
    }
    return value.trim();
  }

  private static Properties prefixed(Properties config, String prefix) {
    Properties out = new Properties();
    for (String key : config.stringPropertyNames()) {
      if (key.startsWith(prefix)) out.put(key.substring(prefix.length()), config.getProperty(key));
    }
    return out;
  }

  private static byte[] jsonOrNull(JsonNode node) throws IOException {
    return node == null || node.isNull() ? null : JSON.writeValueAsBytes(node);
  }
}
