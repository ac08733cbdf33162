import * as pulumi from "@pulumi/pulumi";
import { connectClient, ConnectClient, ConnectEndpoint, ConnectorStatus } from "./client";

/** Bumped whenever the provider's behaviour changes, so that the change rolls out as an update. */
export const PROVIDER_VERSION = "1";

export type DesiredState = "RUNNING" | "PAUSED" | "STOPPED";

export interface RestartPolicy {
  /** `never`, or `on-failure`: failed connectors and tasks are restarted on update and refresh. */
  readonly type: "never" | "on-failure";
  /** Restarts allowed before the provider gives up and reports the failure. */
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
  /** How long create and update wait for the declared state, in seconds. */
  readonly waitTimeoutSeconds: number;
  readonly providerVersion: string;
}

/** What the provider stores: the inputs without secret values, plus what the worker reports. */
export interface ConnectorOutputs extends Omit<ConnectorInputs, "secretConfig"> {
  /** Salted SHA-256 per secret key, so a changed secret is an update and a masked read is not. */
  readonly secretHashes: Record<string, string>;
  readonly connectorState: string;
  readonly taskStates: string[];
  readonly restarts: number;
}

/** The engine's placeholder for a value that is not known until apply (preview). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

const NAME_RULE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,248}$/;

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

/** Connect masks password-type values when it reads them back. */
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

function failures(status: ConnectorStatus): string[] {
  const out: string[] = [];
  if (status.connector.state === "FAILED") {
    out.push(`connector: ${summariseTrace(status.connector.trace)}`);
  }
  for (const task of status.tasks) {
    if (task.state === "FAILED") out.push(`task ${task.id}: ${summariseTrace(task.trace)}`);
  }
  return out;
}

function reached(status: ConnectorStatus | undefined, desired: DesiredState): boolean {
  if (!status) return false;
  if (status.connector.state !== desired) return false;
  if (desired === "RUNNING") {
    return status.tasks.length > 0 && status.tasks.every((t) => t.state === "RUNNING");
  }
  if (desired === "STOPPED") return status.tasks.length === 0;
  return status.tasks.every((t) => t.state === "PAUSED");
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Brings the connector to its declared state and waits, bounded, until the worker reports it.
 * Failed tasks are restarted as the restart policy allows; beyond that the failure is reported
 * with the summarised traces.
 */
async function settle(
  client: ConnectClient,
  inputs: ConnectorInputs,
): Promise<{ status: ConnectorStatus | undefined; restarts: number }> {
  const deadline = Date.now() + inputs.waitTimeoutSeconds * 1000;
  let restarts = 0;
  let delay = 250;
  let status = await client.getStatus(inputs.name);
  if (status && status.connector.state !== inputs.state) {
    await transition(client, inputs.name, inputs.state);
  }
  for (;;) {
    status = await client.getStatus(inputs.name);
    if (reached(status, inputs.state)) return { status, restarts };
    const failed = status ? failures(status) : [];
    if (failed.length > 0) {
      if (
        inputs.restartPolicy.type === "on-failure" &&
        restarts < inputs.restartPolicy.maxRestarts
      ) {
        restarts++;
        await client.restart(inputs.name, true);
      } else {
        throw new Error(
          `connector "${inputs.name}" failed: ${failed.join("; ")}. ` +
            `Fix the setting the trace names, then run \`pulumi up\` again.`,
        );
      }
    }
    if (Date.now() > deadline) {
      const seen = describeStatus(status);
      throw new Error(
        `connector "${inputs.name}" did not reach ${inputs.state} within ${inputs.waitTimeoutSeconds}s ` +
          `(connector ${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]). ` +
          `Check the Connect worker's log, or raise \`waitTimeoutSeconds\`.`,
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 2000);
  }
}

async function transition(client: ConnectClient, name: string, desired: DesiredState) {
  if (desired === "RUNNING") await client.resume(name);
  else if (desired === "PAUSED") await client.pause(name);
  else await client.stop(name);
}

function endpointOf(inputs: Pick<ConnectorInputs, "connect" | "connectSecrets">): ConnectEndpoint {
  return { ...inputs.connect, ...(inputs.connectSecrets ?? {}) };
}

function fullConfig(inputs: ConnectorInputs): Record<string, string> {
  return { ...inputs.config, ...inputs.secretConfig, name: inputs.name };
}

function outputsOf(
  inputs: ConnectorInputs,
  status: ConnectorStatus | undefined,
  restarts: number,
): ConnectorOutputs {
  const { secretConfig, ...rest } = inputs;
  return {
    ...rest,
    secretHashes: hashSecrets(inputs.name, secretConfig),
    ...describeStatus(status),
    restarts,
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
  return failures;
}

function hasUnknowns(value: unknown): boolean {
  if (value === UNKNOWN) return true;
  if (value && typeof value === "object") return Object.values(value).some(hasUnknowns);
  return false;
}

/**
 * The dynamic provider of `Connector`. Each method reads like the lifecycle step it is; HTTP
 * details live in `client.ts`. It keeps no state between calls, because the engine serializes it.
 */
export const connectorProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Record<string, unknown>, news: Record<string, unknown>) {
    const failures = checkLocally(news);
    if (failures.length > 0 || hasUnknowns(news)) return { inputs: news, failures };
    const inputs = news as unknown as ConnectorInputs;
    // Ask the worker itself, when it is reachable, so that preview shows bad keys by name.
    try {
      const client = connectClient({ ...endpointOf(inputs), retryDeadlineMs: 5_000 });
      const result = await client.validate(inputs.config["connector.class"], fullConfig(inputs));
      for (const item of result.configs) {
        for (const error of item.value.errors) {
          failures.push({ property: "config", reason: `\`${item.value.name}\`: ${error}` });
        }
      }
    } catch (err) {
      // An unreachable worker (for example one this same update creates) is not a failure.
      const reason = err instanceof Error ? err.message : String(err);
      console.warn(
        `warning: could not validate connector "${inputs.name}" with the worker: ${reason}`,
      );
    }
    void olds;
    return { inputs: news, failures };
  },

  async diff(id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    void id;
    const replaces: string[] = [];
    if (olds.name !== news.name) replaces.push("name");
    if (olds.connect.url !== news.connect.url) replaces.push("connect");
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
    return { changes: changed, replaces, deleteBeforeReplace: false };
  },

  async create(inputs: ConnectorInputs) {
    const client = connectClient(endpointOf(inputs));
    // The Connect cluster may be created in the same update: wait until its API answers.
    await client.serverInfo();
    if (inputs.state === "RUNNING") {
      await client.putConfig(inputs.name, fullConfig(inputs));
    } else {
      const created = await client.createWithState(inputs.name, fullConfig(inputs), inputs.state);
      if (!created) await client.putConfig(inputs.name, fullConfig(inputs));
    }
    const { status, restarts } = await settle(client, inputs);
    return { id: inputs.name, outs: outputsOf(inputs, status, restarts) };
  },

  async read(id: string, props?: ConnectorOutputs) {
    if (!props) throw new Error(`cannot read connector "${id}" without its connect endpoint`);
    const client = connectClient(endpointOf(props));
    const live = await client.getConfig(id);
    if (!live) return { id: "", props: {} };
    const status = await client.getStatus(id);
    // Only the declared keys count: server defaults and __internal.* keys never show as drift.
    const config: Record<string, string> = {};
    for (const key of Object.keys(props.config ?? {})) {
      if (key in live) config[key] = live[key];
    }
    const secretHashes: Record<string, string> = {};
    for (const [key, hash] of Object.entries(props.secretHashes ?? {})) {
      const value = live[key];
      secretHashes[key] = isMasked(value) ? hash : hashSecret(id, key, value);
    }
    const described = describeStatus(status);
    let state = props.state;
    if (["RUNNING", "PAUSED", "STOPPED"].includes(described.connectorState)) {
      state = described.connectorState as DesiredState;
    }
    return {
      id,
      props: { ...props, name: id, config, secretHashes, state, ...described },
    };
  },

  async update(id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    void olds;
    const client = connectClient(endpointOf(news));
    await client.putConfig(id, fullConfig(news));
    const { status, restarts } = await settle(client, news);
    return { outs: outputsOf(news, status, restarts) };
  },

  async delete(id: string, props: ConnectorOutputs) {
    const client = connectClient(endpointOf(props));
    await client.deleteConnector(id);
  },
};
