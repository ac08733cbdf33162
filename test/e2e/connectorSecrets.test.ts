import axios from "axios";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { CONNECTOR_TYPE_TOKEN } from "../../providers/connect/connector";
import { SECRET_FILE_TYPE_TOKEN } from "../../providers/secretFile/secretFile";
import { ReceiverClient, idsFromBody, RecordedRequest } from "../../platform/receiverClient";
import {
  policyFlags,
  pulumi,
  PulumiResult,
  pulumiEnvironment,
  pulumiOk,
  ROOT,
} from "../../scripts/pulumiCli";
import { platformEndpoints } from "../integration/platform";
import { setSecret } from "./kubernetes/secrets";
import { StackSettings, writeStackFile } from "./kubernetes/stack";
import {
  basicHeader,
  configTopicTexts,
  headerOf,
  SteadyProducer,
  textsUnder,
  unkeyedHash,
} from "./secretsStack";

/**
 * Connector secrets never at rest in Connect, under the real engine on the plain local platform:
 * with `connectSecretsDirectory` set, the stack writes each connector secret as a 0600 file in
 * the worker's secrets folder and the connector config holds `${dir:<folder>:<file>}`. The real
 * receiver requires basic auth and sees the password and the API key; Connect's REST API and
 * config topic, the state, the CLI's output and the platform's logs do not. A rotation under
 * `pulumi up` while events flow loses none, and drift of a reference or a file shows on refresh.
 */
const STACK = "e2e-secrets";
const ENV = "e2es";
const CONFIG_FILE = join(ROOT, `Pulumi.${STACK}.yaml`);
const e = platformEndpoints();
const receiver = new ReceiverClient(e.receiverUrl);
const CONNECTOR = `${ENV}-receiver-http-sink`;
const TOPIC = `${ENV}.tracking`;
const USER = "e2es-writer";
const PASSWORD_KEY = "receiverPassword";
const API_KEY_KEY = "receiverApiKey";
const path = `/e2es-${Date.now().toString(36)}`;
const first = `pw-${randomBytes(12).toString("base64url")}`;
const second = `pw-${randomBytes(12).toString("base64url")}`;
const apiKey = `key-${randomBytes(12).toString("base64url")}`;

let env: NodeJS.ProcessEnv;
let backend: string;
/** Everything the CLI printed during the test. */
const printed: string[] = [];

function secretsDirectory(): string {
  if (!e.connectSecretsDirectory) {
    throw new Error(
      "The platform's endpoints have no `connectSecretsDirectory`: it was started by an older " +
        "build. Run `npm run platform -- up` again (it restarts a worker with older properties).",
    );
  }
  return e.connectSecretsDirectory;
}
const passwordFile = () => join(secretsDirectory(), `${CONNECTOR}.connection.password`);
const headersFile = () => join(secretsDirectory(), `${CONNECTOR}.headers`);
const reference = (file: string) => `\${dir:${secretsDirectory()}:${file}}`;

function settings(): StackSettings {
  return {
    environment: ENV,
    kafkaBootstrapServers: [e.kafkaBootstrap],
    kubernetesEnabled: false,
    connectUrl: e.connectUrl,
    connectSecretsDirectory: secretsDirectory(),
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
        batching: { maxSize: 50 },
        // While the receiver wants the new password and the file still holds the old one, the
        // 401s are retried (constant 2 s, 50 times: 100 s) instead of dead-lettered.
        retries: {
          maxRetries: 50,
          backoffMs: 2000,
          backoffPolicy: "constant",
          retryOnStatusCodes: "401,408,429,500-",
        },
        headers: { "Content-Type": "application/json" },
        auth: { type: "basic", username: USER, passwordSecret: PASSWORD_KEY },
        secretHeaders: { "X-Api-Key": API_KEY_KEY },
      },
    ],
  };
}

const text = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;

async function cli(args: string[]): Promise<PulumiResult> {
  const result = await pulumi(env, [...args, "--stack", STACK]);
  printed.push(text(result));
  return result;
}

async function cliOk(args: string[]): Promise<PulumiResult> {
  const result = await cli(args);
  if (result.code !== 0) throw new Error(`pulumi ${args.join(" ")} failed:\n${text(result)}`);
  return result;
}

const up = () => cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);

async function connectorConfig(): Promise<Record<string, string> | undefined> {
  const answer = await axios.get<Record<string, string>>(
    `${e.connectUrl}/connectors/${CONNECTOR}/config`,
    { validateStatus: () => true },
  );
  return answer.status === 200 ? answer.data : undefined;
}

const onPath = (r: RecordedRequest) => r.path.startsWith(path);
const lastSeq = async () => (await receiver.requests()).reduce((m, r) => Math.max(m, r.seq), 0);

function events(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, type: "page_view" }));
}

async function send(batch: readonly { id: string }[]): Promise<void> {
  for (let i = 0; i < batch.length; i += 50) {
    await axios.post(
      `${e.restProxyUrl}/topics/${TOPIC}`,
      { records: batch.slice(i, i + 50).map((value) => ({ value })) },
      { headers: { "Content-Type": "application/vnd.kafka.json.v2+json" } },
    );
  }
}

async function waitDelivered(ids: readonly string[], timeoutMs = 90_000) {
  return receiver.waitForIds(ids, {
    extract: (r) => (onPath(r) ? idsFromBody()(r) : []),
    timeoutMs,
  });
}

/** The forms a secret could leak in: as is, base64, and (the password) in a basic header. */
function leakForms(password: string): string[] {
  const b64 = (s: string) => Buffer.from(s).toString("base64");
  return [
    password,
    b64(password),
    b64(`${USER}:${password}`),
    apiKey,
    b64(apiKey),
    `X-Api-Key:${apiKey}`,
  ];
}

/**
 * Neither value is in Connect's REST API or config topic, the state (nor as the unkeyed SHA-256
 * hashes the providers once stored), the state backend's files, the CLI's output or the logs.
 */
async function expectNowhere(passwords: readonly string[]): Promise<void> {
  const exported = (await cliOk(["stack", "export"])).stdout;
  const backendFiles = textsUnder(backend);
  const logs = textsUnder(join(dirname(secretsDirectory()), "logs"));
  const config = JSON.stringify(await connectorConfig());
  const records = await configTopicTexts();
  expect(records.some((t) => t.includes(reference(`${CONNECTOR}.connection.password`)))).toBe(true);
  const headersContent = `Content-Type:application/json|X-Api-Key:${apiKey}`;
  for (const password of passwords) {
    const hashes = [
      unkeyedHash([CONNECTOR, "connection.password", password]),
      unkeyedHash([`${CONNECTOR}.connection.password`, password]),
      unkeyedHash([password]),
      unkeyedHash([CONNECTOR, "headers", headersContent]),
      unkeyedHash([`${CONNECTOR}.headers`, headersContent]),
    ];
    for (const leak of [...leakForms(password), ...hashes]) {
      expect({ leak, inConfig: config.includes(leak) }).toEqual({ leak, inConfig: false });
      expect({ leak, inTopic: records.filter((t) => t.includes(leak)) }).toEqual({
        leak,
        inTopic: [],
      });
      expect({ leak, inState: exported.includes(leak) }).toEqual({ leak, inState: false });
      expect({
        leak,
        inBackend: backendFiles.filter((f) => f.text.includes(leak)).map((f) => f.file),
      }).toEqual({ leak, inBackend: [] });
      expect({
        leak,
        inOutput: printed.filter((out) => out.includes(leak)).length,
      }).toEqual({ leak, inOutput: 0 });
      expect({
        leak,
        inLogs: logs.filter((f) => f.text.includes(leak)).map((f) => f.file),
      }).toEqual({ leak, inLogs: [] });
    }
  }
}

function expectFile(file: string, content: (text: string) => void): void {
  expect(existsSync(file)).toBe(true);
  expect((statSync(file).mode & 0o777).toString(8)).toBe("600");
  content(readFileSync(file, "utf8"));
}

describe("connector secrets as files in the worker's folder (real engine, policy pack)", () => {
  beforeAll(async () => {
    backend = mkdtempSync(join(tmpdir(), "tracking-e2e-secrets-state-"));
    env = await pulumiEnvironment({
      backendDir: backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
    });
    writeStackFile(STACK, settings());
    await pulumiOk(env, ["stack", "init", STACK]);
    await setSecret(env, STACK, PASSWORD_KEY, first);
    await setSecret(env, STACK, API_KEY_KEY, apiKey);
  });

  afterAll(async () => {
    // The receiver is shared: leave it open again, whatever happened above.
    await receiver.auth(null).catch(() => undefined);
    if (env) await pulumi(env, ["destroy", "--yes", "--stack", STACK]);
    if (env) await pulumi(env, ["stack", "rm", "--yes", "--force", "--stack", STACK]);
    rmSync(CONFIG_FILE, { force: true });
    if (backend) rmSync(backend, { recursive: true, force: true });
  });

  it("deploys with the policy pack; events reach the receiver with the password and the API key", async () => {
    await receiver.auth({ user: USER, password: first });
    const result = await up();
    expect(text(result)).toMatch(/\+ \d+ created/);
    const outputs = JSON.parse((await cliOk(["stack", "output", "--json"])).stdout) as {
      connectors: Record<string, { name: string; state: string; tasks: string[] }>;
    };
    expect(outputs.connectors).toEqual({
      receiver: { name: CONNECTOR, state: "RUNNING", tasks: ["0:RUNNING", "1:RUNNING"] },
    });
    const since = await lastSeq();
    const batch = events(`${path}-up`, 200);
    await send(batch);
    const report = await waitDelivered(batch.map((ev) => ev.id));
    expect(report.missing).toEqual([]);
    const accepted = (await receiver.requests(since)).filter((r) => onPath(r) && r.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of accepted) {
      expect(headerOf(r, "Authorization")).toBe(basicHeader(USER, first));
      expect(headerOf(r, "X-Api-Key")).toBe(apiKey);
    }
  });

  it("keeps the values out of Connect, the state, the CLI's output and the logs; the files hold them, mode 0600", async () => {
    const config = (await connectorConfig())!;
    expect(config["connection.password"]).toBe(reference(`${CONNECTOR}.connection.password`));
    expect(config["headers"]).toBe(reference(`${CONNECTOR}.headers`));
    expectFile(passwordFile(), (t) => expect(t).toBe(first));
    expectFile(headersFile(), (t) => expect(t.split("|")).toContain(`X-Api-Key:${apiKey}`));
    // The state describes the files by their keyed hash (a secret) and mode only.
    const exported = JSON.parse((await cliOk(["stack", "export"])).stdout) as {
      deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] };
    };
    const files = (exported.deployment.resources ?? []).filter(
      (r) => r.type === SECRET_FILE_TYPE_TOKEN,
    );
    expect(files.map((f) => f.outputs?.fileName).sort()).toEqual(
      [`${CONNECTOR}.connection.password`, `${CONNECTOR}.headers`].sort(),
    );
    for (const f of files) {
      expect(f.outputs?.mode).toBe("0600");
      expect(f.outputs?.hash).toMatchObject({ ciphertext: expect.any(String) });
    }
    await expectNowhere([first]);
  });

  it("rotates the password under pulumi up while events flow: none lost, the new one sent after", async () => {
    const producer = new SteadyProducer(e.restProxyUrl, TOPIC, `${path}-flow`);
    await new Promise((r) => setTimeout(r, 3000));
    await receiver.auth({ user: USER, password: second });
    // The receiver answers and records a request in one step: what it records from here on was
    // answered under the new rule (a request recorded just before may still carry the old one).
    const switched = await lastSeq();
    await setSecret(env, STACK, PASSWORD_KEY, second);
    const started = Date.now();
    const result = await up();
    const upMs = Date.now() - started;
    expect(text(result)).toMatch(/~ 2 updated/); // the file and the connector (restarted)
    expect(text(result)).not.toMatch(/created|deleted|replaced/);
    await new Promise((r) => setTimeout(r, 5000));
    const sent = await producer.stop();
    expect(producer.acknowledged.length).toBe(sent);
    const report = await waitDelivered(producer.acknowledged, 180_000);
    expect(report.missing).toEqual([]);
    const since = (await receiver.requests(switched)).filter(onPath);
    const refused = since.filter((r) => r.status === 401).length;
    const after = since.filter((r) => r.status === 200);
    expect(after.length).toBeGreaterThan(0);
    for (const r of after) {
      expect(headerOf(r, "Authorization")).toBe(basicHeader(USER, second));
      expect(headerOf(r, "X-Api-Key")).toBe(apiKey);
    }
    process.stderr.write(
      `[rotation] ${sent} events, up took ${upMs} ms, ${report.duplicates.length} duplicates, ` +
        `after the switch ${refused} requests refused (401) and ${after.length} accepted\n`,
    );
    expectFile(passwordFile(), (t) => expect(t).toBe(second));
    await expectNowhere([first, second]);
  });

  it("shows a reference edited behind Pulumi's back as drift, and up puts it back", async () => {
    const live = (await connectorConfig())!;
    await axios.put(`${e.connectUrl}/connectors/${CONNECTOR}/config`, {
      ...live,
      "connection.password": reference("elsewhere.connection.password"),
    });
    const refreshed = await cli(["refresh", "--yes", "--expect-no-changes"]);
    expect(refreshed.code).not.toBe(0);
    expect(text(refreshed)).toMatch(/tracking-receiver-connector/);
    const preview = await cli(["preview", "--expect-no-changes", "--diff"]);
    expect(preview.code).not.toBe(0);
    expect(text(preview)).toMatch(/connection\.password/);
    await up();
    expect((await connectorConfig())?.["connection.password"]).toBe(
      reference(`${CONNECTOR}.connection.password`),
    );
    await cliOk(["refresh", "--yes", "--expect-no-changes"]);
    await cliOk(["preview", "--expect-no-changes"]);
  });

  it("shows a secret file overwritten behind Pulumi's back as an update of its SecretFile, and up restores it", async () => {
    writeFileSync(passwordFile(), "tampered", { mode: 0o600 });
    await cliOk(["refresh", "--yes"]);
    const preview = await cli(["preview", "--expect-no-changes", "--diff"]);
    expect(preview.code).not.toBe(0);
    expect(text(preview)).toMatch(new RegExp(`${CONNECTOR}\\.connection\\.password`));
    expect(text(preview)).toMatch(/~ 1 to update/);
    await up();
    expectFile(passwordFile(), (t) => expect(t).toBe(second));
    await cliOk(["refresh", "--yes", "--expect-no-changes"]);
    await cliOk(["preview", "--expect-no-changes"]);
  });

  it("removes the files and the connector on destroy", async () => {
    await cliOk(["destroy", "--yes"]);
    expect(await connectorConfig()).toBeUndefined();
    expect(existsSync(passwordFile())).toBe(false);
    expect(existsSync(headersFile())).toBe(false);
    const exported = JSON.parse((await cliOk(["stack", "export"])).stdout) as {
      deployment: { resources?: { type: string }[] };
    };
    const left = (exported.deployment.resources ?? []).filter((r) =>
      [CONNECTOR_TYPE_TOKEN, SECRET_FILE_TYPE_TOKEN].includes(r.type),
    );
    expect(left).toEqual([]);
  });
});
