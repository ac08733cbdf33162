import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import axios from "axios";
import { ConnectCluster, connectInternalTopics } from "../../components/connectCluster";
import { httpSinkConfig } from "../../components/httpSinkConnector";
import { accessPlan } from "../../components/kafkaAccess";
import { RestProxy } from "../../components/restProxy";
import { sinkGroupId } from "../../components/sinkKafkaClients";
import { ensureFetched } from "../../platform/fetch";
import { ReceiverClient } from "../../platform/receiverClient";
import { AdminOperation, runKafkaAdmin } from "../../platform/secure/admin";
import {
  secureAdminTarget,
  secureEndpoints,
  secureProfileOptions,
} from "../../platform/secure/endpoints";
import { resolveSettings } from "../../platform/settings";
import { deleteTopics } from "../boot/deleteTopics";
import { grantOperations } from "../boot/grants";
import {
  BootFailure,
  imageProperties,
  jvmOptions,
  PLATFORM_JVM_FLAGS,
  renderedProperties,
  waitFor,
} from "../boot/imageBoot";
import { freePort, StartedJava, startJava, writeLog4j } from "../boot/javaProcess";
import { propertiesText } from "../boot/podEnv";
import { RenderedPod, renderPod } from "../boot/render";
import { expectNoPasswordInEnv } from "../boot/renderChecks";
import { idsOnPath } from "./connectorFixtures";
import { uniqueName, V2_JSON } from "./platform";

/**
 * Boot from the rendered Deployment: the ConnectCluster and the RestProxy of a secured stack are
 * rendered under Pulumi's mocks, their pods' env becomes the properties file the Confluent image
 * would write (the images' `ub` rule, secretKeyRef resolved from the Secret of the same render,
 * the mounted CA written where the pod would see it), and the real Connect worker and the REST
 * proxy stand-in are started with exactly that against the secured local broker. Only what
 * cannot hold on loopback is changed, each change named where it is made.
 */

const e = secureEndpoints();
const target = secureAdminTarget(e);
const { admin, connect, restProxy } = e.credentials;
const jars = ensureFetched(resolveSettings(secureProfileOptions()));
const PASSWORDS = [admin.password, connect.password, restProxy.password];
// An environment of its own per run: internal topics and group no earlier run left state in.
const ENVIRONMENT = uniqueName("boot");
/** Generous: two shared cores, and a cold worker scans every jar of its classpath. */
const BOOT_TIMEOUT_MS = 900_000;
const security = {
  tls: true,
  mechanism: "scram-sha512",
  caCertificate: readFileSync(e.security.caFile, "utf8"),
} as const;

/** For polls: a request that hangs counts as "not yet", not as a stuck test. */
const http = axios.create({ timeout: 10_000 });

const asAdmin = (ops: readonly AdminOperation[]) => runKafkaAdmin(target, admin, ops, 180_000);

/** Posts JSON values with Confluent's v2 content type. */
function post(url: string, topic: string, ids: readonly string[]) {
  return axios.post<{ offsets: { error_code: number | null }[] }>(
    `${url}/topics/${topic}`,
    { records: ids.map((id) => ({ value: { id } })) },
    { headers: { "Content-Type": V2_JSON }, validateStatus: () => true, timeout: 60_000 },
  );
}

/** Writes a properties file where the image writes it (under the pod's root), 0600. */
function writeProperties(file: string, props: Record<string, string>): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, propertiesText(props), { mode: 0o600 });
}

describe("boot from the rendered Deployment (secured platform)", () => {
  const root = mkdtempSync(join(tmpdir(), "boot-from-render-"));
  const connectRoot = join(root, "connect-pod");
  const restRoot = join(root, "rest-proxy-pod");
  const log4j = join(root, "log4j2.properties");
  const topic = uniqueName("boot-events");
  const deadLetterTopic = uniqueName("boot-dlq");
  const connector = uniqueName("boot-sink");
  const path = `/${uniqueName("boot")}`;
  const receiver = new ReceiverClient(e.receiverUrl);
  const internal = connectInternalTopics(ENVIRONMENT);
  const started: StartedJava[] = [];
  const createdTopics: string[] = [];
  let connectPod: RenderedPod;
  let restPod: RenderedPod;
  let workerUrl = "";
  let delivered = false;

  beforeAll(async () => {
    writeLog4j(log4j);
    connectPod = await renderPod(
      () =>
        new ConnectCluster("connect", {
          namespace: "tracking",
          environment: ENVIRONMENT,
          bootstrapServers: [e.kafkaBootstrap],
          internalTopicReplicationFactor: 1,
          kafka: { security, principal: connect },
        }),
      "connect-deployment",
      "connect",
    );
    restPod = await renderPod(
      () =>
        new RestProxy("rest-proxy", {
          namespace: "tracking",
          implementation: "confluent",
          bootstrapServers: [e.kafkaBootstrap],
          kafka: { security, principal: restProxy },
        }),
      "rest-proxy-deployment",
      "rest-proxy",
    );
  }, BOOT_TIMEOUT_MS);

  afterAll(async () => {
    if (workerUrl) {
      await axios
        .delete(`${workerUrl}/connectors/${connector}`, { validateStatus: () => true })
        .catch(() => undefined);
    }
    // Always, by the pids recorded at start: the REST proxy first, then the worker.
    for (const proc of [...started].reverse()) await proc.stop();
    if (createdTopics.length > 0) {
      await deleteTopics(target, jars.kafkaLibs, admin, root, createdTopics);
    }
    // TRACKING_BOOT_KEEP=1 keeps the pod files and logs to read (its properties files, 0600,
    // hold the JAAS lines).
    if (process.env.TRACKING_BOOT_KEEP === "1") process.stderr.write(`[boot] kept ${root}\n`);
    else rmSync(root, { recursive: true, force: true });
  }, BOOT_TIMEOUT_MS);

  it("renders no password as an env value, and every JAAS variable as a secretKeyRef", () => {
    expectNoPasswordInEnv(connectPod, "connect-kafka-credentials", PASSWORDS);
    expectNoPasswordInEnv(restPod, "rest-proxy-kafka-credentials", PASSWORDS);
    // The CA reaches both pods as a mounted file, never inline; the workers also mount the
    // connectors' secrets, where their config provider reads them (it refuses to start without
    // that folder).
    const tls = { name: "kafka-tls", mountPath: "/etc/kafka-tls", readOnly: true };
    expect(restPod.mounts).toEqual([tls]);
    expect(connectPod.mounts).toEqual([
      tls,
      { name: "connector-secrets", mountPath: "/etc/tracking/connector-secrets", readOnly: true },
    ]);
  });

  it(
    "creates the rendered internal topics and exactly the grants accessPlan gives, as admin",
    async () => {
      const topics = connectPod.resources
        .filter((r) => r.type === "kafka:index/topic:Topic")
        .map(
          (r) =>
            r.inputs as {
              name: string;
              partitions: number;
              replicationFactor: number;
              config: Record<string, string>;
            },
        );
      expect(topics.map((t) => [t.name, t.replicationFactor])).toEqual(
        Object.values(internal).map((name) => [name, 1]),
      );
      // The env the workers get names the topics the stack declares and grants.
      const { props } = renderedProperties(connectPod, "CONNECT_");
      expect([
        props["config.storage.topic"],
        props["offset.storage.topic"],
        props["status.storage.topic"],
      ]).toEqual([internal.config, internal.offset, internal.status]);

      // What the stack's KafkaAccess would create for this stack, and nothing more.
      const grants = accessPlan({
        restProxy: { principal: restProxy, topics: [topic] },
        connect: {
          principal: connect,
          groupId: props["group.id"],
          internalTopics: Object.values(internal),
        },
        workerPrincipal: connect,
        sinks: [
          {
            name: "boot",
            principal: connect,
            topics: [topic],
            groupId: sinkGroupId(connector),
            deadLetterTopic,
          },
        ],
        adminUsername: admin.username,
      });
      createdTopics.push(...topics.map((t) => t.name), topic, deadLetterTopic);
      const result = await asAdmin([
        ...topics.map((t) => ({
          op: "createTopic" as const,
          name: t.name,
          partitions: t.partitions,
          configs: t.config,
        })),
        { op: "createTopic", name: topic, partitions: 1 },
        { op: "createTopic", name: deadLetterTopic, partitions: 1 },
        ...grantOperations(grants),
      ]);
      expect(result.status).toBe(0);
      const created = result.lines.filter((l) => l.op === "createTopic").map((l) => l.outcome);
      expect(created).toEqual(Array(5).fill("created"));
    },
    BOOT_TIMEOUT_MS,
  );

  it(
    "starts the real worker on the rendered properties; it joins its group and a connector delivers",
    async () => {
      const port = await freePort();
      const {
        env,
        mountPaths,
        props: rendered,
      } = imageProperties(connectPod, "CONNECT_", connectRoot);
      const props: Record<string, string> = {
        ...rendered,
        // The pod listens on 0.0.0.0:8083; here every server binds 127.0.0.1, on a free port.
        listeners: `http://127.0.0.1:${port}`,
        // Kafka 4 no longer reads `rest.port` (only `listeners`); kept in step for a 3.x worker.
        "rest.port": String(port),
        // The image's plugin folders do not exist here; the platform's holds our HTTP sink.
        "plugin.path": jars.pluginPath,
      };
      // Nothing security-related was touched: every other key is the render's, and the advertised
      // host is the pod IP the kubelet would give (127.0.0.1 here).
      const changed = Object.keys(props).filter((k) => props[k] !== rendered[k]);
      expect(changed.sort()).toEqual(["listeners", "plugin.path", "rest.port"]);
      expect(rendered["rest.advertised.host.name"]).toBe("127.0.0.1");
      expect(rendered["ssl.truststore.location"]).toBe(join(connectRoot, "/etc/kafka-tls/ca.pem"));

      const file = join(connectRoot, "etc", "kafka-connect", "kafka-connect.properties");
      writeProperties(file, props);
      const worker = startJava({
        name: "connect",
        dir: root,
        classpath: `${jars.kafkaLibs}/*`,
        mainClass: "org.apache.kafka.connect.cli.ConnectDistributed",
        jvmArgs: [
          // The heap the Deployment gives (KAFKA_HEAP_OPTS, read by the image's kafka-run-class).
          ...jvmOptions(env.KAFKA_HEAP_OPTS, mountPaths, connectRoot),
          ...jvmOptions(env.KAFKA_OPTS, mountPaths, connectRoot),
          ...PLATFORM_JVM_FLAGS,
          `-Dlog4j2.configurationFile=${log4j}`,
        ],
        args: [file],
      });
      started.push(worker);
      workerUrl = `http://127.0.0.1:${port}`;
      const wait = <T>(what: string, check: () => Promise<T | undefined>) =>
        waitFor(what, worker, PASSWORDS, 300_000, check);

      const info = await wait("the worker's GET /", async () => {
        const res = await http.get<{ kafka_cluster_id?: string }>(`${workerUrl}/`);
        return res.data.kafka_cluster_id ? res.data : undefined;
      });
      expect(info.kafka_cluster_id).toBe(e.clusterId);
      await wait("the worker's /health", async () => {
        const res = await http.get<{ status: string }>(`${workerUrl}/health`);
        return res.data.status === "healthy" ? true : undefined;
      });

      // The config the stack creates for a destination on our class, reading as the workers'
      // principal (so no override keys), with its dead-letter topic.
      const sink = httpSinkConfig({
        connectorClass: "tracking",
        connectorName: connector,
        topics: [topic],
        url: `${e.receiverUrl}${path}`,
        tasksMax: 1,
        errors: { deadLetterTopic },
        kafkaBootstrapServers: [e.kafkaBootstrap],
        replicationFactor: 1,
        kafka: { security, principal: connect },
      });
      expect([sink.config["connector.class"], sink.secretConfig]).toEqual([
        e.httpSinkConnectorClass,
        {},
      ]);
      // Only the group's leader takes a new connector: an answer means the worker is in it.
      const put = await axios.put(`${workerUrl}/connectors/${connector}/config`, sink.config, {
        timeout: 120_000,
        validateStatus: () => true,
      });
      expect([put.status, put.data]).toEqual([201, expect.objectContaining({ name: connector })]);
      const status = await wait("the connector RUNNING", async () => {
        const res = await http.get<{
          connector: { state: string; worker_id: string };
          tasks: { state: string; worker_id: string; trace?: string }[];
        }>(`${workerUrl}/connectors/${connector}/status`);
        const failed = res.data.tasks.find((t) => t.state === "FAILED");
        if (failed) throw new BootFailure(`task FAILED:\n${failed.trace ?? ""}`);
        const { connector: c, tasks } = res.data;
        return c.state === "RUNNING" && tasks.length === 1 && tasks[0].state === "RUNNING"
          ? res.data
          : undefined;
      });
      // Known by the address it advertises (the rendered host, the listener's port).
      expect([status.connector.worker_id, status.tasks[0].worker_id]).toEqual([
        `127.0.0.1:${port}`,
        `127.0.0.1:${port}`,
      ]);

      // Through the platform's REST proxy (as `rest-proxy`, with accessPlan's grants only).
      const ids = [1, 2, 3].map((n) => `${path}-worker-${n}`);
      const res = await post(e.restProxyUrl, topic, ids);
      expect([res.status, res.data.offsets.map((o) => o.error_code)]).toEqual([
        200,
        [null, null, null],
      ]);
      const report = await receiver.waitForIds(ids, {
        extract: idsOnPath(path),
        timeoutMs: 180_000,
      });
      expect(report.missing).toEqual([]);
      delivered = true;
    },
    BOOT_TIMEOUT_MS,
  );

  it(
    "starts the REST proxy stand-in on the rendered KAFKA_REST_* properties; its events reach the receiver",
    async () => {
      if (!delivered) throw new Error("needs the worker and connector of the previous test");
      const port = await freePort();
      const {
        env,
        mountPaths,
        props: rendered,
      } = imageProperties(restPod, "KAFKA_REST_", restRoot);
      // The pod listens on 0.0.0.0:8082; here 127.0.0.1 on a free port. Nothing else changes.
      const props = { ...rendered, listeners: `http://127.0.0.1:${port}` };
      // Confluent's keys, as cp-kafka-rest reads them: the client.* set for every Kafka client.
      expect(rendered).toEqual(
        expect.objectContaining({
          "bootstrap.servers": e.kafkaBootstrap,
          "client.security.protocol": "SASL_SSL",
          "client.sasl.mechanism": "SCRAM-SHA-512",
          "client.ssl.truststore.type": "PEM",
          "client.ssl.truststore.location": join(restRoot, "/etc/kafka-tls/ca.pem"),
        }),
      );
      const file = join(restRoot, "etc", "kafka-rest", "kafka-rest.properties");
      writeProperties(file, props);
      const proxy = startJava({
        name: "rest-proxy",
        dir: root,
        classpath: `${jars.restProxyLibs}/*`,
        mainClass: "tracking.platform.restproxy.RestProxy",
        jvmArgs: [
          // The heap the Deployment gives (KAFKAREST_HEAP_OPTS, read by the image's start script).
          ...jvmOptions(env.KAFKAREST_HEAP_OPTS, mountPaths, restRoot),
          ...PLATFORM_JVM_FLAGS,
          `-Dlog4j2.configurationFile=${log4j}`,
        ],
        args: [file],
      });
      started.push(proxy);
      const url = `http://127.0.0.1:${port}`;
      await waitFor("the REST proxy's GET /", proxy, PASSWORDS, 180_000, async () =>
        (await http.get(`${url}/`)).status === 200 ? true : undefined,
      );

      const ids = [1, 2, 3].map((n) => `${path}-proxy-${n}`);
      const res = await post(url, topic, ids);
      expect([res.status, res.data.offsets.map((o) => o.error_code)]).toEqual([
        200,
        [null, null, null],
      ]);
      const report = await receiver.waitForIds(ids, {
        extract: idsOnPath(path),
        timeoutMs: 180_000,
      });
      expect(report.missing).toEqual([]);
      // Every event was delivered: none went to the dead-letter topic.
      const dlq = await asAdmin([{ op: "read", topic: deadLetterTopic, min: 0, timeoutMs: 3000 }]);
      expect(dlq.lines.filter((l) => l.op === "read")).toEqual([]);
      // Neither process logged a password.
      for (const proc of started) {
        const log = readFileSync(proc.logFile, "utf8");
        expect([proc.logFile, PASSWORDS.some((p) => log.includes(p))]).toEqual([
          proc.logFile,
          false,
        ]);
      }
    },
    BOOT_TIMEOUT_MS,
  );
});
