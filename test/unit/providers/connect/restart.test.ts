import {
  DEFAULT_RESTART_POLICY,
  MAX_BACKOFF_MINUTES,
  planRestart,
  restartBackoffMinutes,
} from "../../../../providers/connect/restart";

describe("restart policy: Strimzi's backoff", () => {
  const policy = { type: "on-failure", maxRestarts: 3 } as const;
  const at = (minutes: number) => new Date(Date.UTC(2025, 0, 1, 0, minutes));

  it("defaults to on-failure with 10 restarts", () => {
    expect(DEFAULT_RESTART_POLICY).toEqual({ type: "on-failure", maxRestarts: 10 });
  });

  it("waits min(n*n + n, 60) minutes after the n-th restart", () => {
    expect([0, 1, 2, 3, 4, 7, 8, 20].map(restartBackoffMinutes)).toEqual([
      0, 2, 6, 12, 20, 56, 60, 60,
    ]);
    expect(MAX_BACKOFF_MINUTES).toBe(60);
  });

  it("restarts a failed connector at once the first time", () => {
    expect(planRestart(policy, { restarts: 0, lastRestartAt: "" }, true, at(0))).toEqual({
      action: "restart",
      book: { restarts: 1, lastRestartAt: at(0).toISOString() },
    });
  });

  it("waits for the backoff before the next restart", () => {
    const book = { restarts: 1, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, true, at(1))).toEqual({
      action: "wait",
      book,
      notBefore: at(2).toISOString(),
    });
    expect(planRestart(policy, book, true, at(2))).toMatchObject({
      action: "restart",
      book: { restarts: 2 },
    });
  });

  it("gives up after maxRestarts, and never restarts under `never`", () => {
    const book = { restarts: 3, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, true, at(600))).toMatchObject({ action: "give-up" });
    expect(
      planRestart(
        { type: "never", maxRestarts: 3 },
        { restarts: 0, lastRestartAt: "" },
        true,
        at(0),
      ),
    ).toMatchObject({ action: "give-up", reason: "the restart policy is `never`" });
  });

  it("resets the count once the connector has run for the current backoff", () => {
    const book = { restarts: 2, lastRestartAt: at(0).toISOString() };
    expect(planRestart(policy, book, false, at(5)).book.restarts).toBe(2);
    expect(planRestart(policy, book, false, at(6)).book).toEqual({
      restarts: 0,
      lastRestartAt: at(0).toISOString(),
    });
  });
});
