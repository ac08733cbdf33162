/** The flags of `npm run bench:load`, checked before anything starts; a bad one is named. */
import { Command } from "commander";
import { stackConfigSchema } from "../../config";

export interface LoadOptions {
  /** Offered events per second, one step each, in order. */
  readonly steps: readonly number[];
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Records per POST to the REST proxy. */
  readonly batch: number;
  /** POSTs in flight at most. */
  readonly concurrency: number;
  readonly partitions: number;
  /** The receiver's delay per answer. */
  readonly latencyMs: number;
  /** Seconds of each limit measurement (Kafka alone, the receiver alone). */
  readonly limitSeconds: number;
}

const STACK_PARTITIONS = stackConfigSchema.shape.topicPartitions.parse(undefined);

function wholeNumber(text: string, flag: string, min: number): number {
  const n = Number(text);
  if (text.trim() === "" || !Number.isInteger(n) || n < min) {
    throw new Error(`\`${flag}\` must be a whole number of at least ${min} (got "${text}").`);
  }
  return n;
}

function rateList(text: string, flag: string): number[] {
  const parts = text.split(",");
  if (parts.some((p) => !/^\s*\d+\s*$/.test(p) || Number(p) < 1)) {
    throw new Error(
      `\`${flag}\` must be events per second as positive whole numbers separated by commas, ` +
        `e.g. 1000,2000 (got "${text}").`,
    );
  }
  return parts.map(Number);
}

export function parseLoadOptions(argv: readonly string[] = process.argv): LoadOptions {
  const raw = new Command()
    .name("bench:load")
    .description(
      "Offered load in steps through the REST proxy to the receiver, with the stack's default " +
        "connector; stops at the first step not sustained and names the saturated part; then " +
        "Kafka alone and the receiver alone",
    )
    .option("--steps <list>", "offered events/s of each step", "1000,2000,5000,10000,20000")
    .option("--seconds <n>", "seconds of each step", "30")
    .option("--warmup-seconds <n>", "seconds at the first step's rate before measuring", "5")
    .option("--batch <n>", "records per POST to the REST proxy", "100")
    .option("--concurrency <n>", "POSTs to the REST proxy in flight at most", "32")
    .option("--partitions <n>", "partitions of the bench topic", String(STACK_PARTITIONS))
    .option("--latency-ms <n>", "the receiver's delay per answer", "0")
    .option("--limit-seconds <n>", "seconds of Kafka alone and of the receiver alone", "10")
    .allowExcessArguments(false)
    .parse([...argv])
    .opts<Record<keyof LoadOptions, string>>();
  return {
    steps: rateList(raw.steps, "--steps"),
    seconds: wholeNumber(raw.seconds, "--seconds", 5),
    warmupSeconds: wholeNumber(raw.warmupSeconds, "--warmup-seconds", 0),
    batch: wholeNumber(raw.batch, "--batch", 1),
    concurrency: wholeNumber(raw.concurrency, "--concurrency", 1),
    partitions: wholeNumber(raw.partitions, "--partitions", 1),
    latencyMs: wholeNumber(raw.latencyMs, "--latency-ms", 0),
    limitSeconds: wholeNumber(raw.limitSeconds, "--limit-seconds", 1),
  };
}
