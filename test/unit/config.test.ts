import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { configKeys, parseStackConfig, stackConfigSchema } from "../../config";
import { configProblems as problemsOf, ROOT, stackConfig } from "./mocks";

const minimal = { kafkaBootstrapServers: '["k:9092"]' };

const destination = (extra: Record<string, unknown> = {}) => ({
  name: "amp",
  url: "https://collect.example.com/e",
  topics: ["tracking"],
  ...extra,
});

describe("stack configuration", () => {
  interface Declared {
    type: string;
    default?: unknown;
    description?: string;
  }
  const project = parse(fs.readFileSync(path.join(ROOT, "Pulumi.yaml"), "utf8")) as {
    config: Record<string, Declared>;
  };

  it("declares every scalar and list setting in Pulumi.yaml with a type and description", () => {
    const declared = Object.keys(project.config).sort();
    expect(declared).toEqual(configKeys.filter((k) => k !== "destinations").sort());
    for (const [key, decl] of Object.entries(project.config)) {
      expect([key, typeof decl.description]).toEqual([key, "string"]);
      expect(["string", "integer", "boolean", "array"]).toContain(decl.type);
    }
  });

  it("documents every setting in the README's configuration reference", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    // A table row of its own: "| `key` | type | default | description |".
    const undocumented = configKeys.filter(
      (k) => !new RegExp(`^\\| \`${k}\` +\\|`, "m").test(readme),
    );
    expect(undocumented).toEqual(["destinations"]);
  });

  it("applies the same defaults as Pulumi.yaml declares", () => {
    const parsed = parseStackConfig(minimal) as Record<string, unknown>;
    for (const [key, decl] of Object.entries(project.config)) {
      if (!("default" in decl)) continue;
      expect([key, parsed[key]]).toEqual([key, decl.default]);
    }
  });

  it("requires kafkaBootstrapServers, naming it", () => {
    expect(problemsOf({})).toEqual([
      'kafkaBootstrapServers: must list at least one "host:port" (found nothing)',
    ]);
  });

  it("rejects a batch size of 0 with the key, the value and the allowed range", () => {
    const problems = problemsOf({
      ...minimal,
      connectUrl: "http://c:8083",
      destinations: JSON.stringify([destination({ batching: { maxSize: 0 } })]),
    });
    expect(problems).toEqual([
      "destinations[0].batching.maxSize: must be a whole number from 1 to 5000 (found 0)",
    ]);
  });

  it("rejects replicas of -1", () => {
    expect(problemsOf({ ...minimal, restProxyReplicas: "-1" })).toEqual([
      "restProxyReplicas: must be a whole number from 1 to 50 (found -1)",
    ]);
  });

  it("rejects a destination URL that is not a URL", () => {
    const problems = problemsOf({
      ...minimal,
      destinations: JSON.stringify([destination({ url: "collect.example.com" })]),
    });
    expect(problems).toEqual([
      'destinations[0].url: must be an absolute http:// or https:// URL (found "collect.example.com")',
    ]);
  });

  it("lists every problem at once, each prefixed by the project namespace", () => {
    let message = "";
    try {
      parseStackConfig({ ...minimal, topicPartitions: "0", kafkaTls: "yes" });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain("Invalid stack configuration (2 problems)");
    expect(message).toContain(
      "tracking-pipeline:topicPartitions: must be a whole number from 1 to 1000 (found 0)",
    );
    expect(message).toContain('tracking-pipeline:kafkaTls: must be true or false (found "yes")');
    expect(message).toContain("pulumi config set");
  });

  it("rejects min.insync.replicas above the replication factor", () => {
    expect(
      problemsOf({ ...minimal, topicReplicationFactor: "2", topicMinInsyncReplicas: "3" }),
    ).toEqual([
      "topicMinInsyncReplicas: must not exceed `topicReplicationFactor` (2), or producers with acks=all are refused (found 3)",
    ]);
  });

  it("requires connectUrl when Kubernetes is off", () => {
    expect(problemsOf({ ...minimal, kubernetesEnabled: "false" })).toEqual([
      'connectUrl: must be set when `kubernetesEnabled` is false: the connectors need an existing Connect REST API (found "")',
    ]);
  });

  it("requires a registry when the Connect image is built", () => {
    expect(problemsOf({ ...minimal, connectImageBuild: "true" })).toEqual([
      'connectImageRegistry: must be set when `connectImageBuild` is true: the built image is pushed there (found "")',
    ]);
  });

  it("rejects a destination topic the stack does not declare", () => {
    expect(
      problemsOf({
        ...minimal,
        destinations: JSON.stringify([destination({ topics: ["orders"] })]),
      }),
    ).toEqual([
      'destinations[0].topics[0]: must be one of the stack\'s `topics` (tracking) (found "orders")',
    ]);
  });

  it("rejects duplicate destination names", () => {
    expect(
      problemsOf({ ...minimal, destinations: JSON.stringify([destination(), destination()]) }),
    ).toEqual(['destinations[1].name: must be unique across destinations (found "amp")']);
  });

  it("rejects error tolerance all without a dead-letter topic", () => {
    expect(
      problemsOf({
        ...minimal,
        destinations: JSON.stringify([destination({ errors: { deadLetterTopic: false } })]),
      }),
    ).toEqual([
      'destinations[0].errors.deadLetterTopic: must be true when `errors.tolerance` is "all", or failed events would be silently dropped (found false)',
    ]);
  });

  it("rejects OAuth2 with the camel connector class", () => {
    const auth = {
      type: "oauth2",
      tokenUrl: "https://auth.example.com/t",
      clientId: "c",
      clientSecretSecret: "s",
    };
    expect(
      problemsOf({
        ...minimal,
        destinations: JSON.stringify([destination({ connectorClass: "camel", auth })]),
      }),
    ).toEqual([
      'destinations[0].auth.type: is "oauth2", which the camel connector class does not support; use "basic", "none" or connectorClass "confluent" (found "oauth2")',
    ]);
  });

  it("rejects reporter topics with our connector class, naming the setting", () => {
    const reporter = { enabled: true };
    expect(
      problemsOf({ ...minimal, destinations: JSON.stringify([destination({ reporter })]) }),
    ).toEqual([
      `destinations[0].reporter.enabled: is true, but reporter topics are written by Confluent's connector only; connectorClass "tracking" sends refused requests to the dead-letter topic instead. Disable the reporter or set connectorClass "confluent" (found true)`,
    ]);
    const confluent = parseStackConfig({
      ...minimal,
      destinations: JSON.stringify([destination({ reporter, connectorClass: "confluent" })]),
    });
    expect(confluent.destinations[0].reporter.enabled).toBe(true);
  });

  it("rejects an unknown key inside a destination, naming it", () => {
    expect(
      problemsOf({ ...minimal, destinations: JSON.stringify([destination({ colour: "blue" })]) }),
    ).toEqual([
      "destinations[0].colour: unknown setting; remove it or check the spelling against the README",
    ]);
  });

  it("rejects an unknown auth type", () => {
    const problems = problemsOf({
      ...minimal,
      destinations: JSON.stringify([destination({ auth: { type: "digest" } })]),
    });
    expect(problems).toEqual([
      'destinations[0].auth.type: must have `type` "none", "basic" or "oauth2" (found "digest")',
    ]);
  });

  it("fills every default of a destination", () => {
    const parsed = parseStackConfig({ ...minimal, destinations: JSON.stringify([destination()]) });
    expect(parsed.destinations[0]).toMatchObject({
      method: "POST",
      connectorClass: "tracking",
      tasksMax: 3,
      state: "RUNNING",
      batching: { maxSize: 500, prefix: "[", suffix: "]", separator: ",", jsonArray: false },
      retries: {
        maxRetries: 10,
        backoffMs: 3000,
        backoffPolicy: "exponential-with-jitter",
        retryOnStatusCodes: "408,429,500-",
      },
      auth: { type: "none" },
      errors: { tolerance: "all", deadLetterTopic: true },
      rateLimit: { maxPollRecords: 500 },
    });
  });

  it.each(["dev", "prod", "local"])("accepts the %s stack file", (stack) => {
    const parsed = stackConfigSchema.parse(
      Object.fromEntries(
        Object.entries(stackConfig(stack)).map(([k, v]) => [
          k,
          typeof v === "string" ? v : JSON.stringify(v),
        ]),
      ),
    );
    expect(parsed.destinations.length).toBeGreaterThan(0);
  });

  it("keeps environment differences in the stack files", () => {
    const dev = stackConfig("dev");
    const prod = stackConfig("prod");
    expect(dev.topicReplicationFactor).toBe(2);
    expect(prod.topicReplicationFactor).toBe(3);
    expect(prod.restProxyReplicas).toBe(3);
  });
});
