/**
 * `npm run bench:connectors`: how long 20 connectors take to be created and RUNNING through the
 * Connector provider (in parallel, as `pulumi up` creates independent resources) versus the
 * original demo's shell script (`bench/curl-create.sh`: one curl PUT per connector, then polling
 * each status), and how long a no-change read (refresh) of all 20 takes. Medians of `--runs`
 * runs, everything deleted between runs. Nothing here asserts on time.
 */
import { execFile } from "node:child_process";
import { join } from "node:path";
import axios from "axios";
import { Command } from "commander";
import { startPlatform, stopPlatform } from "../platform";
import type { PlatformEndpoints } from "../platform";
import {
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  PROVIDER_VERSION,
} from "../providers/connect/provider";

const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)}s`;

function inputsOf(e: PlatformEndpoints, name: string, topic: string): ConnectorInputs {
  // The same connector config the shell script PUTs.
  return {
    connect: { url: e.connectUrl },
    connectSecrets: {},
    name,
    config: {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}/${name}`,
    },
    secretConfig: {},
    state: "RUNNING",
    restartPolicy: { type: "on-failure", maxRestarts: 10 },
    waitTimeoutSeconds: 120,
    providerVersion: PROVIDER_VERSION,
  };
}

async function timed<T>(body: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = process.hrtime.bigint();
  const value = await body();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, value };
}

function curlCreate(e: PlatformEndpoints, prefix: string, topic: string, count: number) {
  return new Promise<void>((resolve, reject) =>
    execFile(
      join(__dirname, "curl-create.sh"),
      [],
      {
        env: {
          ...process.env,
          CONNECT_URL: e.connectUrl,
          CONNECTOR_CLASS: e.httpSinkConnectorClass,
          TOPIC: topic,
          RECEIVER_URL: e.receiverUrl,
          PREFIX: prefix,
          COUNT: String(count),
        },
        timeout: 300_000,
      },
      (err, _stdout, stderr) => (err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve()),
    ),
  );
}

/** Deletes through the provider, which waits until the worker has forgotten each connector. */
async function removeAll(e: PlatformEndpoints, names: readonly string[]) {
  await Promise.all(
    names.map((name) =>
      connectorProvider.delete!(name, {
        connect: { url: e.connectUrl },
        connectSecrets: {},
      } as ConnectorOutputs),
    ),
  );
}

async function main() {
  const options = new Command()
    .description("Creating 20 connectors: the provider in parallel versus curl one by one")
    .option("--runs <n>", "runs; the medians are printed", "3")
    .option("--count <n>", "connectors per run", "20")
    .parse()
    .opts<{ runs: string; count: string }>();
  const runs = Number(options.runs);
  const count = Number(options.count);

  const platform = await startPlatform({ log: (line) => console.error(`[platform] ${line}`) });
  const e = platform.endpoints;
  const topic = `bench-connectors-${Date.now().toString(36)}`;
  await axios.post(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`, {
    topic_name: topic,
    partitions_count: 1,
    replication_factor: 1,
  });
  const provider: number[] = [];
  const curl: number[] = [];
  const refresh: number[] = [];
  try {
    for (let run = 1; run <= runs; run++) {
      const tag = `${Date.now().toString(36)}-${run}`;
      const names = Array.from({ length: count }, (_, i) => `bench-provider-${tag}-${i}`);
      const created = await timed(() =>
        Promise.all(names.map((name) => connectorProvider.create(inputsOf(e, name, topic)))),
      );
      provider.push(created.ms);
      const read = await timed(() =>
        Promise.all(created.value.map((c) => connectorProvider.read!(c.id, c.outs))),
      );
      refresh.push(read.ms);
      await removeAll(e, names);

      const prefix = `bench-curl-${tag}`;
      const byCurl = await timed(() => curlCreate(e, prefix, topic, count));
      curl.push(byCurl.ms);
      await removeAll(
        e,
        Array.from({ length: count }, (_, i) => `${prefix}-${i}`),
      );
      console.log(
        `run ${run}: provider ${seconds(created.ms)}, curl ${seconds(byCurl.ms)}, ` +
          `refresh ${seconds(read.ms)}`,
      );
    }
  } finally {
    await axios
      .delete(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics/${topic}`)
      .catch(() => undefined);
    if (platform.started.length > 0) await stopPlatform({ only: platform.started });
  }
  const p = median(provider);
  const c = median(curl);
  console.log(
    `create${count} provider=${seconds(p)} curl=${seconds(c)} ratio=${(p / c).toFixed(2)} ` +
      `refresh${count}=${seconds(median(refresh))}`,
  );
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (process.env.DEBUG ? err.stack : err.message) : err);
  process.exit(1);
});
