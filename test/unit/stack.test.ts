import * as pulumi from "@pulumi/pulumi";
import {
  CONNECTOR_TYPE,
  isSecret,
  ofType,
  prodSecrets,
  promiseOf,
  registered,
  runProgram,
  useMocks,
} from "./mocks";

describe("the whole stack (index.ts)", () => {
  it("declares the local stack: topics and a sink on the local platform's connector", async () => {
    const program = await runProgram("local");
    expect(await promiseOf(program.topicNames)).toEqual(["local.tracking"]);
    expect(await promiseOf(program.connectorNames)).toEqual(["local-receiver-http-sink"]);
    expect(await promiseOf(program.connectEndpoint)).toBe("http://127.0.0.1:18083");
    expect(await promiseOf(program.restProxyEndpoint)).toBe("http://127.0.0.1:18080");
    expect(ofType("kubernetes:apps/v1:Deployment")).toHaveLength(0);
    const [connector] = ofType(CONNECTOR_TYPE);
    expect(connector.inputs.config).toMatchObject({
      "connector.class": "tracking.platform.httpsink.HttpSinkConnector",
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
    const devReplicas = ofType("kubernetes:apps/v1:Deployment").map(
      (d) => (d.inputs.spec as { replicas: number }).replicas,
    );

    await runProgram("prod", prodSecrets);
    const prodTopic = ofType("kafka:index/topic:Topic").find(
      (t) => t.inputs.name === "prod.tracking",
    );
    const prodReplicas = ofType("kubernetes:apps/v1:Deployment").map(
      (d) => (d.inputs.spec as { replicas: number }).replicas,
    );

    expect(devTopic?.inputs).toMatchObject({ partitions: 3, replicationFactor: 2 });
    expect(prodTopic?.inputs).toMatchObject({ partitions: 12, replicationFactor: 3 });
    expect(devReplicas).toEqual([1, 1]);
    expect(prodReplicas).toEqual([3, 3]);
    expect(devTypes).not.toContain("kafka:index/quota:Quota");
    expect(ofType("kafka:index/quota:Quota")).toHaveLength(3);
    expect(ofType("kubernetes:core/v1:Secret")).toHaveLength(1);
  });

  it("keeps every prod credential out of plain inputs and secret in outputs", async () => {
    await runProgram("prod", prodSecrets);
    const plain = JSON.stringify(
      registered.map((r) => {
        const { secretConfig: _s, connectSecrets: _c, __provider: _p, ...rest } = r.inputs;
        return r.type === "kubernetes:core/v1:Secret" ? {} : rest;
      }),
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

  it("stops naming the secret a destination needs when it is not set", async () => {
    await expect(runProgram("dev")).rejects.toThrow(
      '`destinations[0].secretHeaders["X-Api-Key"]` names the config key "analyticsApiKey", which is not set',
    );
  });

  it("marks secrets read from config as secrets", async () => {
    await useMocks({ x: "1" }, ["x"]);
    expect(await isSecret(new pulumi.Config().requireSecret("x"))).toBe(true);
  });
});
