/**
 * A destination's published request limits as connector keys. Only our connector (class
 * `tracking`, alias `local`) can keep to them: it shares each limit exactly across the
 * connector's tasks (`request.rate.limit.per.second`, `request.rate.limit.events.per.second`).
 * Confluent's and Camel's sinks have no such keys; for them, a Kafka quota on the consumer
 * (`rateLimit.consumerByteRate`) bounds bytes, not requests.
 */
export interface SinkRequestRate {
  /** Most HTTP requests per second for the whole connector, retries included. */
  readonly requestsPerSecond?: number;
  /** Most events per second for the whole connector; a request of k events counts k. */
  readonly eventsPerSecond?: number;
}

/** The classes that read the rate-limit keys. */
export const RATE_LIMITED_CLASSES: readonly string[] = ["tracking", "local"];

/** The connector keys of `rate` for `connectorClass`; throws, naming the setting, for others. */
export function rateLimitKeys(
  connectorClass: string,
  rate: SinkRequestRate | undefined,
): Record<string, string> {
  const keys: Record<string, string> = {};
  if (rate?.requestsPerSecond === undefined && rate?.eventsPerSecond === undefined) return keys;
  if (!RATE_LIMITED_CLASSES.includes(connectorClass)) {
    throw new Error(
      `\`rateLimit.requestsPerSecond\` and \`rateLimit.eventsPerSecond\` are kept only by connectorClass "tracking"; ` +
        `"${connectorClass}" has no request limit: remove them, or bound bytes with \`rateLimit.consumerByteRate\``,
    );
  }
  if (rate.requestsPerSecond !== undefined) {
    keys["request.rate.limit.per.second"] = String(rate.requestsPerSecond);
  }
  if (rate.eventsPerSecond !== undefined) {
    keys["request.rate.limit.events.per.second"] = String(rate.eventsPerSecond);
  }
  return keys;
}
