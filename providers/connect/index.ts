export { connectClient, kafkaVersionOf } from "./client";
export type { ConnectClient, ConnectEndpoint, ConnectorStatus, ConnectorState } from "./client";
export { Connector, CONNECTOR_TYPE_TOKEN } from "./connector";
export type { ConnectorArgs, ConnectorGetState } from "./connector";
export { connectApiError, isConnectApiError, isMissingEndpoint, isRetryable } from "./errors";
export type { ConnectApiError } from "./errors";
export { IMPORT_ENV } from "./import";
export { warn } from "./log";
export { connectorProvider } from "./provider";
export { DEFAULT_RESTART_POLICY, restartBackoffMinutes } from "./restart";
export type { RestartBook, RestartPolicy } from "./restart";
export { isCredentialKey } from "./secrets";
export {
  DEFAULT_STATE,
  DEFAULT_WAIT_TIMEOUT_SECONDS,
  DESIRED_STATES,
  PROVIDER_VERSION,
} from "./types";
export type { ConnectorInputs, ConnectorOutputs, DesiredState } from "./types";
