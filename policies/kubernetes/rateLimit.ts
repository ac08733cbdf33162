import { shown, stackPolicyFor } from "../policy";
import { at, parseInteger, stringMap } from "../read";
import { integer, settings } from "../settings";
import { ingressesRoutingTo } from "./ingress";
import { metadataName } from "./selection";
import { appliesTo, appNamesSetting, workloadOf } from "./workload";

// rest-proxy-rate-limit: the REST Proxy limits its request rate, itself or at the Ingress.

interface RateLimitConfig {
  appNames: string[];
  maxPermitsPerSecond: number;
}

const rateLimitSettings = settings<RateLimitConfig>({
  appNames: appNamesSetting(
    ["rest-proxy"],
    "`app.kubernetes.io/name` of the REST Proxy workloads.",
  ),
  maxPermitsPerSecond: integer(
    1000,
    1,
    "Highest `KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC` (per pod) and `nginx.ingress.kubernetes.io/limit-rps` (per client).",
  ),
});

const FLOOD = "or one client can flood Kafka through the proxy.";
const LIMIT_RPS = "nginx.ingress.kubernetes.io/limit-rps";
const LIMIT_ENABLE = "KAFKA_REST_RATE_LIMIT_ENABLE";
const LIMIT_PERMITS = "KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC";

export const restProxyRateLimit = stackPolicyFor({
  name: "rest-proxy-rate-limit",
  description:
    "Checks that the REST Proxy limits its request rate, with its own limiter or, for the Strimzi bridge, which has none, at the Ingress.",
  settings: rateLimitSettings,
  recognise: workloadOf,
  applies: (workload, c) => appliesTo(workload, c.appNames),
  validate: ({ found: workload, resource, resources, config: c }, reportViolation) => {
    const container = workload.containers.find((x) => !x.init);
    if (!container) return;
    const where = container.label;
    const confluent =
      Object.keys(container.env).some((k) => k.startsWith("KAFKA_REST_")) ||
      /kafka-rest/.test(container.image ?? "");

    // A variable that is set but not readable here (a reference, or unknown) is left alone.
    const env = container.env;
    const readable = (name: string) => !(name in env) || env[name] !== undefined;
    if (confluent && readable(LIMIT_ENABLE) && readable(LIMIT_PERMITS)) {
      const enabled = env[LIMIT_ENABLE];
      const permits = env[LIMIT_PERMITS];
      const perSecond = parseInteger(permits ?? "50");
      if (enabled !== "true") {
        reportViolation(
          `\`${LIMIT_ENABLE}\` is ${shown(enabled, "REST Proxy default false")} on ${where}; it must be "true", ${FLOOD}`,
          resource.urn,
        );
      } else if (perSecond === undefined || perSecond < 1 || perSecond > c.maxPermitsPerSecond) {
        reportViolation(
          `\`${LIMIT_PERMITS}\` is ${shown(permits)} on ${where}; ` +
            `it must be between 1 and ${c.maxPermitsPerSecond} requests per second per pod, ${FLOOD}`,
          resource.urn,
        );
      }
    }

    const ingresses = ingressesRoutingTo(workload, resources);
    for (const ingress of ingresses) {
      const rps = stringMap(at(ingress.props, ["metadata", "annotations"]))[LIMIT_RPS];
      const ingressLabel = `Ingress ${metadataName(ingress)}, which routes to ${workload.label}`;
      if (rps === undefined) {
        if (!confluent) {
          reportViolation(
            `\`${LIMIT_RPS}\` is unset on ${ingressLabel} (image ${shown(container.image)}, no rate limiter of its own); ` +
              `it must be between 1 and ${c.maxPermitsPerSecond}, ${FLOOD}`,
            ingress.urn,
          );
        }
        continue;
      }
      const value = parseInteger(rps);
      if (value === undefined || value < 1 || value > c.maxPermitsPerSecond) {
        reportViolation(
          `\`${LIMIT_RPS}\` is ${shown(rps)} on ${ingressLabel}; it must be between 1 and ${c.maxPermitsPerSecond}, ${FLOOD}`,
          ingress.urn,
        );
      }
    }
    if (!confluent && ingresses.length === 0) {
      reportViolation(
        `${workload.label} runs ${shown(container.image)}, which has no rate limiter of its own, and no Ingress with \`${LIMIT_RPS}\` routes to it; ` +
          `route it through one (at most ${c.maxPermitsPerSecond} requests per second per client), ${FLOOD}`,
        resource.urn,
      );
    }
  },
});
