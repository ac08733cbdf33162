import { ConnectCluster } from "../../../components/connectCluster";
import { isSecret, named, ofType, promiseOf, registered, settled, useMocks } from "../mocks";
import { AWKWARD_PASSWORD, jaasEntries, TEST_CA } from "./securityFixtures";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface PodSpec {
  containers: { env: EnvVar[]; volumeMounts: unknown[] }[];
  volumes: unknown[];
}

function pod(): PodSpec {
  return (
    named("kubernetes:apps/v1:Deployment", "c-deployment").inputs as {
      spec: { template: { spec: PodSpec } };
    }
  ).spec.template.spec;
}

function values(env: EnvVar[]): Record<string, string | undefined> {
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

const base = { namespace: "tracking", environment: "prod", bootstrapServers: ["k:9093"] };
const secured = {
  ...base,
  kafka: {
    security: { tls: true, mechanism: "scram-sha512", caCertificate: TEST_CA } as const,
    principal: { username: "tracking-connect", password: AWKWARD_PASSWORD },
  },
};
const SETS = ["CONNECT_", "CONNECT_PRODUCER_", "CONNECT_CONSUMER_", "CONNECT_ADMIN_"];

describe("ConnectCluster on a secured cluster", () => {
  beforeEach(() => useMocks());

  it("logs the worker and its producer, consumer and admin clients in over SASL_SSL with the mounted CA", async () => {
    await settled(new ConnectCluster("c", secured));
    const env = values(pod().containers[0].env);
    for (const set of SETS) {
      expect([set, env]).toEqual([
        set,
        expect.objectContaining({
          [`${set}SECURITY_PROTOCOL`]: "SASL_SSL",
          [`${set}SASL_MECHANISM`]: "SCRAM-SHA-512",
          [`${set}SSL_TRUSTSTORE_TYPE`]: "PEM",
          [`${set}SSL_TRUSTSTORE_LOCATION`]: "/etc/kafka-tls/ca.pem",
        }),
      ]);
    }
  });

  it("takes every JAAS variable from the credentials Secret, never as a value", async () => {
    await settled(new ConnectCluster("c", secured));
    const jaas = jaasEntries(pod().containers[0].env);
    expect(jaas).toEqual(
      SETS.map((set) => ({
        name: `${set}SASL_JAAS_CONFIG`,
        valueFrom: { secretKeyRef: { name: "c-kafka-credentials", key: "sasl.jaas.config" } },
      })),
    );
  });

  it("holds the workers' JAAS line in a Secret of its own, as a Pulumi secret", async () => {
    const cluster = new ConnectCluster("c", secured);
    await settled(cluster);
    const secret = named("kubernetes:core/v1:Secret", "c-kafka-credentials").inputs as {
      metadata: { name: string; namespace: string };
      type: string;
    };
    expect([secret.metadata.name, secret.metadata.namespace, secret.type]).toEqual([
      "c-kafka-credentials",
      "tracking",
      "Opaque",
    ]);
    expect(await isSecret(cluster.kafkaCredentials!.stringData)).toBe(true);
    expect(await promiseOf(cluster.kafkaCredentials!.stringData)).toEqual({
      "sasl.jaas.config":
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="tracking-connect" password="p\\"w\\\\d;x=1 \'y";',
    });
  });

  it("mounts the CA read-only from a ConfigMap, as a PEM file", async () => {
    await settled(new ConnectCluster("c", secured));
    expect(named("kubernetes:core/v1:ConfigMap", "c-kafka-tls").inputs.data).toEqual({
      "ca.pem": TEST_CA,
    });
    expect(pod().volumes).toContainEqual({ name: "kafka-tls", configMap: { name: "c-kafka-tls" } });
    expect(pod().containers[0].volumeMounts).toContainEqual({
      name: "kafka-tls",
      mountPath: "/etc/kafka-tls",
      readOnly: true,
    });
  });

  it("renders no password in an env value, a ConfigMap or any object but the Secret", async () => {
    await settled(new ConnectCluster("c", secured));
    const env = pod().containers[0].env;
    expect(env.filter((e) => e.value?.includes('p"w'))).toEqual([]);
    const rendered = registered
      .filter((r) => !(r.type === "kubernetes:core/v1:Secret" && r.name === "c-kafka-credentials"))
      .map((r) => JSON.stringify(r.inputs));
    expect(rendered.filter((text) => text.includes("x=1"))).toEqual([]);
    // The check does see the password where it belongs.
    const secret = named("kubernetes:core/v1:Secret", "c-kafka-credentials");
    expect(JSON.stringify(secret.inputs)).toContain("x=1");
  });

  it("sets SSL and trusts the system CAs when TLS comes without a CA", async () => {
    await settled(
      new ConnectCluster("c", { ...base, kafka: { security: { tls: true, mechanism: "none" } } }),
    );
    const env = values(pod().containers[0].env);
    expect(SETS.map((set) => env[`${set}SECURITY_PROTOCOL`])).toEqual(["SSL", "SSL", "SSL", "SSL"]);
    expect(Object.keys(env).filter((k) => /TRUSTSTORE|SASL/.test(k))).toEqual([]);
    expect(ofType("kubernetes:core/v1:ConfigMap")).toEqual([]);
    // No Kafka credentials: only the connectors' secrets, which every cluster has.
    expect(ofType("kubernetes:core/v1:Secret").map((r) => r.name)).toEqual(["c-connector-secrets"]);
  });

  it("adds no security setting to a worker declared without `kafka`", async () => {
    await settled(new ConnectCluster("c", base));
    expect(pod().containers[0].env.filter((e) => /SECURITY|SASL|SSL/.test(e.name))).toEqual([]);
    expect((pod().volumes as { name: string }[]).map((v) => v.name)).toEqual(["connector-secrets"]);
  });

  it("refuses SASL without a principal, naming the argument", () => {
    expect(
      () =>
        new ConnectCluster("c", {
          ...base,
          kafka: { security: { tls: true, mechanism: "scram-sha512" } },
        }),
    ).toThrow(
      '`kafka.principal`: a principal is required when the SASL mechanism is "scram-sha512"; set the client\'s user and password',
    );
  });
});
