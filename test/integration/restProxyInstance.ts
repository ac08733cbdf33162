import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ensureFetched, resolveSettings, startComponent } from "../../platform";
import { restProxyComponent, stateFiles } from "../../platform/components";
import { metricsUrl } from "../../platform/metricsAgent";
import { stopProcess } from "../../platform/processes";
import { freePort } from "../boot/javaProcess";
import { platformEndpoints } from "./platform";

/** A REST proxy stand-in a test started beside the platform's, known by its recorded pid. */
export interface RestProxyInstance {
  readonly url: string;
  readonly metricsUrl: string;
  /** SIGTERM by the recorded pid, SIGKILL after the grace period; removes its home. */
  stop(): Promise<void>;
}

/**
 * Starts a second REST proxy stand-in on the platform's Kafka with more of Confluent's keys
 * (`overrides`), built exactly as the platform builds its own (platform/components.ts, with the
 * metrics agent and our rules) and started by the platform's own start code, in a home of its
 * own and on two free loopback ports (the proxy's and its metrics agent's). Rejects, with the
 * tail of its log, when the proxy exits before it is ready; its home is removed then too.
 */
export async function startRestProxy(
  overrides: Readonly<Record<string, string | number>>,
): Promise<RestProxyInstance> {
  const home = mkdtempSync(join(tmpdir(), "tracking-rest-proxy-"));
  const kafka = Number(platformEndpoints().kafkaBootstrap.split(":").pop());
  const restProxy = await freePort();
  let restProxyMetrics = await freePort();
  while (restProxyMetrics === restProxy) restProxyMetrics = await freePort();
  const options = { secure: false, home, ports: { kafka, restProxy, restProxyMetrics } };
  const settings = resolveSettings(options);
  const jars = ensureFetched(settings);
  const proxy = restProxyComponent(settings, jars, overrides);
  const stop = async () => {
    await stopProcess(stateFiles(settings, "rest-proxy").pidFile, 15_000);
    rmSync(home, { recursive: true, force: true });
  };
  try {
    await startComponent(
      options,
      jars,
      proxy,
      () => undefined,
      () => undefined,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  return { url: proxy.endpoint, metricsUrl: metricsUrl(settings, "rest-proxy"), stop };
}
