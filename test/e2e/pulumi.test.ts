import axios from "axios";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { ReceiverClient } from "../../platform/receiverClient";
import {
  policyFlags,
  pulumi,
  PulumiResult,
  pulumiEnvironment,
  pulumiOk,
  ROOT,
} from "../../scripts/pulumiCli";
import { platformEndpoints } from "../integration/platform";

/**
 * The main job under the real engine: `pulumi preview`, `up`, `refresh` and `destroy` of a stack
 * built like `local`, against the real local platform, with the policy pack. A stack of its own
 * (`e2e`, environment `e2e`, its own file backend) keeps it apart from the demo's `local` stack.
 */
const STACK = "e2e";
const CONFIG_FILE = join(ROOT, `Pulumi.${STACK}.yaml`);
const PROJECT = "tracking-pipeline";
const e = platformEndpoints();
const receiver = new ReceiverClient(e.receiverUrl);
const connectorName = "e2e-receiver-http-sink";
const path = `/e2e-${Date.now().toString(36)}`;

let env: NodeJS.ProcessEnv;
let backend: string;

/** Pulumi.local.yaml's settings, pointed at this platform's ports, with `changes` applied. */
function writeStackConfig(changes: (config: Record<string, unknown>) => void = () => undefined) {
  const local = parse(readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8")) as {
    config: Record<string, unknown>;
    encryptionsalt: string;
  };
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(local.config))
    config[key.slice(PROJECT.length + 1)] = value;
  Object.assign(config, {
    environment: "e2e",
    kafkaBootstrapServers: [e.kafkaBootstrap],
    connectUrl: e.connectUrl,
    restProxyUrl: e.restProxyUrl,
    destinations: [
      {
        name: "receiver",
        url: `${e.receiverUrl}${path}`,
        connectorClass: "local",
        topics: ["tracking"],
        tasksMax: 2,
        batching: { maxSize: 100 },
        retries: { maxRetries: 10, backoffMs: 500 },
      },
    ],
  });
  changes(config);
  const file = {
    config: Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
    encryptionsalt: local.encryptionsalt,
  };
  writeFileSync(CONFIG_FILE, stringify(file));
}

const withStack = (args: string[]) => [...args, "--stack", STACK];

function events(prefix: string, count: number) {
  return Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${i}`, type: "page_view" }));
}

async function send(batch: readonly { id: string }[]) {
  for (let i = 0; i < batch.length; i += 50) {
    await axios.post(
      `${e.restProxyUrl}/topics/e2e.tracking`,
      { records: batch.slice(i, i + 50).map((value) => ({ value })) },
      { headers: { "Content-Type": "application/vnd.kafka.json.v2+json" } },
    );
  }
}

async function connectorConfig(): Promise<Record<string, string> | undefined> {
  const answer = await axios.get<Record<string, string>>(
    `${e.connectUrl}/connectors/${connectorName}/config`,
    { validateStatus: () => true },
  );
  return answer.status === 200 ? answer.data : undefined;
}

async function topics(): Promise<string[]> {
  const answer = await axios.get<{ data: { topic_name: string }[] }>(
    `${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`,
  );
  return answer.data.data.map((t) => t.topic_name);
}

const text = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;

describe("pulumi on the local platform (real engine, policy pack)", () => {
  beforeAll(async () => {
    backend = mkdtempSync(join(tmpdir(), "tracking-e2e-state-"));
    env = await pulumiEnvironment({
      backendDir: backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
    });
    writeStackConfig();
    await pulumiOk(env, ["stack", "init", STACK]);
  });

  afterAll(async () => {
    // Whatever happened above, leave no connector or topic behind.
    if (env) await pulumi(env, withStack(["destroy", "--yes"]));
    if (env) await pulumi(env, withStack(["stack", "rm", "--yes", "--force"]));
    rmSync(CONFIG_FILE, { force: true });
    if (backend) rmSync(backend, { recursive: true, force: true });
  });

  it("previews with the policy pack passing", async () => {
    const result = await pulumiOk(env, withStack(["preview", ...policyFlags("local")]));
    expect(text(result)).toMatch(/tracking-pipeline@v0\.1\.0/);
    expect(text(result)).toMatch(/\+ 8 to create/);
  });

  it("deploys with up, and events POSTed to the REST proxy reach the receiver", async () => {
    await pulumiOk(env, withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]));
    const outputs = JSON.parse(
      (await pulumiOk(env, withStack(["stack", "output", "--json"]))).stdout,
    ) as { connectorNames: string[]; topicNames: string[]; restProxyEndpoint: string };
    expect(outputs).toMatchObject({
      connectorNames: [connectorName],
      topicNames: ["e2e.tracking"],
      restProxyEndpoint: e.restProxyUrl,
    });
    const batch = events(`${path}-up`, 300);
    await send(batch);
    const report = await receiver.waitForIds(batch.map((ev) => ev.id));
    expect(report.missing).toEqual([]);
  });

  it("updates a delivery setting in place, with no event lost while it applies", async () => {
    writeStackConfig((config) => {
      (config.destinations as { batching: { maxSize: number } }[])[0].batching.maxSize = 20;
    });
    const before = events(`${path}-during`, 400);
    const sending = send(before);
    const result = await pulumiOk(
      env,
      withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
    );
    await sending;
    expect(text(result)).toMatch(/~ 1 updated/);
    expect(text(result)).not.toMatch(/replaced/);
    expect((await connectorConfig())?.["batch.max.size"]).toBe("20");
    const after = events(`${path}-after`, 200);
    await send(after);
    const report = await receiver.waitForIds([...before, ...after].map((ev) => ev.id));
    expect(report.missing).toEqual([]);
  });

  it("finds no change on refresh", async () => {
    await pulumiOk(env, withStack(["refresh", "--yes"]));
    await pulumiOk(env, withStack(["preview", "--expect-no-changes"]));
  });

  it("shows a connector edited behind Pulumi's back as drift", async () => {
    const live = (await connectorConfig())!;
    await axios.put(`${e.connectUrl}/connectors/${connectorName}/config`, {
      ...live,
      "max.retries": "1",
    });
    const result = await pulumi(
      env,
      withStack(["preview", "--refresh", "--expect-no-changes", "--diff"]),
    );
    expect(result.code).not.toBe(0);
    expect(text(result)).toMatch(/tracking-receiver-connector/);
    expect(text(result)).toMatch(/max\.retries/);
  });

  it("stops an unsafe config at preview, naming the policy", async () => {
    writeStackConfig((config) => {
      (config.destinations as { retries: { maxRetries: number } }[])[0].retries.maxRetries = 0;
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    expect(text(result)).toMatch(/http-sink-retries/);
    expect(text(result)).toMatch(/`max\.retries` is 0/);
  });

  it("stops a setting the Connect worker rejects at preview, naming the key", async () => {
    writeStackConfig((config) => {
      // The local connector accepts POST and PUT only; the worker's validation says so.
      (config.destinations as { method: string }[])[0].method = "PATCH";
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    expect(text(result)).toMatch(/request\.method/);
  });

  it("destroys every connector and topic it created", async () => {
    writeStackConfig();
    await pulumiOk(env, withStack(["destroy", "--yes"]));
    expect(await connectorConfig()).toBeUndefined();
    expect((await topics()).filter((t) => t.startsWith("e2e."))).toEqual([]);
  });
});
