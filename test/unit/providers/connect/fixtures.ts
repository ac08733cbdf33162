import type { ConnectorStatus } from "../../../../providers/connect/client";
import { hashSecrets } from "../../../../providers/connect/secrets";
import {
  ConnectorInputs,
  ConnectorOutputs,
  PROVIDER_VERSION,
  UNKNOWN,
} from "../../../../providers/connect/types";

/** Inputs of a well-formed connector, as the engine hands them to the provider. */
export const inputs: ConnectorInputs = {
  connect: { url: "http://127.0.0.1:18083" },
  connectSecrets: {},
  name: "dev-amp-http-sink",
  config: { "connector.class": "x.Sink", topics: "dev.tracking", "tasks.max": "2" },
  secretConfig: { "connection.password": "pw" },
  state: "RUNNING",
  restartPolicy: { type: "on-failure", maxRestarts: 10 },
  waitTimeoutSeconds: 300,
  providerVersion: PROVIDER_VERSION,
};

/** The outputs a create of `from` stores. */
export function stored(from: ConnectorInputs): ConnectorOutputs {
  const { secretConfig, externalSecrets, ...rest } = from;
  return {
    ...rest,
    secretHashes: hashSecrets(from.name, secretConfig),
    externalSecretHashes: hashSecrets(from.name, externalSecrets ?? {}),
    connectorState: "RUNNING",
    taskStates: ["0:RUNNING"],
    restarts: 0,
    lastRestartAt: "",
    offsetsCopiedFrom: "",
  };
}

/** A status as the worker reports it; each task on worker `w` unless told. */
export function status(
  connector: string,
  tasks: readonly string[],
  opts: { type?: string; worker?: string } = {},
): ConnectorStatus {
  const worker = opts.worker ?? "w";
  return {
    name: "c",
    type: opts.type,
    connector: { state: connector, worker_id: worker },
    tasks: tasks.map((state, id) => ({ id, state, worker_id: worker })),
  } as ConnectorStatus;
}

export { UNKNOWN };
