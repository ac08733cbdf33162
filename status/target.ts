import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseStackConfig } from "../config";
import { stackFileSettings } from "../config/stackFile";
import { CONNECTOR_CLASSES } from "../components/httpSinkConfig";
import { sinkGroupId } from "../components/sinkKafkaClients";
import { connectorNameOf } from "../components/sinkSettings";
import { topicNaming } from "../components/topicSet";
import { metricsUrl } from "../platform/metricsAgent";
import { resolveSettings } from "../platform/settings";
import { LOCAL_STACK, localConfigForPorts } from "../scripts/localStack";

/** What `npm run status` looks at for one destination. */
export interface SinkTarget {
  readonly destination: string;
  readonly connector: string;
  /** The Kafka topics the connector reads. */
  readonly topics: readonly string[];
  /** The connector's consumer group: Connect's `connect-<connector>`. */
  readonly group: string;
  /** Its dead-letter topic, when the destination has one. */
  readonly deadLetterTopic?: string;
  /**
   * Where DELIVERED comes from: our sink's own count of events the destination accepted, or, for
   * other classes, Connect's count of records handed to the connector.
   */
  readonly deliveredMetric: "tracking" | "connect";
}

/** Where a stack's pipeline runs, and its sinks. */
export interface StatusTarget {
  readonly stack: string;
  readonly connectUrl: string;
  readonly kafkaBootstrap: readonly string[];
  /** The Connect workers' Prometheus endpoint; without it the metric columns stay empty. */
  readonly metricsUrl?: string;
  readonly sinks: readonly SinkTarget[];
  /** Why Kafka is not asked (a secured cluster needs credentials this view does not hold). */
  readonly kafkaUnavailable?: string;
}

export interface TargetOptions {
  readonly connectUrl?: string;
  readonly metricsUrl?: string;
  readonly kafkaBootstrap?: readonly string[];
}

/**
 * The status target of a stack, from its `Pulumi.<stack>.yaml` in `root`: environment, Connect
 * URL, brokers and destinations, the same names the stack gives them. The `local` stack is pointed
 * at the platform's ports and its worker's metrics endpoint. Secret values are not read.
 */
export function targetFromStack(
  root: string,
  stack: string,
  options: TargetOptions = {},
  env: NodeJS.ProcessEnv = process.env,
): StatusTarget {
  const file = join(root, `Pulumi.${stack}.yaml`);
  if (!existsSync(file)) {
    throw new Error(
      `No stack file ${file}: pass --stack with the name of a Pulumi.<stack>.yaml in ${root}.`,
    );
  }
  const local = stack === LOCAL_STACK;
  const platform = resolveSettings({}, env);
  let text = readFileSync(file, "utf8");
  if (local) text = localConfigForPorts(text, platform.ports);
  const settings = stackFileSettings(text);
  if (Object.keys(settings).length === 0)
    throw new Error(`${file} has no tracking-pipeline config.`);
  const s = parseStackConfig(settings);
  const environment = s.environment || stack;
  const connectUrl = options.connectUrl ?? s.connectUrl;
  if (!connectUrl) {
    throw new Error(
      `${file}: connectUrl is empty (the in-cluster Connect Service). Reach the workers, e.g. ` +
        "`kubectl port-forward svc/<cluster> 8083`, and pass --connect-url http://127.0.0.1:8083.",
    );
  }
  const sasl = s.kafkaSaslMechanism !== "none" || s.kafkaTls;
  return {
    stack,
    connectUrl: connectUrl.replace(/\/+$/, ""),
    kafkaBootstrap: options.kafkaBootstrap ?? s.kafkaBootstrapServers,
    metricsUrl: options.metricsUrl ?? (local ? metricsUrl(platform, "connect") : undefined),
    sinks: s.destinations.map((d) => {
      const connector = connectorNameOf(environment, d.name);
      return {
        destination: d.name,
        connector,
        topics: d.topics.map((t) => topicNaming.tracking(environment, t)),
        group: sinkGroupId(connector),
        deliveredMetric:
          CONNECTOR_CLASSES[d.connectorClass] === CONNECTOR_CLASSES.tracking
            ? "tracking"
            : "connect",
        ...(d.errors.deadLetterTopic
          ? { deadLetterTopic: topicNaming.deadLetter(environment, d.name) }
          : {}),
      };
    }),
    ...(sasl
      ? {
          kafkaUnavailable:
            "lag and dead letters need Kafka, which this stack reaches over TLS or SASL; " +
            "`npm run status` asks only a plaintext cluster",
        }
      : {}),
  };
}
