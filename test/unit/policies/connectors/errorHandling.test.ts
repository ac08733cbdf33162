import {
  connectorNoPayloadLogging,
  httpSinkErrorHandling,
} from "../../../../policies/connectors/errorHandling";
import { camelSink, confluentSink } from "../fixtures";
import { edit, messages, reportsEach, UNKNOWN } from "../harness";

describe("http-sink-error-handling", () => {
  it("passes a sink with a dead-letter topic, failing requests and error logging", async () => {
    expect(await messages(httpSinkErrorHandling, confluentSink)).toEqual([]);
    expect(await messages(httpSinkErrorHandling, camelSink)).toEqual([]);
  });

  reportsEach(httpSinkErrorHandling, [
    [
      "errors.tolerance all without a dead-letter topic",
      confluentSink,
      (p) => delete p.config["errors.deadletterqueue.topic.name"],
      '`errors.tolerance` is "all" on connector prod-analytics-http-sink but `errors.deadletterqueue.topic.name` is unset; set a dead-letter topic or the tolerance to "none", or events that fail are dropped silently.',
    ],
    [
      "behavior.on.error ignore",
      confluentSink,
      (p) => (p.config["behavior.on.error"] = "ignore"),
      '`behavior.on.error` is "ignore" on connector prod-analytics-http-sink; it must be one of fail, log, or requests the provider rejects for good are dropped without a trace.',
    ],
    [
      "error logging off",
      camelSink,
      (p) => (p.config["errors.log.enable"] = "false"),
      '`errors.log.enable` is "false" on connector prod-receiver-http-sink; it must be "true", or failed events leave no trace in the worker log.',
    ],
    [
      "error logging left at the Connect default",
      confluentSink,
      (p) => delete p.config["errors.log.enable"],
      '`errors.log.enable` is unset (connector default false) on connector prod-analytics-http-sink; it must be "true", or failed events leave no trace in the worker log.',
    ],
  ]);

  it("says it cannot judge a value unknown during preview rather than call it unset", async () => {
    const sink = edit(confluentSink, (p) => (p.config["errors.log.enable"] = UNKNOWN));
    expect(await messages(httpSinkErrorHandling, sink)).toEqual([
      "can't run during preview: string value at .config.errors.log.enable can't be known during preview",
    ]);
  });

  it("accepts tolerance none without a dead-letter topic", async () => {
    const sink = edit(confluentSink, (p) => {
      p.config["errors.tolerance"] = "none";
      delete p.config["errors.deadletterqueue.topic.name"];
    });
    expect(await messages(httpSinkErrorHandling, sink)).toEqual([]);
  });
});

describe("connector-no-payload-logging", () => {
  it("passes connectors that keep payloads out of logs, or leave the key at false", async () => {
    expect(await messages(connectorNoPayloadLogging, confluentSink)).toEqual([]);
    const unset = edit(camelSink, (p) => delete p.config["errors.log.include.messages"]);
    expect(await messages(connectorNoPayloadLogging, unset)).toEqual([]);
  });

  it("reports errors.log.include.messages true", async () => {
    const sink = edit(camelSink, (p) => (p.config["errors.log.include.messages"] = "true"));
    expect(await messages(connectorNoPayloadLogging, sink)).toEqual([
      '`errors.log.include.messages` is "true" on connector prod-receiver-http-sink; it must be "false", because tracking events can carry personal data that must not reach worker logs.',
    ]);
  });
});
