/**
 * `npm run bench:sink`: our HTTP sink connector (tracking.connect.http.HttpSinkConnector) alone
 * on the local platform's real worker against the receiver. One topic of `--events` tracking
 * events is produced once; then, for each batch size and with gzip off and on, a new connector
 * (its own consumer group, from the start of the topic) delivers all of it. For each run it
 * prints events/s (over the receiver's arrival window, and from the connector's creation, which
 * includes the task's start and group join), requests, bytes on the wire (request bodies as
 * sent: `Content-Length`, compressed when gzip is on) and before compression, and the worker's
 * CPU seconds per 10k events (from /proc, the worker's idle rate subtracted), then the ratios.
 * An untimed warm-up run goes first.
 * Confluent's connector is not measured: its plugin is not available to this project's
 * machines. Nothing here asserts on time.
 */
import { readFileSync } from "node:fs";
import axios from "axios";
import { Command } from "commander";
import { platformStatus, startPlatform, stopPlatform } from "../platform";
import type { PlatformEndpoints } from "../platform";
import { ReceiverClient } from "../platform/receiverClient";
import type { RecordedRequest } from "../platform/receiverClient";

const V2_JSON = "application/vnd.kafka.json.v2+json";
/** Linux clock ticks per second of /proc/<pid>/stat (`getconf CLK_TCK`, 100 on Linux). */
const CLK_TCK = 100;

interface Run {
  readonly batch: number;
  readonly gzip: boolean;
  readonly events: number;
  readonly requests: number;
  readonly windowMs: number;
  readonly totalMs: number;
  readonly wireBytes: number;
  readonly plainBytes: number;
  readonly cpuPer10k: number;
}

/** User plus system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  // Fields after the command name (which may hold spaces) start after the last ")".
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
}

function workerPid(): number {
  const connect = platformStatus().find((s) => s.name === "connect");
  if (!connect?.pid) throw new Error("The platform's Connect worker is not running.");
  return connect.pid;
}

/** One tracking event of a typical size (about 300 bytes of JSON). */
function event(i: number): Record<string, unknown> {
  return {
    id: `bench-${i}`,
    type: i % 5 === 0 ? "purchase" : "page_view",
    anonymous_id: `anon-${(i * 7919) % 100_000}`,
    timestamp: new Date(1_796_000_000_000 + i * 37).toISOString(),
    context: { page: { path: `/products/${i % 400}`, referrer: "https://example.com/search" } },
    properties: { sku: `SKU-${i % 1000}`, price: (i % 9_000) / 100, currency: "EUR", qty: 1 },
  };
}

async function produceAll(e: PlatformEndpoints, topic: string, count: number): Promise<void> {
  const chunk = 1000;
  for (let start = 0; start < count; start += chunk) {
    const records = [];
    for (let i = start; i < Math.min(count, start + chunk); i++) records.push({ value: event(i) });
    await axios.post(
      `${e.restProxyUrl}/topics/${topic}`,
      { records },
      { headers: { "Content-Type": V2_JSON }, maxBodyLength: Infinity },
    );
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function waitDelivered(
  client: ReceiverClient,
  path: string,
  count: number,
  batch: number,
  timeoutMs: number,
): Promise<RecordedRequest[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = await client.stats();
    // Cheap check first (requests accepted); the events are counted once enough may have come.
    if (stats.accepted >= Math.ceil(count / batch)) {
      const requests = (await client.requests()).filter((r) => r.path === path && r.status < 300);
      const events = requests.reduce((n, r) => n + (r.json as unknown[]).length, 0);
      if (events >= count) return requests;
    }
    if (Date.now() > deadline) throw new Error(`Not all ${count} events arrived at ${path}`);
    await sleep(500);
  }
}

async function runOnce(
  e: PlatformEndpoints,
  client: ReceiverClient,
  topic: string,
  count: number,
  batch: number,
  gzip: boolean,
  idleCpuPerSecond: number,
): Promise<Run> {
  await client.reset();
  const name = `bench-sink-${Date.now().toString(36)}-b${batch}${gzip ? "-gz" : ""}`;
  const path = `/${name}`;
  const pid = workerPid();
  const cpuBefore = cpuSeconds(pid);
  const started = Date.now();
  await axios.put(`${e.connectUrl}/connectors/${name}/config`, {
    "connector.class": e.httpSinkConnectorClass,
    topics: topic,
    "tasks.max": "1",
    "http.api.url": `${e.receiverUrl}${path}`,
    "batch.max.size": String(batch),
    "batch.json.as.array": "true",
    "request.body.compression": gzip ? "gzip" : "none",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "consumer.override.max.poll.records": "1000",
  });
  try {
    const requests = await waitDelivered(client, path, count, batch, 600_000);
    const elapsed = (Date.now() - started) / 1000;
    const cpu = cpuSeconds(pid) - cpuBefore - idleCpuPerSecond * elapsed;
    const first = requests[0].receivedAt;
    const last = requests[requests.length - 1].receivedAt;
    return {
      batch,
      gzip,
      events: count,
      requests: requests.length,
      windowMs: Math.max(1, last - first),
      totalMs: last - started,
      wireBytes: requests.reduce((n, r) => n + Number(r.headers["content-length"] ?? 0), 0),
      plainBytes: requests.reduce((n, r) => n + Buffer.byteLength(r.body, "utf8"), 0),
      cpuPer10k: (Math.max(0, cpu) * 10_000) / count,
    };
  } finally {
    await axios.delete(`${e.connectUrl}/connectors/${name}`, { validateStatus: () => true });
    await sleep(2000); // the task stops before the next run measures the worker
  }
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

async function main() {
  const options = new Command()
    .description("Our HTTP sink on the real worker: events/s, bytes and CPU by batch size, gzip")
    .option("--events <n>", "events in the topic, delivered by each run", "20000")
    .option("--batch-sizes <list>", "batch.max.size values", "1,10,100,500")
    .parse()
    .opts<{ events: string; batchSizes: string }>();
  const count = Number(options.events);
  const batches = options.batchSizes.split(",").map(Number);
  if (!Number.isInteger(count) || count < 1) throw new Error("--events must be a positive integer");
  if (batches.some((b) => !Number.isInteger(b) || b < 1)) {
    throw new Error("--batch-sizes must be positive integers separated by commas, e.g. 1,10,100");
  }

  const platform = await startPlatform({ log: (line) => console.error(`[platform] ${line}`) });
  const e = platform.endpoints;
  const client = new ReceiverClient(e.receiverUrl);
  const topic = `bench-sink-${Date.now().toString(36)}`;
  const runs: Run[] = [];
  try {
    await axios.post(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`, {
      topic_name: topic,
      partitions_count: 1,
      replication_factor: 1,
    });
    await produceAll(e, topic, count);
    const pid = workerPid();
    const idleFrom = cpuSeconds(pid);
    await sleep(5000);
    const idle = (cpuSeconds(pid) - idleFrom) / 5;
    console.log(
      `${fmt(count)} events (${fmt(Buffer.byteLength(JSON.stringify(event(1))))} bytes each), ` +
        `1 partition, 1 task, receiver answering at once; worker idle CPU ${fmt(idle, 3)} s/s`,
    );
    // One untimed run first, so the worker's JIT has compiled the paths the runs measure.
    await runOnce(e, client, topic, count, Math.max(...batches), true, idle);
    for (const batch of batches) {
      for (const gzip of [false, true]) {
        const r = await runOnce(e, client, topic, count, batch, gzip, idle);
        runs.push(r);
        console.log(
          `batch=${r.batch} gzip=${r.gzip ? "on " : "off"} ` +
            `events/s=${fmt((r.events * 1000) / r.windowMs)} ` +
            `(from creation ${fmt((r.events * 1000) / r.totalMs)}) requests=${fmt(r.requests)} ` +
            `wire=${fmt(r.wireBytes)} B plain=${fmt(r.plainBytes)} B ` +
            `(${fmt(r.wireBytes / r.events, 1)} B/event) cpu=${fmt(r.cpuPer10k, 2)} s/10k`,
        );
      }
    }
  } finally {
    await axios
      .delete(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics/${topic}`)
      .catch(() => undefined);
    if (platform.started.length > 0) await stopPlatform({ only: platform.started });
  }
  const base = runs.find((r) => r.batch === batches[0] && !r.gzip);
  if (!base) return;
  const rate = (r: Run) => (r.events * 1000) / r.windowMs;
  console.log(`ratios (vs batch=${base.batch} gzip off):`);
  for (const batch of batches) {
    const plain = runs.find((r) => r.batch === batch && !r.gzip);
    const gz = runs.find((r) => r.batch === batch && r.gzip);
    if (!plain || !gz) continue;
    console.log(
      `batch=${batch} events/s x${fmt(rate(plain) / rate(base), 2)} ` +
        `(gzip x${fmt(rate(gz) / rate(base), 2)}) ` +
        `gzip wire/plain=${fmt(gz.wireBytes / plain.wireBytes, 3)} ` +
        `cpu gzip/plain=${fmt(plain.cpuPer10k > 0 ? gz.cpuPer10k / plain.cpuPer10k : 0, 2)} ` +
        `cpu vs base x${fmt(base.cpuPer10k > 0 ? plain.cpuPer10k / base.cpuPer10k : 0, 2)}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.DEBUG ? err.stack : err.message) : err);
  process.exit(1);
});
