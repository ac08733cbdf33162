import { ConnectClient, kafkaVersionOf, ServerInfo } from "./client";
import { createOrAdopt } from "./adopt";
import { isMissingEndpoint } from "./errors";
import { warn } from "./log";
import { waitForStatus } from "./settle";
import { describeStatus, reached } from "./status";
import { ConnectorInputs, fullConfig } from "./types";

/**
 * A rename without events sent twice or skipped: the new connector is born STOPPED, the old one
 * is stopped (its tasks commit what they delivered), its committed offsets are written to the new
 * one, and only then does settle() start it. Answers the name offsets were copied from, or "".
 */
export async function createFromOffsetsOf(
  client: ConnectClient,
  inputs: ConnectorInputs,
  from: string,
  info: ServerInfo,
): Promise<string> {
  const fallback = async (why: string) => {
    await warn(
      `connector "${inputs.name}": offsets of "${from}" not copied (${why}). It starts as a new ` +
        `consumer group "connect-${inputs.name}", at the position its consumer's auto.offset.reset ` +
        "gives (Connect's default for sinks: earliest, so retained events are sent again).",
    );
    await createOrAdopt(client, inputs, info);
    return "";
  };
  if (kafkaVersionOf(info.version) < 3007) {
    return fallback(`the worker runs ${info.version}; this needs Kafka 3.7+ (initial_state)`);
  }
  if (!(await client.getStatus(from))) return fallback(`"${from}" does not exist on the worker`);

  const created = await client.createWithState(inputs.name, fullConfig(inputs), "STOPPED");
  if (!created) {
    const existing = await client.getStatus(inputs.name);
    if (existing?.connector.state !== "STOPPED") {
      return fallback(`"${inputs.name}" exists already and has consumed on its own`);
    }
    // A retried create: the connector is still STOPPED from the earlier attempt.
    await client.putConfig(inputs.name, fullConfig(inputs));
  }
  const timeoutMs = inputs.waitTimeoutSeconds * 1000;
  await client.stop(from);
  for (const name of [inputs.name, from]) {
    const { ok, status } = await waitForStatus(
      client,
      name,
      (s) => reached(s, "STOPPED"),
      timeoutMs,
    );
    if (!ok) {
      const seen = describeStatus(status);
      throw new Error(
        `connector "${name}" did not stop within ${inputs.waitTimeoutSeconds}s (connector ` +
          `${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]); offsets were not copied. ` +
          "Check the Connect worker's log, or raise `waitTimeoutSeconds`.",
      );
    }
  }
  let offsets;
  try {
    offsets = (await client.getOffsets(from)) ?? [];
  } catch (err) {
    if (isMissingEndpoint(err)) return fallback("the worker has no offsets API (Kafka 3.5+)");
    throw err;
  }
  // Partitions the old group never committed have no offset; the new group starts them as usual.
  const committed = offsets.filter((o) => o.offset !== null);
  if (committed.length > 0) {
    try {
      await client.patchOffsets(inputs.name, committed);
    } catch (err) {
      if (isMissingEndpoint(err)) return fallback("the worker cannot alter offsets (Kafka 3.6+)");
      throw err;
    }
  }
  return from;
}
