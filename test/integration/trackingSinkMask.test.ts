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
 * MaskField on the real worker with JsonConverter (schemas off): a masked field arrives masked,
 * in a body that parses as JSON and equals the events with only the masked fields changed. The
 * raw body never holds the masked values, and never a Java `toString` of the record.
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

describe("tracking HTTP sink: MaskField", () => {
  const connectors: string[] = [];
  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  it("sends a MaskField-masked field masked, in valid JSON (JsonConverter, schemas off)", async () => {
    const path = `/${uniqueName("mask")}`;
    const topic = uniqueName("mask-src");
    await createTopic(topic, 1);
    const events = Array.from({ length: 3 }, (_, i) => ({
      id: `m${i}`,
      email: `user${i}@example.com`,
      ip: `203.0.113.${i + 10}`,
      revenue: 12.5 + i,
      note: `says "hi" \\ ${i} ✓`,
      props: { n: i, tags: ["a", `t${i}`], none: null },
    }));
    await produceRaw(
      topic,
      events.map((ev) => ({ key: null, value: JSON.stringify(ev), partition: 0 })),
    );
    const name = uniqueName("tracking-sink-mask");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "retry.backoff.ms": "200",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      "batch.max.size": "3",
      "batch.json.as.array": "true",
      transforms: "pii,money",
      // Strings replaced by a fixed text; a number masked without replacement becomes 0.
      "transforms.pii.type": "org.apache.kafka.connect.transforms.MaskField$Value",
      "transforms.pii.fields": "email,ip",
      "transforms.pii.replacement": "***",
      "transforms.money.type": "org.apache.kafka.connect.transforms.MaskField$Value",
      "transforms.money.fields": "revenue",
    });
    const seen = await requestsUnder(path, 1);
    expect(seen).toHaveLength(1);
    expect(seen[0].status).toBe(200);
    const body = seen[0].body;
    expect(() => JSON.parse(body) as unknown).not.toThrow();
    expect(JSON.parse(body)).toEqual(
      events.map((ev) => ({ ...ev, email: "***", ip: "***", revenue: 0 })),
    );
    for (const ev of events) {
      expect(body).not.toContain(ev.email);
      expect(body).not.toContain(ev.ip);
    }
    expect(body).not.toMatch(/[{,]\s*\w+=/); // no `{id=m0, ...}`
  }, 90_000);
});
