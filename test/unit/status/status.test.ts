import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { firstLine, PipelineStatus } from "../../../status/collect";
import { renderStatus, taskSummary } from "../../../status/render";
import { targetFromStack } from "../../../status/target";
import { ROOT } from "../mocks";

describe("npm run status: the stack's target", () => {
  it("points the local stack at the platform's ports and its worker's metrics", () => {
    const t = targetFromStack(
      ROOT,
      "local",
      {},
      {
        TRACKING_PLATFORM_CONNECT_PORT: "28083",
        TRACKING_PLATFORM_KAFKA_PORT: "29092",
      },
    );
    expect(t).toEqual({
      stack: "local",
      connectUrl: "http://127.0.0.1:28083",
      kafkaBootstrap: ["127.0.0.1:29092"],
      metricsUrl: "http://127.0.0.1:18084/metrics",
      sinks: [
        {
          destination: "receiver",
          connector: "local-receiver-http-sink",
          topics: ["local.tracking"],
          group: "connect-local-receiver-http-sink",
          deliveredMetric: "tracking",
          deadLetterTopic: "local.receiver.dlq",
        },
      ],
    });
  });

  it("names the dead-letter topic of a destination that has one, and takes the options first", () => {
    const dir = mkdtempSync(join(tmpdir(), "status-target-"));
    try {
      writeFileSync(
        join(dir, "Pulumi.qa.yaml"),
        [
          "config:",
          "  tracking-pipeline:environment: qa",
          "  tracking-pipeline:kafkaBootstrapServers: [k1:9092, k2:9092]",
          "  tracking-pipeline:kubernetesEnabled: false",
          "  tracking-pipeline:topics: [tracking, orders]",
          "  tracking-pipeline:connectUrl: http://connect.qa:8083/",
          "  tracking-pipeline:restProxyUrl: http://rest.qa:8082",
          "  tracking-pipeline:destinations:",
          "    - name: amp",
          "      url: https://collect.example.com/e",
          "      topics: [tracking, orders]",
          "      errors: { tolerance: all, deadLetterTopic: true }",
          "    - name: crm",
          "      url: https://crm.example.com/e",
          "      connectorClass: confluent",
          "      topics: [orders]",
          "      errors: { tolerance: none, deadLetterTopic: false }",
          "",
        ].join("\n"),
      );
      const t = targetFromStack(dir, "qa");
      expect(t.connectUrl).toBe("http://connect.qa:8083");
      expect(t.metricsUrl).toBeUndefined();
      expect(t.kafkaBootstrap).toEqual(["k1:9092", "k2:9092"]);
      expect(t.sinks).toEqual([
        {
          destination: "amp",
          connector: "qa-amp-http-sink",
          topics: ["qa.tracking", "qa.orders"],
          group: "connect-qa-amp-http-sink",
          deliveredMetric: "tracking",
          deadLetterTopic: "qa.amp.dlq",
        },
        // Confluent's connector has no delivered count of its own: Connect's sent records.
        {
          destination: "crm",
          connector: "qa-crm-http-sink",
          topics: ["qa.orders"],
          group: "connect-qa-crm-http-sink",
          deliveredMetric: "connect",
        },
      ]);
      const over = targetFromStack(dir, "qa", {
        connectUrl: "http://127.0.0.1:8083",
        metricsUrl: "http://127.0.0.1:9404/metrics",
        kafkaBootstrap: ["127.0.0.1:9092"],
      });
      expect([over.connectUrl, over.metricsUrl, over.kafkaBootstrap]).toEqual([
        "http://127.0.0.1:8083",
        "http://127.0.0.1:9404/metrics",
        ["127.0.0.1:9092"],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("says why it does not ask a secured Kafka, and how to reach an in-cluster Connect", () => {
    expect(() => targetFromStack(ROOT, "prod")).toThrow(
      /connectUrl is empty .*kubectl port-forward .*--connect-url/,
    );
    const t = targetFromStack(ROOT, "prod", { connectUrl: "http://127.0.0.1:8083" });
    expect(t.kafkaUnavailable).toMatch(/TLS or SASL/);
  });

  it("names the stack file it could not find", () => {
    expect(() => targetFromStack(ROOT, "nope")).toThrow(
      /No stack file .*Pulumi\.nope\.yaml: pass --stack/,
    );
  });
});

describe("npm run status: the view", () => {
  const status: PipelineStatus = {
    stack: "local",
    at: "2026-12-01T00:00:00.000Z",
    sinks: [
      {
        destination: "receiver",
        connector: "local-receiver-http-sink",
        state: "RUNNING",
        tasks: [
          { id: 0, state: "RUNNING" },
          { id: 1, state: "FAILED" },
          { id: 2, state: "RUNNING" },
        ],
        lag: 12,
        delivered: 340,
        deadLettered: 2,
        lastError: "org.apache.kafka.connect.errors.ConnectException: HTTP 400",
      },
      { destination: "crm", connector: "local-crm-http-sink", state: "MISSING", tasks: [] },
    ],
    problems: ["crm: the worker has no connector"],
  };

  it("prints one aligned row per destination, '-' for what it could not read, then the problems", () => {
    expect(renderStatus(status).split("\n")).toEqual([
      "stack local at 2026-12-01T00:00:00.000Z",
      "DESTINATION  CONNECTOR                 STATE    TASKS                LAG  DELIVERED  DEAD-LETTERED  LAST ERROR",
      "receiver     local-receiver-http-sink  RUNNING  2 RUNNING, 1 FAILED  12   340        2              org.apache.kafka.connect.errors.ConnectException: HTTP 400",
      "crm          local-crm-http-sink       MISSING  -                    -    -          -",
      "! crm: the worker has no connector",
      "",
    ]);
  });

  it("counts tasks by state", () => {
    expect(taskSummary([])).toBe("-");
    expect(
      taskSummary([
        { id: 0, state: "RUNNING" },
        { id: 1, state: "RUNNING" },
      ]),
    ).toBe("2 RUNNING");
  });

  it("keeps a trace's first line, at most 120 characters", () => {
    expect(firstLine("org.Foo: bad\n\tat x.y(z)")).toBe("org.Foo: bad");
    const long = firstLine(`E: ${"x".repeat(300)}`);
    expect(long).toHaveLength(120);
    expect(long.endsWith("…")).toBe(true);
  });
});
