import * as pulumi from "@pulumi/pulumi";
import { ConnectCluster } from "../../components/connectCluster";
import { isSecret, named, ofType, promiseOf, settled, useMocks } from "./mocks";

interface Container {
  image: string;
  env: { name: string; value?: string; valueFrom?: unknown }[];
  readinessProbe: Record<string, unknown>;
  volumeMounts: unknown[];
  resources: unknown;
}

function deploymentSpec() {
  return (
    named("kubernetes:apps/v1:Deployment", "c-deployment").inputs as {
      spec: {
        replicas: number;
        template: { spec: { containers: Container[]; volumes: unknown[] } };
      };
    }
  ).spec;
}

function envOf(c: Container): Record<string, string | undefined> {
  return Object.fromEntries(c.env.map((e) => [e.name, e.value]));
}

const base = { namespace: "tracking", environment: "dev", bootstrapServers: ["k:9092"] };

describe("ConnectCluster", () => {
  beforeEach(() => useMocks());

  it("keeps min.insync.replicas one below the replication factor, at most 2", async () => {
    for (const [rf, isr] of [
      [1, "1"],
      [3, "2"],
      [5, "2"],
    ] as const) {
      await useMocks();
      const cluster = new ConnectCluster("c", { ...base, internalTopicReplicationFactor: rf });
      await settled(cluster);
      const configs = ofType("kafka:index/topic:Topic").map(
        (t) => (t.inputs.config as Record<string, string>)["min.insync.replicas"],
      );
      expect([rf, configs]).toEqual([rf, [isr, isr, isr]]);
    }
  });

  it("declares the three internal topics as compacted topics", async () => {
    const cluster = new ConnectCluster("c", { ...base, internalTopicReplicationFactor: 2 });
    await settled(cluster);
    const topics = ofType("kafka:index/topic:Topic").map((t) => t.inputs);
    expect(topics).toEqual([
      {
        name: "dev.connect-configs",
        partitions: 1,
        replicationFactor: 2,
        config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
      },
      {
        name: "dev.connect-offsets",
        partitions: 25,
        replicationFactor: 2,
        config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
      },
      {
        name: "dev.connect-status",
        partitions: 5,
        replicationFactor: 2,
        config: { "cleanup.policy": "compact", "min.insync.replicas": "1" },
      },
    ]);
  });

  it("protects the internal topics from deletion by default", async () => {
    const cluster = new ConnectCluster("c", base);
    await settled(cluster);
    expect(ofType("kafka:index/topic:Topic").map((t) => [t.inputs.name, t.protect])).toEqual([
      ["dev.connect-configs", true],
      ["dev.connect-offsets", true],
      ["dev.connect-status", true],
    ]);
    expect(named("kubernetes:apps/v1:Deployment", "c-deployment").protect).toBe(false);
  });

  it("leaves the internal topics unprotected when asked, for throw-away stacks", async () => {
    const cluster = new ConnectCluster("c", { ...base, protect: false });
    await settled(cluster);
    expect(ofType("kafka:index/topic:Topic").map((t) => t.protect)).toEqual([false, false, false]);
  });

  it("configures the workers through CONNECT_* variables", async () => {
    const cluster = new ConnectCluster("c", base);
    await settled(cluster);
    const spec = deploymentSpec();
    const c = spec.template.spec.containers[0];
    expect(spec.replicas).toBe(2);
    expect(c.image).toBe("confluentinc/cp-kafka-connect:7.9.1");
    expect(envOf(c)).toMatchObject({
      CONNECT_BOOTSTRAP_SERVERS: "k:9092",
      CONNECT_GROUP_ID: "dev-tracking-connect",
      CONNECT_CONFIG_STORAGE_TOPIC: "dev.connect-configs",
      CONNECT_OFFSET_STORAGE_TOPIC: "dev.connect-offsets",
      CONNECT_STATUS_STORAGE_TOPIC: "dev.connect-status",
      CONNECT_CONFIG_STORAGE_REPLICATION_FACTOR: "3",
      CONNECT_KEY_CONVERTER: "org.apache.kafka.connect.storage.StringConverter",
      CONNECT_VALUE_CONVERTER: "org.apache.kafka.connect.storage.StringConverter",
      CONNECT_CONNECTOR_CLIENT_CONFIG_OVERRIDE_POLICY: "All",
      KAFKA_HEAP_OPTS: "-Xms1g -Xmx1g",
    });
    expect(c.env.find((e) => e.name === "CONNECT_REST_ADVERTISED_HOST_NAME")?.valueFrom).toEqual({
      fieldRef: { fieldPath: "status.podIP" },
    });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/", port: "rest" } });
    expect(c.resources).toEqual({
      requests: { cpu: "500m", memory: "1536Mi" },
      limits: { memory: "2Gi" },
    });
    // Only the connectors' secrets (none yet), mounted where the workers' provider reads them.
    expect(ofType("kubernetes:core/v1:Secret").map((s) => s.name)).toEqual(["c-connector-secrets"]);
    expect(envOf(c)).toMatchObject({
      CONNECT_CONFIG_PROVIDERS: "dir",
      CONNECT_CONFIG_PROVIDERS_DIR_CLASS:
        "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
      CONNECT_CONFIG_PROVIDERS_DIR_PARAM_ALLOWED_PATHS: "/etc/tracking/connector-secrets",
    });
    expect(c.volumeMounts).toContainEqual({
      name: "connector-secrets",
      mountPath: "/etc/tracking/connector-secrets",
      readOnly: true,
    });
    expect(spec.template.spec.volumes).toContainEqual({
      name: "connector-secrets",
      secret: { secretName: "c-connector-secrets", defaultMode: 0o440 },
    });
    expect(ofType("kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(1);
    expect(await promiseOf(cluster.endpoint)).toBe("http://c.tracking.svc:8083");
  });

  it("admits REST callers only from the workers and the allowed CIDRs", async () => {
    const cluster = new ConnectCluster("c", { ...base, allowedCidrs: ["10.0.0.0/8"] });
    await settled(cluster);
    const policy = named("kubernetes:networking.k8s.io/v1:NetworkPolicy", "c-rest-access")
      .inputs as {
      spec: { policyTypes: string[]; ingress: { from: unknown[]; ports: unknown[] }[] };
    };
    expect(policy.spec.policyTypes).toEqual(["Ingress"]);
    expect(policy.spec.ingress).toEqual([
      {
        from: [
          {
            podSelector: {
              matchLabels: {
                "app.kubernetes.io/name": "kafka-connect",
                "app.kubernetes.io/instance": "c",
              },
            },
          },
          { ipBlock: { cidr: "10.0.0.0/8" } },
        ],
        ports: [{ protocol: "TCP", port: 8083 }],
      },
    ]);
  });

  it("turns on basic auth with the password kept in a Kubernetes Secret", async () => {
    const cluster = new ConnectCluster("c", {
      ...base,
      basicAuth: { username: "ops", password: pulumi.secret("pw-123") },
    });
    await settled(cluster);
    const c = deploymentSpec().template.spec.containers[0];
    expect(envOf(c)).toMatchObject({
      CONNECT_REST_EXTENSION_CLASSES:
        "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension",
      KAFKA_OPTS: "-Djava.security.auth.login.config=/etc/kafka-connect-auth/jaas.conf",
    });
    expect(JSON.stringify(c)).not.toContain("pw-123");
    expect(c.readinessProbe).toHaveProperty("exec");
    expect(await isSecret(cluster.authSecret!.stringData)).toBe(true);
    const data = await promiseOf(cluster.authSecret!.stringData);
    expect(data["users.properties"]).toBe("ops: pw-123\n");
  });
});
