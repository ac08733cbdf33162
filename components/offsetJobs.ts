import * as pulumi from "@pulumi/pulumi";
import type { DestinationConfig, StackConfig } from "../config";
import type { ConnectEndpoint } from "../providers/connect";
import type { KafkaAdminEndpoint } from "../providers/kafkaAdmin";
import { ConnectorReplay, DeadLetterRedrive } from "../providers/offsetJobs";
import type { HttpSinkConnector } from "./httpSinkConnector";
import { topicNaming } from "./topicSet";

/*
 * A destination's `replay` and `redrive` as resources (providers/offsetJobs/): each made after its
 * connector, through the engine's own way to the brokers (the kafka provider's settings and
 * login), and made again only for a new id.
 */

export interface OffsetJobContext {
  readonly environment: string;
  readonly settings: StackConfig;
  readonly connect: pulumi.Input<ConnectEndpoint>;
  /** The stack's admin password (`kafkaSaslPassword`), checked; "" without SASL. */
  readonly kafkaPassword: pulumi.Input<string>;
  readonly parent: pulumi.Resource;
}

/** How the engine reaches the brokers: exactly as the stack's kafka provider does. */
export function kafkaAdminEndpointOf(s: StackConfig): KafkaAdminEndpoint {
  return {
    bootstrapServers: s.kafkaBootstrapServers,
    tls: s.kafkaTls,
    caCertificate: s.kafkaTlsCaCertificate,
    mechanism: s.kafkaSaslMechanism,
    username: s.kafkaSaslMechanism === "none" ? "" : s.kafkaSaslUsername,
  };
}

/** The redrive connector of a destination's connector: its consumer group outlives each run. */
export function redriveConnectorName(connector: string): string {
  return `${connector}-redrive`;
}

export type OffsetJob = ConnectorReplay | DeadLetterRedrive;

export function declareOffsetJobs(
  name: string,
  d: DestinationConfig,
  index: number,
  sink: HttpSinkConnector,
  ctx: OffsetJobContext,
): OffsetJob[] {
  const common = {
    connect: ctx.connect,
    kafka: kafkaAdminEndpointOf(ctx.settings),
    kafkaPassword: ctx.kafkaPassword,
  };
  const opts = { parent: ctx.parent, dependsOn: [sink] };
  const jobs: OffsetJob[] = [];
  if (d.replay) {
    jobs.push(
      new ConnectorReplay(
        `${name}-${d.name}-replay`,
        {
          ...common,
          connector: sink.connectorName,
          topics: d.topics.map((t) => topicNaming.tracking(ctx.environment, t)),
          from: d.replay.from,
          jobId: d.replay.id,
          setting: `destinations[${index}].replay`,
        },
        opts,
      ),
    );
  }
  if (d.redrive) {
    jobs.push(
      new DeadLetterRedrive(
        `${name}-${d.name}-redrive`,
        {
          ...common,
          connector: sink.connectorName.apply(redriveConnectorName),
          deadLetterTopic: topicNaming.deadLetter(ctx.environment, d.name),
          config: sink.connectorConfig,
          secretConfig: sink.connectorSecretConfig,
          jobId: d.redrive.id,
          setting: `destinations[${index}].redrive`,
        },
        opts,
      ),
    );
  }
  return jobs;
}
