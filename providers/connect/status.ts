import type { ConnectorStatus } from "./client";
import { DesiredState, isDesiredState } from "./types";

/* What the worker's status of a connector says: its states, its failures, a declared state reached. */

/** Summarises a Java stack trace to its message and causes. */
export function summariseTrace(trace: string | undefined): string {
  if (!trace) return "no trace reported";
  const lines = trace.split("\n").map((l) => l.trim());
  const keep = [lines[0], ...lines.filter((l) => l.startsWith("Caused by:"))];
  return keep.join(" | ").slice(0, 1000);
}

export function describeStatus(status: ConnectorStatus | undefined): {
  connectorState: string;
  taskStates: string[];
} {
  if (!status) return { connectorState: "ABSENT", taskStates: [] };
  return {
    connectorState: status.connector.state,
    taskStates: [...status.tasks].sort((a, b) => a.id - b.id).map((t) => `${t.id}:${t.state}`),
  };
}

/** The connector's state when it is one that can be declared; undefined otherwise or absent. */
export function declarableState(status: ConnectorStatus | undefined): DesiredState | undefined {
  const state = status?.connector.state;
  return isDesiredState(state) ? state : undefined;
}

/** The failed connector and tasks, each with its summarised trace. */
export function failures(status: ConnectorStatus | undefined): string[] {
  if (!status) return [];
  const out: string[] = [];
  if (status.connector.state === "FAILED") {
    out.push(`connector: ${summariseTrace(status.connector.trace)}`);
  }
  for (const task of status.tasks) {
    if (task.state === "FAILED") out.push(`task ${task.id}: ${summariseTrace(task.trace)}`);
  }
  return out;
}

/**
 * True once a restart has played out: the connector and every task are in a settled state, none
 * FAILED and none still RESTARTING or UNASSIGNED. A task that is only "not failed" may still be on
 * its way back, and would be reported as RESTARTING.
 */
export function settledAfterRestart(status: ConnectorStatus | undefined): boolean {
  if (!status) return false;
  const settling = (state: string) => state === "RESTARTING" || state === "UNASSIGNED";
  return (
    failures(status).length === 0 &&
    !settling(status.connector.state) &&
    !status.tasks.some((t) => settling(t.state))
  );
}

/**
 * True when the worker reports the connector, and each of its tasks, in the declared state. For a
 * sink, `tasksMax` is also awaited: right after a config change the status still shows the old
 * tasks, and sink connectors run exactly `tasks.max` tasks.
 */
export function reached(
  status: ConnectorStatus | undefined,
  desired: DesiredState,
  tasksMax?: string,
): boolean {
  if (!status || status.connector.state !== desired) return false;
  if (desired === "RUNNING") {
    const expected = status.type === "sink" && tasksMax ? Number(tasksMax) : NaN;
    if (Number.isInteger(expected) && status.tasks.length !== expected) return false;
    return status.tasks.length > 0 && status.tasks.every((t) => t.state === "RUNNING");
  }
  // STOPPED releases the tasks; PAUSED from STOPPED has none until it is resumed.
  if (desired === "STOPPED") return status.tasks.length === 0;
  return status.tasks.every((t) => t.state === "PAUSED");
}

/** Every worker the connector and its tasks run on (`host:port` as the workers advertise it). */
export function workersOf(status: ConnectorStatus | undefined): string[] {
  if (!status) return [];
  const ids = [status.connector.worker_id, ...status.tasks.map((t) => t.worker_id)];
  return [...new Set(ids.filter((id) => typeof id === "string" && id !== ""))].sort();
}
