import axios from "axios";
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { parse, stringify } from "yaml";
import { CONNECT_TOPICS } from "../../platform/components";
import { extractEventIds, ReceiverClient } from "../../platform/receiverClient";
import { AdminOperation, runKafkaAdmin } from "../../platform/secure/admin";
import { secureAdminTarget, secureEndpoints } from "../../platform/secure/endpoints";
import { ScramUser } from "../../platform/secure/credentials";
import {
  policyFlags,
  pulumi,
  PulumiResult,
  pulumiEnvironment,
  pulumiOk,
  ROOT,
} from "../../scripts/pulumiCli";
import { V2_JSON } from "../integration/platform";

/**
 * A secured stack under the real engine on the secured local platform (SASL_SSL, SCRAM-SHA-512,
 * StandardAuthorizer): the stack creates its users and least-privilege ACLs through the published
 * kafka plugin, every hop logs in (REST proxy as `rest-proxy`, the sink as a user of its own), and
 * what each principal may do is exactly what the stack granted.
 */
const STACK = "e2e-secure";
const ENV = "e2es";
const CONFIG_FILE = join(ROOT, `Pulumi.${STACK}.yaml`);
const PROJECT = "tracking-pipeline";
const e = secureEndpoints();
const target = secureAdminTarget(e);
const { admin, connect, restProxy } = e.credentials;
const receiver = new ReceiverClient(e.receiverUrl);
const path = `/e2es-${Date.now().toString(36)}`;
const sinkUser: ScramUser = {
  username: `${ENV}-receiver`,
  password: randomBytes(18).toString("base64url"),
};
const TRACKING = `${ENV}.tracking`;
const DLQ = `${ENV}.receiver.dlq`;
const CONNECTOR = `${ENV}-receiver-http-sink`;
/** Every password this test's stack knows: none may appear in what the test reads back. */
const PASSWORDS = [admin.password, connect.password, restProxy.password, sinkUser.password];
const WRONG = `wrong-${randomBytes(9).toString("base64url")}`;

let env: NodeJS.ProcessEnv;
let backend: string;
/** When the first batch started to be sent (the secured replay sends it again). */
let firstBatchFrom = "";
/** Everything the CLI printed during the test. */
const printed: string[] = [];

const withStack = (args: string[]) => [...args, "--stack", STACK];
const text = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;

async function cli(args: string[]): Promise<PulumiResult> {
  const result = await pulumi(env, withStack(args));
  printed.push(text(result));
  return result;
}

async function cliOk(args: string[]): Promise<PulumiResult> {
  const result = await cli(args);
  if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${text(result)}`);
  return result;
}

function writeStackConfig(): void {
  const local = parse(readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8")) as {
    encryptionsalt: string;
  };
  const config = {
    environment: ENV,
    kafkaBootstrapServers: [e.kafkaBootstrap],
    kafkaTls: true,
    kafkaTlsCaCertificate: readFileSync(e.security.caFile, "utf8"),
    kafkaSaslMechanism: "scram-sha512",
    kafkaSaslUsername: admin.username,
    kafkaRestProxyUsername: restProxy.username,
    kafkaConnectUsername: connect.username,
    kafkaManageUsers: true,
    kafkaManageAcls: true,
    kubernetesEnabled: false,
    connectUrl: e.connectUrl,
    connectSecretsDirectory: e.connectSecretsDirectory,
    restProxyUrl: e.restProxyUrl,
    topicPartitions: 3,
    topicReplicationFactor: 1,
    topicMinInsyncReplicas: 1,
    protectTopics: false,
    connectInternalTopicReplicationFactor: 1,
    destinations: [
      {
        name: "receiver",
        url: `${e.receiverUrl}${path}`,
        connectorClass: "tracking",
        topics: ["tracking"],
        tasksMax: 2,
        batching: { maxSize: 100 },
        retries: { maxRetries: 10, backoffMs: 500 },
        kafkaPrincipal: { username: sinkUser.username, passwordSecret: "receiverKafkaPassword" },
      },
    ],
  };
  const file = {
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    encryptionsalt: local.encryptionsalt,
  };
  writeFileSync(CONFIG_FILE, stringify(file));
}

async function setSecret(key: string, value: string): Promise<void> {
  // Read from stdin, so that the value is on no command line the test prints.
  const { execFile } = await import("node:child_process");
  await new Promise<void>((done, fail) => {
    const child = execFile(
      "pulumi",
      ["config", "set", "--secret", "--stack", STACK, key, "--non-interactive"],
      { cwd: ROOT, env },
      (err) => (err ? fail(err) : done()),
    );
    child.stdin?.end(value);
  });
}

function events(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, type: "page_view" }));
}

function post(topic: string, values: readonly unknown[]) {
  return axios.post<{ offsets: { error_code: number | null }[] }>(
    `${e.restProxyUrl}/topics/${topic}`,
    { records: values.map((value) => ({ value })) },
    { headers: { "Content-Type": V2_JSON }, validateStatus: () => true },
  );
}

const asAdmin = (ops: readonly AdminOperation[]) => runKafkaAdmin(target, admin, ops);

/** How many records a topic holds, read as the admin. */
async function recordCount(topic: string): Promise<number> {
  const result = await asAdmin([{ op: "read", topic, min: 0, timeoutMs: 30_000 }]);
  return result.lines.filter((l) => l.op === "read").length;
}

/** Every file under a folder, as text (the platform's logs and configs). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) return filesUnder(p);
    return entry.isFile() && statSync(p).size < 64 * 1024 * 1024 ? [p] : [];
  });
}

describe("a secured stack on the secured platform (real engine, published kafka plugin)", () => {
  beforeAll(async () => {
    backend = mkdtempSync(join(tmpdir(), "tracking-e2e-secure-state-"));
    env = await pulumiEnvironment({
      backendDir: backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
    });
    writeStackConfig();
    await pulumiOk(env, ["stack", "init", STACK]);
    await setSecret("kafkaSaslPassword", admin.password);
    await setSecret("kafkaRestProxyPassword", restProxy.password);
    await setSecret("kafkaConnectPassword", connect.password);
    await setSecret("receiverKafkaPassword", sinkUser.password);
  });

  afterAll(async () => {
    if (env) {
      await setSecret("kafkaSaslPassword", admin.password).catch(() => undefined);
      await pulumi(env, withStack(["destroy", "--yes"]));
      await pulumi(env, withStack(["stack", "rm", "--yes", "--force"]));
    }
    // The stack managed the platform's own `connect` and `rest-proxy` users (it set the same
    // passwords) and its destroy removed them: give the platform its users back.
    await asAdmin([
      { op: "scramUser", name: connect.username, password: connect.password },
      { op: "scramUser", name: restProxy.username, password: restProxy.password },
    ]);
    rmSync(CONFIG_FILE, { force: true });
    if (backend) rmSync(backend, { recursive: true, force: true });
  });

  it("previews with the policy pack passing", async () => {
    const result = await cliOk(["preview", ...policyFlags("local")]);
    expect(text(result)).toMatch(/\+ \d+ to create/);
  });

  it("creates users, ACLs, topics and the connector; events reach the receiver over TLS and SCRAM", async () => {
    await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    const exported = JSON.parse((await cliOk(["stack", "export"])).stdout) as {
      deployment: { resources?: { type: string; inputs?: Record<string, unknown> }[] };
    };
    const resources = exported.deployment.resources ?? [];
    const users = resources
      .filter((r) => r.type === "kafka:index/userScramCredential:UserScramCredential")
      .map((r) => r.inputs?.username)
      .sort();
    expect(users).toEqual([connect.username, sinkUser.username, restProxy.username].sort());
    const acls = resources.filter((r) => r.type === "kafka:index/acl:Acl");
    // REST proxy: Write+Describe on the topic; the sink: Read+Describe on it, Read on its
    // group, Write+Describe on its dead-letter topic. Nothing for `connect`: its cluster is not
    // the stack's (Kubernetes off).
    expect(
      acls
        .map((a) =>
          [a.inputs?.aclPrincipal, a.inputs?.aclResourceName, a.inputs?.aclOperation].join(" "),
        )
        .sort(),
    ).toEqual(
      [
        `User:${restProxy.username} ${TRACKING} Write`,
        `User:${restProxy.username} ${TRACKING} Describe`,
        `User:${sinkUser.username} ${TRACKING} Read`,
        `User:${sinkUser.username} ${TRACKING} Describe`,
        `User:${sinkUser.username} connect-${CONNECTOR} Read`,
        `User:${sinkUser.username} ${DLQ} Write`,
        `User:${sinkUser.username} ${DLQ} Describe`,
      ].sort(),
    );
    const batch = events(`${path}-up`, 300);
    firstBatchFrom = new Date(Date.now() - 1000).toISOString();
    for (let i = 0; i < batch.length; i += 50) {
      const res = await post(TRACKING, batch.slice(i, i + 50));
      expect(res.status).toBe(200);
    }
    const report = await receiver.waitForIds(batch.map((ev) => ev.id));
    expect(report.missing).toEqual([]);
  });

  it("refuses the REST proxy's principal on Connect's config topic and on a dead-letter topic", async () => {
    for (const topic of [CONNECT_TOPICS.config, DLQ]) {
      const before = await recordCount(topic);
      const res = await post(topic, [{ name: "evil-connector", config: {} }]);
      expect(res.status).toBe(403);
      expect(res.data.offsets[0]?.error_code).toBe(40301);
      expect(await recordCount(topic)).toBe(before);
    }
  });

  it("refuses the sink's principal on a topic it was not granted", async () => {
    const refused = await runKafkaAdmin(target, sinkUser, [
      { op: "read", topic: CONNECT_TOPICS.config, min: 0, timeoutMs: 5000 },
    ]);
    expect(refused.status).toBe(3);
    const granted = await runKafkaAdmin(target, sinkUser, [
      { op: "read", topic: TRACKING, min: 1, timeoutMs: 10_000 },
    ]);
    expect(granted.status).toBe(0);
  });

  it("stops at a wrong admin password with a message naming the secret, then converges once fixed", async () => {
    await setSecret("kafkaSaslPassword", WRONG);
    const failed = await cli(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    expect(failed.code).not.toBe(0);
    const output = text(failed);
    expect(output).toMatch(/Kafka refused the login of user "admin"/);
    expect(output).toContain("pulumi config set --secret kafkaSaslPassword <password>");
    expect(output).not.toContain(WRONG);
    await setSecret("kafkaSaslPassword", admin.password);
    const fixed = await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    expect(text(fixed)).not.toMatch(/created|deleted|replaced/);
    await cliOk(["refresh", "--yes", "--expect-no-changes"]);
    await cliOk(["preview", "--expect-no-changes"]);
  });

  it("replays and redrives over TLS and SCRAM: the admin finds the offsets, the sink's principal moves and reads them", async () => {
    /** How often each id was accepted (or, with `refused`, answered 4xx) at this stack's path. */
    const counts = async (refused = false) => {
      const out = new Map<string, number>();
      for (const r of await receiver.requests()) {
        if (r.path !== path || (refused ? r.status < 400 : r.status >= 300)) continue;
        for (const id of extractEventIds(r.json)) out.set(id, (out.get(id) ?? 0) + 1);
      }
      return out;
    };
    const until = async (check: (m: Map<string, number>) => boolean, refused = false) => {
      const deadline = Date.now() + 90_000;
      while (!check(await counts(refused))) {
        if (Date.now() > deadline) throw new Error("timed out waiting for the receiver");
        await new Promise((r) => setTimeout(r, 500));
      }
    };
    const first = events(`${path}-up`, 300).map((ev) => ev.id);
    await cliOk(["config", "set", "--path", "destinations[0].replay.from", firstBatchFrom]);
    await cliOk(["config", "set", "--path", "destinations[0].replay.id", "secured-1"]);
    await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    await until((m) => first.every((id) => (m.get(id) ?? 0) >= 2));

    // Refused with 400 (not retried): dead-lettered; then the redrive sends them back once.
    const kind = `refused-${path.slice(1)}`;
    const refused = Array.from({ length: 15 }, (_, i) => ({ id: `${path}-refused-${i}`, kind }));
    await receiver.reject({ status: 400, field: "kind", value: kind });
    try {
      expect((await post(TRACKING, refused)).status).toBe(200);
      await until((m) => refused.every((ev) => m.get(ev.id) === 1), true);
    } finally {
      await receiver.reject(null);
    }
    await cliOk(["config", "set", "--path", "destinations[0].redrive.id", "secured-fix-1"]);
    await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    const accepted = await counts();
    expect(refused.map((ev) => accepted.get(ev.id) ?? 0)).toEqual(refused.map(() => 1));
    const { data: names } = await axios.get<string[]>(`${e.connectUrl}/connectors`);
    expect(names).not.toContain(`${CONNECTOR}-redrive`);
    await cliOk(["preview", "--expect-no-changes", ...policyFlags("local")]);
  });

  it("leaves no password in the state, the CLI's output or the platform's logs", async () => {
    const exported = (await cliOk(["stack", "export"])).stdout;
    const logs = filesUnder(join(dirname(e.security.credentialsFile), "logs")).map((f) =>
      readFileSync(f, "utf8"),
    );
    for (const password of [...PASSWORDS, WRONG]) {
      expect(exported).not.toContain(password);
      for (const out of printed) expect(out).not.toContain(password);
      for (const log of logs) expect(log).not.toContain(password);
    }
  });
});
