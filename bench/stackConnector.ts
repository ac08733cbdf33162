/**
 * The connector bench/pipeline.ts, bench/load.ts and the failure drills (test/drills/) run: the
 * settings the stack generates by default for a destination that names only its URL and topic,
 * created and deleted through our Connector provider, as `pulumi up` and `pulumi destroy` do.
 */
import { httpSinkConfig } from "../components/httpSinkConnector";
import { sinkSettingsOf } from "../components/trackingPipeline";
import { destinationSchema } from "../config";
import type { PlatformEndpoints } from "../platform";
import {
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  PROVIDER_VERSION,
} from "../providers/connect/provider";

/**
 * The stack's default settings, with this run's connector name, topic and receiver path; the
 * replication of the topics the connector writes (its dead-letter topic) is the platform's (1, or
 * 3 on the cluster profile).
 */
export function stackDefaults(
  e: PlatformEndpoints,
  name: string,
  topic: string,
  path: string,
  replicationFactor = 1,
): Record<string, string> {
  const destination = destinationSchema.parse({
    name: "bench",
    url: `${e.receiverUrl}${path}`,
    topics: ["tracking"],
  });
  const settings = sinkSettingsOf(
    "bench",
    {
      kafkaBootstrapServers: e.kafkaBootstrap.split(","),
      topicReplicationFactor: replicationFactor,
    },
    destination,
    0,
    () => {
      throw new Error("the benchmark destination has no secrets");
    },
  );
  // Same settings, but this run's unique connector and topic names.
  return httpSinkConfig({
    ...settings,
    connectorName: name,
    topics: [topic],
    errors: { ...settings.errors, deadLetterTopic: `${topic}.dlq` },
  }).config as Record<string, string>;
}

/** Creates the connector through the provider (waiting until it runs); returns its deletion. */
export async function createConnector(
  e: PlatformEndpoints,
  name: string,
  config: Record<string, string>,
): Promise<() => Promise<void>> {
  const inputs: ConnectorInputs = {
    connect: { url: e.connectUrl },
    connectSecrets: {},
    name,
    config,
    secretConfig: {},
    state: "RUNNING",
    restartPolicy: { type: "on-failure", maxRestarts: 3 },
    waitTimeoutSeconds: 120,
    providerVersion: PROVIDER_VERSION,
  };
  const { outs } = await connectorProvider.create(inputs);
  return async () => {
    await connectorProvider.delete!(outs.name, outs as ConnectorOutputs);
  };
}
