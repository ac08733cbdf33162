import { existsSync, readFileSync } from "node:fs";
import { agentChanges } from "./metricsAgent";
import { readPid } from "./processes";

/**
 * When `up` finds the worker running, it reuses it only if the worker read the properties this
 * build would write: a worker started by an older build (say, before the secrets folder's config
 * provider) must not go on running silently without them. `worker.properties` is rewritten just
 * before each start, so the file on disk is what the running worker read. The JVM options are
 * compared too, through the command line recorded in the pid file: a worker (or REST proxy)
 * started without the metrics agent, or with another agent version, port or rules file, is
 * restarted as well.
 */

/**
 * Keys left out of the comparison. `plugin.path` names the jar cache folder of a version key:
 * a new connector build changes it, and restarting the shared worker on every connector edit is
 * a separate decision (`npm run platform -- down` then `up` picks the new jars).
 */
export const REUSE_IGNORED_KEYS: readonly string[] = ["plugin.path"];

/** Parses the `key=value` lines that `properties()` writes (no escapes, no continuations). */
export function parseProperties(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    if (line.trim() === "" || line.startsWith("#") || line.startsWith("!")) continue;
    const eq = line.indexOf("=");
    if (eq < 0) values.set(line, "");
    else values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}

/**
 * The keys (names only: the secured profile's values hold passwords) whose value differs between
 * the properties the running process read and those this build would write, sorted. Empty when
 * the process can be reused.
 */
export function changedProperties(
  running: string,
  wanted: Readonly<Record<string, string | number>>,
  ignored: readonly string[] = REUSE_IGNORED_KEYS,
): string[] {
  const had = parseProperties(running);
  const want = new Map(Object.entries(wanted).map(([k, v]) => [k, String(v)]));
  const keys = new Set([...had.keys(), ...want.keys()]);
  return [...keys]
    .filter((k) => !ignored.includes(k) && had.get(k) !== want.get(k))
    .sort((a, b) => a.localeCompare(b));
}

/**
 * What changed since the running worker started: its properties file against `wanted`. A missing
 * file counts as every wanted key changed.
 */
export function workerConfigChanges(
  configFile: string,
  wanted: Readonly<Record<string, string | number>>,
): string[] {
  const running = existsSync(configFile) ? readFileSync(configFile, "utf8") : "";
  return changedProperties(running, wanted);
}

/**
 * `["-javaagent"]` when the process recorded in `pidFile` was started with other agent options
 * than `wanted` (this build's command line), else `[]`. A pid file without a command counts as
 * started without the agent.
 */
export function jvmOptionChanges(pidFile: string, wanted: readonly string[]): string[] {
  return agentChanges(readPid(pidFile)?.command ?? [], wanted);
}
