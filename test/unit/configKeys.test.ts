import { closestName, editDistance, parseStackConfig } from "../../config";
import { configProblems } from "./mocks";

const minimal = { kafkaBootstrapServers: '["k:9092"]' };

const destinations = (d: Record<string, unknown>) =>
  JSON.stringify([
    { name: "amp", url: "https://collect.example.com/e", topics: ["tracking"], ...d },
  ]);

describe("misspelt settings", () => {
  it("refuses an unknown key of the namespace, naming the setting it is closest to", () => {
    expect(configProblems({ ...minimal, topicPartiton: "3" })).toEqual([
      "topicPartiton: unknown setting; did you mean `topicPartitions`?",
    ]);
  });

  it("says so when no setting is close, and lists each unknown key once", () => {
    expect(configProblems({ ...minimal, colour: "blue", kafkaTLS: "true" })).toEqual([
      "colour: unknown setting; remove it or check the spelling against the README",
      "kafkaTLS: unknown setting; did you mean `kafkaTls`?",
    ]);
  });

  it("suggests a secret key too when the misspelling is of one", () => {
    expect(configProblems({ ...minimal, connectBasicAuthPasword: "x" })).toEqual([
      "connectBasicAuthPasword: unknown setting; did you mean `connectBasicAuthPassword`?",
    ]);
  });

  it("takes the known secret keys and every secret a destination names", () => {
    const raw = {
      ...minimal,
      kafkaSaslPassword: "x",
      connectBasicAuthPassword: "x",
      ampPassword: "x",
      ampKey: "x",
      destinations: destinations({
        auth: { type: "basic", username: "u", passwordSecret: "ampPassword" },
        secretHeaders: { "X-Api-Key": "ampKey" },
      }),
    };
    expect(() => parseStackConfig(raw)).not.toThrow();
  });

  it("does not take a destination's secret for a misspelt setting when the destination is bad", () => {
    const raw = {
      ...minimal,
      ampKey: "x",
      destinations: destinations({ tasksMax: 0, secretHeaders: { "X-Api-Key": "ampKey" } }),
    };
    expect(configProblems(raw)).toEqual([
      "destinations[0].tasksMax: must be a whole number from 1 to 64 (found 0)",
    ]);
  });

  it.each([
    [{ batching: { seperator: "\n" } }, "batching.seperator", "separator"],
    [{ retries: { maxRetrys: 3 } }, "retries.maxRetrys", "maxRetries"],
    [{ timeouts: { requestMS: 10 } }, "timeouts.requestMS", "requestMs"],
    [{ errors: { tolerence: "none" } }, "errors.tolerence", "tolerance"],
    [{ reporter: { enable: true } }, "reporter.enable", "enabled"],
    [{ rateLimit: { maxPollRecord: 10 } }, "rateLimit.maxPollRecord", "maxPollRecords"],
    [{ tasksMAx: 2 }, "tasksMAx", "tasksMax"],
    [
      { auth: { type: "basic", username: "u", passwordSecret: "p", usrname: "x" } },
      "auth.usrname",
      "username",
    ],
  ])("refuses %j inside a destination, with the closest key of that level", (d, key, close) => {
    const problems = configProblems({ ...minimal, destinations: destinations(d) });
    expect(problems).toEqual([
      `destinations[0].${key}: unknown setting; did you mean \`${close}\`?`,
    ]);
  });

  it("passes consumer overrides through: they are Kafka consumer settings, not ours", () => {
    const raw = {
      ...minimal,
      destinations: destinations({ consumerOverrides: { "fetch.max.ms": "1" } }),
    };
    expect(parseStackConfig(raw).destinations[0].consumerOverrides).toEqual({
      "fetch.max.ms": "1",
    });
  });
});

describe("closestName", () => {
  it.each([
    ["kitten", "sitting", 3],
    ["", "abc", 3],
    ["seperator", "separator", 1],
    ["same", "same", 0],
  ])("counts %p to %p as %p edits", (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
  });

  it("offers nothing when every known name is far", () => {
    expect(closestName("colour", ["url", "name", "topics"])).toBeUndefined();
  });
});
