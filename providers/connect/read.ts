import type * as pulumi from "@pulumi/pulumi";
import { connectClient } from "./client";
import { warn } from "./log";
import { planRestart, POLICY_OF_STATE_WITHOUT_ONE } from "./restart";
import { hashSecret, isMasked } from "./secrets";
import { waitForStatus } from "./settle";
import { declarableState, describeStatus, failures, settledAfterRestart } from "./status";
import { ConnectorOutputs, endpointOf } from "./types";

/**
 * refresh: the connector as the worker has it, in the terms of the stored outputs. Only declared
 * keys count, secrets are compared by hash, and the restart policy is applied.
 */
export async function refreshConnector(
  id: string,
  olds: ConnectorOutputs,
): Promise<pulumi.dynamic.ReadResult> {
  const client = connectClient(endpointOf(olds));
  const live = await client.getConfig(id);
  if (!live) return { id: "", props: {} };
  let status = await client.getStatus(id);
  // The state as found, before any restart below.
  const liveState = declarableState(status);

  // Only the declared keys count: server defaults and __internal.* keys never show as drift.
  const config: Record<string, string> = {};
  for (const key of Object.keys(olds.config ?? {})) {
    if (key in live) config[key] = live[key];
  }
  // Connect 4.4 returns PASSWORD values in clear from GET /config: hash them to compare,
  // and keep the stored hash for a masked or externalised value.
  const secretHashes: Record<string, string> = {};
  for (const [key, hash] of Object.entries(olds.secretHashes ?? {})) {
    const value = live[key];
    if (value === undefined) continue;
    secretHashes[key] = isMasked(value) ? hash : hashSecret(id, key, value, olds.hashKey);
  }

  // Refresh applies the restart policy: a failed connector or task is restarted when the
  // backoff allows, and the bookkeeping is kept in the outputs.
  const plan = planRestart(
    olds.restartPolicy ?? POLICY_OF_STATE_WITHOUT_ONE,
    { restarts: olds.restarts ?? 0, lastRestartAt: olds.lastRestartAt ?? "" },
    failures(status).length > 0,
    new Date(),
  );
  if (plan.action === "restart") {
    await client.restart(id, true);
    // Report the restarted states, briefly bounded: refresh must stay quick.
    status = (await waitForStatus(client, id, settledAfterRestart, 15_000)).status;
  } else if (plan.action !== "none") {
    const why = plan.action === "wait" ? `next restart at ${plan.notBefore}` : plan.reason;
    await warn(`connector "${id}" has failed and was not restarted (${why}).`);
  }

  const outputs: ConnectorOutputs = {
    ...olds,
    name: id,
    config,
    secretHashes,
    state: liveState ?? olds.state,
    ...describeStatus(status),
    restarts: plan.book.restarts,
    lastRestartAt: plan.book.lastRestartAt,
  };
  return { id, props: outputs };
}
