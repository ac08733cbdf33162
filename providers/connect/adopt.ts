import { ConnectClient, kafkaVersionOf, ServerInfo } from "./client";
import { ConnectorInputs, fullConfig } from "./types";

/**
 * Creates the connector, or adopts one of that name by putting the declared config on it (so a
 * retried create, or a connector made outside Pulumi, is taken over in place).
 */
export async function createOrAdopt(
  client: ConnectClient,
  inputs: ConnectorInputs,
  info: ServerInfo,
): Promise<void> {
  if (inputs.state === "RUNNING") {
    await client.putConfig(inputs.name, fullConfig(inputs));
  } else if (kafkaVersionOf(info.version) >= 3007) {
    // KIP-980: born paused or stopped, so no task ever runs against the declared state.
    const created = await client.createWithState(inputs.name, fullConfig(inputs), inputs.state);
    if (!created) await client.putConfig(inputs.name, fullConfig(inputs));
  } else {
    // Before Kafka 3.7 there is no initial_state: create, then settle() pauses or stops it.
    await client.putConfig(inputs.name, fullConfig(inputs));
  }
}
