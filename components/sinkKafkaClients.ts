import * as pulumi from "@pulumi/pulumi";
import {
  clientProperties,
  KafkaClientPrincipal,
  KafkaClientProperties,
  KafkaSecurity,
  prefixed,
} from "./kafkaSecurity";

/** The Kafka security of one sink connector's clients. */
export interface SinkKafkaClients {
  readonly security: KafkaSecurity;
  /** Who the sink's clients log in as: its own principal or the workers'. Required with SASL. */
  readonly principal?: KafkaClientPrincipal;
  /**
   * Whether `principal` is the sink's own: then its consumer (and its dead-letter producer and
   * admin) override the worker's login. Defaults to false (the worker's clients as configured).
   */
  readonly ownPrincipal?: boolean;
}

/**
 * The consumer group of a sink connector: Connect's default `connect-<connector name>`
 * (`SinkUtils.consumerGroupId`), which the stack never overrides, so that ACLs can name it.
 */
export function sinkGroupId(connectorName: string): string {
  return `connect-${connectorName}`;
}

/**
 * The connector keys that log a sink's clients in to a secured cluster:
 * - with a principal of its own: `consumer.override.*`, `admin.override.*` (the client of the
 *   offsets API and of the DLQ's creation) and, for its dead-letter queue, `producer.override.*`;
 * - Confluent's class: `confluent.topic.*` (licence topic) and, with the reporter on,
 *   `reporter.admin.*` and `reporter.producer.*`, which never inherit the worker's settings.
 * The overrides carry no truststore: they build on the worker's own `consumer.`, `producer.` and
 * `admin.` sets, which already trust the same cluster, and a worker whose set names a truststore
 * file refuses a client that also gets inline certificates ("Both SSL trust store location and
 * separate trust certificates are specified", seen on the real worker). Confluent's own clients
 * inherit nothing from the worker: for them the CA is inlined (`ssl.truststore.certificates`),
 * so the config works on any worker, including one the stack did not deploy (`connectUrl`).
 */
export function sinkKafkaKeys(
  clients: SinkKafkaClients | undefined,
  connectorClass: string,
  deadLetterTopic: string | undefined,
  reporter: boolean,
): KafkaClientProperties {
  if (!clients) return { plain: {}, secret: {} };
  const { security, principal } = clients;
  const inherited = clientProperties(security, principal);
  const standalone = clientProperties(
    security,
    principal,
    security.caCertificate ? { certificates: security.caCertificate } : undefined,
  );
  const sets: KafkaClientProperties[] = [];
  if (clients.ownPrincipal) {
    // The admin is the worker's client for this connector's offsets API (KIP-875: reading and
    // moving its group's offsets for a rename or a replay) and for creating its DLQ.
    sets.push(prefixed(inherited, "consumer.override."), prefixed(inherited, "admin.override."));
    if (deadLetterTopic) sets.push(prefixed(inherited, "producer.override."));
  }
  if (connectorClass === "confluent") {
    sets.push(prefixed(standalone, "confluent.topic."));
    if (reporter) {
      sets.push(
        prefixed(standalone, "reporter.admin."),
        prefixed(standalone, "reporter.producer."),
      );
    }
  }
  return {
    plain: Object.assign({}, ...sets.map((s) => s.plain)) as Record<string, string>,
    secret: Object.assign({}, ...sets.map((s) => s.secret)) as Record<
      string,
      pulumi.Output<string>
    >,
  };
}
