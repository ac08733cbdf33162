/**
 * Events per second for 1, 3 and 6 tasks against the receiver answering at once and after a
 * fixed delay per request (the receiver's latency behaviour), beside the bound that batch size,
 * latency and tasks allow, and the same against the demo's own connector settings.
 *
 * A task sends its requests one after another (a partition's batches in offset order), so with
 * `L` seconds per request, `T` tasks each holding at least one partition and `B` events per
 * request, no more than `T × B / L` events per second can arrive. At 0 ms there is no such bound:
 * what is left is each request's own cost (the task's serialisation, the HTTP exchange, the
 * receiver parsing and recording it) and the CPU the machine has, which the table shows.
 */
import { cpus } from "node:os";
import type { PlatformEndpoints } from "../../platform";
import type { ReceiverClient } from "../../platform/receiverClient";
import { fmt } from "../numbers";
import { Delivery, deliver, rate, windowRate } from "./common";

export interface Cell {
  readonly label: string;
  readonly tasks: number;
  readonly partitions: number;
  readonly latencyMs: number;
  readonly batch: number;
  readonly delivery: Delivery;
}

/** The most events per second tasks × batch / latency allow, or undefined at 0 ms. */
export function bound(c: Omit<Cell, "delivery" | "label">): number | undefined {
  if (c.latencyMs <= 0) return undefined;
  return (Math.min(c.tasks, c.partitions) * c.batch * 1000) / c.latencyMs;
}

export interface MatrixPlan {
  readonly partitions: number;
  readonly demoPartitions: number;
  readonly demoConfig: Record<string, string>;
  readonly events: number;
  readonly batch: number;
  readonly taskCounts: readonly number[];
  readonly latencies: readonly number[];
}

export async function runMatrix(
  e: PlatformEndpoints,
  client: ReceiverClient,
  plan: MatrixPlan,
  log: (line: string) => void,
): Promise<Cell[]> {
  const cells: Cell[] = [];
  const id = Date.now().toString(36);
  const ours = (tasks: number): Record<string, string> => ({
    "connector.class": e.httpSinkConnectorClass,
    "tasks.max": String(tasks),
    "batch.max.size": String(plan.batch),
    "batch.json.as.array": "true",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": "false",
    "consumer.override.max.poll.records": "500",
  });
  const demo: Record<string, string> = {
    ...plan.demoConfig,
    "confluent.topic.bootstrap.servers": e.kafkaBootstrap,
    "errors.deadletterqueue.topic.name": `bench-sink-${id}-demo-dlq`,
  };
  const runs: { label: string; config: Record<string, string>; partitions: number }[] = [];
  for (const tasks of plan.taskCounts) {
    runs.push({ label: `bench ${tasks}t`, config: ours(tasks), partitions: plan.partitions });
  }
  runs.push({ label: "demo", config: demo, partitions: plan.demoPartitions });
  for (const latencyMs of plan.latencies) {
    for (const run of runs) {
      const name = `bench-sink-${id}-${run.label.replace(/\W+/g, "")}-l${latencyMs}`;
      const delivery = await deliver(e, client, name, run.config, run.partitions, plan.events, () =>
        client.latency(latencyMs),
      );
      const cell: Cell = {
        label: run.label,
        tasks: Number(run.config["tasks.max"]),
        partitions: run.partitions,
        latencyMs,
        batch: Number(run.config["batch.max.size"]),
        delivery,
      };
      cells.push(cell);
      log(
        `${cell.label} latency=${latencyMs}ms: ${fmt(rate(delivery))} events/s ` +
          `(${fmt(delivery.requests)} requests)`,
      );
    }
  }
  return cells;
}

const pad = (text: string, width: number) => text.padStart(width);

/** The table: one row per cell, then what the columns mean. */
export function matrixTable(cells: readonly Cell[]): string[] {
  const head = [
    "settings",
    "tasks",
    "parts",
    "lat ms",
    "batch",
    "events/s",
    "whole",
    "bound",
    "meas/bound",
    "vs 1 task",
    "ev/req",
    "bound@ev/req",
    "ms/req/task",
    "cores used",
    "connect",
    "receiver",
    "broker",
  ];
  const rows = cells.map((c) => {
    const d = c.delivery;
    const measured = rate(d);
    const b = bound(c);
    const one = cells.find(
      (o) => o.label.startsWith("bench") && o.tasks === 1 && o.latencyMs === c.latencyMs,
    );
    const perRequest = d.events / d.requests;
    const active = Math.min(c.tasks, c.partitions);
    const atMean = c.latencyMs > 0 ? (active * perRequest * 1000) / c.latencyMs : undefined;
    const cores = (name: string) => (d.cpu[name] ?? 0) / d.cpuWallSeconds;
    const total = Object.values(d.cpu).reduce((n, s) => n + s, 0) / d.cpuWallSeconds;
    return [
      c.label,
      String(c.tasks),
      String(c.partitions),
      String(c.latencyMs),
      String(c.batch),
      fmt(measured),
      fmt(windowRate(d)),
      b === undefined ? "none" : fmt(b),
      b === undefined ? "-" : fmt(measured / b, 2),
      one ? `x${fmt(measured / rate(one.delivery), 2)}` : "-",
      fmt(perRequest, 1),
      atMean === undefined ? "none" : fmt(atMean),
      fmt((active * d.steady.ms) / Math.max(1, d.steady.requests), 1),
      fmt(total, 2),
      fmt(cores("connect"), 2),
      fmt(cores("receiver"), 2),
      fmt(cores("broker"), 2),
    ];
  });
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cols: string[]) => cols.map((col, i) => pad(col, widths[i])).join("  ");
  return [
    line(head),
    ...rows.map(line),
    "",
    "events/s: from 10% to 90% of the events' arrival (tasks started and joined); whole: first to",
    "  last arrival. bound = tasks (at most one per partition) x batch.max.size / latency; none at 0 ms.",
    "bound@ev/req = the same with the events per request measured (a poll splits by partition,",
    "  so requests can hold fewer than batch.max.size). ms/req/task = tasks x time / requests (10-90%):",
    "  what one request cost a task, the receiver's delay included.",
    `cores used = CPU seconds of the platform's processes / wall seconds; the machine has ${cpus().length}`,
    "  cores, shared with anything else running on it. From the resume to seeing the last request",
    "  (polled every 0.2 s); the receiver's share includes answering this benchmark's polls.",
  ];
}
