import { join } from "node:path";
import {
  CLUSTER_NODES,
  CLUSTER_WORKERS,
  ClusterNodeName,
  ClusterWorkerName,
  HOST,
} from "./component";
import { PlatformSettings, clusterPort } from "./settings";

/*
 * Which Kafka nodes and Connect workers a profile runs: one of each on the plain and secured
 * profiles, three of each on the cluster profile. Everything that needs a broker address or a
 * worker's port asks here, so a profile's shape is decided in one place.
 */

/** One KRaft node (broker and controller in one process). */
export interface KafkaNode {
  readonly name: "broker" | ClusterNodeName;
  /** `node.id`, 1-based. */
  readonly id: number;
  readonly kafkaPort: number;
  readonly controllerPort: number;
  /** Its folder in the platform home: config file and `data/`. */
  readonly dir: string;
}

/** One Connect worker of the platform's group. */
export interface ConnectWorker {
  readonly name: "connect" | ClusterWorkerName;
  readonly port: number;
  readonly url: string;
  /** Its folder in the platform home, holding `worker.properties`. */
  readonly dir: string;
}

export function kafkaNodes(settings: PlatformSettings): KafkaNode[] {
  const { kafka, controller } = settings.ports;
  if (!settings.cluster) {
    return [
      {
        name: "broker",
        id: 1,
        kafkaPort: kafka,
        controllerPort: controller,
        dir: join(settings.home, "broker"),
      },
    ];
  }
  return CLUSTER_NODES.map((name, i) => ({
    name,
    id: i + 1,
    kafkaPort: clusterPort(kafka, i + 1),
    controllerPort: clusterPort(controller, i + 1),
    dir: join(settings.home, name),
  }));
}

export function connectWorkers(settings: PlatformSettings): ConnectWorker[] {
  const { connect } = settings.ports;
  const worker = (name: ConnectWorker["name"], port: number): ConnectWorker => ({
    name,
    port,
    url: `http://${HOST}:${port}`,
    dir: join(settings.home, name),
  });
  if (!settings.cluster) return [worker("connect", connect)];
  return CLUSTER_WORKERS.map((name, i) => worker(name, clusterPort(connect, i + 1)));
}

/** `bootstrap.servers` for every client of the platform: all of its nodes. */
export function bootstrapServers(settings: PlatformSettings): string {
  return kafkaNodes(settings)
    .map((n) => `${HOST}:${n.kafkaPort}`)
    .join(",");
}

/** `controller.quorum.voters`: a static voter set, so storage is formatted without a flag. */
export function quorumVoters(settings: PlatformSettings): string {
  return kafkaNodes(settings)
    .map((n) => `${n.id}@${HOST}:${n.controllerPort}`)
    .join(",");
}
