import { existsSync } from "node:fs";
import { basename } from "node:path";
import { Component, ComponentName, HOST } from "./component";
import { rulesFile } from "../components/metricsAgent";
import type { MetricsRules as MetricsProcess } from "../components/metricsAgent";
import { PlatformJars, jmxAgentJar } from "./fetch";
import { portOpen } from "./probes";
import { PORT_ENV, PlatformPorts, PlatformSettings } from "./settings";

/**
 * The Prometheus JMX exporter's Java agent in the platform's Connect worker and REST proxy:
 * `-javaagent:<jar>=127.0.0.1:<port>:<rules file>`. Given a host, the agent binds that address
 * only (without one it would bind 0.0.0.0). The rules are ours, in observability/jmx-exporter/;
 * the agent rereads the file when it changes, so editing the rules needs no restart.
 */

/** Our rules files, one per process that carries the agent: the ones the stack's pods load. */
export { RULES_DIR, rulesFile } from "../components/metricsAgent";
export type { MetricsRules as MetricsProcess } from "../components/metricsAgent";

/** The components whose JVM carries the agent, each on a metrics port of its own. */
export const METRICS_PROCESS: Partial<Record<ComponentName, MetricsProcess>> = {
  connect: "connect",
  "rest-proxy": "rest-proxy",
};

const PORT_KEY: Record<MetricsProcess, keyof PlatformPorts> = {
  connect: "connectMetrics",
  "rest-proxy": "restProxyMetrics",
};

export function metricsPort(settings: PlatformSettings, process: MetricsProcess): number {
  return settings.ports[PORT_KEY[process]];
}

/** Where Prometheus (or a test) scrapes a process's metrics. */
export function metricsUrl(settings: PlatformSettings, process: MetricsProcess): string {
  return `http://${HOST}:${metricsPort(settings, process)}/metrics`;
}

/** The `-javaagent:` JVM option of a process. */
export function agentOption(
  settings: PlatformSettings,
  jars: PlatformJars,
  process: MetricsProcess,
): string {
  return `-javaagent:${jmxAgentJar(jars)}=${HOST}:${metricsPort(settings, process)}:${rulesFile(process)}`;
}

/**
 * The same component, its JVM started with the agent: the option goes last among the JVM
 * options, just before `-cp`, so that TRACKING_PLATFORM_JVM_OPTS keeps its place after the
 * platform's own flags.
 */
export function withMetricsAgent(
  component: Component,
  settings: PlatformSettings,
  jars: PlatformJars,
  process: MetricsProcess,
): Component {
  return {
    ...component,
    command() {
      const { command, args } = component.command();
      const cp = args.indexOf("-cp");
      const at = cp < 0 ? 0 : cp;
      const option = agentOption(settings, jars, process);
      return { command, args: [...args.slice(0, at), option, ...args.slice(at)] };
    },
  };
}

/** Why the agent cannot start (its jar or rules file missing), or undefined when it can. */
export function agentMissing(jars: PlatformJars, process: MetricsProcess): string | undefined {
  const missing = [jmxAgentJar(jars), rulesFile(process)].find((file) => !existsSync(file));
  if (missing === undefined) return undefined;
  return (
    `${process}: the metrics agent needs ${missing}, which is missing. Run ` +
    "`npm run platform -- fetch` for the agent jar, or restore observability/jmx-exporter/."
  );
}

/**
 * Before a component with the agent starts: its jar and rules file exist and its metrics port is
 * free (the agent would otherwise end the JVM with a bind error in its log).
 */
export async function checkAgentCanStart(
  settings: PlatformSettings,
  jars: PlatformJars,
  name: ComponentName,
): Promise<void> {
  const process = METRICS_PROCESS[name];
  if (!process) return;
  const missing = agentMissing(jars, process);
  if (missing) throw new Error(missing);
  if (await portOpen(HOST, metricsPort(settings, process))) {
    throw new Error(metricsPortTaken(settings, process));
  }
}

/** The message when a process's metrics port is taken, naming the setting that moves it. */
export function metricsPortTaken(settings: PlatformSettings, process: MetricsProcess): string {
  const key = PORT_KEY[process];
  return (
    `${process}: the metrics port ${settings.ports[key]} is already taken by another process. ` +
    `Stop that process, or pick another port with \`${PORT_ENV[key]}\`.`
  );
}

/**
 * The agent options of a command line, with the jar reduced to its file name: the jar's folder
 * is the cache folder of a version key, which changes with every connector build (the reuse
 * check ignores `plugin.path` for the same reason), while the file name carries the version.
 */
export function agentOptions(command: readonly string[]): string[] {
  return command
    .filter((arg) => arg.startsWith("-javaagent:"))
    .map((arg) => {
      const spec = arg.slice("-javaagent:".length);
      const eq = spec.indexOf("=");
      const jar = eq < 0 ? spec : spec.slice(0, eq);
      return `-javaagent:${basename(jar)}${eq < 0 ? "" : spec.slice(eq)}`;
    });
}

/**
 * `["-javaagent"]` when the running process's command line (from its pid record) carries other
 * agent options than this build's (none, another version, port or rules file), else `[]`.
 */
export function agentChanges(running: readonly string[], wanted: readonly string[]): string[] {
  const had = agentOptions(running);
  const want = agentOptions(wanted);
  const same = had.length === want.length && had.every((a, i) => a === want[i]);
  return same ? [] : ["-javaagent"];
}
