import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import axios from "axios";
import { parse, stringify } from "yaml";
import { stackFileSettings } from "../../config/stackFile";
import type { PlatformEndpoints } from "../../platform";
import type { DrillDestination } from "./destinations";
import { ProcessRecord, descendantsOf, isRunning, signalRecorded } from "./processTree";
import { CONNECTOR_TYPE_TOKEN } from "../../providers/connect/connector";
import { RETRY_NOTICE_PREFIX } from "../../providers/connect/errors";
import { policyFlags, PulumiResult, ROOT } from "../../scripts/pulumiCli";
import { EngineStack, outputOf } from "../e2e/kubernetes/engine";

/*
 * The real Pulumi engine in the drills: a stack of the pipeline on the cluster profile, with a
 * file backend of its own (EngineStack), an `up` that runs in the background while a drill breaks
 * things, and what the provider met on the way, read from the CLI's output.
 */

const PROJECT = "tracking-pipeline";

/** A pipeline stack on the cluster profile, as a team's stack on a real three-node cluster. */
export class DrillStack {
  readonly engine: EngineStack;
  private scratch = "";

  constructor(
    readonly stack: string,
    /** Prefix of the stack's topic and connector names. */
    readonly environment: string,
  ) {
    this.engine = new EngineStack(stack, `tracking-${stack}-state-`);
  }

  get configFile(): string {
    return join(ROOT, `Pulumi.${this.stack}.yaml`);
  }

  /** `<environment>-`: what every connector of this stack is named after. */
  get connectorPrefix(): string {
    return `${this.environment}-`;
  }

  get topic(): string {
    return `${this.environment}.tracking`;
  }

  /** Backend, stack config and policy config written, stack initialised. */
  async start(e: PlatformEndpoints, destinations: readonly DrillDestination[]): Promise<void> {
    await this.engine.start();
    this.scratch = mkdtempSync(join(tmpdir(), `tracking-${this.stack}-`));
    this.writeConfig(e, destinations);
    this.writePolicyConfig();
    await this.engine.init();
  }

  /**
   * Pulumi.local.yaml pointed at the cluster: every node as bootstrap server, replication 3 and
   * min ISR 2 for the stack's topics and Connect's, the stack's default partitions (6), topics not
   * protected (the drill destroys them).
   */
  private writeConfig(e: PlatformEndpoints, destinations: readonly DrillDestination[]): void {
    const local = readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8");
    const config = stackFileSettings(local, PROJECT);
    delete config.topicPartitions;
    Object.assign(config, {
      environment: this.environment,
      kafkaBootstrapServers: e.kafkaBootstrap.split(","),
      connectUrl: e.connectUrl,
      connectSecretsDirectory: e.connectSecretsDirectory,
      restProxyUrl: e.restProxyUrl,
      topicReplicationFactor: 3,
      topicMinInsyncReplicas: 2,
      connectInternalTopicReplicationFactor: 3,
      protectTopics: false,
      destinations,
    });
    const file = {
      config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
      encryptionsalt: (parse(local) as { encryptionsalt: string }).encryptionsalt,
    };
    writeFileSync(this.configFile, stringify(file));
  }

  /**
   * The local pack config (plain Kafka and an http receiver on loopback are allowed) with
   * production's `kafka-topic-replication` (at least 3 replicas, min ISR at least 2 and below the
   * replication factor): what a team's stack on a three-node cluster must pass.
   */
  private writePolicyConfig(): void {
    const local = JSON.parse(
      readFileSync(join(ROOT, "policies", "config", "local.json"), "utf8"),
    ) as Record<string, unknown>;
    local["kafka-topic-replication"] = { enforcementLevel: "mandatory" };
    writeFileSync(this.policyConfigFile, `${JSON.stringify(local, null, 2)}\n`);
  }

  private get policyConfigFile(): string {
    return join(this.scratch, "policy-config.json");
  }

  /** `--policy-pack` and `--policy-pack-config` for this stack. */
  policy(): string[] {
    const flags = policyFlags("local");
    flags[flags.indexOf("--policy-pack-config") + 1] = this.policyConfigFile;
    return flags;
  }

  /** `pulumi <args>` in the background, in a process group of its own. */
  background(args: string[]): BackgroundRun {
    return new BackgroundRun(this.engine, args);
  }

  /** The connector names the stack's state holds, and its pending operations. */
  async state(): Promise<{ connectors: string[]; pending: string[] }> {
    const exported = JSON.parse((await this.engine.cliOk(["stack", "export"])).stdout) as {
      deployment: {
        resources?: { type: string; outputs?: { name?: string } }[];
        pending_operations?: { type: string; resource: { urn: string } }[];
      };
    };
    const resources = exported.deployment.resources ?? [];
    return {
      connectors: resources
        .filter((r) => r.type === CONNECTOR_TYPE_TOKEN)
        .map((r) => r.outputs?.name ?? "")
        .sort(),
      pending: (exported.deployment.pending_operations ?? []).map(
        (op) => `${op.type} ${op.resource.urn.split("::").pop()}`,
      ),
    };
  }

  /** Destroys the stack and removes it, its config file, its backend and its scratch folder. */
  async finish(): Promise<void> {
    const backend = (this.engine.env.PULUMI_BACKEND_URL ?? "").replace(/^file:\/\//, "");
    if (backend !== "") {
      await this.engine.cli(["cancel", "--yes"]);
      await this.engine.cli(["destroy", "--yes"]);
      await this.engine.cli(["stack", "rm", "--yes", "--force"]);
      rmSync(backend, { recursive: true, force: true });
    }
    rmSync(this.configFile, { force: true });
    if (this.scratch !== "") rmSync(this.scratch, { recursive: true, force: true });
  }
}

/**
 * A `pulumi` command spawned detached, in a process group of its own. Its plugins (language host,
 * program, dynamic provider, policy pack) each get a group of their own from the CLI, so the tree
 * is recorded (`recordTree`) while the CLI runs, and what is left of it is signalled by pid.
 */
export class BackgroundRun {
  readonly pid: number;
  readonly done: Promise<PulumiResult & { signal: NodeJS.Signals | null }>;
  readonly startedAt = Date.now();
  /** When it exited (undefined while it runs). */
  endedAt: number | undefined;
  private out = "";
  private exited = false;
  private readonly tree: ProcessRecord[] = [];

  constructor(engine: EngineStack, args: string[]) {
    const child = spawn("pulumi", [...engine.withStack(args), "--non-interactive"], {
      cwd: ROOT,
      env: engine.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    if (child.pid === undefined) throw new Error(`pulumi ${args.join(" ")} did not start`);
    this.pid = child.pid;
    child.stdout.on("data", (chunk: Buffer) => (this.out += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (this.out += chunk.toString()));
    this.done = new Promise((resolve) =>
      child.on("close", (code, signal) => {
        this.exited = true;
        this.endedAt = Date.now();
        const result = { code: code ?? 1, signal, stdout: this.out, stderr: "" };
        engine.printed.push(outputOf(result));
        resolve(result);
      }),
    );
  }

  get alive(): boolean {
    return !this.exited;
  }

  get output(): string {
    return this.out;
  }

  /** To the CLI alone, as a CI runner cancelling a job does. */
  signal(signal: NodeJS.Signals): void {
    if (this.alive) process.kill(this.pid, signal);
  }

  /** Records the CLI's descendants as they are now (call it while the CLI runs). */
  recordTree(): void {
    for (const p of descendantsOf(this.pid))
      if (!this.tree.some((t) => t.pid === p.pid && t.start === p.start)) this.tree.push(p);
  }

  /** The recorded descendants that still run (a plugin outlives a CLI that was killed). */
  get leftRunning(): ProcessRecord[] {
    return this.tree.filter(isRunning);
  }

  /** To the CLI's process group only (what `kill -9 -<pgid>` of a runner reaches). */
  killGroup(signal: NodeJS.Signals): void {
    if (this.alive) this.recordTree();
    try {
      process.kill(-this.pid, signal);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ESRCH") throw err;
    }
  }

  /** To the CLI's group and to each recorded descendant that still runs. */
  killTree(signal: NodeJS.Signals): void {
    this.killGroup(signal);
    for (const p of this.tree) signalRecorded(p, signal);
  }

  /**
   * Polls `check` (errors count as "not yet") until it answers true; throws naming `what` after
   * `ms`, or at once with the CLI's output when the command exits first.
   */
  async until(what: string, ms: number, check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (await check().catch(() => false)) return;
      if (!this.alive) throw new Error(`pulumi exited before ${what}:\n${this.out}`);
      if (Date.now() > deadline)
        throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Resolves with the result, or throws naming what it waited for after `ms`. */
  async exit(ms: number): Promise<PulumiResult & { signal: NodeJS.Signals | null }> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), ms)));
    const outcome = await Promise.race([this.done, timeout]);
    clearTimeout(timer);
    if (outcome === "timeout")
      throw new Error(
        `Timed out after ${ms / 1000} s waiting for pulumi (pid ${this.pid}) to exit`,
      );
    return outcome;
  }
}

/**
 * The provider's retry notices in a run's output. The CLI shows a plugin's stderr as info lines
 * of the stack, as they come and again in the "Diagnostics" summary at the end: only the first
 * are counted. (`--json` would give them once, but it also streams debug events that hold the
 * resources' outputs, secret ones included.)
 */
export function retryNotices(output: string): string[] {
  const summary = output.search(/^Diagnostics:/m);
  const progress = summary < 0 ? output : output.slice(0, summary);
  return progress.split("\n").filter((line) => line.includes(RETRY_NOTICE_PREFIX));
}

/**
 * The answers the connector provider retried, by kind, from its `[connect-api] retrying` lines:
 * 409 (a rebalance), 500 "trying to forward" (the leader went away), a 404 with an empty body (a
 * worker starting), no answer (connection refused, or a timeout), and any other status.
 */
export function retriedAnswers(lines: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const line of lines) {
    const at = line.indexOf(RETRY_NOTICE_PREFIX);
    if (at < 0) continue;
    const notice = line.slice(at);
    const status = /\((\d{3}|no answer)\)/.exec(notice)?.[1] ?? "?";
    let kind = status;
    if (status === "500" && /trying to forward/i.test(notice)) kind = "500 forwarding error";
    else if (status === "404" && /empty body/.test(notice)) kind = "404 empty body";
    else if (status === "no answer")
      kind = /ECONNREFUSED/.test(notice) ? "connection refused" : "no answer (other)";
    counts[kind] = (counts[kind] ?? 0) + 1;
  }
  return counts;
}

/** The connectors on the worker whose name starts with `prefix`. */
export async function connectorsOn(connectUrl: string, prefix: string): Promise<string[]> {
  const { data } = await axios.get<string[]>(`${connectUrl}/connectors`, { timeout: 10_000 });
  return data.filter((name) => name.startsWith(prefix)).sort();
}

export interface WorkerStatus {
  readonly connector: { readonly state: string; readonly worker_id: string };
  readonly tasks: readonly { id: number; state: string; worker_id: string }[];
}

export async function statusOf(connectUrl: string, name: string): Promise<WorkerStatus> {
  return (
    await axios.get<WorkerStatus>(`${connectUrl}/connectors/${name}/status`, { timeout: 10_000 })
  ).data;
}

/** Whether the REST proxy knows `topic` (the stack creates it early in `up`). */
export async function topicExists(e: PlatformEndpoints, topic: string): Promise<boolean> {
  const { data } = await axios.get<string[]>(`${e.restProxyUrl}/topics`, { timeout: 10_000 });
  return data.includes(topic);
}

/** A count map as `n × key; ...`, "none" when empty. */
export function formatCounts(counts: Readonly<Record<string, number>>): string {
  const entries = Object.entries(counts);
  return entries.length === 0 ? "none" : entries.map(([k, n]) => `${n} × ${k}`).join("; ");
}
