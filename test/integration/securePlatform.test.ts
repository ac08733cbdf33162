import { randomBytes } from "node:crypto";
import axios from "axios";
import { AdminOperation, runKafkaAdmin } from "../../platform/secure/admin";
import { secureAdminTarget, secureEndpoints } from "../../platform/secure/endpoints";
import { ReceiverClient } from "../../platform/receiverClient";
import { CONNECT_TOPICS } from "../../platform/components";
import { idsOnPath } from "./connectorFixtures";
import { V2_JSON, uniqueName } from "./platform";

/**
 * The secured platform (SASL_SSL, SCRAM-SHA-512, StandardAuthorizer, no ACL means deny) started
 * by globalSetup: every client here authenticates as one of its three users, and what the REST
 * proxy stand-in and the Connect worker may do is exactly what the ACLs grant.
 */
const e = secureEndpoints();
const target = secureAdminTarget(e);
const { admin, connect, restProxy } = e.credentials;

const asAdmin = (ops: readonly AdminOperation[]) => runKafkaAdmin(target, admin, ops);

async function createTopic(name: string): Promise<void> {
  await asAdmin([{ op: "createTopic", name, partitions: 1 }]);
}

/** Every record of a topic, read as the admin (no consumer group). */
async function records(topic: string, min = 0, timeoutMs = 30_000) {
  const result = await asAdmin([{ op: "read", topic, min, timeoutMs }]);
  return result.lines.filter((l) => l.op === "read") as unknown as {
    partition: number;
    offset: number;
    value: string | null;
  }[];
}

function post(topic: string, values: readonly unknown[]) {
  return axios.post<{
    offsets: { partition: number | null; offset: number | null; error_code: number | null }[];
    error_code?: number;
  }>(
    `${e.restProxyUrl}/topics/${topic}`,
    { records: values.map((value) => ({ value })) },
    { headers: { "Content-Type": V2_JSON }, validateStatus: () => true },
  );
}

describe("secured local platform", () => {
  it("describes itself in endpoints.json without any password", () => {
    expect(e.security).toMatchObject({ protocol: "SASL_SSL", mechanism: "SCRAM-SHA-512" });
    expect(e.kafkaBootstrap).toBe("127.0.0.1:19192");
    const published = JSON.stringify({ ...e, credentials: undefined });
    for (const user of [admin, connect, restProxy]) expect(published).not.toContain(user.password);
  });

  it("refuses a client with a wrong password and accepts the right one", async () => {
    const wrong = await runKafkaAdmin(
      target,
      { username: restProxy.username, password: `${restProxy.password}x` },
      [{ op: "check" }],
    );
    expect(wrong.status).toBe(3);
    expect(wrong.lines[0]).toMatchObject({
      ok: false,
      error: "org.apache.kafka.common.errors.SaslAuthenticationException",
    });
    const right = await runKafkaAdmin(target, restProxy, [{ op: "check" }]);
    expect(right.lines[0]).toMatchObject({ ok: true, clusterId: e.clusterId });
  });

  it("runs the Connect worker as `connect`, in its group, on the secured cluster", async () => {
    const root = await axios.get<{ kafka_cluster_id: string }>(`${e.connectUrl}/`);
    expect(root.data.kafka_cluster_id).toBe(e.clusterId);
    const health = await axios.get<{ status: string }>(`${e.connectUrl}/health`);
    expect(health.data.status).toBe("healthy");
  });

  it("answers 403 (40301) for a topic the REST proxy has no grant on, and writes nothing", async () => {
    const topic = uniqueName("secure-denied");
    await createTopic(topic);
    const res = await post(topic, [{ id: "denied-1" }, { id: "denied-2" }]);
    expect(res.status).toBe(403);
    expect(res.data.offsets).toHaveLength(2);
    for (const o of res.data.offsets) expect(o).toMatchObject({ error_code: 40301, offset: null });
    expect(await records(topic)).toEqual([]);
  });

  it("answers 403 when it may describe the topic but not write to it, and writes nothing", async () => {
    const topic = uniqueName("secure-describe-only");
    await createTopic(topic);
    await asAdmin([
      {
        op: "grant",
        principal: `User:${restProxy.username}`,
        resourceType: "TOPIC",
        name: topic,
        operations: ["DESCRIBE"],
      },
    ]);
    const res = await post(topic, [{ id: "describe-only" }]);
    expect(res.status).toBe(403);
    expect(res.data.offsets[0]).toMatchObject({ error_code: 40301, partition: null });
    expect(await records(topic)).toEqual([]);
  });

  it("refuses a produce to Connect's config topic: no new record there", async () => {
    const before = (await records(CONNECT_TOPICS.config)).length;
    const res = await post(CONNECT_TOPICS.config, [{ connector: "injected" }]);
    expect(res.status).toBe(403);
    expect(res.data.offsets[0].error_code).toBe(40301);
    expect(await records(CONNECT_TOPICS.config)).toHaveLength(before);
  });

  it("lands a POST once the admin grants the REST proxy Write and Describe on the topic", async () => {
    const topic = uniqueName("secure-granted");
    await createTopic(topic);
    await asAdmin([
      {
        op: "grant",
        principal: `User:${restProxy.username}`,
        resourceType: "TOPIC",
        name: topic,
        operations: ["WRITE", "DESCRIBE"],
      },
    ]);
    const res = await post(topic, [{ id: "granted-1", n: 1 }]);
    expect(res.status).toBe(200);
    expect(res.data.offsets).toEqual([{ partition: 0, offset: 0, error_code: null, error: null }]);
    const read = await records(topic, 1, 10_000);
    expect(read.map((r) => r.value)).toEqual([JSON.stringify({ id: "granted-1", n: 1 })]);
  });

  it("delivers through a sink reading as its own principal (consumer.override.*), and only what it was granted", async () => {
    const topic = uniqueName("secure-sink");
    const other = uniqueName("secure-not-granted");
    const name = uniqueName("secure-http-sink");
    const path = `/${uniqueName("secure")}`;
    // A principal of the sink's own, as a destination's `kafkaPrincipal` would be: the worker's
    // `connect` has no grant on this topic or group, so a delivery proves the override is used.
    const sink = { username: uniqueName("sink"), password: randomBytes(18).toString("base64url") };
    const sinkUser = `User:${sink.username}`;
    await createTopic(topic);
    await createTopic(other);
    await asAdmin([
      { op: "scramUser", name: sink.username, password: sink.password },
      {
        op: "grant",
        principal: `User:${restProxy.username}`,
        resourceType: "TOPIC",
        name: topic,
        operations: ["WRITE", "DESCRIBE"],
      },
      {
        op: "grant",
        principal: sinkUser,
        resourceType: "TOPIC",
        name: topic,
        operations: ["READ", "DESCRIBE"],
      },
      // A sink's consumer group is `connect-<connector name>`.
      {
        op: "grant",
        principal: sinkUser,
        resourceType: "GROUP",
        name: `connect-${name}`,
        operations: ["READ"],
      },
    ]);
    const refused = await runKafkaAdmin(target, sink, [
      { op: "read", topic: other, min: 0, timeoutMs: 5000 },
    ]);
    expect(refused.status).toBe(3);
    expect(refused.lines[0]).toMatchObject({
      error: "org.apache.kafka.common.errors.TopicAuthorizationException",
    });

    const receiver = new ReceiverClient(e.receiverUrl);
    await axios.put(`${e.connectUrl}/connectors/${name}/config`, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "consumer.override.security.protocol": e.security.protocol,
      "consumer.override.sasl.mechanism": e.security.mechanism,
      "consumer.override.sasl.jaas.config":
        "org.apache.kafka.common.security.scram.ScramLoginModule required " +
        `username="${sink.username}" password="${sink.password}";`,
      "consumer.override.ssl.truststore.type": "PEM",
      "consumer.override.ssl.truststore.location": e.security.caFile,
    });
    try {
      const ids = [`${path}-1`, `${path}-2`];
      const res = await post(
        topic,
        ids.map((id) => ({ id })),
      );
      expect(res.status).toBe(200);
      const report = await receiver.waitForIds(ids, {
        extract: idsOnPath(path),
        timeoutMs: 60_000,
      });
      expect(report.missing).toEqual([]);
    } finally {
      await axios.delete(`${e.connectUrl}/connectors/${name}`, { validateStatus: () => true });
    }
  });
});
