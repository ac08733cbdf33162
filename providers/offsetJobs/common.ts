import type { ConnectClient, ConnectEndpoint } from "../connect/client";
import { waitForStatus } from "../connect/settle";
import { describeStatus, reached } from "../connect/status";
import type { DesiredState, EndpointSecrets } from "../connect/types";
import type { KafkaAdminEndpoint } from "../kafkaAdmin";

/*
 * What the two offset jobs (replay.ts, redrive.ts) share: their inputs beside the job's own, the
 * secret values an error must not show, and the wait for a connector's state.
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

/** The ids a job's check accepts: what a stack file can hold as one word. */
export function jobIdProblem(setting: string, id: unknown): string | undefined {
  if (typeof id !== "string" || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(id)) {
    return (
      `\`${setting}.id\` must be 1 to 63 letters, digits, ".", "_" or "-", starting with a ` +
      `letter or digit (got ${JSON.stringify(id)}): name the job, for example "2026-12-02-outage"`
    );
  }
  return undefined;
}
