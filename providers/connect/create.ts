import { connectClient, ConnectorStatus } from "./client";
import { createOrAdopt } from "./adopt";
import { createFromOffsetsOf } from "./rename";
import { NO_RESTARTS, RestartBook } from "./restart";
import { newHashKey } from "../keyedHash";
import { hashSecrets } from "./secrets";
import { settle } from "./settle";
import { describeStatus } from "./status";
import { ConnectorInputs, ConnectorOutputs, endpointOf } from "./types";

/** The outputs after a create or update: the inputs without secret values, and the worker's view. */
export function outputsOf(
  inputs: ConnectorInputs,
  status: ConnectorStatus | undefined,
  book: RestartBook,
  offsetsCopiedFrom: string,
  kafkaClusterId: string,
  hashKey: string,
): ConnectorOutputs {
  const { secretConfig, externalSecrets, ...rest } = inputs;
  return {
    ...rest,
    hashKey,
    secretHashes: hashSecrets(inputs.name, secretConfig ?? {}, hashKey),
    externalSecretHashes: hashSecrets(inputs.name, externalSecrets ?? {}, hashKey),
    ...describeStatus(status),
    restarts: book.restarts,
    lastRestartAt: book.lastRestartAt,
    offsetsCopiedFrom,
    kafkaClusterId,
  };
}

/**
 * create: waits for the worker (the Connect cluster may be created in the same update), creates
 * or adopts the connector (from the old one's offsets on a rename), and waits for its state.
 */
export async function createConnector(inputs: ConnectorInputs): Promise<ConnectorOutputs> {
  const client = connectClient(endpointOf(inputs));
  const info = await client.waitUntilReady(inputs.waitTimeoutSeconds * 1000);
  const from = inputs.offsetsFrom ?? "";
  const copied =
    from !== "" && from !== inputs.name
      ? await createFromOffsetsOf(client, inputs, from, info)
      : (await createOrAdopt(client, inputs, info), "");
  const { status, book } = await settle(client, inputs, "create", NO_RESTARTS);
  return outputsOf(inputs, status, book, copied, info.kafka_cluster_id, newHashKey());
}
