import type { ConnectEndpoint } from "./client";
import type { RestartPolicy } from "./restart";

/*
 * The three shapes of the provider (user args live with the resource in connector.ts): what it
 * receives, every input resolved, and what it stores. With the defaults the resource applies,
 * which check's messages and an import also use.
 */

/** Bumped whenever the provider's behaviour changes, so that the change rolls out as an update. */
export const PROVIDER_VERSION = "4";

/** The states a connector can be declared in, as the worker spells them; check accepts these. */
export const DESIRED_STATES = ["RUNNING", "PAUSED", "STOPPED"] as const;

export type DesiredState = (typeof DESIRED_STATES)[number];

/** The declared state when none is given. */
export const DEFAULT_STATE: DesiredState = "RUNNING";

/** How long create and update wait for the worker and the declared state when not told. */
export const DEFAULT_WAIT_TIMEOUT_SECONDS = 300;

/** The engine's placeholder for a value that is not known until apply (preview). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function isDesiredState(value: unknown): value is DesiredState {
  return (DESIRED_STATES as readonly unknown[]).includes(value);
}

/** The parts of the endpoint that are secret; kept in state as a Pulumi secret. */
export interface EndpointSecrets {
  readonly password?: string;
  readonly keyPem?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What the provider receives: every input resolved. */
export interface ConnectorInputs {
  readonly connect: Omit<ConnectEndpoint, keyof EndpointSecrets>;
  readonly connectSecrets: EndpointSecrets;
  readonly name: string;
  /** Non-secret connector config, every value a string. */
  readonly config: Record<string, string>;
  /** Secret connector config (passwords, tokens); never read back, tracked by hash. */
  readonly secretConfig: Record<string, string>;
  /**
   * Secret values the worker reads itself through config provider references in `config`
   * (`${dir:<folder>:<file>}`): never sent, tracked by keyed hash. A change restarts the
   * connector and its tasks, so that they resolve the references again and use the new value.
   */
  readonly externalSecrets?: Record<string, string>;
  readonly state: DesiredState;
  readonly restartPolicy: RestartPolicy;
  /** How long create and update wait for the worker and the declared state, in seconds. */
  readonly waitTimeoutSeconds: number;
  readonly providerVersion: string;
  /**
   * A connector whose committed offsets the new connector starts from (a rename). `check` fills
   * it in with the old name when `name` changes; "" turns the copy off.
   */
  readonly offsetsFrom?: string;
}

/** What the provider stores: the inputs without secret values, plus what the worker reports. */
export interface ConnectorOutputs extends Omit<
  ConnectorInputs,
  "secretConfig" | "externalSecrets"
> {
  /** Keyed hash per secret key, so a changed secret is an update and a masked read is not. */
  readonly secretHashes: Record<string, string>;
  /** Keyed hash per external secret (see `externalSecrets`); a change is a rotation. */
  readonly externalSecretHashes?: Record<string, string>;
  /**
   * The random HMAC key of this resource's hashes (secret output), made at create, import or
   * the first update of state written without one; absent in such state.
   */
  readonly hashKey?: string;
  readonly connectorState: string;
  readonly taskStates: string[];
  /** Restarts in a row under the restart policy; reset once the connector ran for the backoff. */
  readonly restarts: number;
  /** ISO time of the last restart under the restart policy; "" when none. */
  readonly lastRestartAt: string;
  /** The connector whose offsets this one started from; "" when none were copied. */
  readonly offsetsCopiedFrom: string;
  /**
   * The Kafka cluster the worker reported (`GET /`) at the last create or update; "" or absent
   * when not known (state written before it was recorded, or an import).
   */
  readonly kafkaClusterId?: string;
}

/** The endpoint the client needs: the visible part and the secret part together. */
export function endpointOf(
  inputs: Pick<ConnectorInputs, "connect" | "connectSecrets">,
): ConnectEndpoint {
  return { ...inputs.connect, ...(inputs.connectSecrets ?? {}) };
}

/** The config the worker receives: plain and secret keys, and the name it requires. */
export function fullConfig(inputs: ConnectorInputs): Record<string, string> {
  return { ...inputs.config, ...(inputs.secretConfig ?? {}), name: inputs.name };
}
