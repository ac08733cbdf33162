export { ConfigError, formatPath } from "./errors";
export { isKubeconfigText, kubeconfigPath } from "./kubernetes";
export { loadStackConfig, parseStackConfig } from "./load";
export { alertThresholdsOf, monitorLabelsOf } from "./observability";
export {
  authSchema,
  configKeys,
  destinationSchema,
  secretConfigKeys,
  stackConfigSchema,
} from "./schema";
export type { DestinationAuth, DestinationConfig, StackConfig } from "./schema";
export {
  missingSecretProblem,
  referencedSecretKeys,
  requiredSecrets,
  secretReferences,
} from "./secrets";
export type { SecretReference } from "./secrets";
export { closestName, editDistance } from "./suggest";
