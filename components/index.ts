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
