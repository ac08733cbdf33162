import * as pulumi from "@pulumi/pulumi";
import { parseStackConfig } from "../../../config";
import { PRESETS } from "../../../config/presets";
import { httpSinkConfig } from "../../../components/httpSinkConfig";
import { sinkSettingsOf } from "../../../components/sinkSettings";
import { configProblems, promiseOf } from "../mocks";

const minimal = { kafkaBootstrapServers: '["k:9093"]' };
/** A stack with one destination, and the secret its `apiKeySecret` names. */
const stack = (destination: Record<string, unknown>) => ({
  ...minimal,
  ...(typeof destination.apiKeySecret === "string" ? { [destination.apiKeySecret]: "x" } : {}),
  destinations: JSON.stringify([{ name: "a", topics: ["tracking"], ...destination }]),
});

/** The connector config the stack generates for the first destination. */
function connectorOf(destination: Record<string, unknown>) {
  const config = parseStackConfig(stack(destination));
  const secret = (key: string) => pulumi.output(`secret:${key}`);
  return httpSinkConfig(sinkSettingsOf("prod", config, config.destinations[0], 0, secret));
}

describe("destination presets", () => {
  it("fill Amplitude's URL, envelope with the key inside, limits and id member", async () => {
    const { config, secretConfig } = connectorOf({ preset: "amplitude", apiKeySecret: "apiKey" });
    expect(config).toMatchObject({
      "http.api.url": "https://api2.amplitude.com/2/httpapi",
      "batch.max.size": "1000",
      "batch.max.bytes": "1000000",
      "batch.envelope.events.field": "events",
      "batch.envelope.secret.field": "api_key",
      "event.id.field": "id",
      "event.id.target": "insert_id",
      "retry.on.status.codes": "408,429,500-",
    });
    // The envelope replaces the framing, and the key is never a plain value.
    expect(config["batch.prefix"]).toBeUndefined();
    expect(config["batch.suffix"]).toBeUndefined();
    expect(JSON.stringify(config)).not.toContain("secret:apiKey");
    expect(await promiseOf(pulumi.output(secretConfig["batch.envelope.secret"]))).toBe(
      "secret:apiKey",
    );
  });

  it("take a region and let every filled field be overridden", () => {
    const { config } = connectorOf({
      preset: "amplitude",
      region: "eu",
      apiKeySecret: "apiKey",
      batching: { maxSize: 200 },
      eventId: { field: "eventId" },
    });
    expect(config).toMatchObject({
      "http.api.url": "https://api.eu.amplitude.com/2/httpapi",
      "batch.max.size": "200",
      "batch.max.bytes": "1000000",
      "event.id.field": "eventId",
      "event.id.target": "insert_id",
    });
    const own = connectorOf({
      preset: "segment",
      apiKeySecret: "k",
      url: "https://proxy.example.com/b",
    });
    expect(own.config["http.api.url"]).toBe("https://proxy.example.com/b");
  });

  it("give Segment, PostHog and Mixpanel their own envelope, id member and key place", async () => {
    expect(connectorOf({ preset: "segment", apiKeySecret: "k" }).config).toMatchObject({
      "http.api.url": "https://api.segment.io/v1/batch",
      "batch.envelope.events.field": "batch",
      "batch.envelope.secret.field": "writeKey",
      "event.id.target": "messageId",
      "batch.max.bytes": "500000",
    });
    expect(
      connectorOf({ preset: "posthog", region: "eu", apiKeySecret: "k" }).config,
    ).toMatchObject({
      "http.api.url": "https://eu.i.posthog.com/batch/",
      "batch.envelope.events.field": "batch",
      "batch.envelope.secret.field": "api_key",
      "event.id.target": "uuid",
    });
    // Mixpanel: a bare array, the project token as the basic-auth username with no password.
    const mixpanel = connectorOf({ preset: "mixpanel", apiKeySecret: "token" });
    expect(mixpanel.config).toMatchObject({
      "http.api.url": "https://api.mixpanel.com/import?strict=1",
      "batch.prefix": "[",
      "batch.suffix": "]",
      "event.id.target": "properties.$insert_id",
    });
    expect(mixpanel.config["batch.envelope.events.field"]).toBeUndefined();
    const headers = await promiseOf(pulumi.output(mixpanel.secretConfig["headers"]));
    expect(headers).toContain(
      `Authorization:Basic ${Buffer.from("secret:token:").toString("base64")}`,
    );
  });

  it("refuse a setting above the provider's published limit, naming the limit and its page", () => {
    expect(
      configProblems(
        stack({ preset: "amplitude", apiKeySecret: "apiKey", batching: { maxSize: 5000 } }),
      ),
    ).toEqual([
      `destinations[0].batching.maxSize: is 5000, above Amplitude HTTP V2 API's published limit of 2000 events per request (${PRESETS.amplitude.maxEventsPerRequest.source}): set at most 2000 (found 5000)`,
    ]);
    const problems = configProblems(
      stack({
        preset: "segment",
        apiKeySecret: "k",
        batching: { maxBytes: 0 },
        rateLimit: { requestsPerSecond: 5000 },
      }),
    );
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(
      /^destinations\[0\]\.rateLimit\.requestsPerSecond: is 5000, above .*1000 requests a second \(https:\/\/segment\.com/,
    );
    expect(problems[1]).toMatch(
      /^destinations\[0\]\.batching\.maxBytes: is 0 \(no limit\), but .*500000 bytes/,
    );
  });

  it("name what is missing or misplaced", () => {
    expect(configProblems(stack({ preset: "amplitude" }))[0]).toMatch(
      /^destinations\[0\]\.apiKeySecret: is required: `batching.envelope.secretField` "api_key" carries the API key/,
    );
    expect(configProblems(stack({ preset: "mixpanel" }))[0]).toMatch(
      /^destinations\[0\]\.apiKeySecret: is required for Mixpanel/,
    );
    expect(
      configProblems(stack({ preset: "amplitude", region: "mars", apiKeySecret: "k" })),
    ).toEqual([
      'destinations[0].region: must be one of "us", "eu" for Amplitude HTTP V2 API (or give `url`) (found "mars")',
    ]);
    expect(configProblems(stack({ preset: "webhook" }))).toEqual([
      "destinations[0].url: is required: a generic JSON webhook has no URL of its own (found nothing)",
    ]);
    expect(
      configProblems(
        stack({ preset: "amplitude", apiKeySecret: "k", connectorClass: "confluent" }),
      )[0],
    ).toMatch(/is kept only by connectorClass "tracking"/);
    expect(configProblems(stack({ url: "https://h.example.com/", region: "eu" }))[0]).toMatch(
      /^destinations\[0\]\.region: is read only with a `preset`/,
    );
    expect(configProblems(stack({ url: "https://h.example.com/", apiKeySecret: "k" }))[0]).toMatch(
      /^destinations\[0\]\.apiKeySecret: has nowhere to go/,
    );
    expect(configProblems(stack({ preset: "amplify", url: "https://h.example.com/" }))[0]).toMatch(
      /^destinations\[0\]\.preset: must be one of/,
    );
  });

  it("leave a destination without a preset as it was", () => {
    const { config } = connectorOf({ url: "https://collect.example.com/e" });
    expect(config["batch.prefix"]).toBe("[");
    expect(config["batch.max.bytes"]).toBeUndefined();
    expect(config["event.id.target"]).toBeUndefined();
    expect(config["batch.envelope.events.field"]).toBeUndefined();
  });
});
