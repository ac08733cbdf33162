import type { PresetName } from "../../config/presets";
import type { RecordedRequest } from "../../platform/receiverClient";

/*
 * How each destination preset's request looks, as its provider documents it: the integration
 * test (the real worker) and the e2e (the real engine) read what the receiver captured with it.
 * Each reader asserts the shape and the key, and answers the events.
 */

/** What a request of a preset holds, read the way the provider reads it. */
export const presetShapes: Record<
  PresetName,
  (r: RecordedRequest, key: string) => { events: unknown[] }
> = {
  amplitude: (r, key) => {
    const body = r.json as { api_key: string; events: unknown[] };
    expect(Object.keys(body)).toEqual(["api_key", "events"]);
    expect(body.api_key).toBe(key);
    return body;
  },
  posthog: (r, key) => {
    const body = r.json as { api_key: string; batch: unknown[] };
    expect(Object.keys(body)).toEqual(["api_key", "batch"]);
    expect(body.api_key).toBe(key);
    return { events: body.batch };
  },
  segment: (r, key) => {
    const body = r.json as { writeKey: string; batch: unknown[] };
    expect(Object.keys(body)).toEqual(["writeKey", "batch"]);
    expect(body.writeKey).toBe(key);
    return { events: body.batch };
  },
  mixpanel: (r, key) => {
    expect(Array.isArray(r.json)).toBe(true);
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from(`${key}:`).toString("base64")}`);
    return { events: r.json as unknown[] };
  },
  webhook: (r) => {
    expect(Array.isArray(r.json)).toBe(true);
    return { events: r.json as unknown[] };
  },
};

/** The id member each preset fills, as a path into an event. */
export const idOf = (event: unknown, target: string | undefined): unknown =>
  target?.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown>)?.[k], event);
