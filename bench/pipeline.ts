/**
 * `npm run bench:pipeline`: events per second and p50/p99 latency from the REST proxy to the
 * analytics receiver for 10,000 events, with the connector settings the stack generates by
 * default versus the settings of the original demo of this pattern (batches of 5, one task).
 * It prints both and, as its last line, their ratio. Nothing here asserts on time.
 */
import axios from "axios";
import { Command } from "commander";
import { startPlatform, stopPlatform } from "../platform";
import type { PlatformEndpoints } from "../platform";
import { ReceiverClient } from "../platform/receiverClient";
import { percentile } from "./numbers";
import { createConnector, stackDefaults } from "./stackConnector";
import { V2_JSON, createTopic } from "./topics";

interface Result {
  readonly label: string;
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly requests: number;
  readonly duplicates: number;
}

/** What the original demo's single curl created (origin.md), on the local connector class. */
function originalDemo(e: PlatformEndpoints, topic: string, path: string): Record<string, string> {
  return {
    "connector.class": e.httpSinkConnectorClass,
    topics: topic,
    "tasks.max": "1",
    "http.api.url": `${e.receiverUrl}${path}`,
    "batch.max.size": "5",
    "batch.prefix": '{"batches": [',
    "batch.suffix": "]}",
    "batch.separator": ",",
    headers: "Content-Type: application/json",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.storage.StringConverter",
  };
}

async function run(
  e: PlatformEndpoints,
  label: string,
  configOf: (name: string, topic: string, path: string) => Record<string, string>,
  events: number,
  partitions: number,
): Promise<Result> {
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const topic = `bench.${label}.${stamp}`;
  const name = `bench-${label}-${stamp}`;
  const path = `/bench/${label}/${stamp}`;
  await createTopic(e, topic, partitions);
  const config = configOf(name, topic, path);
  if (config["errors.deadletterqueue.topic.name"]) {
    await createTopic(e, config["errors.deadletterqueue.topic.name"], 1);
  }
  const deleteConnector = await createConnector(e, name, config);
  const receiver = new ReceiverClient(e.receiverUrl);
  const since = (await receiver.stats()).lastSeq;
  try {
    // Browsers and services post small batches concurrently; 100 events per POST, 4 in flight.
    const started = Date.now();
    const perPost = 100;
    const batches = Array.from({ length: Math.ceil(events / perPost) }, (_, b) => b);
    const post = async (b: number) => {
      const sentAt = Date.now();
      const records = Array.from({ length: Math.min(perPost, events - b * perPost) }, (_, i) => ({
        value: { id: `${stamp}-${b * perPost + i}`, sentAt, type: "page_view" },
      }));
      await axios.post(
        `${e.restProxyUrl}/topics/${topic}`,
        { records },
        {
          headers: { "Content-Type": V2_JSON },
        },
      );
    };
    for (let i = 0; i < batches.length; i += 4)
      await Promise.all(batches.slice(i, i + 4).map(post));

    const firstArrival = new Map<string, number>();
    let duplicates = 0;
    let requests = 0;
    let cursor = since;
    const deadline = Date.now() + 600_000;
    while (firstArrival.size < events) {
      if (Date.now() > deadline)
        throw new Error(`${label}: only ${firstArrival.size} of ${events} events arrived in 600 s`);
      for (const request of await receiver.requests(cursor)) {
        cursor = request.seq;
        if (request.path !== path || request.status >= 300) continue;
        requests++;
        for (const event of extractEventsOf(request.json)) {
          if (firstArrival.has(event.id)) duplicates++;
          else firstArrival.set(event.id, request.receivedAt - event.sentAt);
        }
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    const latencies = [...firstArrival.values()].sort((a, b) => a - b);
    const ours = (await receiver.requests(since)).filter((r) => r.path === path);
    const last = Math.max(...ours.map((r) => r.receivedAt));
    return {
      label,
      eventsPerSecond: events / ((last - started) / 1000),
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      requests,
      duplicates,
    };
  } finally {
    await deleteConnector();
  }
}

function extractEventsOf(json: unknown): { id: string; sentAt: number }[] {
  const out: { id: string; sentAt: number }[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === "object") {
      const obj = value as Record<string, unknown>;
      if (Array.isArray(obj.batches)) visit(obj.batches);
      else if (typeof obj.id === "string" && typeof obj.sentAt === "number") {
        out.push({ id: obj.id, sentAt: obj.sentAt });
      }
    }
  };
  visit(json);
  return out;
}

function describe(r: Result): string {
  return (
    `${r.label}: ${r.eventsPerSecond.toFixed(0)} events/s, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, ` +
    `${r.requests} requests, ${r.duplicates} duplicates`
  );
}

async function main() {
  const options = new Command()
    .description("Throughput and latency of the pipeline: stack defaults versus the original demo")
    .option("--events <n>", "events per run", "10000")
    .option("--partitions <n>", "partitions of the benchmark topic", "3")
    .option(
      "--latency-ms <n>",
      "delay of each receiver answer: a remote analytics API is a network round trip away",
      "20",
    )
    .parse()
    .opts<{ events: string; partitions: string; latencyMs: string }>();
  const events = Number(options.events);
  const partitions = Number(options.partitions);
  const latencyMs = Number(options.latencyMs);

  const platform = await startPlatform({ log: (line) => console.error(`[platform] ${line}`) });
  const e = platform.endpoints;
  const receiver = new ReceiverClient(e.receiverUrl);
  await receiver.latency(latencyMs);
  console.log(
    `receiver latency ${latencyMs} ms per request, ${events} events, ${partitions} partitions`,
  );
  try {
    const stack = await run(
      e,
      "stack",
      (name, topic, path) => stackDefaults(e, name, topic, path),
      events,
      partitions,
    );
    console.log(describe(stack));
    const demo = await run(
      e,
      "demo",
      (_name, topic, path) => originalDemo(e, topic, path),
      events,
      partitions,
    );
    console.log(describe(demo));
    console.log(
      `pipeline events=${events} stack=${stack.eventsPerSecond.toFixed(0)}/s ` +
        `demo=${demo.eventsPerSecond.toFixed(0)}/s ratio=${(stack.eventsPerSecond / demo.eventsPerSecond).toFixed(2)} ` +
        `p99 stack=${stack.p99Ms}ms demo=${demo.p99Ms}ms`,
    );
  } finally {
    await receiver.latency(0);
    if (platform.started.length > 0) await stopPlatform({ only: platform.started });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.DEBUG ? err.stack : err.message) : err);
  process.exit(1);
});
