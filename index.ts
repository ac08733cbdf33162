import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, secretConfigKeys } from "./config";
import { secretReferences, TrackingPipeline } from "./components";

const config = new pulumi.Config();
const settings = loadStackConfig(config);

// Secrets are read only by the keys the configuration names, and only as Pulumi secrets.
const secrets: Record<string, pulumi.Output<string>> = {};
for (const key of [
  ...secretConfigKeys,
  ...secretReferences(settings.destinations).map((ref) => ref.key),
]) {
  const value = config.getSecret(key);
  if (value !== undefined) secrets[key] = value;
}

const pipeline = new TrackingPipeline("tracking", {
  environment: settings.environment || pulumi.getStack(),
  settings,
  secrets,
});

export const restProxyEndpoint = pipeline.restProxyEndpoint;
export const connectEndpoint = pipeline.connectEndpoint;
export const topicNames = pipeline.topicNames;
export const connectorNames = pipeline.connectorNames;
