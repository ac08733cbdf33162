import { parseStackConfig } from "../../../config";
import { accessPlan } from "../../../components/kafkaAccess";
import { kafkaAccessArgsOf } from "../../../components/pipelineKafka";
import { configProblems } from "../mocks";

const stack = (destination: Record<string, unknown>, extra: Record<string, string> = {}) => ({
  kafkaBootstrapServers: '["k:9093"]',
  ...extra,
  destinations: JSON.stringify([
    { name: "a", url: "https://collect.example.com/e", topics: ["tracking"], ...destination },
  ]),
});

describe("destinations[].replay and .redrive", () => {
  it("parse with a past ISO time and plain ids", () => {
    const config = parseStackConfig(
      stack({ replay: { from: "2026-11-30T09:30:00Z", id: "outage-1" }, redrive: { id: "fix-1" } }),
    );
    expect(config.destinations[0].replay).toEqual({
      from: "2026-11-30T09:30:00.000Z",
      id: "outage-1",
    });
    expect(config.destinations[0].redrive).toEqual({ id: "fix-1" });
  });

  it("read a time as ISO 8601 or as the CLI passes an unquoted YAML timestamp, kept as UTC ISO", () => {
    const from = (value: string) =>
      parseStackConfig(stack({ replay: { from: value, id: "x" } })).destinations[0].replay?.from;
    expect(from("2026-11-30T09:30:00Z")).toBe("2026-11-30T09:30:00.000Z");
    expect(from("2026-11-30T10:30:00+01:00")).toBe("2026-11-30T09:30:00.000Z");
    // `from: 2026-11-30T09:30:00.5Z` unquoted in Pulumi.<stack>.yaml reaches the program so.
    expect(from("2026-11-30 09:30:00.5 +0000 UTC")).toBe("2026-11-30T09:30:00.500Z");
    expect(from("2026-11-30 10:30:00 +0100 CET")).toBe("2026-11-30T09:30:00.000Z");
  });

  it("refuse what cannot run, naming the setting and the fix", () => {
    const problems = configProblems(
      stack({
        connectorClass: "camel",
        errors: { tolerance: "none", deadLetterTopic: false },
        replay: { from: "2999-01-01T00:00:00Z", id: "later" },
        redrive: { id: "r 1" },
      }),
    ).join("\n");
    expect(problems).toContain("destinations[0].redrive.id");
    expect(problems).toMatch(/destinations\[0\]\.replay\.from.*is in the future/);
    const noDlq = configProblems(
      stack({ errors: { tolerance: "none", deadLetterTopic: false }, redrive: { id: "r1" } }),
    ).join("\n");
    expect(noDlq).toMatch(/destinations\[0\]\.redrive.*`errors\.deadLetterTopic` is false/);
    const camel = configProblems(stack({ connectorClass: "camel", redrive: { id: "r1" } })).join(
      "\n",
    );
    expect(camel).toMatch(/destinations\[0\]\.redrive.*set connectorClass "tracking"/);
    expect(configProblems(stack({ replay: { from: "last tuesday", id: "x" } })).join("\n")).toMatch(
      /destinations\[0\]\.replay\.from.*ISO 8601/,
    );
  });

  it("grant the sink's principal a read of its dead-letter topic and the redrive's group", () => {
    const config = parseStackConfig(
      stack(
        { redrive: { id: "fix-1" } },
        {
          kafkaSaslMechanism: "scram-sha512",
          kafkaSaslUsername: "admin",
          kafkaTls: "true",
          kafkaSaslPassword: "x",
          kafkaRestProxyUsername: "rest-proxy",
          kafkaRestProxyPassword: "x",
          kafkaConnectUsername: "connect",
          kafkaConnectPassword: "x",
        },
      ),
    );
    const grants = accessPlan(
      kafkaAccessArgsOf(
        "prod",
        config,
        () => "x",
        (d) => `prod-${d}-http-sink`,
      ),
    )
      .map((g) => `${g.principal} ${g.resourceType}:${g.resourceName} ${g.operation}`)
      .filter((line) => /dlq|redrive/.test(line));
    expect(grants).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Topic:prod\.a\.dlq Read$/),
        expect.stringMatching(/Group:connect-prod-a-http-sink-redrive Read$/),
      ]),
    );
  });
});
