/**
 * The one spelling of a connector secret's reference, `${dir:<folder>:<file>}`: what a connector
 * config holds instead of the value, and what Kafka's DirectoryConfigProvider, installed on the
 * worker under the name {@link CONFIG_PROVIDER}, resolves from the file `<folder>/<file>`.
 */

/** The worker's name for the provider: references start with `${dir:`. */
export const CONFIG_PROVIDER = "dir";

/** What a connector config holds instead of a secret. */
export function secretReference(directory: string, file: string): string {
  return `\${${CONFIG_PROVIDER}:${directory}:${file}}`;
}
