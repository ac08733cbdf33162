export { ConnectCluster, connectInternalTopics, DEFAULT_CONNECT_IMAGE } from "./connectCluster";
export type { ConnectClusterArgs } from "./connectCluster";
export {
  HttpSinkConnector,
  httpSinkConfig,
  sinkClientId,
  CONNECTOR_CLASSES,
} from "./httpSinkConnector";
export type {
  ConnectorClassName,
  HttpSinkAuth,
  HttpSinkConfig,
  HttpSinkConnectorArgs,
  HttpSinkSettings,
} from "./httpSinkConnector";
export { unknownSinkArgs } from "./httpSinkArgs";
export { standardLabels } from "./labels";
export { heapFor, RestProxy, REST_PROXY_IMAGES } from "./restProxy";
export { memoryBytes, MEMORY_RULE } from "./memory";
export type { RestProxyArgs, RestProxyImplementation } from "./restProxy";
export { protectData, TopicSet, topicNaming } from "./topicSet";
export type { TopicDefaults, TopicSetArgs } from "./topicSet";
export { TrackingPipeline, connectorNameOf, sinkSettingsOf } from "./trackingPipeline";
export type { ConnectorStatusOutput, SecretLookup, TrackingPipelineArgs } from "./trackingPipeline";
export {
  clientProperties,
  confluentEnvName,
  JAAS_SECRET_KEY,
  jaasConfig,
  jaasQuote,
  KAFKA_CA_FILE,
  KAFKA_CA_PATH,
  KAFKA_TLS_MOUNT_PATH,
  kafkaCredentialsSecretName,
  kafkaTlsConfigMapName,
  prefixed,
  saslMechanismName,
  securityProtocol,
} from "./kafkaSecurity";
export type {
  KafkaClientPrincipal,
  KafkaClientProperties,
  KafkaSecurity,
  SaslMechanism,
  Truststore,
} from "./kafkaSecurity";
export { podKafkaSecurity } from "./kafkaPodSecurity";
export type { KafkaClientArgs, PodKafkaSecurity } from "./kafkaPodSecurity";
export { sinkGroupId, sinkKafkaKeys } from "./sinkKafkaClients";
export type { SinkKafkaClients } from "./sinkKafkaClients";
export { CERT_MANAGER_ISSUER_ANNOTATION, restProxyIngress, topicPath } from "./restProxyIngress";
export { CONFLUENT_LICENSE_TOPIC, kafkaAccessArgsOf, kafkaSecurityOf } from "./pipelineKafka";
export { accessPlan, KafkaAccess } from "./kafkaAccess";
export type { AclGrant, KafkaAccessArgs, KafkaPrincipal } from "./kafkaAccess";
