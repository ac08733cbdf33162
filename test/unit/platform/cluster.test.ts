import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PlatformJars } from "../../../platform/fetch";
import {
  brokerComponent,
  brokerProperties,
  clusterIdFile,
  connectComponent,
  connectWorkerConfig,
  restProxyComponent,
} from "../../../platform/components";
import { endpoints } from "../../../platform/endpoints";
import { CLUSTER_HOME_DIR, resolveSettings } from "../../../platform/settings";
import {
  bootstrapServers,
  connectWorkers,
  kafkaNodes,
  quorumVoters,
} from "../../../platform/topology";

const jars: PlatformJars = {
  root: "/jars",
  kafkaLibs: "/jars/kafka",
  restProxyLibs: "/jars/rest-proxy",
  pluginPath: "/jars/plugins",
};

/** A `.properties` file's keys and values. */
function readProperties(file: string): Record<string, string> {
  return Object.fromEntries(
    readFileSync(file, "utf8")
      .split("\n")
      .filter((l) => l.includes("="))
      .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
  );
}

describe("the cluster profile's settings", () => {
  it("has its own home and ports, so it runs beside the plain and secured profiles", () => {
    const s = resolveSettings({ cluster: true }, {});
    expect(s.home.endsWith(CLUSTER_HOME_DIR)).toBe(true);
    expect(bootstrapServers(s)).toBe("127.0.0.1:19292,127.0.0.1:19302,127.0.0.1:19312");
    expect(quorumVoters(s)).toBe("1@127.0.0.1:19293,2@127.0.0.1:19303,3@127.0.0.1:19313");
    expect(connectWorkers(s).map((w) => w.url)).toEqual([
      "http://127.0.0.1:18283",
      "http://127.0.0.1:18293",
      "http://127.0.0.1:18303",
    ]);
    const plain = resolveSettings({}, {});
    expect(bootstrapServers(plain)).toBe("127.0.0.1:19092");
    expect(kafkaNodes(plain).map((n) => n.name)).toEqual(["broker"]);
  });

  it("is chosen by TRACKING_PLATFORM_CLUSTER, and refuses the secured and Kubernetes parts", () => {
    expect(resolveSettings({}, { TRACKING_PLATFORM_CLUSTER: "1" }).cluster).toBe(true);
    expect(() => resolveSettings({ cluster: true, secure: true }, {})).toThrow(
      /cluster profile .*drop `--secure`/,
    );
    expect(() => resolveSettings({ cluster: true, kubernetes: true }, {})).toThrow(
      /does not run the Kubernetes parts/,
    );
    expect(() => resolveSettings({}, { TRACKING_PLATFORM_CLUSTER: "yes" })).toThrow(
      /`TRACKING_PLATFORM_CLUSTER` must be 1 or 0/,
    );
  });

  it("refuses a port that another node's port would also take", () => {
    // Node 2's Kafka port is the base plus 10: the receiver cannot sit there.
    expect(() => resolveSettings({ cluster: true, ports: { receiver: 19302 } }, {})).toThrow(
      /Ports `kafka \(node 2\)` and `receiver` are both 19302/,
    );
    // Without the cluster profile, the same ports are fine.
    expect(() => resolveSettings({ ports: { receiver: 19102 } }, {})).not.toThrow();
  });
});

describe("the cluster profile's processes", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "platform-cluster-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("writes each node's config with replication 3, min ISR 2 and the fast-failover timeouts", () => {
    const s = resolveSettings({ cluster: true, home }, {});
    expect(clusterIdFile(s)).toBe(join(home, "cluster-id"));
    const node = kafkaNodes(s)[1];
    const broker = brokerComponent(s, jars, node);
    expect(broker.name).toBe("broker-2");
    expect(broker.port).toBe(19302);
    expect(brokerProperties(s, node)).toMatchObject({
      "node.id": 2,
      "controller.quorum.voters": "1@127.0.0.1:19293,2@127.0.0.1:19303,3@127.0.0.1:19313",
      listeners: "PLAINTEXT://127.0.0.1:19302,CONTROLLER://127.0.0.1:19303",
      "log.dirs": join(home, "broker-2", "data"),
      "default.replication.factor": 3,
      "min.insync.replicas": 2,
      "offsets.topic.replication.factor": 3,
      "transaction.state.log.min.isr": 2,
      "broker.session.timeout.ms": 3000,
      "log.cleaner.dedupe.buffer.size": 33554432,
    });
    // The one-node profile keeps replication 1 and Kafka's own timeouts.
    const plain = resolveSettings({ home }, {});
    const one = brokerProperties(plain, kafkaNodes(plain)[0]);
    expect(one["offsets.topic.replication.factor"]).toBe(1);
    expect(one["min.insync.replicas"]).toBeUndefined();
    expect(one["broker.session.timeout.ms"]).toBeUndefined();
  });

  it("gives every worker the cluster's bootstrap, replicated internal topics and fast rebalances", () => {
    const s = resolveSettings({ cluster: true, home }, {});
    const [, second] = connectWorkers(s);
    const config = connectWorkerConfig(s, jars, second);
    expect(config).toMatchObject({
      "bootstrap.servers": "127.0.0.1:19292,127.0.0.1:19302,127.0.0.1:19312",
      "group.id": "tracking-connect",
      listeners: "http://127.0.0.1:18293",
      "rest.advertised.port": 18293,
      "config.storage.replication.factor": 3,
      "offset.storage.replication.factor": 3,
      "status.storage.replication.factor": 3,
      "scheduled.rebalance.max.delay.ms": 0,
      "session.timeout.ms": 6000,
      "consumer.session.timeout.ms": 10000,
    });
    const worker = connectComponent(s, jars, second);
    worker.prepare();
    const { args } = worker.command();
    expect(args).toContain("-Xmx256m");
    // One metrics port per profile: the cluster's workers carry no agent.
    expect(args.some((a) => a.startsWith("-javaagent:"))).toBe(false);
    expect(readProperties(join(home, "connect-2", "worker.properties"))["listeners"]).toBe(
      "http://127.0.0.1:18293",
    );
  });

  it("points the REST proxy at every node, and lists the nodes and workers in the endpoints", () => {
    const s = resolveSettings({ cluster: true, home }, {});
    const proxy = restProxyComponent(s, jars);
    proxy.prepare();
    const props = readProperties(join(home, "rest-proxy", "rest-proxy.properties"));
    expect(props["bootstrap.servers"]).toBe("127.0.0.1:19292,127.0.0.1:19302,127.0.0.1:19312");
    expect(props["producer.acks"]).toBe("all");
    // CI exports TRACKING_PLATFORM_KUBERNETES=1, which the cluster profile refuses: say no here.
    const e = endpoints({ cluster: true, home, kubernetes: false });
    expect(e.kafkaBootstrap).toBe(props["bootstrap.servers"]);
    expect(e.connectUrl).toBe("http://127.0.0.1:18283");
    expect(e.cluster?.nodes.map((n) => [n.name, n.nodeId])).toEqual([
      ["broker-1", 1],
      ["broker-2", 2],
      ["broker-3", 3],
    ]);
    expect(e.cluster?.workers).toHaveLength(3);
    expect(endpoints({ home }).cluster).toBeUndefined();
  });
});
