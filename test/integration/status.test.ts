import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { collectStatus, PipelineStatus, SinkStatus } from "../../status/collect";
import { renderStatus } from "../../status/render";
import { SinkTarget, StatusTarget } from "../../status/target";
import { ROOT } from "../../scripts/pulumiCli";
import { deleteConnector, platformEndpoints, receiver, uniqueName } from "./platform";
import { refusingSink } from "./refusingSink";

/**
 * `npm run status` on the real platform: the figures of each row are the worker's, Kafka's and
 * the receiver's, and a part that does not answer is named with where to look.
 */
const e = platformEndpoints();
const client = receiver();
const connectors: string[] = [];

function target(sinks: SinkTarget[], over: Partial<StatusTarget> = {}): StatusTarget {
  return {
    stack: "it-status",
    connectUrl: e.connectUrl,
    kafkaBootstrap: [e.kafkaBootstrap],
    metricsUrl: e.connectMetricsUrl,
    sinks,
    ...over,
  };
}

/** A sink of ours whose receiver refuses its fourth event (kind "refused") with 400. */
async function sink(label: string, extra: Record<string, string>, deadLetterTopic?: string) {
  const { connector, topic } = await refusingSink(label, extra, (c) =>
    Array.from({ length: 6 }, (_, i) => ({
      id: `${c}-${i}`,
      kind: i === 3 ? "refused" : "page_view",
    })),
  );
  connectors.push(connector);
  const t: SinkTarget = {
    destination: label,
    connector,
    topics: [topic],
    group: `connect-${connector}`,
    deliveredMetric: "tracking",
    ...(deadLetterTopic ? { deadLetterTopic } : {}),
  };
  return t;
}

async function until(
  t: StatusTarget,
  done: (s: PipelineStatus) => boolean,
  ms = 120_000,
): Promise<PipelineStatus> {
  const deadline = Date.now() + ms;
  for (;;) {
    const s = await collectStatus(t);
    if (done(s) || Date.now() > deadline) return s;
    await new Promise((r) => setTimeout(r, 1000));
  }
}

const row = (s: PipelineStatus, destination: string): SinkStatus =>
  s.sinks.find((r) => r.destination === destination)!;

describe("npm run status on the platform", () => {
  afterAll(async () => {
    await client.reject(null);
    for (const n of connectors) await deleteConnector(n);
  });

  it("shows each sink's state, lag, delivered and dead-lettered events as Connect, Kafka and the receiver count them", async () => {
    await client.reject({ status: 400, field: "kind", value: "refused" });
    const dlq = `${uniqueName("status")}.dlq`;
    const dead = await sink(
      "status-dlq",
      {
        "errors.tolerance": "all",
        "errors.deadletterqueue.topic.name": dlq,
        "errors.deadletterqueue.topic.replication.factor": "1",
      },
      dlq,
    );
    const failed = await sink("status-fail", {});
    const missing: SinkTarget = {
      destination: "status-missing",
      connector: uniqueName("status-missing"),
      topics: [dead.topics[0]],
      group: "connect-none",
      deliveredMetric: "tracking",
    };
    const t = target([dead, failed, missing]);
    const s = await until(t, (x) => {
      const d = row(x, "status-dlq");
      const f = row(x, "status-fail");
      return (
        d.lag === 0 && d.delivered === 5 && d.deadLettered === 1 && f.tasks[0]?.state === "FAILED"
      );
    });

    const accepted = (await client.requests()).filter(
      (r) => r.path === `/${dead.connector}` && r.status < 300,
    ).length;
    expect(accepted).toBe(5);
    expect(row(s, "status-dlq")).toEqual({
      destination: "status-dlq",
      connector: dead.connector,
      state: "RUNNING",
      tasks: [{ id: 0, state: "RUNNING" }],
      lag: 0,
      delivered: accepted,
      deadLettered: 1,
    });

    const f = row(s, "status-fail");
    expect([f.state, f.tasks]).toEqual(["RUNNING", [{ id: 0, state: "FAILED" }]]);
    // The refused event and the two after it are not delivered, so not committed.
    expect(f.lag).toBeGreaterThanOrEqual(3);
    // A failed task's own counters go with it; until then they hold what the receiver accepted.
    const acceptedFromFailed = (await client.requests()).filter(
      (r) => r.path === `/${failed.connector}` && r.status < 300,
    ).length;
    expect(acceptedFromFailed).toBe(3);
    expect([undefined, acceptedFromFailed]).toContain(f.delivered);
    expect(f.deadLettered).toBeUndefined();
    expect(f.lastError).toMatch(/^org\.apache\.kafka\.connect\.errors\.\w+Exception/);
    expect(f.lastError!.length).toBeLessThanOrEqual(120);
    expect(f.lastError).not.toContain("\n");

    expect(row(s, "status-missing").state).toBe("MISSING");
    expect(s.problems).toEqual([
      `status-missing: the worker at ${e.connectUrl} has no connector ${missing.connector}; ` +
        "`pulumi up --stack it-status` creates it.",
    ]);

    const text = renderStatus(s);
    expect(text).toMatch(
      new RegExp(
        `^status-dlq\\s+${dead.connector}\\s+RUNNING\\s+1 RUNNING\\s+0\\s+5\\s+1\\s*$`,
        "m",
      ),
    );
    expect(text).toMatch(
      new RegExp(`^status-fail\\s+${failed.connector}\\s+RUNNING\\s+1 FAILED\\s+`, "m"),
    );
  }, 240_000);

  it("names each part that does not answer, and where to look", async () => {
    const closed = "http://127.0.0.1:9";
    const s = await collectStatus(
      target(
        [
          {
            destination: "d",
            connector: "c",
            topics: ["t"],
            group: "connect-c",
            deliveredMetric: "tracking",
          },
        ],
        {
          connectUrl: closed,
          metricsUrl: `${closed}/metrics`,
          kafkaBootstrap: ["127.0.0.1:9"],
        },
      ),
    );
    expect(s.sinks[0]).toMatchObject({ state: "UNKNOWN", tasks: [] });
    expect(s.sinks[0].lag).toBeUndefined();
    expect(s.sinks[0].delivered).toBeUndefined();
    expect(s.problems).toEqual([
      expect.stringContaining(`the Connect REST API at ${closed} does not answer`),
      expect.stringContaining(
        `the metrics endpoint ${closed}/metrics does not answer (ECONNREFUSED)`,
      ),
      expect.stringContaining("Kafka at 127.0.0.1:9 does not answer"),
    ]);
    for (const p of s.problems) expect(p).toMatch(/npm run platform -- status|--connect-url/);
  }, 60_000);

  it("runs as `npm run status -- --json` on the local stack, exit status 0 only when every task runs", () => {
    const run = spawnSync(
      join(ROOT, "node_modules", ".bin", "tsx"),
      ["status/cli.ts", "--stack", "local", "--json"],
      { cwd: ROOT, encoding: "utf8", timeout: 60_000 },
    );
    const status = JSON.parse(run.stdout) as PipelineStatus;
    expect(status.sinks.map((r) => r.connector)).toEqual(["local-receiver-http-sink"]);
    // The platform answers: any problem is the demo's connector not being deployed here.
    for (const p of status.problems)
      expect(p).toContain("has no connector local-receiver-http-sink");
    const healthy =
      status.problems.length === 0 &&
      status.sinks.every(
        (r) => r.state === "RUNNING" && r.tasks.every((t) => t.state === "RUNNING"),
      );
    expect(run.status).toBe(healthy ? 0 : 1);
  }, 90_000);
});
