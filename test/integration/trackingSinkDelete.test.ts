import axios from "axios";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";
import { produceRaw } from "./trackingSinkProducer";

/**
 * Our HTTP sink with `behavior.on.null.values=delete` on the real worker: keyed events are
 * posted to the URL with `${key}` replaced, and a tombstone (a real null value, with its key)
 * becomes a DELETE of that key's URL, in the partition's order.
 */
const e = platformEndpoints();
const client = receiver();

describe("tracking HTTP sink with behavior.on.null.values=delete", () => {
  const connectors: string[] = [];
  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  it("sends a DELETE to the key's URL for each tombstone, after that key's earlier events", async () => {
    const base = `/${uniqueName("delete")}/users`;
    const topic = uniqueName("delete-src");
    await createTopic(topic, 1);
    const records = [
      { key: "u-1", value: '{"id":"e1","user":"u-1"}' },
      { key: "u-1", value: '{"id":"e2","user":"u-1"}' },
      { key: "u 2/é", value: '{"id":"e3","user":"u 2/é"}' },
      { key: "u-1", value: null },
      { key: "u 2/é", value: null },
      { key: "u-3", value: '{"id":"e4","user":"u-3"}' },
    ];
    // Produced before the connector starts, so that its first poll holds them all.
    await produceRaw(
      topic,
      records.map((r) => ({ ...r, partition: 0 })),
    );

    const name = uniqueName("tracking-sink-delete");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${base}/\${key}`,
      "behavior.on.null.values": "delete",
      "batch.max.size": "10",
      "batch.json.as.array": "true",
      "retry.backoff.ms": "200",
      // keys as text (the worker's StringConverter), values as JSON
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
    });
    const wanted = 5; // requests: [e1,e2] for u-1, [e3], DELETE u-1, DELETE u 2/é, [e4]
    const deadline = Date.now() + 60_000;
    let seen = (await client.requests()).filter((r) => r.path.startsWith(base));
    while (seen.length < wanted && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      seen = (await client.requests()).filter((r) => r.path.startsWith(base));
    }
    const summary = seen.map((r) => ({
      method: r.method,
      key: decodeURIComponent(r.path.slice(base.length + 1)),
      path: r.path,
      body: r.method === "DELETE" ? r.body : r.json,
      status: r.status,
    }));
    expect(summary).toEqual([
      {
        method: "POST",
        key: "u-1",
        path: `${base}/u-1`,
        body: [
          { id: "e1", user: "u-1" },
          { id: "e2", user: "u-1" },
        ],
        status: 200,
      },
      {
        method: "POST",
        key: "u 2/é",
        path: `${base}/u%202%2F%C3%A9`,
        body: [{ id: "e3", user: "u 2/é" }],
        status: 200,
      },
      { method: "DELETE", key: "u-1", path: `${base}/u-1`, body: "", status: 200 },
      { method: "DELETE", key: "u 2/é", path: `${base}/u%202%2F%C3%A9`, body: "", status: 200 },
      {
        method: "POST",
        key: "u-3",
        path: `${base}/u-3`,
        body: [{ id: "e4", user: "u-3" }],
        status: 200,
      },
    ]);
    const { data } = await axios.get<{ tasks: { state: string }[] }>(
      `${e.connectUrl}/connectors/${name}/status`,
    );
    expect(data.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
  }, 120_000);
});
