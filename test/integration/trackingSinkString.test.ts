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
 * What the destination receives with StringConverter and with an SMT, on the real worker: text
 * values go out exactly as produced; an SMT needs structured values (JsonConverter, schemas off),
 * after which the body is the JSON the SMT made, never a Java `toString` (`{id=e1, ...}`, what a
 * sink that turns each record into a string sends).
 */
const e = platformEndpoints();
const client = receiver();

async function requestsUnder(path: string, n: number, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const seen = (await client.requests()).filter((r) => r.path.startsWith(path));
    if (seen.length >= n || Date.now() > deadline) return seen;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function taskStates(name: string): Promise<{ state: string; trace?: string }[]> {
  const { data } = await axios.get<{ tasks: { state: string; trace?: string }[] }>(
    `${e.connectUrl}/connectors/${name}/status`,
  );
  return data.tasks;
}

describe("tracking HTTP sink: StringConverter and SMTs", () => {
  const connectors: string[] = [];
  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  function sink(path: string, topic: string, extra: Record<string, string>) {
    const name = uniqueName("tracking-sink-str");
    connectors.push(name);
    return {
      name,
      start: () =>
        putConnector(name, {
          "connector.class": e.httpSinkConnectorClass,
          topics: topic,
          "tasks.max": "1",
          "http.api.url": `${e.receiverUrl}${path}`,
          "retry.backoff.ms": "200",
          "key.converter": "org.apache.kafka.connect.storage.StringConverter",
          "value.converter": "org.apache.kafka.connect.storage.StringConverter",
          ...extra,
        }),
    };
  }

  it("sends StringConverter values exactly as produced, byte for byte", async () => {
    const path = `/${uniqueName("string")}`;
    const topic = uniqueName("string-src");
    await createTopic(topic, 1);
    const values = [
      '{ "id": "e1",  "n": 1.50, "nested": {"a": [1, 2]} }',
      "plain text, not JSON: é ✓",
      '{"id":"e3","s":"with \\"quotes\\" and \\\\ backslash"}',
    ];
    await produceRaw(
      topic,
      values.map((value) => ({ key: null, value, partition: 0 })),
    );
    await sink(path, topic, { "batch.max.size": "1" }).start();
    const seen = await requestsUnder(path, values.length);
    expect(seen.map((r) => r.body)).toEqual(values);
    expect(seen.every((r) => r.status === 200)).toBe(true);
  }, 90_000);

  it("sends newline-delimited JSON: a `\\n` separator reaches the body, not trimmed away", async () => {
    const path = `/${uniqueName("ndjson")}`;
    const topic = uniqueName("ndjson-src");
    await createTopic(topic, 1);
    const values = ['{"id":"e1"}', '{"id":"e2"}', '{"id":"e3"}'];
    await produceRaw(
      topic,
      values.map((value) => ({ key: null, value, partition: 0 })),
    );
    await sink(path, topic, {
      "batch.max.size": "3",
      "batch.prefix": "",
      "batch.suffix": "\n",
      "batch.separator": "\n",
    }).start();
    const deadline = Date.now() + 60_000;
    let bodies: string[] = [];
    while (bodies.join("").split("\n").length <= values.length && Date.now() < deadline) {
      bodies = (await requestsUnder(path, 1)).map((r) => r.body);
      await new Promise((r) => setTimeout(r, 250));
    }
    // However the worker split the batches, each ends with its newline: one event a line.
    expect(bodies.join("")).toBe(values.map((v) => `${v}\n`).join(""));
  }, 90_000);

  it("a StringConverter value cannot go through InsertField: the worker's SMT refuses a string", async () => {
    const path = `/${uniqueName("string-smt")}`;
    const topic = uniqueName("string-smt-src");
    await createTopic(topic, 1);
    const s = sink(path, topic, {
      transforms: "source",
      "transforms.source.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.source.static.field": "source",
      "transforms.source.static.value": "web",
    });
    await s.start();
    await produceRaw(topic, [{ key: null, value: '{"id":"e1"}', partition: 0 }]);
    const deadline = Date.now() + 60_000;
    let tasks = await taskStates(s.name);
    while (!tasks.some((t) => t.state === "FAILED") && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      tasks = await taskStates(s.name);
    }
    expect(tasks.map((t) => t.state)).toEqual(["FAILED"]);
    // StringConverter gives the value a STRING schema: InsertField wants a Struct for it.
    expect(tasks[0].trace).toContain(
      "Only Struct objects supported for [field insertion], found: java.lang.String",
    );
    expect((await client.requests()).filter((r) => r.path.startsWith(path))).toEqual([]);
  }, 90_000);

  it("sends the JSON an SMT made from JsonConverter values (schemas off), never a Java toString", async () => {
    const path = `/${uniqueName("json-smt")}`;
    const topic = uniqueName("json-smt-src");
    await createTopic(topic, 1);
    const events = Array.from({ length: 4 }, (_, i) => ({
      id: `e${i}`,
      user_email: `user${i}@example.com`,
      props: { n: i, ratio: i + 0.25, ok: i % 2 === 0, tags: ["a", `t${i}`], none: null },
    }));
    await produceRaw(
      topic,
      events.map((ev) => ({ key: null, value: JSON.stringify(ev), partition: 0 })),
    );
    await sink(path, topic, {
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "batch.max.size": "4",
      "batch.json.as.array": "true",
      transforms: "source,rename",
      "transforms.source.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.source.static.field": "source",
      "transforms.source.static.value": "web",
      "transforms.rename.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
      "transforms.rename.renames": "user_email:email",
    }).start();
    const seen = await requestsUnder(path, 1);
    expect(seen).toHaveLength(1);
    const body = seen[0].body;
    expect(body).not.toMatch(/[{,]\s*\w+=/); // no `{id=e0, ...}`
    expect(JSON.parse(body)).toEqual(
      events.map(({ user_email, ...rest }) => ({ ...rest, email: user_email, source: "web" })),
    );
  }, 90_000);
});
