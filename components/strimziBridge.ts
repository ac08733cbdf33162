import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { PodKafkaSecurity } from "./kafkaPodSecurity";
import type { RestProxyArgs } from "./restProxy";

/**
 * The Strimzi HTTP bridge's configuration. Since 0.32 its image no longer builds a properties
 * file from `KAFKA_BRIDGE_*` variables: `kafka_bridge_run.sh` copies
 * `$STRIMZI_HOME/custom-config/application.properties` (which the Strimzi operator mounts from a
 * ConfigMap) and the bridge then adds its whole environment to that configuration, the
 * environment winning. So the plain settings go into a ConfigMap mounted there, and the Kafka
 * security settings into variables named as the properties, the JAAS line from a Secret.
 */

/** Where the bridge image reads its configuration from (`$STRIMZI_HOME/custom-config`). */
export const BRIDGE_CONFIG_PATH = "/opt/strimzi/custom-config";

/** The bridge's `application.properties`: HTTP, CORS, producer; nothing secret. */
export function bridgeProperties(args: RestProxyArgs, port: number): string {
  const cors = args.corsOrigins ?? [];
  const props: Record<string, string> = {
    "kafka.bootstrap.servers": args.bootstrapServers.join(","),
    // Every accepted event must be durable before the browser hears 200.
    "kafka.producer.acks": "all",
    "kafka.producer.enable.idempotence": "true",
    "http.host": "0.0.0.0",
    "http.port": String(port),
    "http.consumer.enabled": "false",
    "http.producer.enabled": "true",
    "http.cors.enabled": String(cors.length > 0),
    ...(cors.length > 0
      ? {
          "http.cors.allowedOrigins": cors.join(","),
          "http.cors.allowedMethods": "GET,POST,OPTIONS",
        }
      : {}),
  };
  return Object.entries(props)
    .map(([k, v]) => `${k}=${v}\n`)
    .join("");
}

/** Console logging at INFO, as the bridge's own default file; health probes at WARN. */
const LOG4J2 = [
  "name = BridgeConfig",
  "appender.console.type = Console",
  "appender.console.name = STDOUT",
  "appender.console.layout.type = PatternLayout",
  "appender.console.layout.pattern = %d{yyyy-MM-dd HH:mm:ss} %-5p [%t] %c{1}:%L - %m%n",
  "rootLogger.level = INFO",
  "rootLogger.appenderRefs = console",
  "rootLogger.appenderRef.console.ref = STDOUT",
  "logger.healthy.name = http.openapi.operation.healthy",
  "logger.healthy.level = WARN",
  "logger.ready.name = http.openapi.operation.ready",
  "logger.ready.level = WARN",
  "",
].join("\n");

/** The ConfigMap `<name>-config` with the bridge's two files, and how the pod mounts it. */
export function bridgeConfig(
  name: string,
  metadata: { readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> },
  args: RestProxyArgs,
  port: number,
  parent: pulumi.Resource,
) {
  const mapName = `${name}-config`;
  const configMap = new k8s.core.v1.ConfigMap(
    mapName,
    {
      metadata: { ...metadata, name: mapName },
      data: {
        "application.properties": bridgeProperties(args, port),
        "log4j2.properties": LOG4J2,
      },
    },
    { parent },
  );
  const volume: k8s.types.input.core.v1.Volume = {
    name: "bridge-config",
    configMap: { name: mapName },
  };
  const mount: k8s.types.input.core.v1.VolumeMount = {
    name: "bridge-config",
    mountPath: BRIDGE_CONFIG_PATH,
    readOnly: true,
  };
  return { configMap, volume, mount };
}

/**
 * The bridge's environment: `bridge.id` (the pod's name) and the Kafka security variables,
 * which the bridge reads as properties; and the `KAFKA_BRIDGE_*` variables that images before
 * 0.32 (a `restProxyImage` pinned below it) build their properties file from.
 */
export function strimziEnv(
  args: RestProxyArgs,
  port: number,
  heap: string,
  kafka: PodKafkaSecurity,
  javaAgent?: string,
): k8s.types.input.core.v1.EnvVar[] {
  const cors = args.corsOrigins ?? [];
  const env: Record<string, string> = {
    KAFKA_BRIDGE_BOOTSTRAP_SERVERS: args.bootstrapServers.join(","),
    KAFKA_BRIDGE_HTTP_HOST: "0.0.0.0",
    KAFKA_BRIDGE_HTTP_PORT: String(port),
    KAFKA_BRIDGE_HTTP_CONSUMER_ENABLED: "false",
    KAFKA_BRIDGE_HTTP_PRODUCER_ENABLED: "true",
    KAFKA_BRIDGE_PRODUCER_CONFIG: "acks=all\nenable.idempotence=true",
    KAFKA_BRIDGE_CORS_ENABLED: String(cors.length > 0),
    JAVA_OPTS: [`-Xmx${heap}`, ...(javaAgent ? [javaAgent] : [])].join(" "),
  };
  if (cors.length > 0) {
    env.KAFKA_BRIDGE_CORS_ALLOWED_ORIGINS = cors.join(",");
    env.KAFKA_BRIDGE_CORS_ALLOWED_METHODS = "GET,POST,OPTIONS";
  }
  const podName = { fieldRef: { fieldPath: "metadata.name" } };
  return [
    { name: "KAFKA_BRIDGE_ID", valueFrom: podName },
    { name: "bridge.id", valueFrom: podName },
    ...Object.entries(env).map(([name, value]) => ({ name, value })),
    ...(args.kafka ? kafka.env((p) => `kafka.${p}`) : []),
  ];
}
