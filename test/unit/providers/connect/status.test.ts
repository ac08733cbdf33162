import {
  declarableState,
  describeStatus,
  failures,
  reached,
  settledAfterRestart,
  summariseTrace,
  workersOf,
} from "../../../../providers/connect/status";
import { status } from "./fixtures";

describe("status: what the worker reports", () => {
  it("summarises a Java trace to its message and causes", () => {
    const trace = [
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask",
      "\tat org.apache.kafka.connect.runtime.WorkerSinkTask.deliver(WorkerSinkTask.java:1)",
      "Caused by: java.net.ConnectException: Connection refused",
      "\tat java.base/sun.nio.ch.Net.connect0(Native Method)",
    ].join("\n");
    expect(summariseTrace(trace)).toBe(
      "org.apache.kafka.connect.errors.ConnectException: Exiting WorkerSinkTask | Caused by: java.net.ConnectException: Connection refused",
    );
    expect(summariseTrace(undefined)).toBe("no trace reported");
  });

  it("describes states with tasks in id order, and an absent connector", () => {
    const s = status("RUNNING", ["RUNNING", "PAUSED"]);
    expect(describeStatus({ ...s, tasks: [...s.tasks].reverse() })).toEqual({
      connectorState: "RUNNING",
      taskStates: ["0:RUNNING", "1:PAUSED"],
    });
    expect(describeStatus(undefined)).toEqual({ connectorState: "ABSENT", taskStates: [] });
  });

  it("lists the failed connector and tasks", () => {
    expect(failures(status("FAILED", ["RUNNING", "FAILED"]))).toEqual([
      "connector: no trace reported",
      "task 1: no trace reported",
    ]);
    expect(failures(undefined)).toEqual([]);
  });

  it("gives a state only when it can be declared", () => {
    expect(declarableState(status("PAUSED", []))).toBe("PAUSED");
    expect(declarableState(status("FAILED", []))).toBeUndefined();
    expect(declarableState(undefined)).toBeUndefined();
  });

  it("names each worker once", () => {
    expect(workersOf(status("RUNNING", ["RUNNING", "RUNNING"], { worker: "h:1" }))).toEqual([
      "h:1",
    ]);
    expect(workersOf(undefined)).toEqual([]);
  });
});

describe("status: the declared state reached", () => {
  it("tells the declared state reached only when every task is in it", () => {
    expect(reached(status("RUNNING", ["RUNNING", "RUNNING"]), "RUNNING")).toBe(true);
    expect(reached(status("RUNNING", ["RUNNING", "FAILED"]), "RUNNING")).toBe(false);
    expect(reached(status("RUNNING", []), "RUNNING")).toBe(false);
    expect(reached(status("STOPPED", ["RUNNING"]), "STOPPED")).toBe(false);
    expect(reached(status("STOPPED", []), "STOPPED")).toBe(true);
    // Paused straight from STOPPED: Connect has no tasks until it is resumed.
    expect(reached(status("PAUSED", []), "PAUSED")).toBe(true);
    expect(reached(undefined, "RUNNING")).toBe(false);
  });

  it("waits for a sink's tasks.max tasks, as the status lags a config change", () => {
    const sink = (...tasks: string[]) => status("RUNNING", tasks, { type: "sink" });
    expect(reached(sink("RUNNING"), "RUNNING", "2")).toBe(false);
    expect(reached(sink("RUNNING", "RUNNING"), "RUNNING", "2")).toBe(true);
    expect(reached(sink("RUNNING"), "RUNNING", undefined)).toBe(true);
  });
});

describe("status: a restart played out", () => {
  it("waits for tasks still RESTARTING or UNASSIGNED, not only for no failure", () => {
    expect(settledAfterRestart(status("RUNNING", ["RUNNING", "RUNNING"]))).toBe(true);
    expect(settledAfterRestart(status("RUNNING", ["RUNNING", "RESTARTING"]))).toBe(false);
    expect(settledAfterRestart(status("RUNNING", ["UNASSIGNED"]))).toBe(false);
    expect(settledAfterRestart(status("RESTARTING", ["RUNNING"]))).toBe(false);
    expect(settledAfterRestart(status("RUNNING", ["FAILED"]))).toBe(false);
    expect(settledAfterRestart(undefined)).toBe(false);
  });
});
