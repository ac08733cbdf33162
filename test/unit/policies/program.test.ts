import { PolicyPackConfig } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../../policies/pack";
import { prodSecrets, registered, ROOT, runProgram, stackConfig } from "../mocks";
import { FakeResource, runPack, Violation } from "./harness";

// The pack against what the real program declares: index.ts under Pulumi's mocks, with a stack
// file's config, and the policy-pack config file of that environment.

/** Runs index.ts under mocks and returns what it registered, as policies see resources. */
async function declaredResources(
  stack: string,
  secrets: Record<string, string> = {},
  override: Record<string, unknown> = {},
): Promise<FakeResource[]> {
  // A built image is pushed by `up`: its digest, as the engine would then return it.
  await runProgram(stack, secrets, override, (r) =>
    r.type === "docker:index/image:Image"
      ? { repoDigest: `${String(r.inputs.imageName)}@sha256:${"ab".repeat(32)}` }
      : {},
  );
  return registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
}

function packConfig(environment: string): PolicyPackConfig {
  const file = path.join(ROOT, "policies", "config", `${environment}.json`);
  return JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
}

function summary(found: Violation[]): [string, string | undefined][] {
  return found.map((v) => [v.policy, v.resource]);
}

describe("the policy pack on the program (index.ts)", () => {
  it("finds nothing in the prod stack with the prod policy config", async () => {
    const resources = await declaredResources("prod", prodSecrets);
    expect(resources.length).toBeGreaterThan(20);
    expect(await runPack(policies, resources, packConfig("prod"))).toEqual([]);
    // A secured stack: the Kafka and edge policies had something to judge.
    const count = (type: string) => resources.filter((r) => r.type === type).length;
    expect(count("pulumi:providers:kafka")).toBe(1);
    expect(count("kafka:index/userScramCredential:UserScramCredential")).toBeGreaterThan(0);
    expect(count("kafka:index/acl:Acl")).toBeGreaterThan(10);
    expect(count("kubernetes:networking.k8s.io/v1:Ingress")).toBe(1);
  });

  it("finds nothing in the local stack with the local policy config", async () => {
    const resources = await declaredResources("local");
    expect(await runPack(policies, resources, packConfig("local"))).toEqual([]);
    // It did look at the local connector class: prod's config refuses its plain-http receiver.
    expect(await runPack(policies, resources, packConfig("prod"))).toContainEqual({
      policy: "http-sink-https-only",
      resource: "tracking-receiver-connector",
      message:
        '`http.api.url` is "http://127.0.0.1:18090/collect" on connector local-receiver-http-sink; it must use https:// (plain http only to none), or events and credentials cross the network unencrypted.',
    });
  });

  it("finds nothing in the dev stack with the dev policy config", async () => {
    const resources = await declaredResources("dev", { analyticsApiKey: "dev-key" });
    expect(await runPack(policies, resources, packConfig("dev"))).toEqual([]);
  });

  it("finds exactly the unsafe settings of a deliberately unsafe prod config", async () => {
    const prod = stackConfig("prod") as { destinations: Record<string, unknown>[] };
    const [analytics, marketing, warehouse] = prod.destinations;
    const destinations = [
      // No retries, 64 tasks and no quota.
      { ...analytics, retries: { maxRetries: 0 }, tasksMax: 64, rateLimit: {} },
      // A credential in a plain header.
      { ...marketing, headers: { Authorization: "Bearer plain-token-5" } },
      // Requests the provider rejects are dropped.
      { ...warehouse, behaviorOnError: "ignore" },
    ];
    const resources = await declaredResources("prod", prodSecrets, {
      destinations,
      topicReplicationFactor: 1,
      topicMinInsyncReplicas: 1,
      restProxyRateLimitEnabled: false,
      restProxyImage: "confluentinc/cp-kafka-rest:latest",
      connectReplicas: 1,
      // Kafka in clear text, ACLs left to chance, and the public edge without TLS.
      kafkaTls: false,
      kafkaManageAcls: false,
      restProxyIngressCertManagerIssuer: "",
    });
    const found = await runPack(policies, resources, packConfig("prod"));

    const topics = [
      "prod.tracking",
      "prod.analytics.dlq",
      "prod.marketing.dlq",
      "prod.warehouse.dlq",
    ];
    expect(summary(found)).toEqual([
      ["http-sink-retries", "tracking-analytics-connector"],
      ["http-sink-error-handling", "tracking-warehouse-connector"],
      ["http-sink-tasks-max", "tracking-analytics-connector"],
      ["http-sink-no-plaintext-credentials", "tracking-marketing-connector"],
      ["connector-secrets-by-reference", "tracking-marketing-connector"],
      ...topics.flatMap((t): [string, string][] => [
        ["kafka-topic-replication", `tracking-topics-${t}`],
        ["kafka-topic-replication", `tracking-topics-${t}`],
      ]),
      ["kafka-tls-and-sasl", "tracking-kafka"],
      ["k8s-image-pinned", "tracking-rest-proxy-deployment"],
      ["http-sink-egress-rate-limit", "tracking-analytics-connector"],
      ["rest-proxy-rate-limit", "tracking-rest-proxy-deployment"],
      ["k8s-high-availability", "tracking-connect-deployment"],
      ["kafka-acls-managed", "tracking-kafka"],
      ["rest-proxy-ingress-tls", "tracking-rest-proxy-ingress"],
    ]);
    expect(found.map((v) => v.message)).toEqual([
      "`max.retries` is 0 on connector prod-analytics-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
      '`behavior.on.error` is "ignore" on connector prod-warehouse-http-sink; it must be one of fail, log, or requests the provider rejects for good are dropped without a trace.',
      "`tasks.max` is 64 on connector prod-analytics-http-sink; it must be between 1 and 16, or the sink sends more parallel requests than the provider is sized for.",
      "`headers` sends `Authorization` with a plaintext value (20 characters) in the plain `config` of connector prod-marketing-http-sink; credentials must be in `secretConfig`, which stays encrypted in state and masked in previews.",
      "`headers` of connector prod-marketing-http-sink holds a value inline (64 characters), not a reference; set `connectSecretsDirectory` (a worker outside Kubernetes) or run Connect on Kubernetes, where the workers read connector secrets from their mounted Secret.",
      ...topics.flatMap((t) => [
        `\`replicationFactor\` is 1 on topic ${t}; it must be at least 3, or losing a broker loses events.`,
        `\`min.insync.replicas\` is 1 on topic ${t}; it must be at least 2, or an acknowledged event can live on a single broker.`,
      ]),
      '`tlsEnabled` is "false" on kafka provider tracking-kafka; it must be true (stack setting `kafkaTls`), or the admin credentials and every topic, user and ACL change cross the network unencrypted.',
      '`image` is "confluentinc/cp-kafka-rest:latest" on container `rest-proxy` of Deployment tracking-rest-proxy; it must name a fixed tag (not latest) or a digest, or each node may run a different build.',
      'Connector prod-analytics-http-sink: no Kafka quota bounds its consumer client id "prod-analytics-http-sink-consumer" (`consumer.override.client.id`), and without one `tasks.max` is 64 (at most 4); declare a kafka Quota (entityType client-id, `consumer_byte_rate`) for that client id or lower the settings, or the sink can send faster than the analytics provider\'s rate limit.',
      '`KAFKA_REST_RATE_LIMIT_ENABLE` is "false" on container `rest-proxy` of Deployment tracking-rest-proxy; it must be "true", or one client can flood Kafka through the proxy.',
      "`spec.replicas` is 1 on Deployment tracking-connect; it must be at least 2, or a node drain or one crash takes it offline.",
      'kafka provider tracking-kafka authenticates as "tracking-admin" with SASL, but the stack declares no kafka Acl; turn on `kafkaManageAcls`, or the principals of the stack have either no access or grants nobody reviews.',
      "`spec.tls` is unset on Ingress tracking-rest-proxy, which routes to Deployment tracking-rest-proxy; set `restProxyIngressTlsSecret` (a kubernetes.io/tls Secret) or `restProxyIngressCertManagerIssuer`, or browsers send events, and the proxy its answers, in clear text.",
    ]);
  });
});
