import { restProxyRateLimit } from "../../../../policies/kubernetes/rateLimit";
import { bridge, firstContainer, restProxy, restProxyIngress, stackWith } from "../fixtures";
import { edit, validateStack } from "../harness";

describe("rest-proxy-rate-limit", () => {
  const flood = "or one client can flood Kafka through the proxy.";

  function withEnv(name: string, value: string | undefined) {
    return edit(restProxy, (d) => {
      const env = firstContainer(d).env!.filter((e) => e.name !== name);
      firstContainer(d).env = value === undefined ? env : [...env, { name, value }];
    });
  }

  it("reports the REST Proxy limiter switched off", async () => {
    const proxy = withEnv("KAFKA_REST_RATE_LIMIT_ENABLE", "false");
    expect(await validateStack(restProxyRateLimit, stackWith(restProxy, proxy))).toEqual([
      {
        policy: "rest-proxy-rate-limit",
        resource: "tracking-rest-proxy-deployment",
        message: `\`KAFKA_REST_RATE_LIMIT_ENABLE\` is "false" on container \`rest-proxy\` of Deployment tracking-rest-proxy; it must be "true", ${flood}`,
      },
    ]);
  });

  it("reports the REST Proxy limiter left at its default (off)", async () => {
    const proxy = withEnv("KAFKA_REST_RATE_LIMIT_ENABLE", undefined);
    expect(
      (await validateStack(restProxyRateLimit, stackWith(restProxy, proxy))).map((v) => v.message),
    ).toEqual([
      `\`KAFKA_REST_RATE_LIMIT_ENABLE\` is unset (REST Proxy default false) on container \`rest-proxy\` of Deployment tracking-rest-proxy; it must be "true", ${flood}`,
    ]);
  });

  it("leaves alone a limiter set from a ConfigMap, which it cannot read", async () => {
    const proxy = edit(restProxy, (d) => {
      const env = firstContainer(d).env!.filter((e) => e.name !== "KAFKA_REST_RATE_LIMIT_ENABLE");
      firstContainer(d).env = [
        ...env,
        {
          name: "KAFKA_REST_RATE_LIMIT_ENABLE",
          valueFrom: { configMapKeyRef: { name: "rest-proxy", key: "rate-limit" } },
        },
      ];
    });
    expect(await validateStack(restProxyRateLimit, stackWith(restProxy, proxy))).toEqual([]);
  });

  it("reports permits per second above the ceiling", async () => {
    const proxy = withEnv("KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC", "5000");
    expect(
      (await validateStack(restProxyRateLimit, stackWith(restProxy, proxy))).map((v) => v.message),
    ).toEqual([
      `\`KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC\` is 5000 on container \`rest-proxy\` of Deployment tracking-rest-proxy; it must be between 1 and 1000 requests per second per pod, ${flood}`,
    ]);
  });

  it("reports an Ingress limit above the ceiling, against the Ingress", async () => {
    const ingress = edit(restProxyIngress, (i) => {
      i.metadata!.annotations = { "nginx.ingress.kubernetes.io/limit-rps": "5000" };
    });
    expect(await validateStack(restProxyRateLimit, stackWith(restProxyIngress, ingress))).toEqual([
      {
        policy: "rest-proxy-rate-limit",
        resource: "tracking-rest-proxy-ingress",
        message: `\`nginx.ingress.kubernetes.io/limit-rps\` is 5000 on Ingress tracking-rest-proxy, which routes to Deployment tracking-rest-proxy; it must be between 1 and 1000, ${flood}`,
      },
    ]);
  });

  it("passes the Strimzi bridge behind a rate-limited Ingress", async () => {
    expect(await validateStack(restProxyRateLimit, stackWith(restProxy, bridge))).toEqual([]);
  });

  it("reports the Strimzi bridge behind an Ingress without a limit", async () => {
    const ingress = edit(restProxyIngress, (i) => (i.metadata!.annotations = {}));
    const stack = stackWith(restProxy, bridge).map((r) => (r === restProxyIngress ? ingress : r));
    expect((await validateStack(restProxyRateLimit, stack)).map((v) => v.message)).toEqual([
      `\`nginx.ingress.kubernetes.io/limit-rps\` is unset on Ingress tracking-rest-proxy, which routes to Deployment tracking-rest-proxy (image "quay.io/strimzi/kafka-bridge:0.33.1", no rate limiter of its own); it must be between 1 and 1000, ${flood}`,
    ]);
  });

  it("reports the Strimzi bridge with no Ingress in front", async () => {
    const stack = stackWith(restProxy, bridge).filter((r) => r !== restProxyIngress);
    expect((await validateStack(restProxyRateLimit, stack)).map((v) => v.message)).toEqual([
      `Deployment tracking-rest-proxy runs "quay.io/strimzi/kafka-bridge:0.33.1", which has no rate limiter of its own, and no Ingress with \`nginx.ingress.kubernetes.io/limit-rps\` routes to it; route it through one (at most 1000 requests per second per client), ${flood}`,
    ]);
  });
});
