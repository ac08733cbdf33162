/**
 * `npm run bench:sink`: our HTTP sink connector (tracking.connect.http.HttpSinkConnector) alone
 * on the local platform's real worker against the receiver. Each run is a new connector on a new
 * topic (filled while the connector is paused, once all its tasks run) that delivers every event
 * of it (bench/sink/common.ts).
 *
 * 1. The matrix (bench/sink/matrix.ts): 1, 3 and 6 tasks on a 6-partition topic with the receiver
 *    answering at once and after a fixed delay per request, and the demo's own connector
 *    settings (Pulumi.local.yaml, bench/sink/demoSettings.ts) on a topic with the demo's
 *    partitions; a table of events/s beside the bound tasks x batch / latency, with the ratios.
 * 2. Batch sizes x gzip with one task (bench/sink/batches.ts): events/s, bytes, worker CPU.
 *
 * Confluent's connector is not measured: its plugin is not available to this project's
 * machines. Nothing here asserts on time.
 */
import { join } from "node:path";
import { Command } from "commander";
import { startPlatform, stopPlatform } from "../platform";
import { ReceiverClient } from "../platform/receiverClient";
import { runBatches } from "./sink/batches";
import { event } from "./events";
import { fmt } from "./numbers";
import { demoSettings } from "./sink/demoSettings";
import { matrixTable, runMatrix } from "./sink/matrix";

const PARTITIONS = 6;

function positiveList(text: string, option: string, zeroOk = false): number[] {
  const list = text.split(",").map(Number);
  if (list.some((n) => !Number.isInteger(n) || n < (zeroOk ? 0 : 1))) {
    throw new Error(
      `${option} must be ${zeroOk ? "non-negative" : "positive"} integers separated by commas, e.g. ${zeroOk ? "0,20" : "1,3,6"}`,
    );
  }
  return list;
}

async function main() {
  const options = new Command()
    .description("Our HTTP sink on the real worker: events/s by tasks and latency; batch x gzip")
    .option("--events <n>", "events in each topic, delivered by each run", "20000")
    .option("--only <part>", "matrix, batches or all", "all")
    .option("--tasks <list>", "tasks.max values of the matrix", "1,3,6")
    .option("--latencies <list>", "receiver delay per request (ms) of the matrix", "0,20")
    .option("--batch <n>", "batch.max.size of the matrix", "100")
    .option(
      "--batch-sizes <list>",
      "batch.max.size values of the batch x gzip runs",
      "1,10,100,500",
    )
    .option("--quick", "5,000 events, batch x gzip at 10 and 100 only")
    .parse()
    .opts<{
      events: string;
      only: string;
      tasks: string;
      latencies: string;
      batch: string;
      batchSizes: string;
      quick?: boolean;
    }>();
  const count = options.quick ? 5000 : Number(options.events);
  if (!Number.isInteger(count) || count < 1) throw new Error("--events must be a positive integer");
  if (!["matrix", "batches", "all"].includes(options.only)) {
    throw new Error("--only must be matrix, batches or all");
  }
  const taskCounts = positiveList(options.tasks, "--tasks");
  const latencies = positiveList(options.latencies, "--latencies", true);
  const [batch] = positiveList(options.batch, "--batch");
  const batches = options.quick ? [10, 100] : positiveList(options.batchSizes, "--batch-sizes");
  const demo = demoSettings(join(__dirname, ".."));

  const platform = await startPlatform({ log: (line) => console.error(`[platform] ${line}`) });
  const e = platform.endpoints;
  const client = new ReceiverClient(e.receiverUrl);
  const log = (line: string) => console.log(line);
  try {
    log(
      `${fmt(count)} events per run (${fmt(Buffer.byteLength(JSON.stringify(event(1))))} bytes ` +
        "each), keyed, spread over the partitions",
    );
    if (options.only !== "batches") {
      const d = demo.config;
      log(
        `matrix: batch.max.size=${batch}, JsonConverter (schemas off), JSON array bodies, ` +
          `${PARTITIONS} partitions; demo: tasks.max=${d["tasks.max"]} ` +
          `batch.max.size=${d["batch.max.size"]} ${d["value.converter"].split(".").pop()} ` +
          `request.body.format=${d["request.body.format"]} ` +
          `max.poll.records=${d["consumer.override.max.poll.records"]} ` +
          `errors.tolerance=${d["errors.tolerance"]}, ${demo.partitions} partitions`,
      );
      const cells = await runMatrix(
        e,
        client,
        {
          partitions: PARTITIONS,
          demoPartitions: demo.partitions,
          demoConfig: demo.config,
          events: count,
          batch,
          taskCounts,
          latencies,
        },
        log,
      );
      log("");
      for (const line of matrixTable(cells)) log(line);
      log("");
    }
    if (options.only !== "matrix") {
      log(`batch x gzip: 1 partition, 1 task, receiver answering at once`);
      await runBatches(e, client, count, batches, log);
    }
  } finally {
    await client.reset().catch(() => undefined);
    if (platform.started.length > 0) await stopPlatform({ only: platform.started });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.DEBUG ? err.stack : err.message) : err);
  process.exit(1);
});
