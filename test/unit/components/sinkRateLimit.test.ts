import { httpSinkConfig } from "../../../components/httpSinkConnector";
import { rateLimitKeys } from "../../../components/sinkRateLimit";
import { configProblems } from "../mocks";

const base = {
  connectorName: "dev-amp-http-sink",
  topics: ["dev.tracking"],
  url: "https://collect.example.com/e",
  kafkaBootstrapServers: ["k:9092"],
  errors: { deadLetterTopic: "dev.amp.dlq" },
};

describe("a destination's request limits", () => {
  it("become our connector's exact shared limits", () => {
    const mapped = httpSinkConfig({
      ...base,
      requestRate: { requestsPerSecond: 2.5, eventsPerSecond: 1000 },
    });
    expect(mapped.config).toMatchObject({
      "request.rate.limit.per.second": "2.5",
      "request.rate.limit.events.per.second": "1000",
    });
  });

  it("set no key when unset", () => {
    const mapped = httpSinkConfig({ ...base, requestRate: {} });
    expect(Object.keys(mapped.config).filter((k) => k.startsWith("request.rate"))).toEqual([]);
  });

  it("are refused for a class that cannot keep them", () => {
    expect(() => rateLimitKeys("confluent", { requestsPerSecond: 5 })).toThrow(
      /kept only by connectorClass "tracking"; "confluent" has no request limit/,
    );
  });

  it("are refused at config time for Confluent's class, naming the setting", () => {
    const problems = configProblems({
      kafkaBootstrapServers: '["k:9092"]',
      kubernetesEnabled: "false",
      connectUrl: "http://c:8083",
      destinations: JSON.stringify([
        {
          name: "amp",
          url: "https://collect.example.com/e",
          topics: ["tracking"],
          connectorClass: "confluent",
          rateLimit: { requestsPerSecond: 5 },
        },
      ]),
    });
    expect(problems.join("\n")).toMatch(
      /destinations\[0\]\.rateLimit\.requestsPerSecond.*kept only by connectorClass "tracking"/,
    );
  });

  it("must be above zero", () => {
    const problems = configProblems({
      kafkaBootstrapServers: '["k:9092"]',
      kubernetesEnabled: "false",
      connectUrl: "http://c:8083",
      destinations: JSON.stringify([
        {
          name: "amp",
          url: "https://collect.example.com/e",
          topics: ["tracking"],
          rateLimit: { eventsPerSecond: 0 },
        },
      ]),
    });
    expect(problems.join("\n")).toMatch(/destinations\[0\]\.rateLimit\.eventsPerSecond.*above 0/);
  });
});
