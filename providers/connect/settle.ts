import type { ConnectClient, ConnectorStatus } from "./client";
import { planRestart, RestartBook } from "./restart";
import { describeStatus, failures, reached } from "./status";
import { ConnectorInputs, DesiredState, isDesiredState } from "./types";

/*
 * Waiting, bounded, for the worker: until a status holds, or until the connector is in its
 * declared state (restarting failed tasks as the restart policy allows).
 */

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function transition(client: ConnectClient, name: string, desired: DesiredState) {
  if (desired === "RUNNING") await client.resume(name);
  else if (desired === "PAUSED") await client.pause(name);
  else await client.stop(name);
}

/** Polls, bounded, until `done(status)`; answers the last status seen. */
export async function waitForStatus(
  client: ConnectClient,
  name: string,
  done: (status: ConnectorStatus | undefined) => boolean,
  timeoutMs: number,
): Promise<{ status: ConnectorStatus | undefined; ok: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let delay = 100;
  for (;;) {
    const status = await client.getStatus(name);
    if (done(status)) return { status, ok: true };
    if (Date.now() > deadline) return { status, ok: false };
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
}

function failedError(name: string, failed: string[], why: string): Error {
  return new Error(
    `connector "${name}" failed: ${failed.join("; ")}. ${why} ` +
      "Fix the setting the trace names (or the destination it cannot reach), then run `pulumi up` again.",
  );
}

/**
 * Brings the connector to its declared state and waits, bounded, until the worker reports it.
 * During `update`, failed tasks are restarted as the restart policy allows; during `create` a
 * failure is reported at once with the summarised traces.
 */
export async function settle(
  client: ConnectClient,
  inputs: ConnectorInputs,
  mode: "create" | "update",
  start: RestartBook,
): Promise<{ status: ConnectorStatus | undefined; book: RestartBook }> {
  const deadline = Date.now() + inputs.waitTimeoutSeconds * 1000;
  let book = start;
  let delay = 100;
  let lastTransition = 0;
  // Status can lag a config change by a moment: act on a failure once it has lasted 2 s.
  let failedSince = 0;
  for (;;) {
    const status = await client.getStatus(inputs.name);
    if (reached(status, inputs.state, inputs.config["tasks.max"])) return { status, book };
    const state = status?.connector.state;
    if (isDesiredState(state) && state !== inputs.state && Date.now() - lastTransition > 5_000) {
      // Re-issued every 5 s: a request can be lost in a rebalance.
      await transition(client, inputs.name, inputs.state);
      lastTransition = Date.now();
    }
    const failed = inputs.state === "RUNNING" ? failures(status) : [];
    if (failed.length === 0) {
      failedSince = 0;
    } else if (failedSince === 0) {
      failedSince = Date.now();
    } else if (Date.now() - failedSince >= 2_000) {
      if (mode === "create") {
        throw failedError(
          inputs.name,
          failed,
          "The connector was left on the worker for inspection; the next `pulumi up` updates it in place.",
        );
      }
      const plan = planRestart(inputs.restartPolicy, book, true, new Date());
      if (plan.action === "restart") {
        book = plan.book;
        await client.restart(inputs.name, true);
        failedSince = 0;
      } else if (plan.action === "wait") {
        throw failedError(
          inputs.name,
          failed,
          `The restart policy allows the next restart at ${plan.notBefore} (a \`pulumi refresh\` then restarts it).`,
        );
      } else if (plan.action === "give-up") {
        throw failedError(inputs.name, failed, `Not restarted: ${plan.reason}.`);
      }
    }
    if (Date.now() > deadline) {
      const seen = describeStatus(status);
      throw new Error(
        `connector "${inputs.name}" did not reach ${inputs.state} within ${inputs.waitTimeoutSeconds}s ` +
          `(connector ${seen.connectorState}, tasks [${seen.taskStates.join(", ")}]). ` +
          "Check the Connect worker's log, or raise `waitTimeoutSeconds`.",
      );
    }
    await sleep(delay);
    delay = Math.min(delay * 2, 1000);
  }
}
