import { join } from "node:path";
import { HOST, HTTP_SINK_CONNECTOR_CLASS, readClusterId } from "./components";
import { connectSecretsDirectory } from "./connectSecrets";
import { KubernetesEndpoints, kubernetesEndpoints } from "./kubernetes/components";
import { metricsUrl } from "./metricsAgent";
import { SASL_MECHANISM, SECURITY_PROTOCOL } from "./secure/config";
import { credentialsFile } from "./secure/credentials";
import { tlsFiles } from "./secure/tls";
import { PlatformOptions, kafkaVersion, resolveSettings } from "./settings";
import { bootstrapServers, connectWorkers, kafkaNodes } from "./topology";

/*
 * What a running platform offers its clients: the addresses of its parts, and how to reach the
 * secured profile's broker. `up` writes them to `endpoints.json` in the platform's home.
 */

/** How tests, benchmarks and the CLI reach the running platform. */
export interface PlatformEndpoints {
  /** `bootstrap.servers` of the broker. */
  readonly kafkaBootstrap: string;
  /** Kafka Connect REST API. */
  readonly connectUrl: string;
  /** The worker's Prometheus metrics (JMX exporter agent, rules in observability/jmx-exporter/). */
  readonly connectMetricsUrl: string;
  /** REST Proxy (Confluent v2 produce, v3 topics). */
  readonly restProxyUrl: string;
  /** The REST proxy's Prometheus metrics (same agent, its own rules file). */
  readonly restProxyMetricsUrl: string;
  /** The analytics receiver standing in for a provider's HTTP API. */
  readonly receiverUrl: string;
  /** KRaft cluster id, also the REST proxy's v3 `cluster_id`. */
  readonly clusterId: string;
  /** `connector.class` of the HTTP sink installed in Connect. */
  readonly httpSinkConnectorClass: string;
  readonly kafkaVersion: string;
  /**
   * The worker's secrets folder (mode 0700, one file per secret, each 0600): a connector config
   * refers to a file as `${dir:<this folder>:<file>}` and the worker reads it when it starts the
   * connector's tasks. References to any other folder are refused.
   */
  readonly connectSecretsDirectory: string;
  /** The local API server, when the Kubernetes parts are on. */
  readonly kubernetes?: KubernetesEndpoints;
  /** How clients reach the secured profile's broker (absent on the plain one). */
  readonly security?: SecurityEndpoint;
  /** The cluster profile's nodes and workers (absent on the one-node profiles). */
  readonly cluster?: ClusterEndpoints;
}

/**
 * The cluster profile's parts, for drills that stop one of them: `kafkaBootstrap` lists every
 * node and `connectUrl` is the first worker's, so clients need nothing from here.
 */
export interface ClusterEndpoints {
  readonly nodes: readonly {
    readonly name: string;
    readonly nodeId: number;
    readonly bootstrap: string;
  }[];
  readonly workers: readonly { readonly name: string; readonly url: string }[];
}

/** The `security` block of the secured profile's `endpoints.json` (no secret in it). */
export interface SecurityEndpoint {
  readonly protocol: "SASL_SSL";
  readonly mechanism: "SCRAM-SHA-512";
  /** The CA certificate (PEM) to trust: `ssl.truststore.type=PEM`, `ssl.truststore.location`. */
  readonly caFile: string;
  /** `credentials.json` (mode 0600): `{admin, connect, restProxy}`, each `{username, password}`. */
  readonly credentialsFile: string;
}

/** The file `up` writes with the endpoints, for processes that did not start the platform. */
export function endpointsFile(options: PlatformOptions = {}): string {
  return join(resolveSettings(options).home, "endpoints.json");
}

/** The endpoints of the platform `options` describe (whether or not it runs). */
export function endpoints(options: PlatformOptions): PlatformEndpoints {
  const settings = resolveSettings(options);
  const p = settings.ports;
  return {
    kafkaBootstrap: bootstrapServers(settings),
    connectUrl: connectWorkers(settings)[0].url,
    connectMetricsUrl: metricsUrl(settings, "connect"),
    restProxyUrl: `http://${HOST}:${p.restProxy}`,
    restProxyMetricsUrl: metricsUrl(settings, "rest-proxy"),
    receiverUrl: `http://${HOST}:${p.receiver}`,
    clusterId: readClusterId(settings) ?? "",
    httpSinkConnectorClass: HTTP_SINK_CONNECTOR_CLASS,
    kafkaVersion: kafkaVersion(),
    connectSecretsDirectory: connectSecretsDirectory(settings),
    ...(settings.kubernetes ? { kubernetes: kubernetesEndpoints(settings) } : {}),
    ...(settings.cluster
      ? {
          cluster: {
            nodes: kafkaNodes(settings).map((n) => ({
              name: n.name,
              nodeId: n.id,
              bootstrap: `${HOST}:${n.kafkaPort}`,
            })),
            workers: connectWorkers(settings).map((w) => ({ name: w.name, url: w.url })),
          },
        }
      : {}),
    ...(settings.secure
      ? {
          security: {
            protocol: SECURITY_PROTOCOL,
            mechanism: SASL_MECHANISM,
            caFile: tlsFiles(settings.home).caCert,
            credentialsFile: credentialsFile(settings.home),
          },
        }
      : {}),
  };
}
