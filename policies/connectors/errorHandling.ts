import { list, resourcePolicy, shown } from "../policy";
import { flag, settings, strings } from "../settings";
import { connectorOf, httpSinkOf } from "./connector";

// What a connector does with events that fail: never drop them silently, never log their payload.

interface ErrorHandlingConfig {
  allowedBehaviorOnError: string[];
  requireErrorLog: boolean;
}

const errorHandlingSettings = settings<ErrorHandlingConfig>({
  allowedBehaviorOnError: strings(
    ["fail", "log"],
    "Values `behavior.on.error` may take (Confluent).",
    { enum: ["fail", "log", "ignore"] },
  ),
  requireErrorLog: flag(true, "Whether `errors.log.enable` must be true."),
});

export const httpSinkErrorHandling = resourcePolicy({
  name: "http-sink-error-handling",
  description:
    "Checks that HTTP sink connectors never drop failed events silently: tolerated errors go to a dead-letter topic, failed requests are not ignored, and errors are logged.",
  settings: errorHandlingSettings,
  recognise: httpSinkOf,
  validate: ({ name, flavour, config: cfg }, c, reportViolation) => {
    if (cfg["errors.tolerance"] === "all" && !cfg["errors.deadletterqueue.topic.name"]) {
      reportViolation(
        `\`errors.tolerance\` is "all" on connector ${name} but \`errors.deadletterqueue.topic.name\` is unset; ` +
          `set a dead-letter topic or the tolerance to "none", or events that fail are dropped silently.`,
      );
    }
    if (flavour === "confluent") {
      const behavior = cfg["behavior.on.error"];
      if (!c.allowedBehaviorOnError.includes(behavior ?? "fail")) {
        reportViolation(
          `\`behavior.on.error\` is ${shown(behavior)} on connector ${name}; it must be one of ${list(c.allowedBehaviorOnError)}, ` +
            `or requests the provider rejects for good are dropped without a trace.`,
        );
      }
    }
    if (c.requireErrorLog && cfg["errors.log.enable"] !== "true") {
      reportViolation(
        `\`errors.log.enable\` is ${shown(cfg["errors.log.enable"], "connector default false")} on connector ${name}; ` +
          `it must be "true", or failed events leave no trace in the worker log.`,
      );
    }
  },
});

export const connectorNoPayloadLogging = resourcePolicy({
  name: "connector-no-payload-logging",
  description:
    "Checks that connectors never copy record payloads into worker logs (`errors.log.include.messages`).",
  recognise: connectorOf,
  validate: ({ name, config }, _, reportViolation) => {
    const value = config["errors.log.include.messages"];
    if (value !== undefined && value !== "false") {
      reportViolation(
        `\`errors.log.include.messages\` is ${shown(value)} on connector ${name}; it must be "false", ` +
          `because tracking events can carry personal data that must not reach worker logs.`,
      );
    }
  },
});
