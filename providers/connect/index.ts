export { connectClient, ConnectApiError, isRetryable } from "./client";
export type { ConnectClient, ConnectEndpoint, ConnectorStatus, ConnectorState } from "./client";
export { Connector, CONNECTOR_TYPE_TOKEN } from "./connector";
export type { ConnectorArgs } from "./connector";
export { connectorProvider, PROVIDER_VERSION } from "./provider";
export type { ConnectorInputs, ConnectorOutputs, DesiredState, RestartPolicy } from "./provider";
