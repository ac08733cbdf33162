import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";

/** Settings shared by the tracking topics. */
export interface TopicDefaults {
  /** Partitions of each tracking topic. Defaults to 6. */
  readonly partitions?: number;
  /** Replicas of each partition. Defaults to 3. */
  readonly replicationFactor?: number;
  /** `min.insync.replicas`. Defaults to 2, capped at the replication factor. */
  readonly minInsyncReplicas?: number;
  /** `retention.ms` of tracking topics. Defaults to 604800000 (7 days). */
  readonly retentionMs?: number;
  /** `cleanup.policy`. Defaults to `delete`. */
  readonly cleanupPolicy?: string;
  /** `compression.type`. Defaults to `producer`. */
  readonly compressionType?: string;
  /** `max.message.bytes`. Defaults to 1048588. */
  readonly maxMessageBytes?: number;
  /** `retention.ms` of dead-letter topics. Defaults to 1209600000 (14 days). */
  readonly deadLetterRetentionMs?: number;
}

export interface TopicSetArgs extends TopicDefaults {
  /** Environment prefix of every topic name, for example `prod` gives `prod.tracking`. */
  readonly environment: string;
  /** Base names of the tracking topics. */
  readonly topics: readonly string[];
  /** Sinks that get a dead-letter topic `<env>.<sink>.dlq`. Defaults to none. */
  readonly deadLetterSinks?: readonly string[];
  /** Sinks that get reporter topics `<env>.<sink>.success` and `<env>.<sink>.error`. Defaults to none. */
  readonly reporterSinks?: readonly string[];
  /**
   * Protect every topic of the set (tracking, dead-letter and reporter) from deletion, see
   * {@link protectData}. Turn it off only for throw-away stacks. Defaults to true.
   */
  readonly protect?: boolean;
}

/**
 * The resource options of a topic that holds data: `protect` unless turned off. Pulumi's `protect`
 * rather than `retainOnDelete`: a `destroy`, an environment rename or a replacement of a protected
 * topic fails in preview already, naming the resource, so nobody loses events by accident; with
 * `retainOnDelete` the same change would silently drop the topic from the stack and leave it
 * orphaned on the cluster, still holding data nobody manages.
 */
export function protectData(protect: boolean | undefined): { protect: boolean } {
  return { protect: protect ?? true };
}

/**
 * Why a topic must not go from `live` partitions to `wanted`, or undefined when it may. Kafka
 * cannot take partitions away, so the kafka plugin replaces the topic instead (its Terraform
 * provider forces a new resource when `partitions` goes down): the topic would be deleted with
 * every event in it and created again empty.
 */
export function partitionDecrease(
  topicName: string,
  live: number | undefined,
  wanted: number,
): string | undefined {
  if (live === undefined || wanted >= live) return undefined;
  return (
    `\`partitions\` of topic ${topicName} cannot go down from ${live} to ${wanted}: Kafka cannot ` +
    `remove partitions, so the kafka plugin would delete the topic and create it again, losing ` +
    `every event in it. Keep ${live} or more (stack setting \`topicPartitions\` for tracking ` +
    `topics), or move the data to a new topic first.`
  );
}

/** The partition count of a topic on the cluster, or undefined when it is not there (yet). */
async function livePartitions(name: string, parent: pulumi.Resource): Promise<number | undefined> {
  try {
    const topic = await kafka.getTopic({ name }, { parent });
    return typeof topic.partitions === "number" ? topic.partitions : undefined;
  } catch {
    // Not created yet, or a cluster this preview cannot reach: nothing to compare with.
    return undefined;
  }
}

/** Topic names a {@link TopicSet} gives, derived without creating anything. */
export const topicNaming = {
  tracking: (env: string, base: string) => `${env}.${base}`,
  deadLetter: (env: string, sink: string) => `${env}.${sink}.dlq`,
  reporterResult: (env: string, sink: string) => `${env}.${sink}.success`,
  reporterError: (env: string, sink: string) => `${env}.${sink}.error`,
};

/**
 * The Kafka topics of a tracking pipeline: the tracking topics the REST Proxy writes to, one
 * dead-letter topic per sink that tolerates errors, and reporter topics where asked for.
 */
export class TopicSet extends pulumi.ComponentResource {
  /** Tracking topic names by base name. */
  public readonly topicNames: Record<string, pulumi.Output<string>>;
  /** Dead-letter topic names by sink name. */
  public readonly deadLetterTopicNames: Record<string, pulumi.Output<string>>;
  /** Reporter topic names by sink name. */
  public readonly reporterTopicNames: Record<
    string,
    { result: pulumi.Output<string>; error: pulumi.Output<string> }
  >;
  /** Every topic this set declares, by full name. */
  public readonly topics: Record<string, kafka.Topic>;

  constructor(name: string, args: TopicSetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:kafka:TopicSet", name, {}, opts);

    const replicationFactor = args.replicationFactor ?? 3;
    const minIsr = Math.min(args.minInsyncReplicas ?? 2, replicationFactor);
    const base = {
      "cleanup.policy": args.cleanupPolicy ?? "delete",
      "compression.type": args.compressionType ?? "producer",
      "max.message.bytes": String(args.maxMessageBytes ?? 1_048_588),
      "min.insync.replicas": String(minIsr),
    };
    const env = args.environment;

    this.topics = {};
    // A partition decrease is refused at preview: the live count is read through the same plugin.
    const checked = (topicName: string, partitions: number): pulumi.Output<number> =>
      pulumi.output(livePartitions(topicName, this)).apply((live) => {
        const refusal = partitionDecrease(topicName, live, partitions);
        if (refusal) throw new pulumi.ResourceError(refusal, this, true);
        return partitions;
      });
    const declare = (topicName: string, partitions: number, retentionMs: number) => {
      const topic = new kafka.Topic(
        `${name}-${topicName}`,
        {
          name: topicName,
          partitions: checked(topicName, partitions),
          replicationFactor,
          config: { ...base, "retention.ms": String(retentionMs) },
        },
        { parent: this, ...protectData(args.protect) },
      );
      this.topics[topicName] = topic;
      return topic.name;
    };

    this.topicNames = {};
    for (const topic of args.topics) {
      this.topicNames[topic] = declare(
        topicNaming.tracking(env, topic),
        args.partitions ?? 6,
        args.retentionMs ?? 604_800_000,
      );
    }
    const dlqRetention = args.deadLetterRetentionMs ?? 1_209_600_000;
    this.deadLetterTopicNames = {};
    for (const sink of args.deadLetterSinks ?? []) {
      this.deadLetterTopicNames[sink] = declare(topicNaming.deadLetter(env, sink), 1, dlqRetention);
    }
    this.reporterTopicNames = {};
    for (const sink of args.reporterSinks ?? []) {
      this.reporterTopicNames[sink] = {
        result: declare(topicNaming.reporterResult(env, sink), 1, dlqRetention),
        error: declare(topicNaming.reporterError(env, sink), 1, dlqRetention),
      };
    }

    this.registerOutputs({
      topicNames: this.topicNames,
      deadLetterTopicNames: this.deadLetterTopicNames,
      reporterTopicNames: this.reporterTopicNames,
    });
  }
}
