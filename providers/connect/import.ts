import type * as pulumi from "@pulumi/pulumi";
import { newHashKey } from "../keyedHash";
import { connectClient, ConnectClient } from "./client";
import { DEFAULT_RESTART_POLICY } from "./restart";
import { hashSecrets, isCredentialKey, safely, secretValues } from "./secrets";
import { declarableState, describeStatus } from "./status";
import {
  ConnectorInputs,
  ConnectorOutputs,
  DEFAULT_STATE,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DesiredState,
  endpointOf,
  PROVIDER_VERSION,
} from "./types";

/*
 * A read with no stored outputs (an import, or `Connector.get`): the whole connector as found on
 * the worker becomes its inputs. Credentials never become plain inputs: keys the plugin types as
 * PASSWORD, and keys that carry credentials by their name, are kept as hashes only.
 */

/** Environment variables an import by name reads when the state carries no endpoint. */
export const IMPORT_ENV = {
  url: "TRACKING_CONNECT_URL",
  username: "TRACKING_CONNECT_USERNAME",
  password: "TRACKING_CONNECT_PASSWORD",
} as const;

/** True when read got no outputs of ours: refresh passes them, an import or `get` does not. */
export function isImport(props: Partial<ConnectorOutputs> | undefined): boolean {
  return !props?.connect?.url || props.connectorState === undefined;
}

/** The endpoint of an import by name: the state's, or the TRACKING_CONNECT_* variables. */
export function importEndpoint(
  id: string,
  props: Partial<ConnectorOutputs> | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Pick<ConnectorInputs, "connect" | "connectSecrets"> {
  if (props?.connect?.url) {
    return { connect: props.connect, connectSecrets: props.connectSecrets ?? {} };
  }
  const url = env[IMPORT_ENV.url];
  if (!url) {
    throw new Error(
      `cannot read connector "${id}": its state names no Connect endpoint. Set ` +
        `${IMPORT_ENV.url} (and ${IMPORT_ENV.username} / ${IMPORT_ENV.password} for basic auth), ` +
        "or use `Connector.get(name, id, { connect })`.",
    );
  }
  const username = env[IMPORT_ENV.username];
  const password = env[IMPORT_ENV.password];
  return {
    connect: username ? { url, username } : { url },
    connectSecrets: password ? { password } : {},
  };
}

/**
 * Splits a live connector config into plain config and secrets: a secret is a key the plugin
 * types as PASSWORD (`passwordKeys`, empty when validate did not answer) or one that carries a
 * credential by its name. `name` and Connect's `__internal.*` keys are not inputs.
 */
export function splitImported(
  live: Readonly<Record<string, string>>,
  passwordKeys: ReadonlySet<string>,
): { config: Record<string, string>; secrets: Record<string, string> } {
  const config: Record<string, string> = {};
  const secrets: Record<string, string> = {};
  for (const [key, value] of Object.entries(live)) {
    if (key === "name" || key.startsWith("__internal.")) continue;
    if (passwordKeys.has(key) || isCredentialKey(key)) secrets[key] = value;
    else config[key] = value;
  }
  return { config, secrets };
}

/** The keys the plugin's definitions type as PASSWORD; none when the worker cannot validate. */
async function passwordKeysOf(
  client: ConnectClient,
  live: Record<string, string>,
): Promise<Set<string>> {
  const keys = new Set<string>();
  try {
    const result = await client.validate(live["connector.class"], live, 10_000);
    for (const item of result.configs) {
      if (item.definition?.type === "PASSWORD") keys.add(item.value.name);
    }
  } catch {
    // Without the plugin's definitions, only the credential names tell the secrets apart.
  }
  return keys;
}

/**
 * The connector as found, as inputs and outputs. The secret keys come back as hashes in the
 * outputs and not at all in the inputs (`secretConfig: {}`): read results reach state without a
 * secret marking, so a value there would be stored in clear. A program that takes the connector
 * over declares them in `secretConfig`; the same values then diff as no change.
 */
export async function importConnector(
  id: string,
  known: Partial<ConnectorOutputs> | undefined,
): Promise<pulumi.dynamic.ReadResult> {
  const endpoint = importEndpoint(id, known);
  return safely(secretValues(endpoint), async () => {
    const client = connectClient(endpointOf(endpoint));
    const live = await client.getConfig(id);
    if (!live) return { id: "", props: {} };
    const status = await client.getStatus(id);
    const liveState = declarableState(status);
    const { config, secrets } = splitImported(live, await passwordKeysOf(client, live));
    const hashKey = newHashKey();
    const inputs: Omit<ConnectorInputs, "secretConfig"> = {
      connect: endpoint.connect,
      connectSecrets: endpoint.connectSecrets,
      name: id,
      config,
      state: (known?.state as DesiredState | undefined) ?? liveState ?? DEFAULT_STATE,
      restartPolicy: known?.restartPolicy ?? DEFAULT_RESTART_POLICY,
      waitTimeoutSeconds: known?.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
      providerVersion: PROVIDER_VERSION,
    };
    const outputs: ConnectorOutputs = {
      ...inputs,
      state: liveState ?? inputs.state,
      hashKey,
      secretHashes: hashSecrets(id, secrets, hashKey),
      ...describeStatus(status),
      restarts: 0,
      lastRestartAt: "",
      offsetsCopiedFrom: "",
    };
    return { id, props: outputs, inputs: { ...inputs, secretConfig: {} } };
  });
}
