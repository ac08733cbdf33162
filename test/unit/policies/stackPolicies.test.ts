import {
  connectInternalTopicsCompacted,
  connectorDeadLetterTopicDeclared,
  connectorTopicsDeclared,
  connectRestNetworkPolicy,
  httpSinkEgressRateLimit,
  k8sHighAvailability,
  restProxyRateLimit,
  stackPolicies,
} from "../../../policies/stack";
import {
  analyticsDlq,
  analyticsQuota,
  bridge,
  camelSink,
  confluentSink,
  connect,
  connectNetworkPolicy,
  connectOffsets,
  connectPdb,
  firstContainer,
  restProxy,
  restProxyIngress,
  restProxyPdb,
  safeStack,
  stackWith,
  trackingTopic,
} from "./fixtures";
import { edit, validateStack } from "./harness";

it.each(stackPolicies.map((p) => [p.name, p] as const))(
  "%s passes the safe stack",
  async (_, policy) => {
    expect(await validateStack(policy, safeStack)).toEqual([]);
  },
);

describe("http-sink-egress-rate-limit", () => {
  const flood =
    "declare a kafka Quota (entityType client-id, `consumer_byte_rate`) for that client id or lower the settings, or the sink can send faster than the analytics provider's rate limit.";

  it("reports a sink with many tasks and no quota, against the connector", async () => {
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "64"));
    const stack = stackWith(analyticsQuota).map((r) => (r === confluentSink ? sink : r));
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toEqual([
      {
        policy: "http-sink-egress-rate-limit",
        resource: "tracking-analytics-connector",
        message: `Connector prod-analytics-http-sink: no Kafka quota bounds its consumer client id "prod-analytics-http-sink-consumer" (\`consumer.override.client.id\`), and without one \`tasks.max\` is 64 (at most 4); ${flood}`,
      },
    ]);
  });

  it("accepts a sink without a quota when tasks, batch and poll sizes are small", async () => {
    expect(await validateStack(httpSinkEgressRateLimit, stackWith(analyticsQuota))).toEqual([]);
  });

  it("reports a Camel aggregation above the ceiling when there is no quota", async () => {
    const quota = safeStack.find((r) => r.name === "tracking-receiver-egress")!;
    const sink = edit(camelSink, (p) => (p.config["camel.aggregation.size"] = "1000"));
    const stack = stackWith(quota).map((r) => (r === camelSink ? sink : r));
    expect((await validateStack(httpSinkEgressRateLimit, stack)).map((v) => v.message)).toEqual([
      `Connector prod-receiver-http-sink: no Kafka quota bounds its consumer client id "prod-receiver-http-sink-consumer" (\`consumer.override.client.id\`), and without one \`camel.aggregation.size\` is 1000 (at most 500); ${flood}`,
    ]);
  });

  it("reports a sink without a client id, so that no quota can apply", async () => {
    const sink = edit(confluentSink, (p) => {
      delete p.config["consumer.override.client.id"];
      p.config["consumer.override.max.poll.records"] = "5000";
    });
    const stack = stackWith(analyticsQuota).map((r) => (r === confluentSink ? sink : r));
    expect((await validateStack(httpSinkEgressRateLimit, stack)).map((v) => v.message)).toEqual([
      `Connector prod-analytics-http-sink: it sets no \`consumer.override.client.id\`, so no Kafka quota bounds its consumer, and without one \`consumer.override.max.poll.records\` is 5000 (at most 500); ${flood}`,
    ]);
  });

  it("reports a quota whose byte rate is above the ceiling, against the quota", async () => {
    const quota = edit(analyticsQuota, (p) => (p.config = { consumer_byte_rate: "104857600" }));
    expect(await validateStack(httpSinkEgressRateLimit, stackWith(analyticsQuota, quota))).toEqual([
      {
        policy: "http-sink-egress-rate-limit",
        resource: "tracking-analytics-egress",
        message:
          '`consumer_byte_rate` is 104857600 on the quota of client id "prod-analytics-http-sink-consumer" that bounds connector prod-analytics-http-sink; it must be between 1 and 52428800 bytes per second, or the sink can send faster than the analytics provider accepts.',
      },
    ]);
  });

  it("does not count a quota without consumer_byte_rate", async () => {
    const quota = edit(analyticsQuota, (p) => (p.config = { producer_byte_rate: "1024" }));
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "8"));
    const stack = stackWith(analyticsQuota, quota).map((r) => (r === confluentSink ? sink : r));
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toHaveLength(1);
  });

  it("counts the default client-id quota for every client id", async () => {
    const defaultQuota = edit(analyticsQuota, (p) => delete p.entityName);
    const sink = edit(confluentSink, (p) => (p.config["tasks.max"] = "8"));
    const stack = stackWith(analyticsQuota, defaultQuota).map((r) =>
      r === confluentSink ? sink : r,
    );
    expect(await validateStack(httpSinkEgressRateLimit, stack)).toEqual([]);
  });
});

describe("connector-topics-declared", () => {
  it("reports a source topic no Topic declares", async () => {
    const sink = edit(confluentSink, (p) => (p.config.topics = "prod.tracking, prod.orders"));
    expect(await validateStack(connectorTopicsDeclared, stackWith(confluentSink, sink))).toEqual([
      {
        policy: "connector-topics-declared",
        resource: "tracking-analytics-connector",
        message:
          '`topics` of connector prod-analytics-http-sink names "prod.orders", which no kafka Topic in this stack declares; declare it or fix the name, or the sink reads a topic whose durability this stack does not control, or none at all.',
      },
    ]);
  });

  it("reports a topic missing from the stack", async () => {
    const found = await validateStack(connectorTopicsDeclared, stackWith(trackingTopic));
    expect(found.map((v) => v.resource)).toEqual([
      "tracking-analytics-connector",
      "tracking-receiver-connector",
    ]);
  });

  it("accepts topics the policy config lists as external", async () => {
    const sink = edit(confluentSink, (p) => (p.config.topics = "prod.orders"));
    const stack = stackWith(confluentSink, sink);
    expect(
      await validateStack(connectorTopicsDeclared, stack, { externalTopics: ["prod.orders"] }),
    ).toEqual([]);
  });

  it("checks topics.regex against the declared topics", async () => {
    const matching = edit(confluentSink, (p) => {
      delete p.config.topics;
      p.config["topics.regex"] = "prod\\.track.*";
    });
    const none = edit(matching, (p) => (p.config["topics.regex"] = "dev\\..*"));
    expect(
      await validateStack(connectorTopicsDeclared, stackWith(confluentSink, matching)),
    ).toEqual([]);
    expect(
      (await validateStack(connectorTopicsDeclared, stackWith(confluentSink, none))).map(
        (v) => v.message,
      ),
    ).toEqual([
      '`topics.regex` is "dev\\\\..*" on connector prod-analytics-http-sink and matches no kafka Topic in this stack; declare the topics or fix the pattern, or the sink reads a topic whose durability this stack does not control, or none at all.',
    ]);
  });
});

describe("connector-dead-letter-topic-declared", () => {
  it("reports a dead-letter topic no Topic declares", async () => {
    expect(await validateStack(connectorDeadLetterTopicDeclared, stackWith(analyticsDlq))).toEqual([
      {
        policy: "connector-dead-letter-topic-declared",
        resource: "tracking-analytics-connector",
        message:
          '`errors.deadletterqueue.topic.name` is "prod.analytics.dlq" on connector prod-analytics-http-sink, but no kafka Topic in this stack declares it; declare it, or the worker creates it on the first failed event with broker defaults for retention and durability.',
      },
    ]);
  });
});

describe("connect-internal-topics-compacted", () => {
  const rule =
    'it must be "compact", or Kafka deletes connector configs and offsets after `retention.ms` and sinks re-send or skip events.';

  it("reports an internal topic that deletes, against the topic", async () => {
    const topic = edit(connectOffsets, (p) => (p.config!["cleanup.policy"] = "compact,delete"));
    expect(
      await validateStack(connectInternalTopicsCompacted, stackWith(connectOffsets, topic)),
    ).toEqual([
      {
        policy: "connect-internal-topics-compacted",
        resource: "tracking-connect-offsets",
        message: `\`cleanup.policy\` is "compact,delete" on topic prod.connect-offsets, a Kafka Connect internal topic; ${rule}`,
      },
    ]);
  });

  it("reports an internal topic the worker names but the stack does not declare", async () => {
    expect(await validateStack(connectInternalTopicsCompacted, stackWith(connectOffsets))).toEqual([
      {
        policy: "connect-internal-topics-compacted",
        resource: "tracking-connect-deployment",
        message:
          'Topic prod.connect-offsets (`CONNECT_OFFSET_STORAGE_TOPIC` of Deployment tracking-connect, which holds sink offsets) is not declared in this stack; declare it with `cleanup.policy` "compact", so that its durability is set here and not by the worker\'s auto-creation.',
      },
    ]);
  });

  it("recognises internal topics by name when no worker is declared", async () => {
    const topic = edit(connectOffsets, (p) => delete p.config!["cleanup.policy"]);
    const stack = stackWith(connectOffsets, topic).filter((r) => r !== connect);
    expect(
      (await validateStack(connectInternalTopicsCompacted, stack)).map((v) => v.message),
    ).toEqual([
      `\`cleanup.policy\` is unset (broker default delete) on topic prod.connect-offsets, a Kafka Connect internal topic; ${rule}`,
    ]);
  });
});

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

describe("k8s-high-availability", () => {
  it("reports too few replicas", async () => {
    const proxy = edit(restProxy, (d) => (d.spec!.replicas = 1));
    expect(await validateStack(k8sHighAvailability, stackWith(restProxy, proxy))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-rest-proxy-deployment",
        message:
          "`spec.replicas` is 1 on Deployment tracking-rest-proxy; it must be at least 2, or a node drain or one crash takes it offline.",
      },
    ]);
  });

  it("reports replicas left at the Kubernetes default", async () => {
    const proxy = edit(connect, (d) => delete d.spec!.replicas);
    expect(
      (await validateStack(k8sHighAvailability, stackWith(connect, proxy))).map((v) => v.message),
    ).toEqual([
      "`spec.replicas` is unset (Kubernetes default 1) on Deployment tracking-connect; it must be at least 2, or a node drain or one crash takes it offline.",
    ]);
  });

  it("accepts one replica with the dev threshold", async () => {
    const proxy = edit(restProxy, (d) => (d.spec!.replicas = 1));
    const stack = stackWith(restProxy, proxy);
    expect(await validateStack(k8sHighAvailability, stack, { minReplicas: 1 })).toEqual([]);
  });

  it("reports a workload no PodDisruptionBudget selects", async () => {
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-connect-deployment",
        message:
          "No PodDisruptionBudget selects the pods of Deployment tracking-connect; declare one (for example `maxUnavailable: 1`), or a node drain can evict every replica at once.",
      },
    ]);
  });

  it("does not count a PodDisruptionBudget in another namespace", async () => {
    const elsewhere = edit(connectPdb, (p) => (p.metadata!.namespace = "other"));
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb, elsewhere))).toHaveLength(
      1,
    );
  });

  it("reports a PodDisruptionBudget that blocks every eviction, against the budget", async () => {
    const blocking = edit(
      restProxyPdb,
      (p) => (p.spec = { ...p.spec, maxUnavailable: undefined, minAvailable: 3 }),
    );
    expect(await validateStack(k8sHighAvailability, stackWith(restProxyPdb, blocking))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-rest-proxy-pdb",
        message:
          "PodDisruptionBudget tracking-rest-proxy allows no voluntary eviction of the pods of Deployment tracking-rest-proxy (`minAvailable` 3 with 3 replicas); it must allow at least one, or node drains and cluster upgrades hang.",
      },
    ]);
  });

  it("matches PodDisruptionBudget selectors with expressions", async () => {
    const byExpression = edit(connectPdb, (p) => {
      p.spec!.selector = {
        matchExpressions: [
          { key: "app.kubernetes.io/name", operator: "In", values: ["kafka-connect"] },
        ],
      };
    });
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb, byExpression))).toEqual(
      [],
    );
  });
});

describe("connect-rest-network-policy", () => {
  it("reports Connect without a NetworkPolicy", async () => {
    expect(await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy))).toEqual([
      {
        policy: "connect-rest-network-policy",
        resource: "tracking-connect-deployment",
        message:
          "No NetworkPolicy restricts ingress to the pods of Deployment tracking-connect; declare one that admits only the workers and the deployer, or anything in the cluster can create connectors and read their config through the Connect REST API.",
      },
    ]);
  });

  it.each<[string, Record<string, unknown>[] | undefined, string]>([
    ["a rule without from", undefined, "an ingress rule without `from`"],
    ["0.0.0.0/0", [{ ipBlock: { cidr: "0.0.0.0/0" } }], "`ipBlock` 0.0.0.0/0"],
    [
      "an empty namespaceSelector",
      [{ namespaceSelector: {} }],
      "an empty `namespaceSelector` (every pod of every namespace)",
    ],
  ])("reports a NetworkPolicy that admits everyone through %s", async (_, from, why) => {
    const open = edit(connectNetworkPolicy, (n) => {
      n.spec!.ingress = [{ ...(from ? { from } : {}), ports: [{ protocol: "TCP", port: 8083 }] }];
    });
    expect(
      await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, open)),
    ).toEqual([
      {
        policy: "connect-rest-network-policy",
        resource: "tracking-connect-rest-access",
        message: `NetworkPolicy tracking-connect admits every source to the pods of Deployment tracking-connect (${why}); it must admit only the workers and the deployer, or anything can reach the Connect REST API.`,
      },
    ]);
  });

  it("does not count a policy that governs only egress", async () => {
    const egress = edit(connectNetworkPolicy, (n) => (n.spec!.policyTypes = ["Egress"]));
    expect(
      await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, egress)),
    ).toHaveLength(1);
  });
});
