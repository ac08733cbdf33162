import * as pulumi from "@pulumi/pulumi";
import { ConnectEndpoint } from "./client";
import { splitEndpoint } from "./endpointInputs";
import { connectorProvider } from "./provider";
import { DEFAULT_RESTART_POLICY, RestartPolicy } from "./restart";
import {
  DEFAULT_STATE,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DesiredState,
  PROVIDER_VERSION,
} from "./types";

/** Type token of connectors: `pulumi-nodejs:dynamic/tracking:Connector`. Policies match on it. */
export const CONNECTOR_MODULE = "tracking";
export const CONNECTOR_TYPE = "Connector";
export const CONNECTOR_TYPE_TOKEN = `pulumi-nodejs:dynamic/${CONNECTOR_MODULE}:${CONNECTOR_TYPE}`;

export interface ConnectorArgs {
  /**
   * The Connect REST API the connector lives on; its password, key and headers stay secret. A
   * new URL is an update in place, never a replace (see `endpoint.ts`).
   */
  readonly connect: pulumi.Input<ConnectEndpoint>;
  /** The connector's name on the worker; its identity (a change replaces the connector). */
  readonly name: pulumi.Input<string>;
  /** Non-secret connector config; every value a string. */
  readonly config: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Secret connector config; stays a Pulumi secret and is tracked by hash. Defaults to none. */
  readonly secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /**
   * Secret values the worker reads through config provider references in `config` (for example
   * `${dir:/etc/tracking/connector-secrets:<file>}`), never sent to it: tracked by keyed hash, a
   * change restarts the connector and its tasks so that they read the new value. Declare the
   * resource that writes them as a dependency. Defaults to none.
   */
  readonly externalSecrets?: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** Declared state. Defaults to `RUNNING`. */
  readonly state?: pulumi.Input<DesiredState>;
  /** What to do about failed tasks. Defaults to `on-failure` with 10 restarts. */
  readonly restartPolicy?: pulumi.Input<RestartPolicy>;
  /** Seconds create and update wait for the worker and the declared state. Defaults to 300. */
  readonly waitTimeoutSeconds?: pulumi.Input<number>;
  /**
   * The connector whose committed offsets a newly created connector starts from, so that a
   * rename neither resends nor skips events (Kafka 3.7+ workers). Defaults to the previous `name`
   * when `name` changes; "" turns the copy off.
   */
  readonly offsetsFrom?: pulumi.Input<string>;
}

/** What `Connector.get` needs to find an existing connector: where its worker is. */
export interface ConnectorGetState {
  readonly connect: pulumi.Input<ConnectEndpoint>;
}

/**
 * A Kafka Connect connector managed through the Connect REST API by this project's dynamic
 * provider (`providers/connect/provider.ts`, which wires the modules of that folder).
 */
export class Connector extends pulumi.dynamic.Resource {
  // `declare`: the base constructor sets these; a class field would overwrite them with undefined.
  declare public readonly name: pulumi.Output<string>;
  declare public readonly config: pulumi.Output<Record<string, string>>;
  /** Secret. */
  declare public readonly secretConfig: pulumi.Output<Record<string, string>>;
  /** Secret: keyed hashes of the secret config values. */
  declare public readonly secretHashes: pulumi.Output<Record<string, string>>;
  /** Secret: keyed hashes of the external secret values. */
  declare public readonly externalSecretHashes: pulumi.Output<Record<string, string>>;
  /** Secret: the random HMAC key of this connector's hashes. */
  declare public readonly hashKey: pulumi.Output<string>;
  /** Secret: the password, client key and headers of the Connect endpoint. */
  declare public readonly connectSecrets: pulumi.Output<Record<string, string>>;
  declare public readonly state: pulumi.Output<DesiredState>;
  /** The connector's state as the worker last reported it. */
  declare public readonly connectorState: pulumi.Output<string>;
  /** `<task id>:<state>` of every task, as the worker last reported them. */
  declare public readonly taskStates: pulumi.Output<string[]>;
  /** Restarts in a row under the restart policy (update and refresh); reset once it runs. */
  declare public readonly restarts: pulumi.Output<number>;
  /** ISO time of the last restart under the restart policy; "" when none. */
  declare public readonly lastRestartAt: pulumi.Output<string>;
  /** The connector whose offsets this one started from; "" when none were copied. */
  declare public readonly offsetsCopiedFrom: pulumi.Output<string>;
  /** The Kafka cluster the worker reported at the last create or update. */
  declare public readonly kafkaClusterId: pulumi.Output<string>;

  /**
   * A read-only reference to a connector that exists on a worker (`pulumi refresh` reads it;
   * `pulumi destroy` leaves it alone). `id` is the connector's name.
   */
  public static get(
    name: string,
    id: pulumi.Input<string>,
    state: ConnectorGetState,
    opts?: pulumi.CustomResourceOptions,
  ): Connector {
    return new Connector(
      name,
      { connect: state.connect, name: id, config: {} },
      pulumi.mergeOptions(opts, { id }),
    );
  }

  constructor(name: string, args: ConnectorArgs, opts?: pulumi.CustomResourceOptions) {
    const { connect, connectSecrets } = splitEndpoint(args.connect);
    super(
      connectorProvider,
      name,
      {
        connect,
        connectSecrets,
        name: args.name,
        config: args.config,
        secretConfig: pulumi.secret(args.secretConfig ?? {}),
        externalSecrets: pulumi.secret(args.externalSecrets ?? {}),
        state: args.state ?? DEFAULT_STATE,
        restartPolicy: args.restartPolicy ?? DEFAULT_RESTART_POLICY,
        waitTimeoutSeconds: args.waitTimeoutSeconds ?? DEFAULT_WAIT_TIMEOUT_SECONDS,
        providerVersion: PROVIDER_VERSION,
        offsetsFrom: args.offsetsFrom,
        secretHashes: undefined,
        externalSecretHashes: undefined,
        hashKey: undefined,
        connectorState: undefined,
        taskStates: undefined,
        restarts: undefined,
        lastRestartAt: undefined,
        offsetsCopiedFrom: undefined,
        kafkaClusterId: undefined,
      },
      pulumi.mergeOptions(opts, {
        additionalSecretOutputs: [
          "secretConfig",
          "externalSecrets",
          "secretHashes",
          "externalSecretHashes",
          "hashKey",
          "connectSecrets",
        ],
      }),
      CONNECTOR_MODULE,
      CONNECTOR_TYPE,
    );
  }
}
