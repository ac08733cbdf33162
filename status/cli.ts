import { Command, InvalidArgumentError } from "commander";
import { resolve } from "node:path";
import { collectStatus } from "./collect";
import { renderStatus } from "./render";
import { targetFromStack } from "./target";

/**
 * `npm run status`: a stack's pipeline, one row per destination (see status/README.md).
 * Exits 0 when every connector and task runs and every part answered, 1 otherwise.
 */

function seconds(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 1)
    throw new InvalidArgumentError("a number of seconds, at least 1");
  return n;
}

interface Options {
  stack: string;
  json?: boolean;
  watch?: number | true;
  connectUrl?: string;
  metricsUrl?: string;
  kafka?: string;
}

async function once(opts: Options): Promise<boolean> {
  const target = targetFromStack(resolve(__dirname, ".."), opts.stack, {
    connectUrl: opts.connectUrl,
    metricsUrl: opts.metricsUrl,
    kafkaBootstrap: opts.kafka?.split(","),
  });
  const status = await collectStatus(target);
  process.stdout.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : renderStatus(status));
  return (
    status.problems.length === 0 &&
    status.sinks.every((s) => s.state === "RUNNING" && s.tasks.every((t) => t.state === "RUNNING"))
  );
}

async function main(): Promise<void> {
  const opts = new Command("status")
    .description(
      "connector and task states, lag, delivered and dead-lettered events per destination",
    )
    .option("--stack <name>", "the stack whose Pulumi.<stack>.yaml names the pipeline", "local")
    .option("--json", "print the status as JSON, for scripts")
    .option("--watch [seconds]", "refresh every few seconds (default 5) until Ctrl-C", seconds)
    .option("--connect-url <url>", "the Connect REST API (default: the stack's connectUrl)")
    .option(
      "--metrics-url <url>",
      "the workers' Prometheus endpoint (default on local: the platform's)",
    )
    .option("--kafka <servers>", "bootstrap servers, comma-separated (default: the stack's)")
    .parse()
    .opts<Options>();
  if (opts.watch === undefined) {
    process.exitCode = (await once(opts)) ? 0 : 1;
    return;
  }
  const interval = opts.watch === true ? 5 : opts.watch;
  for (;;) {
    if (!opts.json) process.stdout.write("\x1b[2J\x1b[H");
    await once(opts);
    await new Promise((r) => setTimeout(r, interval * 1000));
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`status: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 2;
});
