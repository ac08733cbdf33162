package tracking.platform.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The secured platform's Kafka admin steps, through Kafka's own Admin and consumer clients: it
 * creates topics and literal ACLs before the Connect worker starts, and tests use it to grant,
 * read a topic as the admin, and check that a principal is refused.
 *
 * <p>Usage: {@code KafkaAdminTool <client.properties> <operations.json>}. The properties file
 * holds {@code bootstrap.servers} and the client security settings, the JSON file an array of
 * operations: passwords never appear on the command line. Each operation prints one JSON line on stdout:
 *
 * <ul>
 *   <li>{@code {"op":"createTopic","name","partitions","configs":{}}}: created or already there.
 *   <li>{@code {"op":"grant","principal":"User:x","resourceType":"TOPIC|GROUP","name",
 *       "operations":["READ",...]}}: Literal pattern, host {@code *}, Allow.
 *   <li>{@code {"op":"read","topic","min","timeoutMs"}}: records from the beginning, one line each;
 *       a refusal is printed as {@code {"op":"read","error":<class>}}.
 *   <li>{@code {"op":"check"}}: describes the cluster; prints the error class when refused.
 *   <li>{@code {"op":"scramUser","name","password"}}: creates or updates a SCRAM-SHA-512 user
 *       (Admin API, as {@code UserScramCredential} of the kafka provider does).
 * </ul>
 *
 * <p>The exit status is 0, or 3 when a {@code check} or {@code read} was refused.
 */
public final class KafkaAdminTool {
  private static final ObjectMapper JSON = new ObjectMapper();

  private KafkaAdminTool() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 2) {
      System.err.println("usage: KafkaAdminTool <client.properties> <operations.json>");
      System.exit(2);
    }
    Properties client = new Properties();
    try (InputStream in = new FileInputStream(args[0])) {
      client.load(in);
    }
    JsonNode ops = JSON.readTree(new java.io.File(args[1]));
    int status = 0;
    try (Admin admin = Admin.create(client)) {
      for (JsonNode op : ops) {
        String kind = op.path("op").asText();
        switch (kind) {
          case "createTopic" -> createTopic(admin, op);
          case "grant" -> grant(admin, op);
          case "read" -> status = Math.max(status, read(client, op));
          case "check" -> status = Math.max(status, check(admin));
          case "scramUser" -> scramUser(admin, op);
          default -> throw new IllegalArgumentException("Unknown operation `" + kind + "`");
        }
      }
    }
    System.out.flush();
    System.exit(status);
  }

  private static void createTopic(Admin admin, JsonNode op) throws Exception {
    String name = op.path("name").asText();
    Map<String, String> configs = new HashMap<>();
    op.path("configs").fields().forEachRemaining(e -> configs.put(e.getKey(), e.getValue().asText()));
    NewTopic topic =
        new NewTopic(name, Optional.of(op.path("partitions").asInt(1)), Optional.of((short) 1))
            .configs(configs);
    String outcome = "created";
    try {
      admin.createTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) throw e;
      outcome = "exists";
    }
    print(JSON.createObjectNode().put("op", "createTopic").put("name", name).put("outcome", outcome));
  }

  private static void grant(Admin admin, JsonNode op) throws Exception {
    String principal = op.path("principal").asText();
    ResourcePattern pattern =
        new ResourcePattern(
            ResourceType.fromString(op.path("resourceType").asText()),
            op.path("name").asText(),
            PatternType.LITERAL);
    List<AclBinding> bindings = new ArrayList<>();
    for (JsonNode operation : op.path("operations")) {
      AclOperation acl = AclOperation.fromString(operation.asText());
      if (acl == AclOperation.UNKNOWN || acl == AclOperation.ANY || acl == AclOperation.ALL) {
        throw new IllegalArgumentException("Not a single ACL operation: " + operation.asText());
      }
      bindings.add(
          new AclBinding(
              pattern, new AccessControlEntry(principal, "*", acl, AclPermissionType.ALLOW)));
    }
    admin.createAcls(bindings).all().get(30, TimeUnit.SECONDS);
    print(
        JSON.createObjectNode()
            .put("op", "grant")
            .put("principal", principal)
            .put("resource", pattern.toString())
            .put("count", bindings.size()));
  }

  private static void scramUser(Admin admin, JsonNode op) throws Exception {
    String name = op.path("name").asText();
    UserScramCredentialUpsertion upsert =
        new UserScramCredentialUpsertion(
            name,
            new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 8192),
            op.path("password").asText());
    admin.alterUserScramCredentials(List.of(upsert)).all().get(30, TimeUnit.SECONDS);
    print(JSON.createObjectNode().put("op", "scramUser").put("name", name));
  }

  /** Reads without a consumer group (assign + seek), so only Read/Describe on the topic count. */
  private static int read(Properties client, JsonNode op) {
    try {
      readRecords(client, op);
      return 0;
    } catch (AuthorizationException | AuthenticationException e) {
      print(
          JSON.createObjectNode()
              .put("op", "read")
              .put("error", e.getClass().getName())
              .put("message", e.getMessage()));
      return 3;
    }
  }

  private static void readRecords(Properties client, JsonNode op) {
    String topic = op.path("topic").asText();
    int min = op.path("min").asInt(0);
    long deadline = System.currentTimeMillis() + op.path("timeoutMs").asLong(10_000);
    Properties props = new Properties();
    props.putAll(client);
    props.put("enable.auto.commit", "false");
    int count = 0;
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = new ArrayList<>();
      consumer
          .partitionsFor(topic, Duration.ofSeconds(30))
          .forEach(p -> partitions.add(new TopicPartition(topic, p.partition())));
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          ObjectNode line = JSON.createObjectNode().put("op", "read");
          line.put("partition", r.partition()).put("offset", r.offset());
          line.put("key", text(r.key())).put("value", text(r.value()));
          ObjectNode headers = line.putObject("headers");
          for (Header h : r.headers()) headers.put(h.key(), text(h.value()));
          print(line);
          count++;
        }
        boolean atEnd = partitions.stream().allMatch(p -> consumer.position(p) >= end.get(p));
        if (count >= min && atEnd) break;
      }
    }
  }

  /** 0 when the principal may describe the cluster, 3 with the refusal printed otherwise. */
  private static int check(Admin admin) {
    ObjectNode line = JSON.createObjectNode().put("op", "check");
    try {
      String id = admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS);
      print(line.put("ok", true).put("clusterId", id));
      return 0;
    } catch (Exception e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      print(line.put("ok", false).put("error", cause.getClass().getName()).put("message", cause.getMessage()));
      return 3;
    }
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void print(JsonNode line) throws RuntimeException {
    try {
      System.out.println(JSON.writeValueAsString(line));
    } catch (Exception e) {
      throw new RuntimeException(e);
    }
  }
}
