import { existsSync, readFileSync } from "node:fs";
import axios from "axios";
import { PlatformEndpoints, endpointsFile } from "../../platform";
import { ReceiverClient } from "../../platform/receiverClient";

export type { PlatformEndpoints } from "../../platform";

/** Endpoints of the platform that globalSetup started or reused. */
export function platformEndpoints(): PlatformEndpoints {
  const fromEnv = process.env.TRACKING_PLATFORM_ENDPOINTS;
  if (fromEnv) return JSON.parse(fromEnv) as PlatformEndpoints;
  const file = endpointsFile();
  if (!existsSync(file)) {
    throw new Error(
      `No platform endpoints: run the integration project (globalSetup) or \`npm run platform -- up\` (${file}).`,
    );
  }
  return JSON.parse(readFileSync(file, "utf8")) as PlatformEndpoints;
}

export function receiver(): ReceiverClient {
  return new ReceiverClient(platformEndpoints().receiverUrl);
}

/** A name no earlier run used, so tests never see each other's topics or connectors. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** Creates a topic through the REST proxy's v3 API (the broker does not auto-create topics). */
export async function createTopic(name: string, partitions = 1): Promise<void> {
  const e = platformEndpoints();
  await axios.post(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`, {
    topic_name: name,
    partitions_count: partitions,
    replication_factor: 1,
  });
}

export const V2_JSON = "application/vnd.kafka.json.v2+json";

/** Produces JSON values through the REST proxy's v2 API; returns the response body. */
export async function produce(
  topic: string,
  values: readonly unknown[],
): Promise<{
  offsets: { partition: number | null; offset: number | null; error_code: number | null }[];
}> {
  const { data } = await axios.post<{
    offsets: { partition: number | null; offset: number | null; error_code: number | null }[];
  }>(
    `${platformEndpoints().restProxyUrl}/topics/${topic}`,
    { records: values.map((value) => ({ value })) },
    {
      headers: { "Content-Type": V2_JSON },
    },
  );
  return data;
}

/** Creates or updates a connector and waits until it and its tasks are RUNNING. */
export async function putConnector(name: string, config: Record<string, string>): Promise<void> {
  const { connectUrl } = platformEndpoints();
  await axios.put(`${connectUrl}/connectors/${name}/config`, config);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const status = await axios.get<{
      connector: { state: string };
      tasks: { state: string; trace?: string }[];
    }>(`${connectUrl}/connectors/${name}/status`, { validateStatus: () => true });
    if (status.status === 200) {
      const failed = status.data.tasks.find((t) => t.state === "FAILED");
      if (failed) throw new Error(`Connector ${name} task failed:\n${failed.trace ?? ""}`);
      if (
        status.data.connector.state === "RUNNING" &&
        status.data.tasks.length > 0 &&
        status.data.tasks.every((t) => t.state === "RUNNING")
      )
        return;
    }
    if (Date.now() > deadline)
      throw new Error(`Connector ${name} not RUNNING within 60 s: ${JSON.stringify(status.data)}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export async function deleteConnector(name: string): Promise<void> {
  await axios.delete(`${platformEndpoints().connectUrl}/connectors/${name}`, {
    validateStatus: () => true,
  });
}
