import { heapFor, RestProxy } from "../../components/restProxy";
import { named, ofType, promiseOf, settled, useMocks } from "./mocks";

type Env = { name: string; value?: string; valueFrom?: unknown }[];
interface Container {
  image: string;
  env: Env;
  ports: { containerPort: number }[];
  readinessProbe: { httpGet: { path: string } };
  livenessProbe: { httpGet: { path: string } };
  resources: unknown;
  securityContext: Record<string, unknown>;
  command?: string[];
}

function container(): Container {
  const deployment = named("kubernetes:apps/v1:Deployment", "rp-deployment").inputs as {
    spec: { template: { spec: { containers: Container[] } } };
  };
  return deployment.spec.template.spec.containers[0];
}

function envOf(c: Container): Record<string, string | undefined> {
  return Object.fromEntries(c.env.map((e) => [e.name, e.value]));
}

describe("RestProxy", () => {
  beforeEach(() => useMocks());

  it("deploys cp-kafka-rest with its Service, PDB and autoscaler by default", async () => {
    const rp = new RestProxy("rp", { namespace: "tracking", bootstrapServers: ["k:9092"] });
    await settled(rp);
    expect(ofType("kubernetes:apps/v1:Deployment")).toHaveLength(1);
    expect(ofType("kubernetes:core/v1:Service")).toHaveLength(1);
    expect(ofType("kubernetes:policy/v1:PodDisruptionBudget")).toHaveLength(1);
    expect(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(1);
    expect(ofType("kubernetes:networking.k8s.io/v1:Ingress")).toHaveLength(0);
    const c = container();
    expect(c.image).toBe("confluentinc/cp-kafka-rest:7.9.1");
    expect(c.ports).toEqual([{ name: "http", containerPort: 8082 }]);
    expect(envOf(c)).toMatchObject({
      KAFKA_REST_BOOTSTRAP_SERVERS: "k:9092",
      KAFKA_REST_LISTENERS: "http://0.0.0.0:8082",
      KAFKA_REST_PRODUCER_ACKS: "all",
      KAFKA_REST_RATE_LIMIT_ENABLE: "true",
      KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC: "50",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_ENABLED: "true",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_REQUESTS_PER_SEC: "10000",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_BYTES_PER_SEC: "10485760",
      KAFKAREST_HEAP_OPTS: "-Xmx512m",
    });
    expect(c.env.find((e) => e.name === "KAFKA_REST_HOST_NAME")).toEqual({
      name: "KAFKA_REST_HOST_NAME",
      valueFrom: { fieldRef: { fieldPath: "status.podIP" } },
    });
    expect(envOf(c)).not.toHaveProperty("KAFKA_REST_ACCESS_CONTROL_ALLOW_ORIGIN");
    expect(c.readinessProbe.httpGet.path).toBe("/");
    expect(c.resources).toEqual({
      requests: { cpu: "250m", memory: "512Mi" },
      limits: { memory: "1Gi" },
    });
    expect(c.securityContext).toMatchObject({
      runAsNonRoot: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ["ALL"] },
    });
    const hpa = named("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "rp-hpa").inputs as {
      spec: { minReplicas: number; maxReplicas: number };
    };
    expect([hpa.spec.minReplicas, hpa.spec.maxReplicas]).toEqual([2, 6]);
    expect(await promiseOf(rp.endpoint)).toBe("http://rp.tracking.svc:8082");
  });

  it("labels every object and spreads pods across nodes", async () => {
    const rp = new RestProxy("rp", { namespace: "tracking", bootstrapServers: ["k:9092"] });
    await settled(rp);
    for (const r of ofType("kubernetes:apps/v1:Deployment").concat(
      ofType("kubernetes:core/v1:Service"),
    )) {
      expect((r.inputs.metadata as { labels: Record<string, string> }).labels).toEqual({
        "app.kubernetes.io/name": "rest-proxy",
        "app.kubernetes.io/instance": "rp",
        "app.kubernetes.io/component": "ingest",
        "app.kubernetes.io/part-of": "tracking-pipeline",
        "app.kubernetes.io/managed-by": "pulumi",
      });
    }
    const spec = (
      named("kubernetes:apps/v1:Deployment", "rp-deployment").inputs as {
        spec: { template: { spec: { topologySpreadConstraints: { topologyKey: string }[] } } };
      }
    ).spec.template.spec;
    expect(spec.topologySpreadConstraints[0].topologyKey).toBe("kubernetes.io/hostname");
  });

  it("maps CORS, rate limits, ingress and resources", async () => {
    const rp = new RestProxy("rp", {
      namespace: "tracking",
      bootstrapServers: ["a:9092", "b:9092"],
      replicas: 3,
      maxReplicas: 3,
      corsOrigins: ["https://shop.example.com"],
      rateLimit: { enabled: true, permitsPerSecond: 200, timeoutMs: 10 },
      produceRateLimit: { enabled: false, maxRequestsPerSecond: 5, maxBytesPerSecond: 2048 },
      ingressHost: "events.example.com",
      ingressTopics: ["dev.tracking"],
      memoryLimit: "2Gi",
    });
    await settled(rp);
    expect(envOf(container())).toMatchObject({
      KAFKA_REST_BOOTSTRAP_SERVERS: "a:9092,b:9092",
      KAFKA_REST_ACCESS_CONTROL_ALLOW_ORIGIN: "https://shop.example.com",
      KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC: "200",
      KAFKA_REST_RATE_LIMIT_TIMEOUT_MS: "10",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_ENABLED: "false",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_REQUESTS_PER_SEC: "5",
      KAFKA_REST_API_V3_PRODUCE_RATE_LIMIT_MAX_BYTES_PER_SEC: "2048",
      KAFKAREST_HEAP_OPTS: "-Xmx1024m",
    });
    expect(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(0);
    const ingress = named("kubernetes:networking.k8s.io/v1:Ingress", "rp-ingress").inputs as {
      metadata: { annotations: Record<string, string> };
      spec: { ingressClassName: string; rules: { host: string }[] };
    };
    expect(ingress.spec.rules[0].host).toBe("events.example.com");
    expect(ingress.spec.ingressClassName).toBe("nginx");
    expect(ingress.metadata.annotations).toEqual({
      "nginx.ingress.kubernetes.io/limit-rps": "200",
    });
  });

  it("deploys the Strimzi HTTP bridge instead when asked", async () => {
    const rp = new RestProxy("rp", {
      namespace: "tracking",
      bootstrapServers: ["k:9092"],
      implementation: "strimzi",
      corsOrigins: ["https://shop.example.com"],
    });
    await settled(rp);
    const c = container();
    expect(c.image).toBe("quay.io/strimzi/kafka-bridge:0.33.1");
    expect(c.ports).toEqual([{ name: "http", containerPort: 8080 }]);
    expect(c.readinessProbe.httpGet.path).toBe("/ready");
    expect(c.livenessProbe.httpGet.path).toBe("/healthy");
    expect(envOf(c)).toMatchObject({
      KAFKA_BRIDGE_BOOTSTRAP_SERVERS: "k:9092",
      KAFKA_BRIDGE_HTTP_PORT: "8080",
      KAFKA_BRIDGE_CORS_ENABLED: "true",
      KAFKA_BRIDGE_CORS_ALLOWED_ORIGINS: "https://shop.example.com",
    });
    expect(envOf(c)).not.toHaveProperty("KAFKA_REST_BOOTSTRAP_SERVERS");
    expect(await promiseOf(rp.endpoint)).toBe("http://rp.tracking.svc:8080");
  });

  it.each([
    ["1Gi", "512m"],
    ["3Gi", "1536m"],
    ["1.5Gi", "768m"],
    ["2048Mi", "1024m"],
    ["1048576Ki", "512m"],
    ["1G", "476m"],
    ["2000M", "953m"],
    ["1500000k", "715m"],
    ["1073741824", "512m"],
    ["1e9", "476m"],
    ["1.5E9", "715m"],
    ["0.001Ti", "524m"],
    ["1T", "476837m"],
    ["1Ti", "524288m"],
    ["200Mi", "128m"],
  ])("sizes the heap of a %s limit at half of it: %s", (limit, heap) => {
    expect(heapFor(limit)).toBe(heap);
  });

  it.each(["500m", "1g", "1GB", "1 Gi", "-1Gi", "Gi", "0", "0.5", "1Zi", ""])(
    "refuses a memory limit of %p instead of guessing a heap",
    (limit) => {
      expect(() => heapFor(limit)).toThrow(
        `\`memoryLimit\` must be a Kubernetes memory quantity of at least one byte, such as "512Mi", "1.5Gi", "1G" or "1073741824" ("m" is for CPU) (got "${limit}")`,
      );
    },
  );

  it("fails on the component, naming the argument, when the memory limit is not a quantity", () => {
    expect(
      () =>
        new RestProxy("rp", {
          namespace: "tracking",
          bootstrapServers: ["k:9092"],
          memoryLimit: "512m",
        }),
    ).toThrow("`memoryLimit` must be a Kubernetes memory quantity");
  });

  it("leaves the replica count to the autoscaler, which starts from `replicas`", async () => {
    const rp = new RestProxy("rp", {
      namespace: "tracking",
      bootstrapServers: ["k:9092"],
      replicas: 3,
      maxReplicas: 10,
    });
    await settled(rp);
    const spec = named("kubernetes:apps/v1:Deployment", "rp-deployment").inputs.spec as object;
    expect(spec).not.toHaveProperty("replicas");
    const hpa = named("kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "rp-hpa").inputs as {
      spec: { minReplicas: number; maxReplicas: number; scaleTargetRef: unknown };
    };
    expect(hpa.spec).toMatchObject({
      minReplicas: 3,
      maxReplicas: 10,
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "rp" },
    });
  });

  it("declares the replica count when there is no autoscaler", async () => {
    const rp = new RestProxy("rp", {
      namespace: "tracking",
      bootstrapServers: ["k:9092"],
      replicas: 3,
      maxReplicas: 3,
    });
    await settled(rp);
    expect(ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")).toHaveLength(0);
    const spec = named("kubernetes:apps/v1:Deployment", "rp-deployment").inputs.spec;
    expect(spec).toMatchObject({ replicas: 3 });
  });
});
