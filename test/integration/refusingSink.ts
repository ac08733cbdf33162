import { createTopic, platformEndpoints, produce, putConnector, uniqueName } from "./platform";

/**
 * One of our sinks on a new one-partition topic, sending one event per request to the receiver
 * path `/<connector>`, with 400 not retried (so a refused event is dead-lettered, or fails the
 * task, at once), then the events `events(connector)` produced to its topic. Pair it with the
 * receiver's `reject` rule; delete the connector after the test.
 */
export async function refusingSink(
  label: string,
  extra: Record<string, string>,
  events: (connector: string) => object[],
): Promise<{ connector: string; topic: string }> {
  const e = platformEndpoints();
  const topic = uniqueName(`${label}-src`);
  await createTopic(topic, 1);
  const connector = uniqueName(label);
  await putConnector(connector, {
    "connector.class": e.httpSinkConnectorClass,
    topics: topic,
    "tasks.max": "1",
    "http.api.url": `${e.receiverUrl}/${connector}`,
    "batch.max.size": "1",
    "batch.json.as.array": "true",
    "retry.on.status.codes": "429,500-",
    ...extra,
  });
  await produce(topic, events(connector));
  return { connector, topic };
}
