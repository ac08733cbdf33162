export {
  connectApiError,
  connectClient,
  isConnectApiError,
  isMissingEndpoint,
  isRetryable,
} from "./client";
export type {
  ConnectApiError,
  ConnectClient,
  ConnectEndpoint,
  ConnectorStatus,
  ConnectorState,
} from "./client";
export { Connector, CONNECTOR_TYPE_TOKEN } from "./connector";
export type { ConnectorArgs, ConnectorGetState } from "./connector";
export { connectorProvider, IMPORT_ENV, PROVIDER_VERSION, restartBackoffMinutes } from "./provider";
export type {
  ConnectorInputs,
  ConnectorOutputs,
  DesiredState,
  RestartBook,
  RestartPolicy,
} from "./provider";
export { warn } from "./log";
