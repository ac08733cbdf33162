import * as pulumi from "@pulumi/pulumi";
import { loadStackConfig, requiredSecrets } from "./config";
import { TrackingPipeline } from "./components";

const config = new pulumi.Config();
// Validates every key of the namespace and checks that each secret the settings need is set.
const settings = loadStackConfig(config);

// Secrets are read only by the keys the configuration names, and only as Pulumi secrets.
const secrets: Record<string, pulumi.Output<string>> = {};
for (const { key } of requiredSecrets(settings)) secrets[key] = config.requireSecret(key);

const pipeline = new TrackingPipeline("tracking", {
  environment: settings.environment || pulumi.getStack(),
  settings,
  secrets,
});

export const restProxyEndpoint = pipeline.restProxyEndpoint;
export const connectEndpoint = pipeline.connectEndpoint;
export const topicNames = pipeline.topicNames;
export const connectorNames = pipeline.connectorNames;
/** Per destination: `{ name, state, tasks }` as the Connect worker reports them after `up`. */
export const connectors = pipeline.connectors;
