import * as pulumi from "@pulumi/pulumi";
import { TrackingPipeline } from "../../../components/trackingPipeline";
import { parseStackConfig } from "../../../config";
import {
  CONNECTOR_TYPE,
  named,
  ofType,
  prodSecrets,
  registered,
  runProgram,
  settled,
  useMocks,
} from "../mocks";
import { TEST_CA } from "./securityFixtures";

function settingsOf(raw: Record<string, unknown>) {
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
}

const securedSettings = {
  kafkaBootstrapServers: ["k:9093"],
  kafkaTls: true,
  kafkaTlsCaCertificate: TEST_CA,
  kafkaSaslMechanism: "scram-sha512",
  kafkaSaslUsername: "admin",
  kafkaRestProxyUsername: "rest-proxy",
  kafkaConnectUsername: "connect",
  kafkaManageUsers: true,
  kafkaManageAcls: true,
  restProxyIngressHost: "events.example.com",
  restProxyIngressTlsSecret: "events-tls",
  destinations: [
    { name: "amp", url: "https://collect.example.com/e", topics: ["tracking"] },
    {
      name: "crm",
      url: "https://crm.example.com/e",
      topics: ["tracking"],
      kafkaPrincipal: { username: "crm-sink", passwordSecret: "crmKafkaPassword" },
    },
  ],
};

const secrets = {
  kafkaSaslPassword: "admin-pw-1",
  kafkaRestProxyPassword: "rest-pw-2",
  kafkaConnectPassword: "connect-pw-3",
  crmKafkaPassword: "crm-pw-4",
};

/**
 * Every registered input as text, with Pulumi secrets (SCRAM passwords, the provider's admin
 * password) shown as "[secret]", and without the Secrets and the connectors' secret config.
 */
function plainInputs(): string {
  const replacer = (_: string, v: unknown) =>
    v && typeof v === "object" && pulumi.runtime.isRpcSecret(v) ? "[secret]" : v;
  return JSON.stringify(
    registered.map((r) => {
      if (r.type === "kubernetes:core/v1:Secret") return {};
      const { secretConfig: _s, connectSecrets: _c, __provider: _p, ...rest } = r.inputs;
      return rest;
    }),
    replacer,
  );
}

function pipeline(overrides: Record<string, unknown> = {}) {
  return new TrackingPipeline("tracking", {
    environment: "dev",
    settings: settingsOf({ ...securedSettings, ...overrides }),
    secrets,
  });
}

describe("TrackingPipeline on a secured cluster", () => {
  beforeEach(() => useMocks());

  it("creates the SCRAM users and ACLs of every role through the kafka provider's admin", async () => {
    const p = pipeline();
    await settled(p);
    expect(p.access).toBeDefined();
    expect(named("tracking:kafka:KafkaAccess", "tracking-access")).toBeDefined();
    expect(
      ofType("kafka:index/userScramCredential:UserScramCredential")
        .map((u) => u.inputs.username)
        .sort(),
    ).toEqual(["connect", "crm-sink", "rest-proxy"]);
    const grants = p.access!.grants.map(
      (g) => `${g.principal} ${g.resourceType}:${g.resourceName} ${g.operation}`,
    );
    expect(grants).toEqual(
      expect.arrayContaining([
        "User:rest-proxy Topic:dev.tracking Write",
        "User:connect Topic:dev.connect-configs Write",
        "User:connect Group:dev-tracking-connect Read",
        "User:connect Group:connect-dev-amp-http-sink Read",
        "User:crm-sink Group:connect-dev-crm-http-sink Read",
        "User:crm-sink Topic:dev.crm.dlq Write",
      ]),
    );
    expect(ofType("kafka:index/acl:Acl")).toHaveLength(p.access!.grants.length);
    expect(named("pulumi:providers:kafka", "tracking-kafka").inputs).toMatchObject({
      // Provider inputs reach the engine as strings.
      tlsEnabled: "true",
      caCert: TEST_CA,
      saslMechanism: "scram-sha512",
      saslUsername: "admin",
    });
  });

  it("logs each client in as its own principal", async () => {
    await settled(pipeline());
    const envOf = (deployment: string) =>
      (
        named("kubernetes:apps/v1:Deployment", deployment).inputs as {
          spec: {
            template: { spec: { containers: { env: { name: string; valueFrom?: unknown }[] }[] } };
          };
        }
      ).spec.template.spec.containers[0].env;
    expect(
      envOf("tracking-connect-deployment").find((e) => e.name === "CONNECT_SASL_JAAS_CONFIG"),
    ).toEqual({
      name: "CONNECT_SASL_JAAS_CONFIG",
      valueFrom: {
        secretKeyRef: { name: "tracking-connect-kafka-credentials", key: "sasl.jaas.config" },
      },
    });
    expect(
      envOf("tracking-rest-proxy-deployment").find(
        (e) => e.name === "KAFKA_REST_CLIENT_SASL_JAAS_CONFIG",
      ),
    ).toEqual({
      name: "KAFKA_REST_CLIENT_SASL_JAAS_CONFIG",
      valueFrom: {
        secretKeyRef: { name: "tracking-rest-proxy-kafka-credentials", key: "sasl.jaas.config" },
      },
    });
    const config = (name: string) =>
      named(CONNECTOR_TYPE, name).inputs.config as Record<string, string>;
    expect(config("tracking-crm-connector")).toMatchObject({
      "consumer.override.security.protocol": "SASL_SSL",
      "producer.override.sasl.mechanism": "SCRAM-SHA-512",
    });
    expect(Object.keys(config("tracking-amp-connector")).filter((k) => k.includes("sasl"))).toEqual(
      [],
    );
  });

  it("routes only the tracking topic at the edge, over TLS", async () => {
    await settled(pipeline());
    const ingress = named("kubernetes:networking.k8s.io/v1:Ingress", "tracking-rest-proxy-ingress")
      .inputs as {
      spec: { tls: unknown; rules: { http: { paths: { path: string; pathType: string }[] } }[] };
    };
    expect(ingress.spec.rules[0].http.paths.map((p) => [p.path, p.pathType])).toEqual([
      ["/topics/dev.tracking", "Exact"],
    ]);
    expect(ingress.spec.tls).toEqual([{ hosts: ["events.example.com"], secretName: "events-tls" }]);
  });

  // A hand edit of a stack-owned Secret must not stop the next `up` on a server-side-apply
  // field conflict: the stack takes the key back (test/e2e/kubernetes.test.ts proves it live).
  it("applies every Secret it owns with patchForce", async () => {
    await settled(
      new TrackingPipeline("tracking", {
        environment: "dev",
        settings: settingsOf({
          ...securedSettings,
          connectBasicAuthUsername: "ops",
          destinations: [
            {
              ...securedSettings.destinations[1],
              auth: { type: "basic", username: "w", passwordSecret: "crmHttpPassword" },
            },
          ],
        }),
        secrets: { ...secrets, connectBasicAuthPassword: "ops-pw-5", crmHttpPassword: "http-pw-6" },
      }),
    );
    const owned = ofType("kubernetes:core/v1:Secret").map((r) => ({
      name: r.name,
      annotations: (r.inputs as { metadata: { annotations?: Record<string, string> } }).metadata
        .annotations,
    }));
    expect(owned.map((o) => o.name).sort()).toEqual([
      "tracking-connect-connector-secrets",
      "tracking-connect-kafka-credentials",
      "tracking-connect-rest-auth",
      "tracking-rest-proxy-kafka-credentials",
    ]);
    for (const o of owned)
      expect(o).toEqual({ name: o.name, annotations: { "pulumi.com/patchForce": "true" } });
  });

  it("keeps every Kafka password out of plain inputs", async () => {
    await settled(pipeline());
    const text = plainInputs();
    for (const value of Object.values(secrets))
      expect([value, text.includes(value)]).toEqual([value, false]);
  });

  it.each([
    ["neither users nor ACLs are managed", { kafkaManageUsers: false, kafkaManageAcls: false }],
    [
      "SASL is off",
      {
        kafkaSaslMechanism: "none",
        kafkaSaslUsername: "",
        kafkaRestProxyUsername: "",
        kafkaConnectUsername: "",
        kafkaManageUsers: false,
        kafkaManageAcls: false,
        destinations: [securedSettings.destinations[0]],
      },
    ],
  ])("declares no Kafka access when %s", async (_, overrides) => {
    const p = pipeline(overrides);
    await settled(p);
    expect(p.access).toBeUndefined();
    expect(ofType("kafka:index/acl:Acl")).toEqual([]);
  });
});

describe("the prod stack file", () => {
  const prodKafkaSecrets = {
    ...prodSecrets,
    kafkaSaslPassword: "admin-pw-5",
    kafkaRestProxyPassword: "rest-pw-6",
    kafkaConnectPassword: "connect-pw-7",
    warehouseKafkaPassword: "warehouse-pw-8",
  };

  it("is a secured example: SCRAM users, ACLs, Ingress TLS, and no password in plain inputs", async () => {
    await runProgram("prod", prodKafkaSecrets);
    expect(
      ofType("kafka:index/userScramCredential:UserScramCredential")
        .map((u) => u.inputs.username)
        .sort(),
    ).toEqual(["tracking-connect", "tracking-rest-proxy", "tracking-warehouse"]);
    expect(ofType("kafka:index/acl:Acl").length).toBeGreaterThan(10);
    const ingress = named("kubernetes:networking.k8s.io/v1:Ingress", "tracking-rest-proxy-ingress")
      .inputs as {
      metadata: { annotations: Record<string, string> };
      spec: { tls: unknown };
    };
    expect(ingress.spec.tls).toEqual([
      { hosts: ["events.example.com"], secretName: "tracking-rest-proxy-tls" },
    ]);
    expect(ingress.metadata.annotations["cert-manager.io/cluster-issuer"]).toBe("letsencrypt-prod");
    // The passwords the kafka plugin is given reach it as Pulumi secrets.
    const passwords = [
      named("pulumi:providers:kafka", "tracking-kafka").inputs.saslPassword,
      ...ofType("kafka:index/userScramCredential:UserScramCredential").map(
        (u) => u.inputs.password,
      ),
    ];
    expect(passwords.map((p) => pulumi.runtime.isRpcSecret(p))).toEqual(passwords.map(() => true));
    const text = plainInputs();
    for (const value of Object.values(prodKafkaSecrets)) {
      expect([value, text.includes(value)]).toEqual([value, false]);
    }
  });
});
