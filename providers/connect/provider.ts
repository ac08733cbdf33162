import * as pulumi from "@pulumi/pulumi";
import {
  connectClient,
  isConnectApiError,
  ConnectClient,
  ConnectEndpoint,
  ConnectorStatus,
  isMissingEndpoint,
  ServerInfo,
} from "./client";
import { warn } from "./log";

/** Bumped whenever the provider's behaviour changes, so that the change rolls out as an update. */
export const PROVIDER_VERSION = "3";

export type DesiredState = "RUNNING" | "PAUSED" | "STOPPED";

export interface RestartPolicy {
  /** `never`, or `on-failure`: failed connectors and tasks are restarted on update and refresh. */
  readonly type: "never" | "on-failure";
  /** Restarts allowed (in a row, see `restartBackoffMinutes`) before the provider gives up. */
  readonly maxRestarts: number;
}

/** The parts of the endpoint that are secret; kept in state as a Pulumi secret. */
export interface EndpointSecrets {
  readonly password?: string;
  readonly keyPem?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the provider receives: every input resolved. */
export interface ConnectorInputs {
  readonly connect: Omit<ConnectEndpoint, keyof EndpointSecrets>;
  readonly connectSecrets: EndpointSecrets;
  readonly name: string;
  /** Non-secret connector config, every value a string. */
  readonly config: Record<string, string>;
  /** Secret connector config (passwords, tokens); never read back, tracked by hash. */
  readonly secretConfig: Record<string, string>;
  readonly state: DesiredState;
  readonly restartPolicy: RestartPolicy;
  /** How long create and update wait for the worker and the declared state, in seconds. */
  readonly waitTimeoutSeconds: number;
  readonly providerVersion: string;
  /**
   * A connector whose committed offsets the new connector starts from (a rename). `check` fills
   * it in with the old name when `name` changes; "" turns the copy off.
   */
  readonly offsetsFrom?: string;
}

/** What the provider stores: the inputs without secret values, plus what the worker reports. */
export interface ConnectorOutputs extends Omit<ConnectorInputs, "secretConfig"> {
  /** Salted SHA-256 per secret key, so a changed secret is an update and a masked read is not. */
  readonly secretHashes: Record<string, string>;
  readonly connectorState: string;
  readonly taskStates: string[];
  /** Restarts in a row under the restart policy; reset once the connector ran for the backoff. */
  readonly restarts: number;
  /** ISO time of the last restart under the policy; "" when none. */
  readonly lastRestartAt: string;
  /** The connector whose offsets this one started from; "" when none were copied. */
  readonly offsetsCopiedFrom: string;
}

/** The engine's placeholder for a value that is not known until apply (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

/** Environment variables an import by name reads when the state carries no endpoint. */
export const IMPORT_ENV = {
  url: "TRACKING_CONNECT_URL",
  username: "TRACKING_CONNECT_USERNAME",
  password: "TRACKING_CONNECT_PASSWORD",
} as const;

export function hashSecret(name: string, key: string, value: string): string {
  // Required here, not at the top, so that the serialized provider stays self-contained.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const crypto = require("crypto") as typeof import("crypto");
  return crypto.createHash("sha256").update(`${name}\u0000${key}\u0000${value}`).digest("hex");
}

export function hashSecrets(name: string, secrets: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const key of Object.keys(secrets).sort()) out[key] = hashSecret(name, key, secrets[key]);
  return out;
}

/**
 * A value that cannot be compared with what was sent: masked (`[hidden]`, as validate answers for
 * PASSWORD keys), or a config provider reference such as `${file:/secrets:pw}`.
 */
export function isMasked(value: string | undefined): boolean {
  return value === undefined || /^(\[hidden\]|\*+|<hidden>|\$\{.*\})$/.test(value);
}

/** JSON with object keys sorted at every level, so that comparisons ignore key order. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) =>
            a < b ? -1 : a > b ? 1 : 0,
          ),
        )
      : v,
  );
}

/** Replaces every secret value in `text`, so that worker messages can be shown safely. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  // Longest first, so that a secret containing another is replaced whole.
  const values = secrets
    .filter((s): s is string => typeof s === "string" && s.length >= 3)
    .sort((a, b) => b.length - a.length);
  for (const value of values) out = out.split(value).join("[secret]");
  return out;
}

/** Summarises a Java stack trace to its message and causes. */
export function summariseTrace(trace: string | undefined): string {
  if (!trace) return "no trace reported";
  const lines = trace.split("\n").map((l) => l.trim());
  const keep = [lines[0], ...lines.filter((l) => l.startsWith("Caused by:"))];
  return keep.join(" | ").slice(0, 1000);
}

export function describeStatus(status: ConnectorStatus | undefined): {
  connectorState: string;
  taskStates: string[];
} {
  if (!status) return { connectorState: "ABSENT", taskStates: [] };
  return {
    connectorState: status.connector.state,
    taskStates: [...status.tasks].sort((a, b) => a.id - b.id).map((t) => `${t.id}:${t.state}`),
  };
}

/** The failed connector and tasks, each with its summarised trace. */
export function failures(status: ConnectorStatus | undefined): string[] {
  if (!status) return [];
  const out: string[] = [];
  if (status.connector.state === "FAILED") {
    out.push(`connector: ${summariseTrace(status.connector.trace)}`);
  }
  for (const task of status.tasks) {
    if (task.state === "FAILED") out.push(`task ${task.id}: ${summariseTrace(task.trace)}`);
  }
  return out;
}

/**
 * True when the worker reports the connector, and each of its tasks, in the declared state. For a
 * sink, `tasksMax` is also awaited: right after a config change the status still shows the old
 * tasks, and sink connectors run exactly `tasks.max` tasks.
 */
export function reached(
  status: ConnectorStatus | undefined,
  desired: DesiredState,
  tasksMax?: string,
): boolean {
  if (!status || status.connector.state !== desired) return false;
  if (desired === "RUNNING") {
    const expected = status.type === "sink" && tasksMax ? Number(tasksMax) : NaN;
    if (Number.isInteger(expected) && status.tasks.length !== expected) return false;
    return status.tasks.length > 0 && status.tasks.every((t) => t.state === "RUNNING");
  }
  // STOPPED releases the tasks; PAUSED from STOPPED has none until it is resumed.
  if (desired === "STOPPED") return status.tasks.length === 0;
  return status.tasks.every((t) => t.state === "PAUSED");
}

/**
 * Kafka's `major * 1000 + minor` from a worker's version. Confluent Platform reports its own
 * version (`7.9.1-ccs`): CP 7.x ships Kafka 3.x and CP 8.x ships Kafka 4.x.
 */
export function kafkaVersionOf(version: string | undefined): number {
  const match = /^(\d+)\.(\d+)(.*)$/.exec(version ?? "");
  if (!match) return 0;
  let major = Number(match[1]);
  if (/-c(cs|e)\b/.test(match[3]) && major >= 7) major -= 4;
  return major * 1000 + Number(match[2]);
}

// --- Restart policy ---------------------------------------------------------------------------

/** Strimzi's auto-restart backoff: after the n-th restart in a row, wait min(n*n + n, 60) minutes. */
export function restartBackoffMinutes(restarts: number): number {
  return Math.min(restarts * restarts + restarts, 60);
}

export interface RestartBook {
  readonly restarts: number;
  /** ISO time, "" when never. */
  readonly lastRestartAt: string;
}

export type RestartPlan =
  | { readonly action: "none"; readonly book: RestartBook }
  | { readonly action: "restart"; readonly book: RestartBook }
  | { readonly action: "wait"; readonly book: RestartBook; readonly notBefore: string }
  | { readonly action: "give-up"; readonly book: RestartBook; readonly reason: string };

/**
 * What to do about the connector's health now. A healthy connector that has run for the current
 * backoff since the last restart gets its count reset; a failed one is restarted when the policy
 * allows and the backoff has passed.
 */
export function planRestart(
  policy: RestartPolicy,
  book: RestartBook,
  failed: boolean,
  now: Date,
): RestartPlan {
  const last = book.lastRestartAt ? Date.parse(book.lastRestartAt) : 0;
  const backoffMs = restartBackoffMinutes(book.restarts) * 60_000;
  if (!failed) {
    if (book.restarts > 0 && now.getTime() - last >= backoffMs) {
      return { action: "none", book: { restarts: 0, lastRestartAt: book.lastRestartAt } };
    }
    return { action: "none", book };
  }
  if (policy.type !== "on-failure") {
    return { action: "give-up", book, reason: "the restart policy is `never`" };
  }
  if (book.restarts >= policy.maxRestarts) {
    return {
      action: "give-up",
      book,
      reason: `\`restartPolicy.maxRestarts\` (${policy.maxRestarts}) restarts were made already`,
    };
  }
  if (book.restarts > 0 && now.getTime() - last < backoffMs) {
    return { action: "wait", book, notBefore: new Date(last + backoffMs).toISOString() };
  }
  return {
    action: "restart",
    book: { restarts: book.restarts + 1, lastRestartAt: now.toISOString() },
  };
}

// --- Lifecycle helpers ------------------------------------------------------------------------

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function transition(client: ConnectClient, name: string, desired: DesiredState) {
  if (desired === "RUNNING") await client.resume(name);
  else if (desired === "PAUSED") await client.pause(name);
  else await client.stop(name);
}

/** Polls, bounded, until `done(status)`; answers the last status seen. */
async function waitForStatus(
  client: ConnectClient,
  name: string,
  done: (status: ConnectorStatus | undefined) => boolean,
  timeoutMs: number,
): Promise<{ status: ConnectorStatus | undefined; ok: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const status = await client.getStatus(name);
    if (done(status)) return { status, ok: true };
    if (Date.now() > deadline) return { status, ok: false };
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
}

function failedError(name: string, failed: string[], why: string): Error {
  return new Error(
    `connector "${name}" failed: ${failed.join("; ")}. ${why} ` +
      "Fix the setting the trace names (or the destination it cannot reach), then run `pulumi up` again.",
  );
}

/**
 * Brings the connector to its declared state and waits, bounded, until the worker reports it.
 * During `update`, failed tasks are restarted as the restart policy allows; during `create` a
 * failure is reported at once with the summarised traces.
 */
async function settle(
  client: ConnectClient,
  inputs: ConnectorInputs,
  mode: "create" | "update",
  start: RestartBook,
): Promise<{ status: ConnectorStatus | undefined; book: RestartBook }> {
  const deadline = Date.now() + inputs.waitTimeoutSeconds * 1000;
  let book = start;
  let delay = 100;
  let lastTransition = 0;
  // Status can lag a config change by a moment: act on a failure once it has lasted 2 s.
  let failedSince = 0;
  for (;;) {
    const status = await client.getStatus(inputs.name);
    if (reached(status, inputs.state, inputs.config["tasks.max"])) return { status, book };
    const state = status?.connector.state;
    const stable = state === "RUNNING" || state === "PAUSED" || state === "STOPPED";
    if (stable && state !== inputs.state && Date.now() - lastTransition > 5_000) {
      // Re-issued every 5 s: a request can be lost in a rebalance.
      await transition(client, inputs.name, inputs.state);
      lastTransition = Date.now();
    }
    const failed = inputs.state === "RUNNING" ? failures(status) : [];
    if (failed.length === 0) {
      failedSince = 0;
    } else if (failedSince === 0) {
      failedSince = Date.now();
    } else if (Date.now() - failedSince >= 2_000) {
      if (mode === "create") {
        throw failedError(
          inputs.name,
          failed,
          "The connector was left on the worker for inspection; the next `pulumi up` updates it in place.",
        );
      }
      const plan = planRestart(inputs.restartPolicy, book, true, new Date());
      if (plan.action === "restart") {
        book = plan.book;
        await client.restart(inputs.name, true);
        failedSince = 0;
      } else if (plan.action === "wait") {
        throw failedError(
          inputs.name,
          failed,
          `The restart policy allows the next restart at ${plan.notBefore} (a \`pulumi refresh\` then restarts it).`,
        );
      } else if (plan.action === "give-up") {
        throw failedError(inputs.name, failed, `Not restarted: ${plan.reason}.`);
      }
    }
    if (Date.now() > deadline) {
      const seen = describeStatus(status);
      throw new Error(
        `connector "${inputs.name}" did not reach ${inputs.state} within ${inputs.waitTimeoutSeconds}s ` +
          `(connector ${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]). ` +
          "Check the Connect worker's log, or raise `waitTimeoutSeconds`.",
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
}

function endpointOf(inputs: Pick<ConnectorInputs, "connect" | "connectSecrets">): ConnectEndpoint {
  return { ...inputs.connect, ...(inputs.connectSecrets ?? {}) };
}

function fullConfig(inputs: ConnectorInputs): Record<string, string> {
  return { ...inputs.config, ...(inputs.secretConfig ?? {}), name: inputs.name };
}

/** Every secret value an error message could echo: connector secrets and endpoint secrets. */
function secretValues(inputs: Partial<ConnectorInputs>): string[] {
  const endpoint = inputs.connectSecrets ?? {};
  return [
    ...Object.values(inputs.secretConfig ?? {}),
    endpoint.password,
    endpoint.keyPem,
    ...Object.values(endpoint.headers ?? {}),
  ].filter((v): v is string => typeof v === "string");
}

/** Runs `body`; an error leaves with every secret value replaced. */
async function safely<T>(secrets: string[], body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // No `cause`: the original error's message is exactly what must not leave.
    // eslint-disable-next-line preserve-caught-error
    throw new Error(redact(message, secrets));
  }
}

function outputsOf(
  inputs: ConnectorInputs,
  status: ConnectorStatus | undefined,
  book: RestartBook,
  offsetsCopiedFrom: string,
): ConnectorOutputs {
  const { secretConfig, ...rest } = inputs;
  return {
    ...rest,
    secretHashes: hashSecrets(inputs.name, secretConfig ?? {}),
    ...describeStatus(status),
    restarts: book.restarts,
    lastRestartAt: book.lastRestartAt,
    offsetsCopiedFrom,
  };
}

/** Creates the connector, or adopts one of that name by putting the declared config on it. */
async function createOrAdopt(client: ConnectClient, inputs: ConnectorInputs, info: ServerInfo) {
  if (inputs.state === "RUNNING") {
    await client.putConfig(inputs.name, fullConfig(inputs));
  } else if (kafkaVersionOf(info.version) >= 3007) {
    // KIP-980: born paused or stopped, so no task ever runs against the declared state.
    const created = await client.createWithState(inputs.name, fullConfig(inputs), inputs.state);
    if (!created) await client.putConfig(inputs.name, fullConfig(inputs));
  } else {
    // Before Kafka 3.7 there is no initial_state: create, then settle() pauses or stops it.
    await client.putConfig(inputs.name, fullConfig(inputs));
  }
}

/**
 * A rename without events sent twice or skipped: the new connector is born STOPPED, the old one
 * is stopped (its tasks commit what they delivered), its committed offsets are written to the new
 * one, and only then does settle() start it. Answers the name offsets were copied from, or "".
 */
async function createFromOffsetsOf(
  client: ConnectClient,
  inputs: ConnectorInputs,
  from: string,
  info: ServerInfo,
): Promise<string> {
  const fallback = async (why: string) => {
    await warn(
      `connector "${inputs.name}": offsets of "${from}" not copied (${why}). It starts as a new ` +
        `consumer group "connect-${inputs.name}", at the position its consumer's auto.offset.reset ` +
        "gives (Connect's default for sinks: earliest, so retained events are sent again).",
    );
    await createOrAdopt(client, inputs, info);
    return "";
  };
  if (kafkaVersionOf(info.version) < 3007) {
    return fallback(`the worker runs ${info.version}; this needs Kafka 3.7+ (initial_state)`);
  }
  if (!(await client.getStatus(from))) return fallback(`"${from}" does not exist on the worker`);

  const created = await client.createWithState(inputs.name, fullConfig(inputs), "STOPPED");
  if (!created) {
    const existing = await client.getStatus(inputs.name);
    if (existing?.connector.state !== "STOPPED") {
      return fallback(`"${inputs.name}" exists already and has consumed on its own`);
    }
    // A retried create: the connector is still STOPPED from the earlier attempt.
    await client.putConfig(inputs.name, fullConfig(inputs));
  }
  const timeoutMs = inputs.waitTimeoutSeconds * 1000;
  await client.stop(from);
  for (const name of [inputs.name, from]) {
    const { ok, status } = await waitForStatus(
      client,
      name,
      (s) => reached(s, "STOPPED"),
      timeoutMs,
    );
    if (!ok) {
      const seen = describeStatus(status);
      throw new Error(
        `connector "${name}" did not stop within ${inputs.waitTimeoutSeconds}s (connector ` +
          `${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]); offsets were not copied. ` +
          "Check the Connect worker's log, or raise `waitTimeoutSeconds`.",
      );
    }
  }
  let offsets;
  try {
    offsets = (await client.getOffsets(from)) ?? [];
  } catch (err) {
    if (isMissingEndpoint(err)) return fallback("the worker has no offsets API (Kafka 3.5+)");
    throw err;
  }
  // Partitions the old group never committed have no offset; the new group starts them as usual.
  const committed = offsets.filter((o) => o.offset !== null);
  if (committed.length > 0) {
    try {
      await client.patchOffsets(inputs.name, committed);
    } catch (err) {
      if (isMissingEndpoint(err)) return fallback("the worker cannot alter offsets (Kafka 3.6+)");
      throw err;
    }
  }
  return from;
}

/** The endpoint of an import by name: the state's, or the TRACKING_CONNECT_* variables. */
function importEndpoint(id: string, props: Partial<ConnectorOutputs> | undefined) {
  if (props?.connect?.url) {
    return { connect: props.connect, connectSecrets: props.connectSecrets ?? {} };
  }
  const url = process.env[IMPORT_ENV.url];
  if (!url) {
    throw new Error(
      `cannot read connector "${id}": its state names no Connect endpoint. Set ` +
        `${IMPORT_ENV.url} (and ${IMPORT_ENV.username} / ${IMPORT_ENV.password} for basic auth), ` +
        "or use `Connector.get(name, id, { connect })`.",
    );
  }
  const username = process.env[IMPORT_ENV.username];
  const password = process.env[IMPORT_ENV.password];
  return {
    connect: username ? { url, username } : { url },
    connectSecrets: password ? { password } : {},
  };
}

/** Local checks that need no worker: name rules, required keys, every value a string. */
export function checkLocally(news: Record<string, unknown>): pulumi.dynamic.CheckFailure[] {
  const failures: pulumi.dynamic.CheckFailure[] = [];
  const name = news.name;
  if (typeof name === "string" && name !== UNKNOWN && !NAME_RULE.test(name)) {
    failures.push({
      property: "name",
      reason: `\`name\` "${name}" must be 1 to 249 letters, digits, dots, underscores or dashes, starting with a letter or digit`,
    });
  }
  const connect = news.connect as Partial<ConnectEndpoint> | undefined;
  if (!connect || typeof connect.url !== "string" || connect.url === "") {
    failures.push({
      property: "connect",
      reason: "`connect.url` is required: the Connect REST API's URL",
    });
  }
  const config = (news.config ?? {}) as Record<string, unknown>;
  const secretConfig = (news.secretConfig ?? {}) as Record<string, unknown>;
  for (const [source, map] of [
    ["config", config],
    ["secretConfig", secretConfig],
  ] as const) {
    for (const [key, value] of Object.entries(map)) {
      if (typeof value !== "string") {
        failures.push({
          property: source,
          reason: `\`${source}["${key}"]\` must be a string (found ${typeof value}); Connect rejects other types`,
        });
      }
    }
  }
  for (const key of Object.keys(secretConfig)) {
    if (key in config) {
      failures.push({
        property: "secretConfig",
        reason: `\`${key}\` is in both \`config\` and \`secretConfig\`; keep it in \`secretConfig\` only`,
      });
    }
  }
  if (!("connector.class" in config)) {
    failures.push({ property: "config", reason: '`config["connector.class"]` is required' });
  }
  if (!("topics" in config) && !("topics.regex" in config)) {
    failures.push({
      property: "config",
      reason: '`config["topics"]` (or `topics.regex`) is required for a sink connector',
    });
  }
  if ("name" in config && config.name !== name) {
    failures.push({
      property: "config",
      reason: `\`config["name"]\` is "${String(config.name)}" but \`name\` is "${String(name)}"; remove it from config`,
    });
  }
  const state = news.state;
  if (state !== undefined && !["RUNNING", "PAUSED", "STOPPED"].includes(String(state))) {
    failures.push({
      property: "state",
      reason: `\`state\` must be RUNNING, PAUSED or STOPPED (found ${String(state)})`,
    });
  }
  const policy = news.restartPolicy as Partial<RestartPolicy> | undefined;
  if (policy !== undefined && !hasUnknowns(policy)) {
    if (policy.type !== "never" && policy.type !== "on-failure") {
      failures.push({
        property: "restartPolicy",
        reason: `\`restartPolicy.type\` must be "never" or "on-failure" (found ${String(policy.type)})`,
      });
    }
    const max = policy.maxRestarts;
    if (typeof max !== "number" || !Number.isInteger(max) || max < 0) {
      failures.push({
        property: "restartPolicy",
        reason: `\`restartPolicy.maxRestarts\` must be a whole number of 0 or more (found ${String(max)})`,
      });
    }
  }
  const wait = news.waitTimeoutSeconds;
  if (wait !== undefined && wait !== UNKNOWN && (typeof wait !== "number" || !(wait > 0))) {
    failures.push({
      property: "waitTimeoutSeconds",
      reason: `\`waitTimeoutSeconds\` must be a number above 0 (found ${String(wait)}); remove it to use 300`,
    });
  }
  const from = news.offsetsFrom;
  if (typeof from === "string" && from !== "" && from !== UNKNOWN && !NAME_RULE.test(from)) {
    failures.push({
      property: "offsetsFrom",
      reason: `\`offsetsFrom\` "${from}" is not a connector name; give the old connector's name or ""`,
    });
  }
  return failures;
}

function hasUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
  return false;
}

/** Turns the worker's validation answer into check failures that name the key. */
export function validationFailures(
  inputs: Pick<ConnectorInputs, "config" | "secretConfig">,
  result: {
    readonly configs: readonly {
      readonly value: { readonly name: string; readonly errors: readonly string[] };
    }[];
  },
): pulumi.dynamic.CheckFailure[] {
  const secrets = Object.values(inputs.secretConfig ?? {});
  const out: pulumi.dynamic.CheckFailure[] = [];
  for (const item of result.configs) {
    const key = item.value.name;
    // `name` is the resource's own property; the provider always sends it.
    if (key === "name") continue;
    const source = key in (inputs.secretConfig ?? {}) ? "secretConfig" : "config";
    for (const error of item.value.errors) {
      out.push({
        property: source,
        reason: `\`${source}["${key}"]\`: ${redact(error, secrets)} (the Connect worker's validation)`,
      });
    }
  }
  return out;
}

/** Plugin class names from the worker's "Failed to find any class" message. */
function installedClasses(message: string): string[] {
  return [...message.matchAll(/name='([^']+)'/g)].map((m) => m[1]);
}

/**
 * The dynamic provider of `Connector`. Each method reads like the lifecycle step it is; HTTP
 * details live in `client.ts`. It keeps no state between calls, because the engine serializes it.
 */
export const connectorProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const failures = checkLocally(news);
    let inputs: Record<string, unknown> = news;
    // A rename: the new connector continues from the old one's offsets unless told otherwise.
    if (
      news.offsetsFrom === undefined &&
      typeof olds?.name === "string" &&
      typeof news.name === "string" &&
      olds.name !== UNKNOWN &&
      news.name !== UNKNOWN &&
      olds.name !== news.name
    ) {
      inputs = { ...news, offsetsFrom: olds.name };
    }
    if (failures.length > 0 || hasUnknowns(news)) return { inputs, failures };
    const typed = news as unknown as ConnectorInputs;
    const connectorClass = typed.config["connector.class"];
    // Ask the worker itself, when it is reachable, so that preview shows bad keys by name.
    try {
      const client = connectClient({
        ...endpointOf(typed),
        requestTimeoutMs: 10_000,
        retryDeadlineMs: 5_000,
      });
      const result = await client.validate(connectorClass, fullConfig(typed));
      failures.push(...validationFailures(typed, result));
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isConnectApiError(err) && /Failed to find any class/i.test(message)) {
        const known = installedClasses(message);
        failures.push({
          property: "config",
          reason:
            `\`config["connector.class"]\` "${connectorClass}" is not installed on the Connect worker` +
            (known.length > 0 ? ` (installed: ${known.join(", ")})` : "") +
            "; install its plugin or pick an installed class",
        });
      } else {
        // An unreachable worker (for example one this same update creates) is not a failure.
        await warn(
          `connector "${typed.name}": not validated by the Connect worker, which did not answer: ` +
            redact(message, secretValues(typed)),
        );
      }
    }
    return { inputs, failures };
  },

  async diff(_id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    const replaces: string[] = [];
    if (olds.name !== news.name) replaces.push("name");
    // Another Connect cluster is another connector: create it there, delete it here.
    if (olds.connect?.url !== news.connect?.url) replaces.push("connect");
    const changed =
      replaces.length > 0 ||
      stableJson(olds.config) !== stableJson(news.config) ||
      stableJson(olds.secretHashes ?? {}) !==
        stableJson(hashSecrets(news.name, news.secretConfig ?? {})) ||
      olds.state !== news.state ||
      stableJson(olds.restartPolicy) !== stableJson(news.restartPolicy) ||
      olds.waitTimeoutSeconds !== news.waitTimeoutSeconds ||
      olds.providerVersion !== news.providerVersion ||
      stableJson(olds.connectSecrets ?? {}) !== stableJson(news.connectSecrets ?? {}) ||
      stableJson(olds.connect) !== stableJson(news.connect);
    // offsetsFrom matters only when a connector is created: never a change by itself.
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: ConnectorInputs) {
    return safely(secretValues(inputs), async () => {
      const client = connectClient(endpointOf(inputs));
      // The Connect cluster may be created in the same update: wait until its API is ready.
      const info = await client.waitUntilReady(inputs.waitTimeoutSeconds * 1000);
      const from = inputs.offsetsFrom ?? "";
      const copied =
        from !== "" && from !== inputs.name
          ? await createFromOffsetsOf(client, inputs, from, info)
          : (await createOrAdopt(client, inputs, info), "");
      const { status, book } = await settle(client, inputs, "create", {
        restarts: 0,
        lastRestartAt: "",
      });
      return { id: inputs.name, outs: outputsOf(inputs, status, book, copied) };
    });
  },

  async read(id: string, props?: ConnectorOutputs) {
    const known = props as Partial<ConnectorOutputs> | undefined;
    // Refresh passes the outputs; an import or `Connector.get` passes inputs (or nothing).
    const importing = !known?.connect?.url || known.connectorState === undefined;
    const endpoint = importEndpoint(id, known);
    return safely(secretValues(endpoint), async () => {
      const client = connectClient(endpointOf(endpoint));
      const live = await client.getConfig(id);
      if (!live) return { id: "", props: {} };
      let status = await client.getStatus(id);
      const liveState = status?.connector.state;
      const stableState =
        liveState === "RUNNING" || liveState === "PAUSED" || liveState === "STOPPED"
          ? liveState
          : undefined;

      if (importing) {
        // Everything on the worker is declared now; PASSWORD-type keys become hashes only.
        const passwords = new Set<string>();
        try {
          const result = await client.validate(live["connector.class"], live, 10_000);
          for (const item of result.configs) {
            if (item.definition?.type === "PASSWORD") passwords.add(item.value.name);
          }
        } catch {
          // Without the plugin's definitions every key is imported as plain config.
        }
        const config: Record<string, string> = {};
        const secrets: Record<string, string> = {};
        for (const [key, value] of Object.entries(live)) {
          if (key === "name" || key.startsWith("__internal.")) continue;
          if (passwords.has(key)) secrets[key] = value;
          else config[key] = value;
        }
        const inputs: Omit<ConnectorInputs, "secretConfig"> = {
          connect: endpoint.connect,
          connectSecrets: endpoint.connectSecrets,
          name: id,
          config,
          state: (known?.state as DesiredState | undefined) ?? stableState ?? "RUNNING",
          restartPolicy: known?.restartPolicy ?? { type: "on-failure", maxRestarts: 10 },
          waitTimeoutSeconds: known?.waitTimeoutSeconds ?? 300,
          providerVersion: PROVIDER_VERSION,
        };
        const outputs: ConnectorOutputs = {
          ...inputs,
          state: stableState ?? inputs.state,
          secretHashes: hashSecrets(id, secrets),
          ...describeStatus(status),
          restarts: 0,
          lastRestartAt: "",
          offsetsCopiedFrom: "",
        };
        return { id, props: outputs, inputs: { ...inputs, secretConfig: {} } };
      }

      const olds = known as ConnectorOutputs;
      // Only the declared keys count: server defaults and __internal.* keys never show as drift.
      const config: Record<string, string> = {};
      for (const key of Object.keys(olds.config ?? {})) {
        if (key in live) config[key] = live[key];
      }
      // Connect 4.4 returns PASSWORD values in clear from GET /config: hash them to compare,
      // and keep the stored hash for a masked or externalised value.
      const secretHashes: Record<string, string> = {};
      for (const [key, hash] of Object.entries(olds.secretHashes ?? {})) {
        const value = live[key];
        if (value === undefined) continue;
        secretHashes[key] = isMasked(value) ? hash : hashSecret(id, key, value);
      }

      // Refresh applies the restart policy: a failed connector or task is restarted when the
      // backoff allows, and the bookkeeping is kept in the outputs.
      const plan = planRestart(
        olds.restartPolicy ?? { type: "never", maxRestarts: 0 },
        { restarts: olds.restarts ?? 0, lastRestartAt: olds.lastRestartAt ?? "" },
        failures(status).length > 0,
        new Date(),
      );
      if (plan.action === "restart") {
        await client.restart(id, true);
        // Report the restarted states, briefly bounded: refresh must stay quick.
        status = (
          await waitForStatus(
            client,
            id,
            (s) => s !== undefined && failures(s).length === 0,
            15_000,
          )
        ).status;
      } else if (plan.action !== "none") {
        const why = plan.action === "wait" ? `next restart at ${plan.notBefore}` : plan.reason;
        await warn(`connector "${id}" has failed and was not restarted (${why}).`);
      }

      const outputs: ConnectorOutputs = {
        ...olds,
        name: id,
        config,
        secretHashes,
        state: stableState ?? olds.state,
        ...describeStatus(status),
        restarts: plan.book.restarts,
        lastRestartAt: plan.book.lastRestartAt,
      };
      return { id, props: outputs };
    });
  },

  async update(id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    return safely(secretValues(news), async () => {
      const client = connectClient(endpointOf(news));
      await client.waitUntilReady(news.waitTimeoutSeconds * 1000);
      const configChanged =
        stableJson(olds.config) !== stableJson(news.config) ||
        stableJson(olds.secretHashes ?? {}) !==
          stableJson(hashSecrets(news.name, news.secretConfig ?? {}));
      // A PUT restarts the connector's tasks: only when the config changed, or the connector
      // vanished behind our back (the PUT then recreates it).
      if (configChanged || !(await client.getStatus(id))) {
        await client.putConfig(id, fullConfig(news));
      }
      const { status, book } = await settle(client, news, "update", {
        restarts: olds.restarts ?? 0,
        lastRestartAt: olds.lastRestartAt ?? "",
      });
      return { outs: outputsOf(news, status, book, olds.offsetsCopiedFrom ?? "") };
    });
  },

  async delete(id: string, props: ConnectorOutputs) {
    await safely(secretValues(props as Partial<ConnectorInputs>), async () => {
      // 404 means the job is already done.
      await connectClient(endpointOf(props)).deleteConnector(id);
    });
  },
};
