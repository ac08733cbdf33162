import type * as pulumi from "@pulumi/pulumi";
import { checkConnector } from "./check";
import { connectClient } from "./client";
import { createConnector } from "./create";
import { diffConnector } from "./diff";
import { importConnector, isImport } from "./import";
import { refreshConnector } from "./read";
import { safely, secretValues } from "./secrets";
import { ConnectorInputs, ConnectorOutputs, endpointOf } from "./types";
import { updateConnector } from "./update";

// What the benches and tests that drive the provider directly import from here.
export { PROVIDER_VERSION } from "./types";
export type { ConnectorInputs, ConnectorOutputs } from "./types";

/**
 * The dynamic provider of `Connector`: each method is one lifecycle step, whole in its own module
 * (check.ts, diff.ts, create.ts, read.ts, import.ts, update.ts). It keeps no state between calls,
 * because the engine serializes it; every error leaves with the secret values replaced.
 */
export const connectorProvider: pulumi.dynamic.ResourceProvider = {
  check: checkConnector,

  async diff(_id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    return diffConnector(olds, news);
  },

  async create(inputs: ConnectorInputs) {
    const outs = await safely(secretValues(inputs), () => createConnector(inputs));
    return { id: inputs.name, outs };
  },

  async read(id: string, props?: ConnectorOutputs) {
    // Refresh passes our outputs; an import or `Connector.get` passes inputs (or nothing).
    if (isImport(props)) return importConnector(id, props);
    return safely(secretValues(props!), () => refreshConnector(id, props!));
  },

  async update(id: string, olds: ConnectorOutputs, news: ConnectorInputs) {
    const outs = await safely(secretValues(news), () => updateConnector(id, olds, news));
    return { outs };
  },

  async delete(id: string, props: ConnectorOutputs) {
    await safely(secretValues(props as Partial<ConnectorInputs>), async () => {
      // 404 means the job is already done.
      await connectClient(endpointOf(props)).deleteConnector(id);
    });
  },
};
