import { readFileSync } from "node:fs";
import { join } from "node:path";
import axios from "axios";
import { ensureFetched, resolveSettings } from "../../platform";
import { extractEventIds } from "../../platform/receiverClient";
import { HTTP_SINK_DIR } from "../../platform/settings";
import { OLDER_KAFKA_VERSION, ensureOlderWorkerJars } from "./olderWorker/fetch";
import { readMBeans, readSettledMBeans, taskMBean } from "./jmx";
import { OlderWorker, startOlderWorker } from "./olderWorker/worker";
import { createTopic, platformEndpoints, produce, receiver, uniqueName } from "./platform";

/**
 * The HTTP sink on a real Kafka 3.9 Connect worker, the Kafka of the Connect image's base
 * (cp-kafka-connect 7.9.1): connect-runtime 3.9.2 from the Maven registry, started against the
 * platform's broker with the platform's own build of the plugin (compiled against Kafka 4.4, as
 * in the image). A 3.9 worker has no plugin metrics (KIP-877), so the task must publish its
 * per-task metrics in JMX itself, under the names a 4.1+ worker gives them.
 *
 * TRACKING_OLDER_WORKER_PLUGIN_PATH replaces the worker's `plugin.path` (e.g. a build of the
 * connector without that fallback, to see this test fail).
 */
const PLUGIN_PATH_ENV = "TRACKING_OLDER_WORKER_PLUGIN_PATH";
const FALLBACK_LINE = "publishes its metrics in JMX itself";

const e = platformEndpoints();
const client = receiver();
const log = (line: string) => process.stderr.write(`[connect-${OLDER_KAFKA_VERSION}] ${line}\n`);

let worker: OlderWorker | undefined;
const connectors: string[] = [];

function started(): OlderWorker {
  if (!worker) throw new Error("The Kafka 3.9 worker did not start (see beforeAll's error).");
  return worker;
}

/** Runs a test body; on failure the error carries the worker log's tail. */
async function withWorkerLog(body: (w: OlderWorker) => Promise<void>): Promise<void> {
  const w = started();
  try {
    await body(w);
  } catch (err) {
    const tail = `--- ${w.logFile} (last 80 lines) ---\n${w.logTail()}`;
    if (err instanceof Error) {
      err.message = `${err.message}\n${tail}`;
      throw err;
    }
    throw new Error(`${String(err)}\n${tail}`, { cause: err });
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline)
      throw new Error(`Timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

interface Status {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

async function status(w: OlderWorker, name: string): Promise<Status | undefined> {
  const r = await axios.get<Status>(`${w.url}/connectors/${name}/status`, {
    validateStatus: () => true,
  });
  return r.status === 200 ? r.data : undefined;
}

/** Waits until the connector and its one task are RUNNING; a FAILED task fails with its trace. */
async function waitRunning(w: OlderWorker, name: string): Promise<Status> {
  return waitFor(`${name} and its task to be RUNNING on the 3.9 worker`, async () => {
    const s = await status(w, name);
    const failed = s?.tasks.find((t) => t.state === "FAILED");
    if (failed) throw new Error(`Task ${failed.id} of ${name} FAILED:\n${failed.trace ?? ""}`);
    if (s?.connector.state === "FAILED") {
      throw new Error(`Connector ${name} FAILED:\n${s.connector.trace ?? ""}`);
    }
    const running =
      s?.connector.state === "RUNNING" &&
      s.tasks.length === 1 &&
      s.tasks.every((t) => t.state === "RUNNING");
    return running ? s : undefined;
  });
}

/** Events at `path`, accepted by the receiver after request `since` (its seq). */
async function accepted(path: string, since = 0) {
  const requests = (await client.requests(since)).filter((r) => r.path === path);
  return {
    requests,
    ids: requests.filter((r) => r.status < 300).flatMap((r) => [...idsOf(r.json)]),
  };
}

const idsOf = (json: unknown) => extractEventIds(json, "id");

const fallbackLines = (w: OlderWorker) =>
  w
    .log()
    .split("\n")
    .filter((line) => line.includes(FALLBACK_LINE));

/** The connector module's version, which the worker reports for the plugin. */
function connectorVersion(): string {
  const pom = readFileSync(join(HTTP_SINK_DIR, "pom.xml"), "utf8");
  const match = /<artifactId>tracking-http-sink<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(
    pom,
  );
  if (!match) throw new Error(`No version of tracking-http-sink in ${HTTP_SINK_DIR}/pom.xml`);
  return match[1];
}

describe(`tracking HTTP sink on a real Kafka ${OLDER_KAFKA_VERSION} Connect worker`, () => {
  const name = uniqueName("tracking-older");
  const topic = uniqueName("older-src");
  const path = `/${uniqueName("older")}`;
  const first = Array.from({ length: 5 }, (_, i) => ({ id: `${path}-a${i}`, kind: "page_view" }));
  const second = Array.from({ length: 3 }, (_, i) => ({ id: `${path}-b${i}`, kind: "page_view" }));

  beforeAll(async () => {
    const jars = await ensureOlderWorkerJars(log);
    if (!jars.fetched) log(`jars already in ${jars.libs} (no Maven run)`);
    // The platform's own build of the plugin (globalSetup fetched it for these sources).
    const pluginPath =
      process.env[PLUGIN_PATH_ENV] ?? ensureFetched(resolveSettings({ secure: false })).pluginPath;
    log(`plugin.path ${pluginPath}`);
    const t = Date.now();
    worker = await startOlderWorker({
      libs: jars.libs,
      bootstrap: e.kafkaBootstrap,
      pluginPath,
      groupId: uniqueName("older-worker"),
      pluginClass: e.httpSinkConnectorClass,
    });
    log(`worker pid ${worker.pid} at ${worker.url} ready in ${(Date.now() - t) / 1000} s`);
  }, 600_000);

  afterAll(async () => {
    const w = worker;
    if (!w) return;
    for (const c of connectors) {
      await axios.delete(`${w.url}/connectors/${c}`, { validateStatus: () => true });
    }
    await w.stop();
    // The worker's internal topics are its own: leave nothing behind on the shared broker.
    for (const t of w.internalTopics) {
      await axios.delete(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics/${t}`, {
        validateStatus: () => true,
      });
    }
  }, 120_000);

  it("is a 3.9 worker on the platform's cluster that loads the platform's plugin build", () =>
    withWorkerLog(async (w) => {
      const { data: root } = await axios.get<{ version: string; kafka_cluster_id: string }>(
        `${w.url}/`,
      );
      expect(root.version).toBe(OLDER_KAFKA_VERSION);
      expect(root.kafka_cluster_id).toBe(e.clusterId);
      const { data: plugins } = await axios.get<{ class: string; version: string }[]>(
        `${w.url}/connector-plugins`,
      );
      expect(plugins.find((p) => p.class === e.httpSinkConnectorClass)?.version).toBe(
        connectorVersion(),
      );
    }));

  it("delivers every event and publishes the task's metrics in the worker's JMX itself", () =>
    withWorkerLog(async (w) => {
      await createTopic(topic, 1);
      await produce(topic, first);
      connectors.push(name);
      await axios.put(`${w.url}/connectors/${name}/config`, {
        "connector.class": e.httpSinkConnectorClass,
        topics: topic,
        "tasks.max": "1",
        "http.api.url": `${e.receiverUrl}${path}`,
        "retry.backoff.ms": "200",
      });
      const running = await waitRunning(w, name);
      expect(running.connector.state).toBe("RUNNING");
      expect(running.tasks.map((t) => t.state)).toEqual(["RUNNING"]);

      const report = await client.waitForIds(
        first.map((ev) => ev.id),
        { extract: (r) => (r.path === path ? idsOf(r.json) : []) },
      );
      expect(report.missing).toEqual([]);

      await waitFor("the task's MBean to count every event", async () => {
        const [m] = await readMBeans(w.pid, taskMBean(name));
        return m?.attributes["events-delivered-total"] === first.length ? m : undefined;
      });
      const [mbean] = await readSettledMBeans(w.pid, taskMBean(name));
      expect(mbean.name).toBe(`kafka.connect:connector=${name},task=0,type=plugins`);
      expect(mbean.attributes["events-delivered-total"]).toBe(first.length);
      expect(mbean.attributes["requests-sent-total"]).toBeGreaterThan(0);
      // Every request the task counted reached the receiver (retries included).
      expect(mbean.attributes["requests-sent-total"]).toBe((await accepted(path)).requests.length);
      // Through the fallback, not some other path: the task said so in the worker's log.
      expect(fallbackLines(w).length).toBeGreaterThanOrEqual(1);
      const after = await status(w, name);
      expect(after?.connector.state).toBe("RUNNING");
      expect(after?.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
    }));

  it("publishes the MBean again, with fresh counts, after the task is restarted", () =>
    withWorkerLog(async (w) => {
      const before = fallbackLines(w).length;
      const cursor = Math.max(0, ...(await client.requests()).map((r) => r.seq));
      // The worker's REST server answers 415 to a POST without a JSON content type.
      const restart = await axios.post(`${w.url}/connectors/${name}/tasks/0/restart`, null, {
        headers: { "Content-Type": "application/json" },
        validateStatus: () => true,
      });
      expect(restart.status).toBe(204);
      await waitFor("the restarted task to take the fallback again", async () =>
        fallbackLines(w).length > before ? true : undefined,
      );
      await waitRunning(w, name);
      await produce(topic, second);
      const report = await client.waitForIds(
        second.map((ev) => ev.id),
        { extract: (r) => (r.path === path ? idsOf(r.json) : []) },
      );
      expect(report.missing).toEqual([]);

      // The new task instance counts from zero: what reached the receiver since the restart
      // (the second batch, and any of the first one redelivered from uncommitted offsets).
      await waitFor("the restarted task's MBean to count the new events", async () => {
        const [m] = await readMBeans(w.pid, taskMBean(name));
        const delivered = m?.attributes["events-delivered-total"];
        return typeof delivered === "number" && delivered >= second.length ? m : undefined;
      });
      // Redelivered events of the first batch may still be in flight: compare counts at rest.
      const [mbean] = await readSettledMBeans(w.pid, taskMBean(name));
      const since = await accepted(path, cursor);
      expect(since.ids).toEqual(expect.arrayContaining(second.map((ev) => ev.id)));
      expect(mbean.attributes["events-delivered-total"]).toBe(since.ids.length);
      expect(mbean.attributes["requests-sent-total"]).toBe(since.requests.length);
      const s = await status(w, name);
      expect(s?.connector.state).toBe("RUNNING");
      expect(s?.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
    }));

  it("unregisters the MBean when the connector is deleted", () =>
    withWorkerLog(async (w) => {
      const removed = await axios.delete(`${w.url}/connectors/${name}`);
      expect(removed.status).toBe(204);
      connectors.splice(connectors.indexOf(name), 1);
      await waitFor("the MBean to go", async () =>
        (await readMBeans(w.pid, taskMBean(name))).length === 0 ? true : undefined,
      );
    }));
});
