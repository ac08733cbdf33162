import { GENERATOR } from "../../../bench/load/cpuMeter";
import { StepFigures, verdict } from "../../../bench/load/verdict";

/** A step that kept up: 5,000 events/s asked, offered and delivered, CPU to spare. */
const kept: StepFigures = {
  target: 5000,
  offered: 5000,
  delivered: 4990,
  windowOffered: 5000,
  windowDelivered: 4995,
  requests: 1000,
  failedRequests: 0,
  lateOrLost: 0,
  slotBound: 0,
  cores: {
    processes: { [GENERATOR]: 0.3, "rest-proxy": 0.3, broker: 0.4, connect: 0.5, receiver: 0.2 },
    machine: 1.8,
    machineCores: 2,
    seconds: 30,
  },
};
const withCores = (processes: Record<string, number>, machine: number): StepFigures => ({
  ...kept,
  cores: { ...kept.cores, processes: { ...kept.cores.processes, ...processes }, machine },
});

describe("bench:load's verdict of a step", () => {
  it("calls a step sustained only when offer, delivery and the drain all keep up", () => {
    expect(verdict(kept)).toEqual({ sustained: true, reasons: [] });
    const backlog = verdict({ ...kept, windowDelivered: 4000 });
    expect(backlog.sustained).toBe(false);
    expect(backlog.reasons[0]).toMatch(/backlog grew/);
    expect(verdict({ ...kept, lateOrLost: 3 }).reasons).toEqual([
      "3 events had not arrived 10 s after the step",
    ]);
    expect(verdict({ ...kept, failedRequests: 2 }).reasons[0]).toMatch(/failed 2 of 1,?000/);
  });

  it("names the load generator when it could not offer the rate on a full core", () => {
    const v = verdict({ ...withCores({ [GENERATOR]: 0.95 }, 1.9), offered: 3000 });
    expect(v.saturated).toMatch(/^the load generator/);
  });

  it("names a platform process near a full core before the machine", () => {
    const v = verdict({ ...withCores({ connect: 0.97 }, 1.95), windowDelivered: 3000 });
    expect(v.saturated).toMatch(/^connect \(0\.97 cores, near a full core/);
  });

  it("names the machine when its cores are busy and no process is near a full one", () => {
    const v = verdict({ ...withCores({}, 1.95), windowDelivered: 3000 });
    expect(v.saturated).toMatch(
      /^the machine's CPU .* other processes\); the largest share: connect/,
    );
  });

  it("names the REST proxy's answers when the generator waited on them with CPU to spare", () => {
    const v = verdict({ ...withCores({}, 1.2), offered: 3000, slotBound: 0.8 });
    expect(v.saturated).toMatch(/^the REST proxy's answers, not CPU \(broker at 0\.40 cores/);
  });
});
