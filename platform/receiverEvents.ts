/**
 * How the receiver finds events in what a connector posted: pure functions, shared by the
 * receiver (for `/_receiver/ids`) and by tests through the client.
 */

/**
 * The events in a request body: a JSON object is one event, an array is a list of events, and
 * an envelope `{"batches":[...]}` or `{"events":[...]}` (nested freely) holds events.
 */
export function extractEvents(json: unknown): unknown[] {
  if (Array.isArray(json)) return json.flatMap(extractEvents);
  if (json !== null && typeof json === "object") {
    const obj = json as Record<string, unknown>;
    for (const envelope of ["batches", "events"]) {
      if (Array.isArray(obj[envelope])) return extractEvents(obj[envelope]);
    }
    return [json];
  }
  return [];
}

/** Value at a dot path (`id`, `properties.event_id`) of each event, as strings. */
export function extractEventIds(json: unknown, field = "id"): string[] {
  const ids: string[] = [];
  for (const event of extractEvents(json)) {
    let value: unknown = event;
    for (const key of field.split(".")) {
      value =
        value !== null && typeof value === "object"
          ? (value as Record<string, unknown>)[key]
          : undefined;
    }
    if (typeof value === "string" || typeof value === "number") ids.push(String(value));
  }
  return ids;
}
