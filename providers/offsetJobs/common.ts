import * as pulumi from "@pulumi/pulumi";
import type { ConnectClient, ConnectEndpoint } from "../connect/client";
import { splitEndpoint } from "../connect/endpointInputs";
import { waitForStatus } from "../connect/settle";
import { describeStatus, reached } from "../connect/status";
import type { DesiredState, EndpointSecrets } from "../connect/types";
import type { KafkaAdminEndpoint } from "../kafkaAdmin";

/*
 * What the two offset jobs (replay.ts, redrive.ts) share: their inputs beside the job's own, the
 * secret values an error must not show, the wait for a connector's state, and the lifecycle of a
 * job that is done once per id (diff, read, delete).
 */

/** Inputs of every offset job, as the provider receives them. */
export interface OffsetJobInputs {
  readonly connect: Omit<ConnectEndpoint, keyof EndpointSecrets>;
  readonly connectSecrets: EndpointSecrets;
  /** How the engine reaches the brokers (the stack's kafka provider's settings). */
  readonly kafka: KafkaAdminEndpoint;
  /** Secret: the password of `kafka.username`; "" without SASL. */
  readonly kafkaPassword: string;
  /** The stack setting that declared the job, for messages (`destinations[0].replay`). */
  readonly setting: string;
  /** The job's id: a new id runs the job again, the same id never does. */
  readonly jobId: string;
  readonly waitTimeoutSeconds: number;
}

/** Every secret value an error message could echo. */
export function jobSecrets(
  inputs: Partial<OffsetJobInputs> & { secretConfig?: Record<string, string> },
): string[] {
  const endpoint = inputs.connectSecrets ?? {};
  return [
    inputs.kafkaPassword,
    endpoint.password,
    endpoint.keyPem,
    ...Object.values(endpoint.headers ?? {}),
    ...Object.values(inputs.secretConfig ?? {}),
  ].filter((v): v is string => typeof v === "string" && v !== "");
}

/** Waits for `state`, else throws naming the connector, what the worker reported and the fix. */
export async function waitForState(
  client: ConnectClient,
  name: string,
  state: DesiredState,
  timeoutSeconds: number,
  during: string,
): Promise<void> {
  const { ok, status } = await waitForStatus(
    client,
    name,
    (s) => reached(s, state),
    timeoutSeconds * 1000,
  );
  if (ok) return;
  const seen = describeStatus(status);
  throw new Error(
    `connector "${name}" did not reach ${state} within ${timeoutSeconds}s ${during} (connector ` +
      `${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]). Check the Connect ` +
      "worker's log, or raise `waitTimeoutSeconds`.",
  );
}

/** The ids a job accepts, in the stack config and in check: what a stack file holds as one word. */
export const JOB_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

export function jobIdProblem(setting: string, id: unknown): string | undefined {
  if (typeof id !== "string" || !JOB_ID_PATTERN.test(id)) {
    return (
      `\`${setting}.id\` must be 1 to 63 letters, digits, ".", "_" or "-", starting with a ` +
      `letter or digit (got ${JSON.stringify(id)}): name the job, for example "2026-12-02-outage"`
    );
  }
  return undefined;
}

/** The arguments every offset job resource takes beside its own. */
export interface OffsetJobArgs {
  readonly connect: pulumi.Input<ConnectEndpoint>;
  /** How the engine reaches the brokers. */
  readonly kafka: pulumi.Input<KafkaAdminEndpoint>;
  /** The password of `kafka.username` (kept a secret); "" without SASL. */
  readonly kafkaPassword: pulumi.Input<string>;
  readonly jobId: pulumi.Input<string>;
  /** The stack setting that declares the job, for messages (`destinations[0].replay`). */
  readonly setting: string;
  /** Seconds the job may wait for the worker and for its work. Defaults to 300. */
  readonly waitTimeoutSeconds?: number;
}

/** The shared part of a job resource's inputs, secrets marked. */
export function jobInputs(args: OffsetJobArgs) {
  return {
    ...splitEndpoint(args.connect),
    kafka: args.kafka,
    kafkaPassword: pulumi.secret(args.kafkaPassword),
    jobId: args.jobId,
    setting: args.setting,
    waitTimeoutSeconds: args.waitTimeoutSeconds ?? 300,
  };
}

/** The shared outputs that stay secret in the state. */
export const JOB_SECRET_OUTPUTS = ["connectSecrets", "kafkaPassword"];

/**
 * diff, read and delete of a job done once per id: only a new id is a change, and it replaces the
 * job (the create of the replacement runs it again); read has nothing on the worker to read back;
 * delete forgets the job, whose effect on offsets stays.
 */
export const oncePerId = {
  async diff(_id: string, olds: { jobId: string }, news: { jobId: string }) {
    const replaces = olds.jobId !== news.jobId ? ["jobId"] : [];
    return { changes: replaces.length > 0, replaces, deleteBeforeReplace: false };
  },
  async read<T>(id: string, props?: T) {
    return { id, props };
  },
  async delete() {},
};
