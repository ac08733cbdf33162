import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";
import { Connector, ConnectEndpoint, DesiredState } from "../providers/connect";
import { SecretFile } from "../providers/secretFile";
import { externalise } from "./connectorSecrets";
import { unknownSinkArgs } from "./httpSinkArgs";
import {
  HttpSinkConfig,
  httpSinkConfig,
  HttpSinkSettings,
  sinkClientId,
  sorted,
} from "./httpSinkConfig";

// The settings and their mapping live in httpSinkConfig.ts; importers of this file see them here.
export * from "./httpSinkConfig";

export interface HttpSinkConnectorArgs extends HttpSinkSettings {
  /** The Connect REST API to create the connector on. */
  readonly connect: pulumi.Input<ConnectEndpoint>;
  /** Declared connector state. Defaults to `RUNNING`. */
  readonly state?: DesiredState;
  /** Egress bound: a Kafka client quota on the sink's consumer, in bytes per second. Defaults to none. */
  readonly consumerByteRate?: number;
  /** Seconds to wait for the connector to reach its state. Defaults to 300. */
  readonly waitTimeoutSeconds?: number;
  /**
   * Keep the connector's secrets out of its config: each secret key holds a reference
   * `${dir:<directory>:<connector>.<key>}` that the worker resolves (its DirectoryConfigProvider
   * must allow `directory`). With `writeFiles` the component writes each value there as a file
   * of mode 0600 (a worker on this machine); without, someone else puts them there (the Connect
   * pods' mounted Secret). Defaults to the values in the config (Connect stores them in clear).
   */
  readonly secrets?: { readonly directory: string; readonly writeFiles: boolean };
}

/**
 * One HTTP Sink connector towards one analytics destination, with its egress quota: the settings
 * are mapped to the chosen connector class and handed to the `Connector` dynamic resource.
 */
export class HttpSinkConnector extends pulumi.ComponentResource {
  public readonly connector: Connector;
  public readonly quota?: kafka.Quota;
  /** The secret files this component writes (with `secrets.writeFiles`). */
  public readonly secretFiles: SecretFile[] = [];
  public readonly connectorName: pulumi.Output<string>;
  public readonly connectorState: pulumi.Output<string>;
  public readonly taskStates: pulumi.Output<string[]>;
  /** The config the connector was given (secret keys as references when they live in files). */
  public readonly connectorConfig: Record<string, pulumi.Input<string>>;
  /** Its secret keys that travel in the config (none when they live in files). */
  public readonly connectorSecretConfig: Record<string, pulumi.Input<string>>;

  constructor(name: string, args: HttpSinkConnectorArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:connect:HttpSinkConnector", name, {}, opts);

    const unknown = unknownSinkArgs(args);
    if (unknown.length > 0) throw new pulumi.ResourceError(unknown.join("\n"), this, true);

    let mapped: HttpSinkConfig;
    try {
      mapped = httpSinkConfig(args);
    } catch (err) {
      throw new pulumi.ResourceError((err as Error).message, this);
    }

    if (args.consumerByteRate !== undefined) {
      this.quota = new kafka.Quota(
        `${name}-egress`,
        {
          entityType: "client-id",
          entityName: sinkClientId(args.connectorName),
          config: { consumer_byte_rate: String(args.consumerByteRate) },
        },
        // The kafka plugin replaces a quota on any change of its values. Created first, the new
        // quota would be the same client id as the old one, whose delete then removes the values
        // just set: the old one must go first.
        { parent: this, deleteBeforeReplace: true },
      );
    }

    let config: Record<string, pulumi.Input<string>> = mapped.config;
    let secretConfig = mapped.secretConfig;
    let externalSecrets: Record<string, pulumi.Input<string>> = {};
    if (args.secrets) {
      const moved = externalise(args.connectorName, mapped.secretConfig, args.secrets.directory);
      config = sorted({ ...mapped.config, ...moved.references });
      secretConfig = {};
      externalSecrets = moved.files;
      if (args.secrets.writeFiles) {
        for (const [file, content] of Object.entries(moved.files)) {
          this.secretFiles.push(
            new SecretFile(
              `${name}-${file}`,
              { directory: args.secrets.directory, fileName: file, content },
              { parent: this },
            ),
          );
        }
      }
    }

    this.connectorConfig = config;
    this.connectorSecretConfig = secretConfig;
    this.connector = new Connector(
      `${name}-connector`,
      {
        connect: args.connect,
        name: args.connectorName,
        config,
        secretConfig,
        externalSecrets,
        state: args.state ?? "RUNNING",
        waitTimeoutSeconds: args.waitTimeoutSeconds,
      },
      // After the files: an update that rotates a value restarts the connector once it is written.
      { parent: this, dependsOn: [...(this.quota ? [this.quota] : []), ...this.secretFiles] },
    );

    this.connectorName = this.connector.name;
    this.connectorState = this.connector.connectorState;
    this.taskStates = this.connector.taskStates;
    this.registerOutputs({
      connectorName: this.connectorName,
      connectorState: this.connectorState,
      taskStates: this.taskStates,
    });
  }
}
