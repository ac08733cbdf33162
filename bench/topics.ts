/** Benchmark topics, made and removed through the REST proxy's v3 API as a user would. */
import axios from "axios";
import type { PlatformEndpoints } from "../platform";

/** Content type of the v2 produce API (`POST /topics/<topic>` with `records: [...]`). */
export const V2_JSON = "application/vnd.kafka.json.v2+json";

export async function createTopic(
  e: PlatformEndpoints,
  name: string,
  partitions: number,
): Promise<void> {
  await axios.post(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics`, {
    topic_name: name,
    partitions_count: partitions,
    replication_factor: 1,
  });
}

/** Removes a topic; one already gone is fine. */
export async function deleteTopic(e: PlatformEndpoints, name: string): Promise<void> {
  await axios
    .delete(`${e.restProxyUrl}/v3/clusters/${e.clusterId}/topics/${name}`)
    .catch(() => undefined);
}
