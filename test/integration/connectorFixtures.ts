import axios from "axios";
import { idsFromBody, IdExtractor } from "../../platform/receiverClient";
import {
  connectorProvider,
  ConnectorInputs,
  ConnectorOutputs,
  PROVIDER_VERSION,
} from "../../providers/connect/provider";
import { platformEndpoints } from "./platform";

/** The provider's methods, typed with our shapes, as the engine would call them. */
export const provider = {
  check: (olds: Partial<ConnectorInputs>, news: ConnectorInputs) =>
    connectorProvider.check!(olds, news),
  diff: (olds: ConnectorOutputs, news: ConnectorInputs) =>
    connectorProvider.diff!(olds.name, olds, news),
  create: async (inputs: ConnectorInputs) => {
    const result = await connectorProvider.create(inputs);
    return result as { id: string; outs: ConnectorOutputs };
  },
  read: async (id: string, props?: ConnectorOutputs) =>
    (await connectorProvider.read!(id, props)) as {
      id?: string;
      props?: ConnectorOutputs;
      inputs?: ConnectorInputs;
    },
  update: async (olds: ConnectorOutputs, news: ConnectorInputs) =>
    (await connectorProvider.update!(olds.name, olds, news)).outs as ConnectorOutputs,
  delete: (props: ConnectorOutputs) => connectorProvider.delete!(props.name, props),
};

/** Inputs of an HTTP sink on the local platform, as the engine hands them to the provider. */
export function sinkInputs(
  name: string,
  topic: string,
  url: string,
  overrides: Partial<ConnectorInputs> & { extra?: Record<string, string> } = {},
): ConnectorInputs {
  const e = platformEndpoints();
  const { extra, ...rest } = overrides;
  return {
    connect: { url: e.connectUrl, retryDeadlineMs: 60_000 },
    connectSecrets: {},
    name,
    config: {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": url,
      "retry.backoff.ms": "200",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "value.converter": "org.apache.kafka.connect.storage.StringConverter",
      ...extra,
    },
    secretConfig: {},
    state: "RUNNING",
    restartPolicy: { type: "on-failure", maxRestarts: 10 },
    waitTimeoutSeconds: 60,
    providerVersion: PROVIDER_VERSION,
    ...rest,
  };
}

/** A connector's status as the worker reports it; null when the connector is absent. */
export type WorkerStatus = {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
} | null;

/** The worker's own view, straight from the REST API (not through the provider). */
export const worker = {
  /**
   * The config the worker holds; undefined when it has no such connector (404). A 409 or 5xx
   * (the worker rebalancing after a PUT, seen in CI right after an update) is asked again.
   */
  async config(name: string): Promise<Record<string, string> | undefined> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const r = await axios.get<Record<string, string>>(
        `${platformEndpoints().connectUrl}/connectors/${name}/config`,
        { validateStatus: () => true },
      );
      if (r.status === 200) return r.data;
      if (r.status === 404 || Date.now() > deadline) return undefined;
      await new Promise((done) => setTimeout(done, 250));
    }
  },
  async status(name: string): Promise<WorkerStatus> {
    const r = await axios.get(`${platformEndpoints().connectUrl}/connectors/${name}/status`, {
      validateStatus: () => true,
    });
    return r.status === 200 ? r.data : null;
  },
  async putConfig(name: string, config: Record<string, string>): Promise<void> {
    await axios.put(`${platformEndpoints().connectUrl}/connectors/${name}/config`, config);
  },
  async remove(name: string): Promise<void> {
    await axios.delete(`${platformEndpoints().connectUrl}/connectors/${name}`, {
      validateStatus: () => true,
    });
  },
  /** Polls until `done`, or fails the test after `timeoutMs`. */
  async waitFor(
    name: string,
    done: (s: WorkerStatus) => boolean,
    timeoutMs = 60_000,
  ): Promise<WorkerStatus> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s: WorkerStatus = await worker.status(name);
      if (done(s)) return s;
      if (Date.now() > deadline) {
        throw new Error(`connector ${name} not as expected in time: ${JSON.stringify(s)}`);
      }
      await new Promise((r) => setTimeout(r, 250));
    }
  },
};

/** Ids of the requests that hit `path` only: other tests share the receiver. */
export function idsOnPath(path: string): IdExtractor {
  const ids = idsFromBody();
  return (request) => (request.path === path ? ids(request) : []);
}
