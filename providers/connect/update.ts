import { connectClient } from "./client";
import { createOrAdopt } from "./adopt";
import { outputsOf } from "./create";
import { newHashKey } from "../keyedHash";
import { configChanged, externalSecretsChanged } from "./diff";
import { reportMove, sameUrl } from "./endpoint";
import { settle } from "./settle";
import { ConnectorInputs, ConnectorOutputs, endpointOf, fullConfig } from "./types";

/**
 * update, always through the new endpoint. A PUT restarts the connector's tasks, so it is sent
 * only when the config changed; a connector absent there (gone behind our back, or the endpoint
 * is now another Connect cluster) is created. A rotated external secret restarts the connector
 * and every task (the worker resolves references when it starts them), after the PUT if any:
 * the resource that writes the new value is a dependency, so it is in place by then. After a
 * move, the old endpoint is only looked at.
 */
export async function updateConnector(
  id: string,
  olds: ConnectorOutputs,
  news: ConnectorInputs,
): Promise<ConnectorOutputs> {
  const client = connectClient(endpointOf(news));
  const info = await client.waitUntilReady(news.waitTimeoutSeconds * 1000);
  if (!(await client.getStatus(id))) {
    await createOrAdopt(client, news, info);
  } else {
    if (configChanged(olds, news)) await client.putConfig(id, fullConfig(news));
    // A STOPPED connector has no tasks; they read the value when it is resumed.
    if (externalSecretsChanged(olds, news) && news.state !== "STOPPED") {
      await client.restart(id, false);
    }
  }
  const { status, book } = await settle(client, news, "update", {
    restarts: olds.restarts ?? 0,
    lastRestartAt: olds.lastRestartAt ?? "",
  });
  if (!sameUrl(olds.connect?.url, news.connect.url)) {
    await reportMove(olds, news, { info, status });
  }
  return outputsOf(
    news,
    status,
    book,
    olds.offsetsCopiedFrom ?? "",
    info.kafka_cluster_id,
    olds.hashKey ?? newHashKey(),
  );
}
