import * as pulumi from "@pulumi/pulumi";

/**
 * What our HTTP sink adds to a request body for analytics APIs (connectors/http-sink, "Bodies
 * for analytics APIs"): an object envelope that may carry the API key inside the body, a byte
 * limit per request, and the event's id copied to the member the destination deduplicates on.
 */
export interface SinkBody {
  /** The events in this member of an object body; the API key, if any, in `secretField`. */
  readonly envelope?: { readonly eventsField: string; readonly secretField?: string };
  /** The API key that `envelope.secretField` carries. */
  readonly secret?: pulumi.Input<string>;
  /** Most bytes of one body; 0 or unset for no limit. */
  readonly maxBytes?: number;
  /** The member of each event holding its id. Defaults to `id`. */
  readonly idField?: string;
  /** Where the destination reads the id, as member names joined by dots. */
  readonly idTarget?: string;
}

/** The connector keys of a body's settings: plain ones, and the API key as a secret one. */
export function sinkBodyKeys(body: SinkBody | undefined): {
  readonly plain: Record<string, string>;
  readonly secret: Record<string, pulumi.Input<string>>;
} {
  const plain: Record<string, string> = {};
  const secret: Record<string, pulumi.Input<string>> = {};
  if (!body) return { plain, secret };
  if (body.envelope) {
    plain["batch.envelope.events.field"] = body.envelope.eventsField;
    if (body.envelope.secretField) {
      if (body.secret === undefined) {
        throw new Error(
          `\`batching.envelope.secretField\` "${body.envelope.secretField}" needs \`apiKeySecret\`: the config key of the API key it carries`,
        );
      }
      plain["batch.envelope.secret.field"] = body.envelope.secretField;
      secret["batch.envelope.secret"] = body.secret;
    }
  }
  if (body.maxBytes) plain["batch.max.bytes"] = String(body.maxBytes);
  if (body.idTarget) {
    plain["event.id.field"] = body.idField ?? "id";
    plain["event.id.target"] = body.idTarget;
  }
  return { plain, secret };
}

/** True when a body setting is used: only our connector class reads them. */
export function usesSinkBody(body: SinkBody | undefined): boolean {
  return !!(body?.envelope || body?.maxBytes || body?.idTarget);
}
