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
    connectSecretsDirectory: e.connectSecretsDirectory,
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

/** `pulumi up` while `batch` is being POSTed, so that events flow during the change. */
async function upWhileSending(batch: readonly { id: string }[]): Promise<PulumiResult> {
  const sending = send(batch);
  const result = await pulumiOk(
    env,
    withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
  );
  await sending;
  return result;
}

async function connectorConfig(): Promise<Record<string, string> | undefined> {
  const answer = await axios.get<Record<string, string>>(
    `${e.connectUrl}/connectors/${connectorName}/config`,
    { validateStatus: () => true },
  );
  return answer.status === 200 ? answer.data : undefined;
}

/** Committed offsets of the sink's consumer group, by `topic/partition`. */
async function committedOffsets(): Promise<Map<string, number>> {
  const answer = await axios.get<{
    offsets: {
      partition: { kafka_topic: string; kafka_partition: number };
      offset: { kafka_offset: number } | null;
    }[];
  }>(`${e.connectUrl}/connectors/${connectorName}/offsets`);
  const out = new Map<string, number>();
  for (const o of answer.data.offsets) {
    if (o.offset)
      out.set(`${o.partition.kafka_topic}/${o.partition.kafka_partition}`, o.offset.kafka_offset);
  }
  return out;
}

async function connectorState(): Promise<string | undefined> {
  const answer = await axios.get<{ connector: { state: string } }>(
    `${e.connectUrl}/connectors/${connectorName}/status`,
    { validateStatus: () => true },
  );
  return answer.status === 200 ? answer.data.connector.state : undefined;
}

async function topics(): Promise<string[]> {
  const answer = await axios.get<{ data: { topic_name: string }[] }>(
    `${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`,
  );
  return answer.data.data.map((t) => t.topic_name);
}

const text = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;

/** A message as a pattern that lets the CLI wrap it at any space. */
const wrapped = (message: string) =>
  new RegExp(message.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/ /g, "\\s+"));

/** The outputs of the stack's resources of one type, as the state holds them. */
async function stateOf(type: string): Promise<Record<string, unknown>[]> {
  const exported = JSON.parse((await pulumiOk(env, withStack(["stack", "export"]))).stdout) as {
    deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] };
  };
  return (exported.deployment.resources ?? [])
    .filter((r) => r.type === type)
    .map((r) => r.outputs ?? {});
}

/** Refresh reads every resource back through its plugin; neither it nor a preview sees a change. */
async function expectNoDrift(): Promise<void> {
  await pulumiOk(env, withStack(["refresh", "--yes", "--expect-no-changes"]));
  await pulumiOk(env, withStack(["preview", "--expect-no-changes"]));
}

const QUOTA = "kafka:index/quota:Quota";
const TOPIC = "kafka:index/topic:Topic";

/** The receiver's sink with an egress quota of `rate` bytes a second. */
function withQuota(config: Record<string, unknown>, rate: number): void {
  (config.destinations as { rateLimit?: unknown }[])[0].rateLimit = { consumerByteRate: rate };
}

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
    // Whatever happened above, leave no connector or topic behind, protected or not.
    if (env) await pulumi(env, withStack(["state", "unprotect", "--all", "--yes"]));
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
    ) as {
      connectorNames: string[];
      topicNames: string[];
      restProxyEndpoint: string;
      connectors: Record<string, { name: string; state: string; tasks: string[] }>;
    };
    expect(outputs).toMatchObject({
      connectorNames: [connectorName],
      topicNames: ["e2e.tracking"],
      restProxyEndpoint: e.restProxyUrl,
    });
    // "Is my pipeline running?" from `pulumi stack output` alone.
    expect(outputs.connectors).toEqual({
      receiver: { name: connectorName, state: "RUNNING", tasks: ["0:RUNNING", "1:RUNNING"] },
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
    const result = await upWhileSending(before);
    expect(text(result)).toMatch(/~ 1 updated/);
    expect(text(result)).not.toMatch(/replaced/);
    expect((await connectorConfig())?.["batch.max.size"]).toBe("20");
    const after = events(`${path}-after`, 200);
    await send(after);
    const report = await receiver.waitForIds([...before, ...after].map((ev) => ev.id));
    expect(report.missing).toEqual([]);
  });

  it("moves the Connect endpoint in place: the connector keeps running with its offsets", async () => {
    const before = await committedOffsets();
    expect(before.size).toBeGreaterThan(0);
    // The same workers under another name and with a trailing slash: never a delete.
    const moved = `${e.connectUrl.replace("127.0.0.1", "localhost")}/`;
    writeStackConfig((config) => {
      config.connectUrl = moved;
      // As the step before left it, so that the endpoint is the only change.
      (config.destinations as { batching: { maxSize: number } }[])[0].batching.maxSize = 20;
    });
    const during = events(`${path}-moved`, 300);
    const result = await upWhileSending(during);
    expect(text(result)).toMatch(/~ 1 updated/);
    expect(text(result)).not.toMatch(/deleted|replaced|created/);
    expect(await connectorState()).toBe("RUNNING");
    const after = await committedOffsets();
    for (const [partition, offset] of before) {
      expect({ partition, offset: after.get(partition) ?? -1 }).toEqual({
        partition,
        offset: expect.any(Number),
      });
      expect(after.get(partition)!).toBeGreaterThanOrEqual(offset);
    }
    const later = events(`${path}-moved-after`, 100);
    await send(later);
    const report = await receiver.waitForIds([...during, ...later].map((ev) => ev.id));
    expect(report.missing).toEqual([]);
    const outputs = JSON.parse(
      (await pulumiOk(env, withStack(["stack", "output", "--json"]))).stdout,
    ) as { connectEndpoint: string };
    expect(outputs.connectEndpoint).toBe(moved);
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

  it("stops a misspelt setting at preview, naming the closest known key", async () => {
    writeStackConfig((config) => {
      config.topicPartiton = 3;
      (config.destinations as { batching: Record<string, unknown> }[])[0].batching.seperator = ";";
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    expect(text(result)).toContain(
      "tracking-pipeline:topicPartiton: unknown setting; did you mean `topicPartitions`?",
    );
    expect(text(result)).toContain(
      "tracking-pipeline:destinations[0].batching.seperator: unknown setting; did you mean `separator`?",
    );
  });

  it("stops a missing secret at preview with one clean message", async () => {
    writeStackConfig((config) => {
      (config.destinations as { secretHeaders: Record<string, string> }[])[0].secretHeaders = {
        "X-Api-Key": "e2eMissingKey",
      };
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    const output = text(result);
    const mentions = output.split('"e2eMissingKey"').length - 1;
    expect({
      mentions,
      noise: /__pulum\w*ResourceError|\bat \S+ \(|\[Object|\{\s*$/m.test(output),
    }).toEqual({
      mentions: 1,
      noise: false,
    });
    expect(output).toContain("pulumi config set --secret e2eMissingKey");
  });

  it("refuses to plan the deletion of protected topics on an environment rename", async () => {
    writeStackConfig((config) => (config.protectTopics = true));
    await pulumiOk(env, withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]));
    try {
      writeStackConfig((config) => {
        config.protectTopics = true;
        config.environment = "e2e-renamed";
      });
      const renamed = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
      expect(renamed.code).not.toBe(0);
      for (const topic of ["e2e.tracking", "e2e.receiver.dlq"]) {
        expect(text(renamed)).toMatch(
          new RegExp(
            `Topic::tracking-topics-${topic.replace(".", "\\.")}" cannot be deleted\\s+because it is protected`,
          ),
        );
      }
      const destroy = await pulumi(env, withStack(["destroy", "--preview-only"]));
      expect(destroy.code).not.toBe(0);
      expect(text(destroy)).toMatch(/cannot be deleted\s+because it is protected/);
      // Nothing was touched: the topics are there and the connector still runs.
      expect((await topics()).filter((t) => t.startsWith("e2e."))).toEqual(
        expect.arrayContaining(["e2e.tracking", "e2e.receiver.dlq"]),
      );
      expect(await connectorState()).toBe("RUNNING");
    } finally {
      // A throw-away stack turns protection off again, so that the destroy below can run.
      writeStackConfig();
      await pulumiOk(env, withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]));
    }
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
      // Three digits pass the stack's own check; the connector's ConfigDef wants 100 to 999.
      (config.destinations as { retries: { retryOnStatusCodes: string } }[])[0].retries = {
        retryOnStatusCodes: "099",
      };
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    expect(text(result)).toMatch(/retry\.on\.status\.codes/);
    expect(text(result)).toMatch(/the Connect worker's validation/);
  });

  it("creates a sink's egress quota, reads it back, and changes it deleting before replacing", async () => {
    writeStackConfig((config) => withQuota(config, 1_048_576));
    const created = await pulumiOk(
      env,
      withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
    );
    expect(text(created)).toMatch(/\+ 1 created/);
    expect(text(created)).not.toMatch(/replaced|deleted/);
    await expectNoDrift();
    expect((await stateOf(QUOTA)).map((q) => [q.entityName, q.config])).toEqual([
      [expect.stringContaining(connectorName), { consumer_byte_rate: "1048576" }],
    ]);
    // The plugin replaces a quota on a new value; created first, the new one would lose its
    // values to the old one's delete (same client id), so the old one goes first.
    writeStackConfig((config) => withQuota(config, 2_097_152));
    const changed = await pulumiOk(
      env,
      withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
    );
    const output = text(changed);
    expect(output).toMatch(/\+-\s*1 replaced/);
    expect(output.indexOf("deleted original")).toBeGreaterThan(-1);
    expect(output.indexOf("deleted original")).toBeLessThan(output.indexOf("created replacement"));
    await expectNoDrift();
    expect((await stateOf(QUOTA)).map((q) => q.config)).toEqual([
      { consumer_byte_rate: "2097152" },
    ]);
  });

  it("applies a retention change and more partitions in place, and refresh reads them back", async () => {
    writeStackConfig((config) => {
      withQuota(config, 2_097_152);
      config.topicRetentionMs = 172_800_000;
      config.topicPartitions = 4;
    });
    const result = await pulumiOk(
      env,
      withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
    );
    expect(text(result)).toMatch(/~ 1 updated/);
    expect(text(result)).not.toMatch(/replaced|created|deleted/);
    await expectNoDrift();
    const tracking = (await stateOf(TOPIC)).find((t) => t.name === "e2e.tracking");
    expect(tracking).toMatchObject({
      partitions: 4,
      config: expect.objectContaining({ "retention.ms": "172800000" }),
    });
  });

  it("refuses fewer partitions at preview, because the topic's events would be lost", async () => {
    writeStackConfig((config) => {
      withQuota(config, 2_097_152);
      config.topicRetentionMs = 172_800_000;
      config.topicPartitions = 2;
    });
    const result = await pulumi(env, withStack(["preview", ...policyFlags("local")]));
    expect(result.code).not.toBe(0);
    expect(text(result)).toMatch(
      wrapped(
        "`partitions` of topic e2e.tracking cannot go down from 4 to 2: Kafka cannot remove " +
          "partitions, so the kafka plugin would delete the topic and create it again, losing " +
          "every event in it.",
      ),
    );
    expect(text(result)).not.toMatch(/to replace/);
    // Nothing was touched: the topic on the cluster still has its four partitions.
    writeStackConfig((config) => {
      withQuota(config, 2_097_152);
      config.topicRetentionMs = 172_800_000;
      config.topicPartitions = 4;
    });
    await expectNoDrift();
  });

  it("destroys every connector and topic it created", async () => {
    writeStackConfig();
    await pulumiOk(env, withStack(["destroy", "--yes"]));
    expect(await connectorConfig()).toBeUndefined();
    expect((await topics()).filter((t) => t.startsWith("e2e."))).toEqual([]);
  });
});
