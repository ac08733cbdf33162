/**
 * `npm run bench:load`: offered load in steps (default 1k, 2k, 5k, 10k, 20k events/s, 30 s
 * each), posted to the REST proxy, delivered by a connector with the stack's default settings
 * (bench/stackConnector.ts, as bench/pipeline.ts creates it) to the receiver. Per step: offered
 * and delivered rate, p50/p99/max latency from the post to the receiver, and the CPU seconds of
 * each platform process and of this process (the load generator). It stops at the first step
 * not sustained and names the saturated part (bench/load/verdict.ts says how). Then the two
 * limits around the pipeline on the same machine: Kafka alone and the receiver alone, and the
 * pipeline's sustained rate as a share of each. Nothing here asserts on time.
 *
 * It starts the platform if needed and stops only what it started; its connector and topics
 * are removed at the end.
 */
import { loadavg } from "node:os";
import { startPlatform, stopPlatform } from "../platform";
import type { PlatformEndpoints } from "../platform";
import { ReceiverClient } from "../platform/receiverClient";
import { platformPids } from "./cpu";
import { fmt } from "./numbers";
import { createConnector, stackDefaults } from "./stackConnector";
import { createTopic, deleteTopic } from "./topics";
import { Arrivals } from "./load/arrivals";
import { startCpuMeter } from "./load/cpuMeter";
import type { CoresUsed } from "./load/cpuMeter";
import { kafkaAlone } from "./load/kafkaAlone";
import { recordTexts } from "./load/records";
import type { RecordTexts } from "./load/records";
import { parseLoadOptions } from "./load/options";
import type { LoadOptions } from "./load/options";
import { receiverAlone } from "./load/receiverAlone";
import { stepLine, stepTable } from "./load/report";
import { runStep } from "./load/step";
import type { StepResult } from "./load/step";
import { DECISION_RULES } from "./load/verdict";

const log = (line = "") => console.log(line);
const load = () =>
  loadavg()
    .map((l) => fmt(l, 2))
    .join(" / ");
const coresLine = (c: CoresUsed, others = "other processes") => {
  const ours = Object.values(c.processes).reduce((a, b) => a + b, 0);
  const each = Object.entries(c.processes).map(([name, n]) => `${name} ${fmt(n, 2)}`);
  return (
    `${each.join(", ")}; machine ${fmt(c.machine, 2)}/${c.machineCores} cores ` +
    `(${fmt(Math.max(0, c.machine - ours), 2)} of it ${others})`
  );
};

interface Run {
  readonly topic: string;
  readonly config: Record<string, string>;
  readonly path: string;
  readonly texts: RecordTexts;
}

async function steps(
  e: PlatformEndpoints,
  run: Run,
  o: LoadOptions,
  pids: Record<string, number>,
): Promise<StepResult[]> {
  const arrivals = await Arrivals.from(e.receiverUrl, run.path);
  const common = {
    url: `${e.restProxyUrl}/topics/${run.topic}`,
    seconds: o.seconds,
    batch: o.batch,
    concurrency: o.concurrency,
    recordOf: run.texts.record,
    pids,
    arrivals,
  };
  let next = 0;
  if (o.warmupSeconds > 0) {
    const warm = await runStep({
      ...common,
      seconds: o.warmupSeconds,
      step: 0,
      rate: o.steps[0],
      firstEvent: next,
    });
    next = warm.nextEvent;
    log(`warm-up (not counted): ${stepLine(warm)}`);
  }
  const results: StepResult[] = [];
  for (const [i, rate] of o.steps.entries()) {
    const result = await runStep({ ...common, step: i + 1, rate, firstEvent: next });
    next = result.nextEvent;
    results.push(result);
    log(stepLine(result));
    if (result.firstFailure) log(`  first failed request: ${result.firstFailure}`);
    if (!result.verdict.sustained) break;
  }
  return results;
}

async function limits(
  e: PlatformEndpoints,
  run: Run,
  o: LoadOptions,
  pids: Record<string, number>,
): Promise<{ kafka: number; receiver: number }> {
  const c = run.config;
  let meter = startCpuMeter(pids);
  const kafka = await kafkaAlone(run.topic, o.limitSeconds, (n) => ({
    key: run.texts.key(n),
    value: run.texts.value(n, Date.now(), -1),
  }));
  log(
    `Kafka alone: ${fmt(kafka.eventsPerSecond)} events/s (${fmt(kafka.events)} in ` +
      `${fmt(kafka.seconds, 1)} s, ${kafka.errors} errors; one kafka-clients producer, ` +
      `acks=${kafka.acks} linger.ms=${kafka.lingerMs} batch.size=${kafka.batchSize} ` +
      `compression=${kafka.compression}, the REST proxy's settings; producer JVM ` +
      `${fmt(kafka.cpuSeconds / kafka.seconds, 2)} cores); over the run: ${coresLine(meter.stop(), "other processes, the producer JVM among them")}`,
  );
  const tasks = Number(c["tasks.max"]);
  const batch = Number(c["batch.max.size"]);
  const headers = Object.fromEntries(
    (c.headers ?? "")
      .split(c["header.separator"] ?? "|")
      .filter((h) => h.includes(":"))
      .map((h) => [h.slice(0, h.indexOf(":")).trim(), h.slice(h.indexOf(":") + 1).trim()]),
  );
  meter = startCpuMeter(pids);
  const receiver = await receiverAlone({
    url: `${e.receiverUrl}${run.path}/receiver-alone`,
    senders: tasks,
    batch,
    prefix: c["batch.prefix"],
    separator: c["batch.separator"],
    suffix: c["batch.suffix"],
    headers,
    seconds: o.limitSeconds,
    valueOf: (n) => run.texts.value(n, Date.now(), -2),
  });
  log(
    `receiver alone: ${fmt(receiver.eventsPerSecond)} events/s (${fmt(receiver.events)} in ` +
      `${o.limitSeconds} s, ${receiver.failedRequests} failed requests; ${tasks} senders, ` +
      `batches of ${batch} as the connector's tasks send them); over the run: ` +
      coresLine(meter.stop()),
  );
  return { kafka: kafka.eventsPerSecond, receiver: receiver.eventsPerSecond };
}

async function main() {
  const o = parseLoadOptions();
  const platform = await startPlatform({ log: (line) => console.error(`[platform] ${line}`) });
  const e = platform.endpoints;
  const receiver = new ReceiverClient(e.receiverUrl);
  const latencyBefore = (await receiver.stats()).behaviour.latencyMs;
  const stamp = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
  const topic = `bench.load.${stamp}`;
  const path = `/bench/load/${stamp}`;
  const name = `bench-load-${stamp}`;
  const config = stackDefaults(e, name, topic, path);
  const run: Run = { topic, path, config, texts: recordTexts(stamp) };
  const dlq = run.config["errors.deadletterqueue.topic.name"];
  let deleteConnector: (() => Promise<void>) | undefined;
  try {
    await createTopic(e, topic, o.partitions);
    if (dlq) await createTopic(e, dlq, 1);
    await receiver.latency(o.latencyMs);
    deleteConnector = await createConnector(e, name, run.config);
    const pids = platformPids();
    const c = run.config;
    log(
      `bench:load ${new Date().toISOString()}: steps ${o.steps.map((s) => fmt(s)).join(", ")} ` +
        `events/s, ${o.seconds} s each; ${fmt(Buffer.byteLength(run.texts.value(1, Date.now(), 1)))} ` +
        `bytes an event, ${o.batch} a POST, ${o.concurrency} POSTs in flight; topic of ` +
        `${o.partitions} partitions; connector (stack defaults): tasks.max=${c["tasks.max"]} ` +
        `batch.max.size=${c["batch.max.size"]} max.poll.records=${c["consumer.override.max.poll.records"]}; ` +
        `receiver latency ${o.latencyMs} ms; load average ${load()} (1/5/15 min)`,
    );
    for (const rule of DECISION_RULES) log(`  ${rule}`);
    const results = await steps(e, run, o, pids);
    await deleteConnector();
    deleteConnector = undefined;

    const sustained = results.filter((r) => r.verdict.sustained);
    const failed = results.find((r) => !r.verdict.sustained);
    log();
    for (const line of stepTable(results)) log(line);
    log();
    if (failed) {
      log(
        `step ${fmt(failed.figures.target)}/s not sustained: ${failed.verdict.reasons.join("; ")}`,
      );
      log(`saturated: ${failed.verdict.saturated}`);
    } else {
      log("every step was sustained: nothing saturated within the steps asked");
    }
    const rate = Math.max(0, ...sustained.map((r) => r.figures.delivered));
    const bounds = await limits(e, run, o, pids);
    const ratio = (bound: number) => (rate > 0 ? fmt(rate / bound, 2) : "n/a");
    log(
      `pipeline sustained ${rate > 0 ? `${fmt(rate)} events/s` : "no step"}: ${ratio(bounds.kafka)} ` +
        `of Kafka alone (${fmt(bounds.kafka)}/s), ${ratio(bounds.receiver)} of the receiver ` +
        `alone (${fmt(bounds.receiver)}/s); load average ${load()} (1/5/15 min)`,
    );
  } finally {
    if (deleteConnector) await deleteConnector().catch(() => undefined);
    await deleteTopic(e, topic);
    if (dlq) await deleteTopic(e, dlq);
    await receiver.latency(latencyBefore).catch(() => undefined);
    if (platform.started.length > 0) await stopPlatform({ only: platform.started });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.DEBUG ? err.stack : err.message) : err);
  process.exit(1);
});
