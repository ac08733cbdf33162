import type * as KafkaJs from "kafkajs";

/*
 * The Kafka questions the offset jobs (replay, redrive) ask the brokers themselves: the offsets at
 * a time (ListOffsets with a timestamp), a topic's first and end offsets, and a consumer group's
 * committed offsets. Through `kafkajs`, the client the program's login check uses. Required
 * inside the function: the dynamic providers that call this are serialized (see client.ts).
 */

/** How the engine reaches the brokers: as the stack's kafka provider does, with its login. */
export interface KafkaAdminEndpoint {
  readonly bootstrapServers: readonly string[];
  readonly tls: boolean;
  /** PEM of the brokers' CA; "" or absent for Node's CAs. */
  readonly caCertificate?: string;
  readonly mechanism: "none" | "plain" | "scram-sha256" | "scram-sha512";
  /** The SASL user (the stack's `kafkaSaslUsername`); "" without SASL. */
  readonly username?: string;
}

/** SASL mechanism names as kafkajs spells them. */
const KAFKAJS_MECHANISM = {
  plain: "plain",
  "scram-sha256": "scram-sha-256",
  "scram-sha512": "scram-sha-512",
} as const;

/** A kafkajs client config for `endpoint`, logging in as `username` with `password`. */
export function kafkaClientConfig(
  endpoint: Omit<KafkaAdminEndpoint, "username">,
  login: { readonly username: string; readonly password: string } | undefined,
  clientId: string,
  timeoutMs: number,
): KafkaJs.KafkaConfig {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { logLevel } = require("kafkajs") as typeof KafkaJs;
  const ca = endpoint.caCertificate ? { ca: [endpoint.caCertificate] } : true;
  return {
    clientId,
    brokers: [...endpoint.bootstrapServers],
    ssl: endpoint.tls ? ca : false,
    ...(endpoint.mechanism !== "none" && login
      ? {
          sasl: {
            mechanism: KAFKAJS_MECHANISM[endpoint.mechanism],
            username: login.username,
            password: login.password,
          } as KafkaJs.SASLOptions,
        }
      : {}),
    connectionTimeout: timeoutMs,
    authenticationTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    retry: { retries: 3 },
    // Its log lines would print on the engine's output; errors are reported by the caller.
    logLevel: logLevel.NOTHING,
  };
}

/** One partition's first offset (`low`) and end offset (`high`, the next offset written). */
export interface PartitionRange {
  readonly partition: number;
  readonly low: number;
  readonly high: number;
}

/** One partition's offset: committed, or found for a time. */
export interface PartitionOffset {
  readonly partition: number;
  readonly offset: number;
}

export interface KafkaAdmin {
  /** Every partition's first and end offset. */
  ranges(topic: string): Promise<PartitionRange[]>;
  /** The first offset of each partition whose record time is at or after `timeMs` (else its end). */
  offsetsAt(topic: string, timeMs: number): Promise<PartitionOffset[]>;
  /** What `groupId` committed on `topic`; partitions it never committed are absent. */
  committed(groupId: string, topic: string): Promise<PartitionOffset[]>;
}

/** Connects, runs `body` with the admin, disconnects. */
export async function withKafkaAdmin<T>(
  endpoint: KafkaAdminEndpoint,
  password: string,
  body: (admin: KafkaAdmin) => Promise<T>,
): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { Kafka } = require("kafkajs") as typeof KafkaJs;
  const login = endpoint.username ? { username: endpoint.username, password } : undefined;
  const admin = new Kafka(
    kafkaClientConfig(endpoint, login, "tracking-pipeline-offset-jobs", 15_000),
  ).admin();
  await admin.connect();
  try {
    return await body({
      async ranges(topic) {
        const offsets = await admin.fetchTopicOffsets(topic);
        return offsets
          .map((o) => ({ partition: o.partition, low: Number(o.low), high: Number(o.high) }))
          .sort((a, b) => a.partition - b.partition);
      },
      async offsetsAt(topic, timeMs) {
        const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, timeMs);
        return offsets
          .map((o) => ({ partition: o.partition, offset: Number(o.offset) }))
          .sort((a, b) => a.partition - b.partition);
      },
      async committed(groupId, topic) {
        const [found] = await admin.fetchOffsets({ groupId, topics: [topic] });
        return (found?.partitions ?? [])
          .map((p) => ({ partition: p.partition, offset: Number(p.offset) }))
          .filter((p) => p.offset >= 0)
          .sort((a, b) => a.partition - b.partition);
      },
    });
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}
