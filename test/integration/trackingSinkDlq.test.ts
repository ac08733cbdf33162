import axios from "axios";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idsFromBody } from "../../platform/receiverClient";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";
import { readTopic } from "./topicReader";
import { produceRaw } from "./trackingSinkProducer";

/**
 * Our HTTP sink on the real worker: an event the destination refuses for good lands on the
 * dead-letter topic as it was produced, key and value byte for byte (not as the converters and
 * an SMT made it), with the http.sink.error.* headers; the other events are delivered, with the
 * SMT applied.
 */
const e = platformEndpoints();
const client = receiver();

describe("tracking HTTP sink dead letters", () => {
  const connectors: string[] = [];
  afterAll(async () => {
    await client.reject(null);
    await Promise.all(connectors.map(deleteConnector));
  });

  it("writes refused events to the DLQ byte for byte as produced, key included, with the error headers", async () => {
    const path = `/${uniqueName("dlq-bytes")}`;
    const topic = uniqueName("dlqb-src");
    const dlq = `${topic}.dlq`;
    await createTopic(topic, 1);
    await createTopic(dlq, 1);
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const name = uniqueName("tracking-sink-dlq");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}?api_key=s3cr3t`,
      "batch.max.size": "1",
      "retry.on.status.codes": "429,500-",
      "retry.backoff.ms": "200",
      "key.converter": "org.apache.kafka.connect.json.JsonConverter",
      "key.converter.schemas.enable": "false",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "value.converter.schemas.enable": "false",
      transforms: "source",
      "transforms.source.type": "org.apache.kafka.connect.transforms.InsertField$Value",
      "transforms.source.static.field": "source",
      "transforms.source.static.value": "web",
      "errors.tolerance": "all",
      "errors.deadletterqueue.topic.name": dlq,
      "errors.deadletterqueue.topic.replication.factor": "1",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
    // Exact bytes, with a real producer: spacing and number forms that a converter writing the
    // value again would not keep.
    const events = Array.from({ length: 6 }, (_, i) => {
      const kind = i % 2 === 0 ? "refused" : "page_view";
      return {
        id: `${path}-${i}`,
        kind,
        key: `{ "user" : "u-${i}" }`,
        value: `{ "kind": "${kind}",  "id": "${path}-${i}", "n": ${i}.50 }`,
      };
    });
    const landed = await produceRaw(
      topic,
      events.map((ev) => ({ key: ev.key, value: ev.value, partition: 0 })),
    );
    expect(landed.map((l) => l.offset)).toEqual(events.map((_, i) => i));

    const good = events.filter((ev) => ev.kind !== "refused");
    const bad = events.filter((ev) => ev.kind === "refused");
    const report = await client.waitForIds(
      good.map((g) => g.id),
      { extract: (r: RecordedRequest) => (r.path.startsWith(path) ? idsFromBody()(r) : []) },
    );
    expect(report.missing).toEqual([]);
    // The destination got the SMT's output as JSON.
    const delivered = (await client.requests())
      .filter((r) => r.path.startsWith(path) && r.status === 200)
      .map((r) => r.json);
    expect(delivered).toEqual(
      good.map((g) => ({
        kind: g.kind,
        id: g.id,
        n: Number(g.value.match(/"n": ([\d.]+)/)?.[1]),
        source: "web",
      })),
    );

    const dead = await readTopic(dlq, bad.length, 60_000);
    expect(dead).toHaveLength(bad.length);
    const byOffset = new Map(dead.map((d) => [d.headers["__connect.errors.offset"], d]));
    bad.forEach((b) => {
      const offset = String(events.indexOf(b));
      const d = byOffset.get(offset);
      expect(d).toBeDefined();
      expect(d?.value).toBe(b.value);
      expect(d?.key).toBe(b.key);
      expect(d?.headers["http.sink.error.status"]).toBe("400");
      expect(d?.headers["http.sink.error.response"]).toBe('{"ok":false,"status":400}');
      expect(d?.headers["http.sink.error.url"]).toBe(`${e.receiverUrl}${path}?…`);
      expect(d?.headers["__connect.errors.topic"]).toBe(topic);
      expect(JSON.stringify(d?.headers)).not.toContain("s3cr3t");
    });
    const { data } = await axios.get<{ tasks: { state: string }[] }>(
      `${e.connectUrl}/connectors/${name}/status`,
    );
    expect(data.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
  }, 120_000);
});
