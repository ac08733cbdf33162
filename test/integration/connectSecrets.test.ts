import { randomBytes } from "node:crypto";
import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import axios from "axios";
import { logFile } from "../../platform";
import { CONNECT_TOPICS } from "../../platform/components";
import { directoryReference } from "../../platform/connectSecrets";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idsFromBody } from "../../platform/receiverClient";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  produce,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";
import { readTopic } from "./topicReader";

/**
 * Connector secrets never at rest in Connect: the config holds `${dir:<folder>:<file>}`, the real
 * worker's DirectoryConfigProvider reads the file when it starts the task, and the real receiver
 * sees the password while Connect's REST API, config topic and log do not.
 */
const e = platformEndpoints();
const client = receiver();
const USER = "writer";

function secretsDirectory(): string {
  if (!e.connectSecretsDirectory) {
    throw new Error(
      "The platform's endpoints have no `connectSecretsDirectory`: it was started by an older " +
        "build. Run `npm run platform -- up` again (it restarts a worker with older properties).",
    );
  }
  return e.connectSecretsDirectory;
}

/** Writes a secret as the stack does: a 0600 temp file renamed over the old one. */
function writeSecret(dir: string, file: string, value: string): void {
  const temp = join(dir, `.${file}.${process.pid}.tmp`);
  writeFileSync(temp, value, { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, join(dir, file));
}

const newPassword = (): string => `pw-${randomBytes(12).toString("hex")}`;
const basic = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
const onPath = (path: string) => (r: RecordedRequest) => r.path.startsWith(path);
const authorization = (r: RecordedRequest): string | undefined => {
  const v = r.headers.authorization;
  return Array.isArray(v) ? v[0] : v;
};

/** Every record of Connect's config topic, as text. */
async function configTopicText(): Promise<string[]> {
  // ReadTopic stops at `min` records or the timeout: ask for more than there are.
  const records = await readTopic(CONNECT_TOPICS.config, 2_147_483_647, 8_000);
  return records.map((r) => `${r.key ?? ""}\n${r.value ?? ""}`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe("connector secrets from the worker's secrets folder", () => {
  const connectors: string[] = [];
  const files: string[] = [];

  async function sink(name: string, path: string, topic: string, password: string) {
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "auth.type": "BASIC",
      "connection.user": USER,
      "connection.password": password,
      // While the file and the receiver disagree (rotation), 401 is retried, not dead-lettered.
      "retry.on.status.codes": "401,429,500-",
      "max.retries": "100",
      "retry.backoff.ms": "200",
    });
  }

  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
    for (const f of files) rmSync(f, { recursive: true, force: true });
  });

  it("sends the file's password, rotated by rewriting the file and restarting; Connect stores and logs only the reference", async () => {
    const dir = secretsDirectory();
    const name = uniqueName("secret-sink");
    const file = `${name}.connection.password`;
    const reference = directoryReference(dir, file);
    const first = newPassword();
    writeSecret(dir, file, first);
    files.push(join(dir, file));
    await client.auth({ user: USER, password: first });
    const path = `/${name}`;
    const topic = uniqueName("secret-src");
    await createTopic(topic);
    await sink(name, path, topic, reference);

    const before = Array.from({ length: 10 }, (_, i) => `${name}-a${i}`);
    await produce(
      topic,
      before.map((id) => ({ id })),
    );
    const firstReport = await client.waitForIds(before, {
      extract: (r) => (onPath(path)(r) ? idsFromBody()(r) : []),
      timeoutMs: 60_000,
    });
    expect(firstReport.missing).toEqual([]);
    const accepted = (await client.requests()).filter((r) => onPath(path)(r) && r.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of accepted) expect(authorization(r)).toBe(basic(USER, first));

    // The REST API returns the reference, not the value.
    const { data: config } = await axios.get<Record<string, string>>(
      `${e.connectUrl}/connectors/${name}/config`,
    );
    expect(config["connection.password"]).toBe(reference);

    // Rotation: a new file content, a receiver that accepts only it, a restart of the tasks.
    const second = newPassword();
    writeSecret(dir, file, second);
    await client.auth({ user: USER, password: second });
    const restart = await axios.post(
      `${e.connectUrl}/connectors/${name}/restart?includeTasks=true`,
      {},
      { validateStatus: () => true },
    );
    // 202 Accepted with the restart plan (200/204 only when nothing was restarted).
    expect(restart.status).toBe(202);
    const rotatedSince = (await client.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    const after = Array.from({ length: 10 }, (_, i) => `${name}-b${i}`);
    await produce(
      topic,
      after.map((id) => ({ id })),
    );
    const secondReport = await client.waitForIds(after, {
      extract: (r) => (onPath(path)(r) ? idsFromBody()(r) : []),
      timeoutMs: 90_000,
    });
    expect(secondReport.missing).toEqual([]);
    const rotated = (await client.requests(rotatedSince)).filter(
      (r) => onPath(path)(r) && r.status === 200,
    );
    expect(rotated.flatMap((r) => [...idsFromBody()(r)])).toEqual(expect.arrayContaining(after));
    for (const r of rotated) expect(authorization(r)).toBe(basic(USER, second));

    // Nothing at rest in Connect holds either password: the config topic holds the reference.
    const records = await configTopicText();
    expect(records.some((t) => t.includes(reference))).toBe(true);
    for (const password of [first, second]) {
      expect(records.filter((t) => t.includes(password))).toEqual([]);
    }
    const log = readFileSync(logFile("connect"), "utf8");
    expect(log).toContain(name); // the worker did log this connector's start
    expect(log).not.toContain(first);
    expect(log).not.toContain(second);
    const status = await axios.get<unknown>(`${e.connectUrl}/connectors/${name}/status`);
    expect(JSON.stringify(status.data)).not.toContain(second);
  });

  it("leaves a reference outside the secrets folder unresolved: the file's content goes nowhere, the log says the path is not allowed", async () => {
    // KIP-993 `allowed.paths` on Kafka 4.4: the provider refuses the folder with a WARN line and
    // resolves nothing, so validation passes and the task sends the reference text itself.
    const outside = mkdtempSync(join(tmpdir(), "connect-outside-"));
    files.push(outside);
    const content = newPassword();
    writeFileSync(join(outside, "password"), content, { mode: 0o600 });
    const reference = directoryReference(outside, "password");
    const name = uniqueName("secret-outside");
    const path = `/${name}`;
    const topic = uniqueName("secret-out-src");
    await createTopic(topic);

    const { data: validation } = await axios.put<{
      error_count: number;
      configs: { value: { name: string; value: string | null; errors: string[] } }[];
    }>(`${e.connectUrl}/connector-plugins/${e.httpSinkConnectorClass}/config/validate`, {
      "connector.class": e.httpSinkConnectorClass,
      name,
      topics: topic,
      "http.api.url": `${e.receiverUrl}${path}`,
      "auth.type": "BASIC",
      "connection.user": USER,
      "connection.password": reference,
    });
    expect(validation.error_count).toBe(0);
    expect(JSON.stringify(validation)).not.toContain(content);

    await client.auth({ user: USER, password: content });
    await sink(name, path, topic, reference);
    await produce(topic, [{ id: `${name}-0` }]);
    const refused = await waitFor("a request of the outside-folder sink", async () =>
      (await client.requests()).find(onPath(path)),
    );
    // The receiver wanted the file's content; it got the unresolved reference instead.
    expect(refused.status).toBe(401);
    expect(authorization(refused)).toBe(basic(USER, reference));

    const log = readFileSync(logFile("connect"), "utf8");
    expect(log).toContain(
      `WARN The path ${outside} is not allowed to be accessed ` +
        "(org.apache.kafka.common.config.provider.DirectoryConfigProvider)",
    );
    expect(log).not.toContain(content);
    const status = await axios.get<unknown>(`${e.connectUrl}/connectors/${name}/status`);
    expect(JSON.stringify(status.data)).not.toContain(content);
    expect((await configTopicText()).filter((t) => t.includes(content))).toEqual([]);

    // `..` does not climb out (to the worker's own properties): the normalised path is compared.
    const logged = readFileSync(logFile("connect"), "utf8").length;
    await axios.put(
      `${e.connectUrl}/connector-plugins/${e.httpSinkConnectorClass}/config/validate`,
      {
        "connector.class": e.httpSinkConnectorClass,
        name,
        topics: topic,
        "http.api.url": `${e.receiverUrl}${path}`,
        "connection.password": `\${dir:${secretsDirectory()}/../connect:worker.properties}`,
      },
    );
    expect(readFileSync(logFile("connect"), "utf8").slice(logged)).toContain(
      `WARN The path ${secretsDirectory()}/../connect is not allowed to be accessed`,
    );
  });

  it("sends the reference text itself when its file is missing from the folder (no error, no log line)", async () => {
    const name = uniqueName("secret-missing");
    const path = `/${name}`;
    const topic = uniqueName("secret-missing-src");
    await createTopic(topic);
    const reference = directoryReference(secretsDirectory(), `${name}.connection.password`);
    await client.auth({ user: USER, password: "never-written" });
    const logged = readFileSync(logFile("connect"), "utf8").length;
    await sink(name, path, topic, reference);
    await produce(topic, [{ id: `${name}-0` }]);
    const refused = await waitFor("a request of the missing-file sink", async () =>
      (await client.requests()).find(onPath(path)),
    );
    expect(refused.status).toBe(401);
    expect(authorization(refused)).toBe(basic(USER, reference));
    expect(readFileSync(logFile("connect"), "utf8").slice(logged)).not.toContain(
      "DirectoryConfigProvider",
    );
  });
});
