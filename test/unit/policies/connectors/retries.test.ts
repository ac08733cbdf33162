import {
  httpSinkRetries,
  missingStatusCodes,
  parseStatusCodes,
} from "../../../../policies/connectors/retries";
import { camelSink, confluentSink, trackingTopic } from "../fixtures";
import { edit, messages, reportsEach } from "../harness";

describe("http-sink-retries", () => {
  it("passes both connector classes with bounded retries, a backoff and 429/5xx retried", async () => {
    expect(await messages(httpSinkRetries, confluentSink)).toEqual([]);
    expect(await messages(httpSinkRetries, camelSink)).toEqual([]);
  });

  it("ignores resources that are not HTTP sinks", async () => {
    expect(await messages(httpSinkRetries, trackingTopic)).toEqual([]);
  });

  reportsEach(httpSinkRetries, [
    [
      "max.retries 0",
      confluentSink,
      (p) => (p.config["max.retries"] = "0"),
      "`max.retries` is 0 on connector prod-analytics-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "max.retries above the ceiling",
      confluentSink,
      (p) => (p.config["max.retries"] = "100"),
      "`max.retries` is 100 on connector prod-analytics-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "a backoff below the floor",
      confluentSink,
      (p) => (p.config["retry.backoff.ms"] = "10"),
      "`retry.backoff.ms` is 10 on connector prod-analytics-http-sink; it must be at least 500 ms, or retries hammer a provider that is already failing or rate-limiting us.",
    ],
    [
      "429 not retried",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "408,500-"),
      '`retry.on.status.codes` is "408,500-" on connector prod-analytics-http-sink; it must include 429 and 500-599 but misses 429, or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "part of 5xx not retried",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "429,500-502"),
      '`retry.on.status.codes` is "429,500-502" on connector prod-analytics-http-sink; it must include 429 and 500-599 but misses 503-599, or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "malformed status codes",
      confluentSink,
      (p) => (p.config["retry.on.status.codes"] = "all"),
      '`retry.on.status.codes` is "all" on connector prod-analytics-http-sink; it must include 429 and 500-599 (codes and ranges such as "408,429,500-"), or a rate-limited or briefly failing provider loses events.',
    ],
    [
      "Camel redeliveries left at the class default",
      camelSink,
      (p) => delete p.config["camel.error.handler.max.redeliveries"],
      "`camel.error.handler.max.redeliveries` is unset (connector default 0) on connector prod-receiver-http-sink; it must be between 3 and 50: fewer lose events on a single 503 from the analytics provider, more hold the partition behind a request that will not succeed.",
    ],
    [
      "a Camel redelivery delay below the floor",
      camelSink,
      (p) => (p.config["camel.error.handler.redelivery.delay"] = "0"),
      "`camel.error.handler.redelivery.delay` is 0 on connector prod-receiver-http-sink; it must be at least 500 ms, or retries hammer a provider that is already failing or rate-limiting us.",
    ],
  ]);

  it("takes its thresholds from the policy config", async () => {
    const sink = edit(confluentSink, (p) => (p.config["max.retries"] = "2"));
    expect(await messages(httpSinkRetries, sink, { minRetries: 1 })).toEqual([]);
  });

  it("judges unset Confluent keys by the class defaults (10 retries, 3000 ms, 400-)", async () => {
    const sink = edit(confluentSink, (p) => {
      delete p.config["max.retries"];
      delete p.config["retry.backoff.ms"];
      delete p.config["retry.on.status.codes"];
    });
    expect(await messages(httpSinkRetries, sink)).toEqual([]);
  });

  it("parses status code lists and names the codes they miss", () => {
    expect(parseStatusCodes("408,429,500-")).toEqual([
      [408, 408],
      [429, 429],
      [500, 999],
    ]);
    expect(parseStatusCodes("500-400")).toBeUndefined();
    expect(missingStatusCodes(parseStatusCodes("429,500,502-503")!, [[500, 599]])).toEqual([
      "501",
      "504-599",
    ]);
  });
});
