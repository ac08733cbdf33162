import axios from "axios";
import type { PlatformEndpoints } from "../../platform";
import { ReceiverClient } from "../../platform/receiverClient";
import { Arrivals, DrillSink, waitForArrivals } from "./sink";

/** A destination as a team declares it: its URL and topic; the stack's defaults for the rest. */
export interface DrillDestination {
  readonly name: string;
  readonly url: string;
  readonly connectorClass: "tracking";
  readonly topics: readonly string[];
}

/** `count` destinations `d0`, `d1`, ..., each posting to a receiver path of its own. */
export function drillDestinations(
  e: PlatformEndpoints,
  pathPrefix: string,
  count: number,
): DrillDestination[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `d${i}`,
    url: `${e.receiverUrl}${pathPrefix}/d${i}`,
    connectorClass: "tracking",
    topics: ["tracking"],
  }));
}

/**
 * A stack's destination seen as a drill sink (for waitForArrivals): its connector, the stack's
 * topic, its receiver path and the config the worker holds. The stack owns it, so `remove` is
 * what `pulumi destroy` does for it: delete the connector.
 */
export async function stackSink(
  e: PlatformEndpoints,
  destination: DrillDestination,
  connector: string,
  topic: string,
): Promise<DrillSink> {
  const { data: config } = await axios.get<Record<string, string>>(
    `${e.connectUrl}/connectors/${connector}/config`,
    { timeout: 10_000 },
  );
  return {
    name: connector,
    topic,
    path: new URL(destination.url).pathname,
    config,
    remove: async () => {
      await axios.delete(`${e.connectUrl}/connectors/${connector}`, { validateStatus: () => true });
    },
  };
}

/** Each sink's arrivals of `ids` (waited for one after another, `ms` in all), and their sum. */
export async function arrivalsAt(
  receiver: ReceiverClient,
  sinks: readonly DrillSink[],
  ids: readonly string[],
  ms: number,
): Promise<{ each: Map<string, Arrivals>; total: Arrivals }> {
  const deadline = Date.now() + ms;
  const each = new Map<string, Arrivals>();
  for (const sink of sinks)
    each.set(
      sink.name,
      await waitForArrivals(receiver, sink, ids, Math.max(deadline - Date.now(), 1)),
    );
  const all = [...each.values()];
  const refused: Record<number, number> = {};
  for (const a of all)
    for (const [status, n] of Object.entries(a.refused))
      refused[Number(status)] = (refused[Number(status)] ?? 0) + n;
  return {
    each,
    // Any other figure is the first sink's; these are the sums (or the worst) over all of them.
    total: {
      ...all[0],
      distinct: all.reduce((sum, a) => sum + a.distinct, 0),
      duplicates: all.reduce((sum, a) => sum + a.duplicates, 0),
      missing: all.flatMap((a) => a.missing),
      requests: all.reduce((sum, a) => sum + a.requests, 0),
      maxDeliveryGapMs: Math.max(...all.map((a) => a.maxDeliveryGapMs)),
      refused,
    },
  };
}
