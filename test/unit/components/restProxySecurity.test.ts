import { RestProxy, RestProxyArgs } from "../../../components/restProxy";
import { isSecret, named, ofType, promiseOf, registered, settled, useMocks } from "../mocks";
import { AWKWARD_PASSWORD, jaasEntries, TEST_CA } from "./securityFixtures";

interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: unknown;
}
interface PodSpec {
  containers: { env: EnvVar[]; volumeMounts: unknown[] }[];
  volumes?: unknown[];
}
interface IngressInputs {
  metadata: { annotations: Record<string, string> };
  spec: {
    tls?: { hosts: string[]; secretName: string }[];
    rules: {
      host: string;
      http: { paths: { path: string; pathType: string; backend: unknown }[] };
    }[];
  };
}

function pod(): PodSpec {
  return (
    named("kubernetes:apps/v1:Deployment", "rp-deployment").inputs as {
      spec: { template: { spec: PodSpec } };
    }
  ).spec.template.spec;
}

function values(env: EnvVar[]): Record<string, string | undefined> {
  return Object.fromEntries(env.map((e) => [e.name, e.value]));
}

function ingress(): IngressInputs {
  return named("kubernetes:networking.k8s.io/v1:Ingress", "rp-ingress")
    .inputs as unknown as IngressInputs;
}

const base = { namespace: "tracking", bootstrapServers: ["k:9093"] };
const kafka: RestProxyArgs["kafka"] = {
  security: { tls: true, mechanism: "scram-sha512", caCertificate: TEST_CA },
  principal: { username: "tracking-rest-proxy", password: AWKWARD_PASSWORD },
};
const edge = {
  ingressHost: "events.example.com",
  ingressTopics: ["prod.tracking", "prod.checkout"],
};

describe("RestProxy on a secured cluster", () => {
  beforeEach(() => useMocks());

  it("configures cp-kafka-rest's clients with Confluent's client.* settings", async () => {
    await settled(new RestProxy("rp", { ...base, kafka }));
    const env = pod().containers[0].env;
    expect(values(env)).toMatchObject({
      KAFKA_REST_CLIENT_SECURITY_PROTOCOL: "SASL_SSL",
      KAFKA_REST_CLIENT_SASL_MECHANISM: "SCRAM-SHA-512",
      KAFKA_REST_CLIENT_SSL_TRUSTSTORE_TYPE: "PEM",
      KAFKA_REST_CLIENT_SSL_TRUSTSTORE_LOCATION: "/etc/kafka-tls/ca.pem",
    });
    expect(jaasEntries(env)).toEqual([
      {
        name: "KAFKA_REST_CLIENT_SASL_JAAS_CONFIG",
        valueFrom: { secretKeyRef: { name: "rp-kafka-credentials", key: "sasl.jaas.config" } },
      },
    ]);
    expect(pod().volumes).toEqual([{ name: "kafka-tls", configMap: { name: "rp-kafka-tls" } }]);
    expect(pod().containers[0].volumeMounts).toEqual([
      { name: "kafka-tls", mountPath: "/etc/kafka-tls", readOnly: true },
    ]);
  });

  it("configures the Strimzi bridge with kafka.* variables, which it reads as properties", async () => {
    await settled(new RestProxy("rp", { ...base, kafka, implementation: "strimzi" }));
    const env = pod().containers[0].env;
    expect(values(env)).toMatchObject({
      "kafka.security.protocol": "SASL_SSL",
      "kafka.sasl.mechanism": "SCRAM-SHA-512",
      "kafka.ssl.truststore.type": "PEM",
      "kafka.ssl.truststore.location": "/etc/kafka-tls/ca.pem",
    });
    expect(jaasEntries(env)).toEqual([
      {
        name: "kafka.sasl.jaas.config",
        valueFrom: { secretKeyRef: { name: "rp-kafka-credentials", key: "sasl.jaas.config" } },
      },
    ]);
    expect(env.filter((e) => e.name.startsWith("KAFKA_REST_"))).toEqual([]);
  });

  it("mounts the bridge's application.properties where its 0.32+ image reads it", async () => {
    await settled(
      new RestProxy("rp", {
        ...base,
        kafka,
        implementation: "strimzi",
        corsOrigins: ["https://shop.example.com"],
      }),
    );
    const data = named("kubernetes:core/v1:ConfigMap", "rp-config").inputs.data as Record<
      string,
      string
    >;
    expect(data["application.properties"]).toBe(
      [
        "kafka.bootstrap.servers=k:9093",
        "kafka.producer.acks=all",
        "kafka.producer.enable.idempotence=true",
        "http.host=0.0.0.0",
        "http.port=8080",
        "http.consumer.enabled=false",
        "http.producer.enabled=true",
        "http.cors.enabled=true",
        "http.cors.allowedOrigins=https://shop.example.com",
        "http.cors.allowedMethods=GET,POST,OPTIONS",
        "",
      ].join("\n"),
    );
    expect(data["log4j2.properties"]).toContain("rootLogger.level = INFO");
    expect(pod().volumes).toContainEqual({
      name: "bridge-config",
      configMap: { name: "rp-config" },
    });
    expect(pod().containers[0].volumeMounts).toContainEqual({
      name: "bridge-config",
      mountPath: "/opt/strimzi/custom-config",
      readOnly: true,
    });
    expect(pod().containers[0].env).toContainEqual({
      name: "bridge.id",
      valueFrom: { fieldRef: { fieldPath: "metadata.name" } },
    });
    // Nothing secret in the ConfigMap: the JAAS line comes from the Secret through the env.
    expect(JSON.stringify(data)).not.toContain("x=1");
  });

  it("keeps the password in the Secret only, as a Pulumi secret", async () => {
    const rp = new RestProxy("rp", { ...base, kafka });
    await settled(rp);
    expect(await isSecret(rp.kafkaCredentials!.stringData)).toBe(true);
    expect((await promiseOf(rp.kafkaCredentials!.stringData))!["sasl.jaas.config"]).toContain(
      'username="tracking-rest-proxy" password="p\\"w\\\\d;x=1 \'y";',
    );
    const elsewhere = registered
      .filter((r) => r.name !== "rp-kafka-credentials")
      .map((r) => JSON.stringify(r.inputs));
    expect(elsewhere.filter((text) => text.includes("x=1"))).toEqual([]);
  });
});

describe("RestProxy's Ingress", () => {
  beforeEach(() => useMocks());

  it("routes one Exact path per tracking topic and nothing else", async () => {
    await settled(new RestProxy("rp", { ...base, ...edge }));
    const [rule] = ingress().spec.rules;
    expect(rule.host).toBe("events.example.com");
    expect(rule.http.paths).toEqual(
      ["/topics/prod.checkout", "/topics/prod.tracking"].map((path) => ({
        path,
        pathType: "Exact",
        backend: { service: { name: "rp", port: { name: "http" } } },
      })),
    );
    expect(ingress().spec.tls).toBeUndefined();
  });

  it("terminates TLS with an existing certificate Secret", async () => {
    await settled(
      new RestProxy("rp", { ...base, ...edge, ingressTls: { secretName: "events-tls" } }),
    );
    expect(ingress().spec.tls).toEqual([
      { hosts: ["events.example.com"], secretName: "events-tls" },
    ]);
    expect(ingress().metadata.annotations).not.toHaveProperty("cert-manager.io/cluster-issuer");
  });

  it("asks cert-manager for the certificate when an issuer is named", async () => {
    await settled(
      new RestProxy("rp", { ...base, ...edge, ingressTls: { clusterIssuer: "letsencrypt-prod" } }),
    );
    expect(ingress().spec.tls).toEqual([{ hosts: ["events.example.com"], secretName: "rp-tls" }]);
    expect(ingress().metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/limit-rps": "50",
      "cert-manager.io/cluster-issuer": "letsencrypt-prod",
    });
  });

  it("adds no snippet or other annotation that ingress-nginx would refuse", async () => {
    await settled(new RestProxy("rp", { ...base, ...edge }));
    expect(Object.keys(ingress().metadata.annotations)).toEqual([
      "nginx.ingress.kubernetes.io/limit-rps",
    ]);
  });

  it("refuses a host without the topics to route, naming the argument", () => {
    expect(() => new RestProxy("rp", { ...base, ingressHost: "events.example.com" })).toThrow(
      "`ingressTopics` must list the tracking topics when `ingressHost` is set: the Ingress routes only `/topics/<name>` of each",
    );
    expect(ofType("kubernetes:networking.k8s.io/v1:Ingress")).toEqual([]);
  });
});
