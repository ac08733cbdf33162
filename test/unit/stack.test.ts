import * as pulumi from "@pulumi/pulumi";
import {
  CONNECTOR_TYPE,
  isSecret,
  ofType,
  prodSecrets,
  promiseOf,
  registered,
  runProgram,
  stackConfig,
  useMocks,
} from "./mocks";

/** The REST Proxy's declared replicas with its autoscaler's bounds, and Connect's replicas. */
function replicasOf() {
  const replicas = (name: string) =>
    (
      ofType("kubernetes:apps/v1:Deployment").find((d) => d.name === name)?.inputs.spec as {
        replicas?: number;
      }
    ).replicas;
  const hpa = ofType("kubernetes:autoscaling/v2:HorizontalPodAutoscaler")[0]?.inputs.spec as {
    minReplicas: number;
    maxReplicas: number;
  };
  return {
    restProxy: [replicas("tracking-rest-proxy-deployment"), hpa.minReplicas, hpa.maxReplicas],
    connect: replicas("tracking-connect-deployment"),
  };
}

describe("the whole stack (index.ts)", () => {
  it("declares the local stack: topics and a sink on our own connector", async () => {
    const program = await runProgram("local");
    expect(await promiseOf(program.topicNames)).toEqual(["local.tracking"]);
    expect(await promiseOf(program.connectorNames)).toEqual(["local-receiver-http-sink"]);
    expect(await promiseOf(program.connectEndpoint)).toBe("http://127.0.0.1:18083");
    expect(await promiseOf(program.restProxyEndpoint)).toBe("http://127.0.0.1:18080");
    expect(ofType("kubernetes:apps/v1:Deployment")).toHaveLength(0);
    const [connector] = ofType(CONNECTOR_TYPE);
    expect(connector.inputs.config).toMatchObject({
      "connector.class": "tracking.connect.http.HttpSinkConnector",
      "http.api.url": "http://127.0.0.1:18090/collect",
      "tasks.max": "3",
      "batch.max.size": "100",
    });
  });

  it("declares dev smaller than prod, from the stack files alone", async () => {
    await runProgram("dev", { analyticsApiKey: "dev-key" });
    const devTypes = registered.map((r) => r.type);
    const devTopic = ofType("kafka:index/topic:Topic").find(
      (t) => t.inputs.name === "dev.tracking",
    );
    const devReplicas = replicasOf();

    await runProgram("prod", prodSecrets);
    const prodTopic = ofType("kafka:index/topic:Topic").find(
      (t) => t.inputs.name === "prod.tracking",
    );
    const prodReplicas = replicasOf();

    expect(devTopic?.inputs).toMatchObject({ partitions: 3, replicationFactor: 2 });
    expect(prodTopic?.inputs).toMatchObject({ partitions: 12, replicationFactor: 3 });
    // The REST Proxy's count is its autoscaler's (from `restProxyReplicas`), Connect's declared.
    expect(devReplicas).toEqual({ restProxy: [undefined, 1, 2], connect: 1 });
    expect(prodReplicas).toEqual({ restProxy: [undefined, 3, 10], connect: 3 });
    expect(devTypes).not.toContain("kafka:index/quota:Quota");
    expect(ofType("kafka:index/quota:Quota")).toHaveLength(3);
    // The connectors' secrets, Connect's REST auth, and the JAAS lines of the workers and of the
    // REST proxy.
    expect(
      ofType("kubernetes:core/v1:Secret")
        .map((s) => s.name)
        .sort(),
    ).toEqual([
      "tracking-connect-connector-secrets",
      "tracking-connect-kafka-credentials",
      "tracking-connect-rest-auth",
      "tracking-rest-proxy-kafka-credentials",
    ]);
  });

  it("keeps every prod credential out of plain inputs and secret in outputs", async () => {
    await runProgram("prod", prodSecrets);
    // Pulumi secrets (the kafka provider's admin password, the SCRAM users') show as "[secret]".
    const secretValue = (_: string, v: unknown) =>
      v && typeof v === "object" && pulumi.runtime.isRpcSecret(v) ? "[secret]" : v;
    const plain = JSON.stringify(
      registered.map((r) => {
        const { secretConfig: _s, connectSecrets: _c, __provider: _p, ...rest } = r.inputs;
        return r.type === "kubernetes:core/v1:Secret" ? {} : rest;
      }),
      secretValue,
    );
    for (const value of Object.values(prodSecrets)) expect(plain).not.toContain(value);
    const connectors = ofType(CONNECTOR_TYPE);
    expect(connectors.map((c) => c.name)).toEqual([
      "tracking-analytics-connector",
      "tracking-marketing-connector",
      "tracking-warehouse-connector",
    ]);
  });

  it("stops with the key's name when the stack config is bad", async () => {
    await expect(
      runProgram("dev", { analyticsApiKey: "k" }, { topicPartitions: "0" }),
    ).rejects.toThrow(
      "tracking-pipeline:topicPartitions: must be a whole number from 1 to 1000 (found 0)",
    );
  });

  it("stops with one clean message naming the secret a destination needs when it is not set", async () => {
    const error = await runProgram("dev").catch((err: unknown) => err);
    // A RunError: the Node runtime prints its message alone, without the error's inspect output.
    expect(pulumi.RunError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      [
        "Invalid stack configuration (1 problem):",
        '  - tracking-pipeline:destinations[0].secretHeaders["X-Api-Key"]: needs the secret config key "analyticsApiKey", which is not set; set it with `pulumi config set --secret analyticsApiKey <value>`',
        "Fix each key with `pulumi config set [--path] <key> <value>` or in Pulumi.<stack>.yaml.",
      ].join("\n"),
    );
  });

  it("stops on a misspelt setting, naming it and the setting it is closest to", async () => {
    await expect(runProgram("dev", { analyticsApiKey: "k" }, { topicPartiton: 3 })).rejects.toThrow(
      "tracking-pipeline:topicPartiton: unknown setting; did you mean `topicPartitions`?",
    );
  });

  it("stops on a connector setting the mapping does not know, inside a destination", async () => {
    const [analytics] = stackConfig("dev").destinations as Record<string, unknown>[];
    const destinations = [{ ...analytics, batching: { maxSize: 100, seperator: "\n" } }];
    await expect(runProgram("dev", { analyticsApiKey: "k" }, { destinations })).rejects.toThrow(
      "tracking-pipeline:destinations[0].batching.seperator: unknown setting; did you mean `separator`?",
    );
  });

  it("takes the secrets the stack files name for secrets, not for misspelt settings", async () => {
    await expect(runProgram("prod", prodSecrets)).resolves.toBeDefined();
  });

  it("exports each connector's state and task states, so `stack output` tells if it runs", async () => {
    const program = await runProgram("local", {}, {}, (r) =>
      r.type === CONNECTOR_TYPE ? { connectorState: "RUNNING", taskStates: ["RUNNING"] } : {},
    );
    expect(await promiseOf(program.connectors)).toEqual({
      receiver: { name: "local-receiver-http-sink", state: "RUNNING", tasks: ["RUNNING"] },
    });
  });

  it("protects the topics of real environments and not those of the local stack", async () => {
    await runProgram("prod", prodSecrets);
    const prodTopics = ofType("kafka:index/topic:Topic");
    expect(prodTopics.length).toBeGreaterThan(3);
    expect(prodTopics.filter((t) => !t.protect).map((t) => t.inputs.name)).toEqual([]);
    await runProgram("local");
    expect(ofType("kafka:index/topic:Topic").filter((t) => t.protect)).toEqual([]);
  });

  it("marks secrets read from config as secrets", async () => {
    await useMocks({ x: "1" }, ["x"]);
    expect(await isSecret(new pulumi.Config().requireSecret("x"))).toBe(true);
  });
});
