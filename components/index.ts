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
export { standardLabels } from "./labels";
export { RestProxy, REST_PROXY_IMAGES } from "./restProxy";
export type { RestProxyArgs, RestProxyImplementation } from "./restProxy";
export { TopicSet, topicNaming } from "./topicSet";
export type { TopicDefaults, TopicSetArgs } from "./topicSet";
export {
  TrackingPipeline,
  connectorNameOf,
  secretReferences,
  sinkSettingsOf,
} from "./trackingPipeline";
export type { SecretLookup, TrackingPipelineArgs } from "./trackingPipeline";
