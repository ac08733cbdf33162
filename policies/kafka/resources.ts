import { PolicyResource } from "@pulumi/policy";
import { asString, parseInteger, Props, stringMap } from "../read";

// Kafka topics, quotas, users and ACLs as policies read them (resources of the kafka provider),
// and the kafka provider itself.

export const KAFKA_TYPES = {
  topic: "kafka:index/topic:Topic",
  quota: "kafka:index/quota:Quota",
  acl: "kafka:index/acl:Acl",
  userScramCredential: "kafka:index/userScramCredential:UserScramCredential",
  /** Explicit and default kafka providers alike; policies see them as resources of this type. */
  provider: "pulumi:providers:kafka",
} as const;

export interface Topic {
  /** The topic name: `name`, else the resource name. */
  readonly name: string;
  /** `replicationFactor` as declared. */
  readonly declaredReplicationFactor: unknown;
  readonly replicationFactor: number | undefined;
  readonly config: Record<string, string>;
}

export function topicOf(type: string, props: Props, resourceName: string): Topic | undefined {
  if (type !== KAFKA_TYPES.topic) return undefined;
  return {
    name: asString(props.name) ?? resourceName,
    declaredReplicationFactor: props.replicationFactor,
    replicationFactor: parseInteger(asString(props.replicationFactor)),
    config: stringMap(props.config),
  };
}

/**
 * Every topic the stack declares, by topic name (the resource name when `name` is not set). Reads
 * only the names: a stack policy must not stop on a topic's config that is unknown in preview.
 */
export function declaredTopics(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
  const topics = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type === KAFKA_TYPES.topic) topics.set(asString(r.props.name) ?? r.name, r);
  }
  return topics;
}

export interface Quota {
  readonly entityType: string | undefined;
  readonly entityName: string | undefined;
  readonly consumerByteRate: string | undefined;
}

export function quotaOf(type: string, props: Props): Quota | undefined {
  if (type !== KAFKA_TYPES.quota) return undefined;
  return {
    entityType: asString(props.entityType),
    entityName: asString(props.entityName),
    consumerByteRate: stringMap(props.config)["consumer_byte_rate"],
  };
}
