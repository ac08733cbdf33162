import { EnforcementLevel, Policies } from "@pulumi/policy";
import { httpSinkHttpsOnly, httpSinkNoPlaintextCredentials } from "./connectors/credentials";
import { connectorNoPayloadLogging, httpSinkErrorHandling } from "./connectors/errorHandling";
import { httpSinkRetries } from "./connectors/retries";
import { connectorSecretsByReference } from "./connectors/secretsByReference";
import { httpSinkEgressRateLimit, httpSinkTasksMax } from "./connectors/throughput";
import { connectorDeadLetterTopicDeclared, connectorTopicsDeclared } from "./connectors/topics";
import { kafkaAclLeastPrivilege, kafkaAclsManaged } from "./kafka/acls";
import { kafkaTopicReplication, kafkaTopicRetention } from "./kafka/durability";
import { connectInternalTopicsCompacted } from "./kafka/internalTopics";
import { kafkaTlsAndSasl } from "./kafka/security";
import { k8sHighAvailability } from "./kubernetes/availability";
import { connectImageContainsConnector } from "./kubernetes/connectImage";
import { k8sImagePinned, k8sPodSecurity, k8sProbesAndResources } from "./kubernetes/hygiene";
import { connectRestNetworkPolicy } from "./kubernetes/networkPolicy";
import { restProxyIngressExactPaths, restProxyIngressTls } from "./kubernetes/publicEdge";
import { restProxyRateLimit } from "./kubernetes/rateLimit";

export const PACK_NAME = "tracking-pipeline";

/**
 * Without a policy-pack config every policy blocks the update, with thresholds fit for prod:
 * forgetting `--policy-pack-config` must not let an unsafe change through.
 */
export const DEFAULT_ENFORCEMENT: EnforcementLevel = "mandatory";

/**
 * Every policy of the pack, in the order the README lists them (the order the engine reports
 * in): the resource policies, by domain, then the stack policies.
 */
export const policies: Policies = [
  httpSinkRetries,
  httpSinkErrorHandling,
  connectorNoPayloadLogging,
  httpSinkTasksMax,
  httpSinkNoPlaintextCredentials,
  httpSinkHttpsOnly,
  connectorSecretsByReference,
  kafkaTopicReplication,
  kafkaTopicRetention,
  kafkaTlsAndSasl,
  kafkaAclLeastPrivilege,
  k8sPodSecurity,
  k8sImagePinned,
  k8sProbesAndResources,
  httpSinkEgressRateLimit,
  connectorTopicsDeclared,
  connectorDeadLetterTopicDeclared,
  connectInternalTopicsCompacted,
  restProxyRateLimit,
  k8sHighAvailability,
  connectRestNetworkPolicy,
  connectImageContainsConnector,
  kafkaAclsManaged,
  restProxyIngressTls,
  restProxyIngressExactPaths,
];
