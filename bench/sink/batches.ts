/**
 * Batch sizes x gzip, one task on a one-partition topic, the receiver answering at once: events/s,
 * requests, bytes on the wire (`Content-Length`, compressed when gzip is on) and before
 * compression, and the worker's CPU seconds per 10k events (its idle rate subtracted).
 */
import type { PlatformEndpoints } from "../../platform";
import type { ReceiverClient } from "../../platform/receiverClient";
import { cpuSeconds, platformPids } from "../cpu";
import { fmt } from "../numbers";
import { Delivery, deliver, rate, sleep } from "./common";

interface Run {
  readonly batch: number;
  readonly gzip: boolean;
  readonly delivery: Delivery;
  readonly cpuPer10k: number;
}

export async function runBatches(
  e: PlatformEndpoints,
  client: ReceiverClient,
  count: number,
  batches: readonly number[],
  log: (line: string) => void,
): Promise<void> {
  const pid = platformPids().connect;
  const idleFrom = cpuSeconds(pid);
  await sleep(5000);
  const idle = (cpuSeconds(pid) - idleFrom) / 5;
  log(`worker idle CPU ${fmt(idle, 3)} s/s`);
  const id = Date.now().toString(36);
  const once = async (batch: number, gzip: boolean): Promise<Run> => {
    const delivery = await deliver(
      e,
      client,
      `bench-sink-${id}-b${batch}${gzip ? "-gz" : ""}-${Math.random().toString(36).slice(2, 6)}`,
      {
        "connector.class": e.httpSinkConnectorClass,
        "tasks.max": "1",
        "batch.max.size": String(batch),
        "batch.json.as.array": "true",
        "request.body.compression": gzip ? "gzip" : "none",
        "value.converter": "org.apache.kafka.connect.json.JsonConverter",
        "value.converter.schemas.enable": "false",
        "consumer.override.max.poll.records": "1000",
      },
      1,
      count,
    );
    const cpu = (delivery.cpu.connect ?? 0) - idle * delivery.cpuWallSeconds;
    return { batch, gzip, delivery, cpuPer10k: (Math.max(0, cpu) * 10_000) / count };
  };
  // One untimed run first, so the worker's JIT has compiled the paths the runs measure.
  await once(Math.max(...batches), true);
  const runs: Run[] = [];
  for (const batch of batches) {
    for (const gzip of [false, true]) {
      const r = await once(batch, gzip);
      const d = r.delivery;
      runs.push(r);
      log(
        `batch=${r.batch} gzip=${r.gzip ? "on " : "off"} events/s=${fmt(rate(d))} ` +
          `(from creation ${fmt((d.events * 1000) / d.totalMs)}) requests=${fmt(d.requests)} ` +
          `wire=${fmt(d.wireBytes)} B plain=${fmt(d.plainBytes)} B ` +
          `(${fmt(d.wireBytes / d.events, 1)} B/event) cpu=${fmt(r.cpuPer10k, 2)} s/10k`,
      );
    }
  }
  const base = runs.find((r) => r.batch === batches[0] && !r.gzip);
  if (!base) return;
  log(`ratios (vs batch=${base.batch} gzip off):`);
  for (const batch of batches) {
    const plain = runs.find((r) => r.batch === batch && !r.gzip);
    const gz = runs.find((r) => r.batch === batch && r.gzip);
    if (!plain || !gz) continue;
    log(
      `batch=${batch} events/s x${fmt(rate(plain.delivery) / rate(base.delivery), 2)} ` +
        `(gzip x${fmt(rate(gz.delivery) / rate(base.delivery), 2)}) ` +
        `gzip wire/plain=${fmt(gz.delivery.wireBytes / plain.delivery.wireBytes, 3)} ` +
        `cpu gzip/plain=${fmt(plain.cpuPer10k > 0 ? gz.cpuPer10k / plain.cpuPer10k : 0, 2)} ` +
        `cpu vs base x${fmt(base.cpuPer10k > 0 ? plain.cpuPer10k / base.cpuPer10k : 0, 2)}`,
    );
  }
}
