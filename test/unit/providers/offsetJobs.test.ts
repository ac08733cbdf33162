import type { SinkOffset } from "../../../providers/connect/client";
import {
  redriveConfig,
  redriveDone,
  redrivePlan,
  redriveProvider,
  replayPlan,
  replayProblems,
  replayProvider,
} from "../../../providers/offsetJobs";
import type { RedriveInputs, ReplayInputs, ReplayOutputs } from "../../../providers/offsetJobs";

const committed = (topic: string, entries: [number, number | null][]): SinkOffset[] =>
  entries.map(([partition, offset]) => ({
    partition: { kafka_topic: topic, kafka_partition: partition },
    offset: offset === null ? null : { kafka_offset: offset },
  }));

describe("replayPlan", () => {
  it("moves committed partitions back to the time's offsets and counts what is sent again", () => {
    const plan = replayPlan(
      "prod.tracking",
      [
        { partition: 0, offset: 40 },
        { partition: 1, offset: 7 },
      ],
      committed("prod.tracking", [
        [0, 100],
        [1, 10],
      ]),
    );
    expect(plan.events).toBe(63);
    expect(plan.offsets).toEqual(
      committed("prod.tracking", [
        [0, 40],
        [1, 7],
      ]),
    );
  });

  it("never moves a partition forward, nor one never committed, nor another topic's", () => {
    const plan = replayPlan(
      "prod.tracking",
      [
        // The connector lags behind the time: moving it to 50 would skip 20..49.
        { partition: 0, offset: 50 },
        // Never committed: it starts where the reset policy says.
        { partition: 1, offset: 3 },
        // Already there.
        { partition: 2, offset: 9 },
      ],
      [
        ...committed("prod.tracking", [
          [0, 20],
          [2, 9],
        ]),
        ...committed("prod.other", [[1, 30]]),
      ],
    );
    expect(plan).toEqual({ offsets: [], events: 0 });
  });
});

describe("redrivePlan", () => {
  it("starts where earlier redrives committed, else at the first offset; stops at the end", () => {
    const plan = redrivePlan(
      "prod.a.dlq",
      [
        { partition: 0, low: 0, high: 12 },
        { partition: 1, low: 5, high: 9 },
        { partition: 2, low: 0, high: 4 },
      ],
      [
        { partition: 0, offset: 10 },
        // Retention removed what the group stood at: from the first offset still there.
        { partition: 1, offset: 2 },
        // Sent back already.
        { partition: 2, offset: 4 },
      ],
    );
    expect(plan.events).toBe(2 + 4);
    expect(plan.pending).toEqual([
      { partition: 0, offset: 12 },
      { partition: 1, offset: 9 },
    ]);
    expect(plan.stopAt).toBe("prod.a.dlq:0:12,prod.a.dlq:1:9,prod.a.dlq:2:4");
  });

  it("starts a partition over when the group stood past its end (the topic was made again)", () => {
    const plan = redrivePlan(
      "d",
      [{ partition: 0, low: 0, high: 5 }],
      [{ partition: 0, offset: 20 }],
    );
    expect(plan.events).toBe(5);
    expect(plan.pending).toEqual([{ partition: 0, offset: 5 }]);
  });

  it("is done only once every pending partition committed its end", () => {
    const pending = [
      { partition: 0, offset: 12 },
      { partition: 1, offset: 9 },
    ];
    expect(redriveDone(pending, committed("d", [[0, 12]]))).toBe(false);
    expect(
      redriveDone(
        pending,
        committed("d", [
          [0, 12],
          [1, 8],
        ]),
      ),
    ).toBe(false);
    expect(
      redriveDone(
        pending,
        committed("d", [
          [0, 12],
          [1, 9],
        ]),
      ),
    ).toBe(true);
  });
});

describe("redriveConfig", () => {
  it("is the destination's config on the dead-letter topic, bounded, under its own name", () => {
    const inputs = {
      connector: "prod-a-http-sink-redrive",
      deadLetterTopic: "prod.a.dlq",
      config: {
        "connector.class": "tracking.connect.http.HttpSinkConnector",
        topics: "prod.tracking",
        "topics.regex": "prod\\..*",
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": "prod.a.dlq",
        "errors.deadletterqueue.topic.replication.factor": "3",
        "behavior.on.error": "fail",
      },
      secretConfig: { "connection.password": "pw" },
    } as unknown as RedriveInputs;
    expect(redriveConfig(inputs, "prod.a.dlq:0:3")).toEqual({
      "connector.class": "tracking.connect.http.HttpSinkConnector",
      "connection.password": "pw",
      // Connect refuses a dead-letter topic the connector reads: refused again fails the task.
      "errors.tolerance": "none",
      "behavior.on.error": "fail",
      name: "prod-a-http-sink-redrive",
      topics: "prod.a.dlq",
      "stop.at.offsets": "prod.a.dlq:0:3",
    });
  });
});

describe("replay and redrive checks", () => {
  const now = new Date("2026-12-02T10:00:00Z");
  const base = {
    setting: "destinations[0].replay",
    jobId: "outage-1",
    from: "2026-12-02T08:00:00Z",
  };

  it("accept a past time and a plain id", () => {
    expect(replayProblems(undefined, base, now)).toEqual([]);
  });

  it("name the setting for a bad id, a bad time or a future time", () => {
    const problems = replayProblems(
      undefined,
      { ...base, jobId: "two words", from: "yesterday" },
      now,
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toContain("`destinations[0].replay.id`");
    expect(problems[1]).toContain("`destinations[0].replay.from` must be an ISO 8601 time");
    expect(replayProblems(undefined, { ...base, from: "2026-12-03T00:00:00Z" }, now)[0]).toContain(
      "is in the future",
    );
  });

  it("refuse a new time under an id already replayed, saying to give a new id", () => {
    const problems = replayProblems(base, { ...base, from: "2026-12-02T07:00:00Z" }, now);
    expect(problems).toEqual([expect.stringContaining("was made already and is never made twice")]);
    expect(problems[0]).toContain("give `destinations[0].replay.id` a new value");
  });

  it("plan nothing for the same id, and a replacement for a new one", async () => {
    const olds = { ...base } as unknown as ReplayOutputs;
    const same = { ...base, topics: ["other"] } as unknown as ReplayInputs;
    expect(await replayProvider.diff!("x", olds, same)).toEqual({
      changes: false,
      replaces: [],
      deleteBeforeReplace: false,
    });
    const next = { ...base, jobId: "outage-2" } as unknown as ReplayInputs;
    expect(await replayProvider.diff!("x", olds, next)).toMatchObject({
      changes: true,
      replaces: ["jobId"],
    });
    expect(await redriveProvider.diff!("x", { jobId: "a" }, { jobId: "a" })).toMatchObject({
      changes: false,
    });
    expect(await redriveProvider.diff!("x", { jobId: "a" }, { jobId: "b" })).toMatchObject({
      changes: true,
      replaces: ["jobId"],
    });
  });

  it("refuse a redrive id that is no word", async () => {
    const result = await redriveProvider.check!(
      {},
      { setting: "destinations[1].redrive", jobId: "" },
    );
    expect(result.failures).toEqual([
      { property: "jobId", reason: expect.stringContaining("`destinations[1].redrive.id`") },
    ]);
  });
});
