import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { HOST, properties } from "../component";
import { PlatformJars } from "../fetch";
import { PlatformSettings } from "../settings";
import { clientSecurity } from "./config";
import {
  ScramUser,
  SecureCredentials,
  readCredentials,
  credentialsFile,
  redact,
} from "./credentials";
import { tlsFiles } from "./tls";

/** One step of the admin tool (platform/maven/rest-proxy/.../admin/KafkaAdminTool.java). */
export type AdminOperation =
  | {
      readonly op: "createTopic";
      readonly name: string;
      readonly partitions: number;
      readonly configs?: Readonly<Record<string, string>>;
    }
  | {
      readonly op: "grant";
      /** `User:<name>` */
      readonly principal: string;
      readonly resourceType: "TOPIC" | "GROUP";
      readonly name: string;
      readonly operations: readonly (
        "READ" | "WRITE" | "DESCRIBE" | "CREATE" | "DESCRIBE_CONFIGS"
      )[];
    }
  | {
      readonly op: "read";
      readonly topic: string;
      readonly min: number;
      readonly timeoutMs: number;
    }
  | { readonly op: "check" }
  /** Creates or updates a SCRAM-SHA-512 user (Admin API), e.g. a sink's own principal. */
  | { readonly op: "scramUser"; readonly name: string; readonly password: string };

/** One JSON line the tool printed (`op` plus what that operation reports). */
export type AdminOutput = Readonly<Record<string, unknown>> & { readonly op: string };

export interface AdminResult {
  /** 0, or 3 when a `check` or a `read` was refused. */
  readonly status: number;
  readonly lines: readonly AdminOutput[];
}

function java(): string {
  return process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
}

/** Warnings only, on stderr: stdout carries the tool's JSON lines. */
const TOOL_LOG4J = properties({
  status: "warn",
  "appender.err.type": "Console",
  "appender.err.name": "STDERR",
  "appender.err.target": "SYSTEM_ERR",
  "appender.err.layout.type": "PatternLayout",
  "appender.err.layout.pattern": "%p %m (%c)%n",
  "rootLogger.level": "WARN",
  "rootLogger.appenderRef.err.ref": "STDERR",
});

/** Where the admin tool connects, and where it may write its short-lived client settings file. */
export interface AdminTarget {
  readonly bootstrap: string;
  /** The CA (PEM) the broker's certificate is checked against. */
  readonly caFile: string;
  /** A 0700 folder for the client settings file (`<home>/clients`). */
  readonly workDir: string;
  /** The jars of the REST proxy module, which holds the tool (`PlatformJars.restProxyLibs`). */
  readonly libs: string;
  /** `credentials.json`, whose passwords are scrubbed from any error. */
  readonly credentialsFile?: string;
}

/** The admin target of a secured platform's settings. */
export function adminTarget(settings: PlatformSettings, jars: PlatformJars): AdminTarget {
  return {
    bootstrap: `${HOST}:${settings.ports.kafka}`,
    caFile: tlsFiles(settings.home).caCert,
    workDir: join(settings.home, "clients"),
    libs: jars.restProxyLibs,
    credentialsFile: credentialsFile(settings.home),
  };
}

/**
 * Runs the admin tool as `user` against the secured broker. The client settings and the
 * operations (passwords included) go through 0600 files in `<home>/clients/` that are removed
 * afterwards, never the command line. Throws, with passwords redacted, when the tool fails.
 */
export function runKafkaAdmin(
  target: AdminTarget,
  user: ScramUser,
  operations: readonly AdminOperation[],
  timeoutMs = 120_000,
): Promise<AdminResult> {
  const dir = target.workDir;
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const log4j = join(dir, "log4j2.properties");
  writeFileSync(log4j, TOOL_LOG4J);
  const stem = join(dir, `${user.username}-${randomBytes(6).toString("hex")}`);
  const file = `${stem}.properties`;
  const opsFile = `${stem}.json`;
  // Operations may carry passwords (scramUser): a 0600 file too, not an argument.
  writeFileSync(opsFile, JSON.stringify(operations), { mode: 0o600 });
  writeFileSync(
    file,
    properties({
      "bootstrap.servers": target.bootstrap,
      ...clientSecurity(user, target.caFile),
      // A refused login must fail the call at once rather than retry until a timeout.
      "default.api.timeout.ms": 30_000,
      "request.timeout.ms": 20_000,
    }),
    { mode: 0o600 },
  );
  const args = [
    "-Xmx128m",
    "-XX:+UseSerialGC",
    "-XX:TieredStopAtLevel=1",
    `-Dlog4j2.configurationFile=${log4j}`,
    "-cp",
    `${target.libs}/*`,
    "tracking.platform.admin.KafkaAdminTool",
    file,
    opsFile,
  ];
  const scrub = (text: string): string => {
    let out = text.split(user.password).join("***");
    if (target.credentialsFile && existsSync(target.credentialsFile)) {
      out = redact(out, readCredentials(target.credentialsFile));
    }
    return out;
  };
  return new Promise((done, fail) => {
    execFile(java(), args, { timeout: timeoutMs, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      rmSync(file, { force: true });
      rmSync(opsFile, { force: true });
      const lines = stdout
        .split("\n")
        .filter((l) => l.startsWith("{"))
        .map((l) => JSON.parse(l) as AdminOutput);
      const status = err ? (typeof err.code === "number" ? err.code : -1) : 0;
      if (status === 0 || status === 3) {
        done({ status, lines });
        return;
      }
      fail(
        new Error(
          `The secured platform's admin tool failed as ${user.username} (exit ${status}): ` +
            scrub(`${err?.message ?? ""}\n${stderr}`.trim().split("\n").slice(-20).join("\n")),
        ),
      );
    });
  });
}

/** Group id and internal topics of the platform's Connect worker. */
export interface WorkerTopics {
  readonly groupId: string;
  readonly config: string;
  readonly offsets: string;
  readonly status: string;
}

/**
 * As `admin`: creates the worker's three internal topics (compacted, as Connect requires) and
 * grants `connect` the least it needs: Read, Write, Describe on each, Read on its group.
 */
export async function prepareWorkerAccess(
  settings: PlatformSettings,
  jars: PlatformJars,
  creds: SecureCredentials,
  worker: WorkerTopics,
): Promise<AdminResult> {
  const principal = `User:${creds.connect.username}`;
  const compact = { "cleanup.policy": "compact" };
  const topics: [string, number][] = [
    [worker.config, 1],
    [worker.offsets, 5],
    [worker.status, 1],
  ];
  return runKafkaAdmin(adminTarget(settings, jars), creds.admin, [
    ...topics.map(([name, partitions]) => ({
      op: "createTopic" as const,
      name,
      partitions,
      configs: compact,
    })),
    ...topics.map(([name]) => ({
      op: "grant" as const,
      principal,
      resourceType: "TOPIC" as const,
      name,
      operations: ["READ", "WRITE", "DESCRIBE"] as const,
    })),
    {
      op: "grant",
      principal,
      resourceType: "GROUP",
      name: worker.groupId,
      operations: ["READ"],
    },
  ]);
}
