import { connectClient, ConnectorStatus, displayUrl, ServerInfo } from "./client";
import { warn } from "./log";
import { workersOf } from "./status";
import { ConnectorInputs, ConnectorOutputs, endpointOf } from "./types";

/*
 * What a change of the Connect endpoint means. The name is the connector's identity, so a new URL
 * is an update, never a replace: a replace would create (adopt, by PUT) the connector at the new
 * URL and then delete "the old one" at the old URL, which for the same workers under another
 * spelling (a trailing slash, a new DNS name) is the very connector just adopted. When the new URL
 * turns out to be another Connect cluster, the update creates the connector there and leaves the
 * old one alone, with a warning that names where it is: nothing is deleted behind the user's back.
 */

/** The URL as compared: scheme and host lower case, default port and trailing slashes dropped. */
export function normalizeUrl(url: string | undefined): string {
  const text = (url ?? "").trim();
  try {
    return new URL(text).toString().replace(/\/+$/, "");
  } catch {
    return text.replace(/\/+$/, "");
  }
}

/** The endpoint as diff compares it: the URL normalized, so a trailing slash is no change. */
export function comparableEndpoint<T extends { readonly url?: string }>(
  connect: T | undefined,
): T | undefined {
  return connect && { ...connect, url: normalizeUrl(connect.url) };
}

export function sameUrl(a: string | undefined, b: string | undefined): boolean {
  return normalizeUrl(a) === normalizeUrl(b);
}

/** What one endpoint reports about the worker and the connector. */
export interface EndpointView {
  readonly info: Pick<ServerInfo, "kafka_cluster_id">;
  readonly status: ConnectorStatus | undefined;
}

/**
 * True when two endpoints are the same Connect cluster: the same Kafka cluster, and the
 * connector's status names a worker in common (a Connect group shares one status topic, so its
 * workers report the same placement; another group's workers are other hosts).
 */
export function sameConnectCluster(a: EndpointView, b: EndpointView): boolean {
  if (a.info.kafka_cluster_id !== b.info.kafka_cluster_id) return false;
  const theirs = new Set(workersOf(b.status));
  return workersOf(a.status).some((worker) => theirs.has(worker));
}

/** How long the old endpoint gets to answer after a move: an update must not hang on it. */
const OLD_ENDPOINT_DEADLINE_MS = 5_000;

/**
 * After an update that moved the connector to a new URL: looks at the old URL, and warns when a
 * connector of that name is (or may be) left on another Connect cluster there. Never deletes.
 */
export async function reportMove(
  olds: ConnectorOutputs,
  news: ConnectorInputs,
  now: EndpointView,
): Promise<void> {
  const from = displayUrl(olds.connect?.url ?? "");
  const to = displayUrl(news.connect.url);
  const name = news.name;
  const leftAlone =
    `A connector "${name}" there is left as it is and is no longer managed by this stack: ` +
    `once the one at ${to} has taken over, delete it there (DELETE ${from}/connectors/${name}), ` +
    "or set `connect.url` back.";
  let before: EndpointView;
  try {
    const client = connectClient({
      ...endpointOf(olds),
      requestTimeoutMs: OLD_ENDPOINT_DEADLINE_MS,
      retryDeadlineMs: OLD_ENDPOINT_DEADLINE_MS,
    });
    const info = await client.waitUntilReady(OLD_ENDPOINT_DEADLINE_MS);
    before = { info, status: await client.getStatus(name) };
  } catch {
    const recorded = olds.kafkaClusterId ?? "";
    const other = recorded !== "" && recorded !== now.info.kafka_cluster_id;
    await warn(
      `connector "${name}": its Connect endpoint changed from ${from} to ${to}. ${from} did not ` +
        (other
          ? `answer, and it was on another Kafka cluster (${recorded}, now ${now.info.kafka_cluster_id}). `
          : "answer, so it could not be checked whether it is the same Connect cluster. ") +
        leftAlone,
    );
    return;
  }
  // Nothing of that name at the old URL, or the same workers under another URL: nothing left.
  if (!before.status || sameConnectCluster(before, now)) return;
  await warn(
    `connector "${name}" moved from ${from} to ${to}, which is another Connect cluster ` +
      `(Kafka cluster ${before.info.kafka_cluster_id}, workers [${workersOf(before.status).join(", ")}] ` +
      `before; Kafka cluster ${now.info.kafka_cluster_id}, workers [${workersOf(now.status).join(", ")}] now), ` +
      `and was created there. The one at ${from} is ${before.status.connector.state}. ${leftAlone}`,
  );
}
