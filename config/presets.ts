/*
 * Destination presets: what each analytics API publishes about its batch endpoint, so a team
 * names the provider instead of re-reading its documentation. Every fact carries the page it comes
 * from (gathered in platform/research/destination-presets.md); a preset only fills defaults, and
 * every field it fills stays overridable in the destination.
 */

/** A documented limit and the page that documents it. */
export interface PublishedLimit {
  readonly value: number;
  readonly source: string;
}

export interface DestinationPreset {
  /** The provider and endpoint, as messages name it. */
  readonly title: string;
  /** The endpoint of each region the provider hosts (data residency). */
  readonly regions: Readonly<Record<string, string>>;
  readonly defaultRegion: string;
  /** An object body with the events in this member (and the API key in `secretField`). */
  readonly envelope?: { readonly eventsField: string; readonly secretField?: string };
  /** Where the API key goes: a member of the body, or a basic-auth username with no password. */
  readonly apiKey: "body" | "basic-username" | "none";
  /** The member the provider deduplicates on, set from the event's id. */
  readonly idTarget?: string;
  readonly maxEventsPerRequest?: PublishedLimit;
  readonly maxBytesPerRequest?: PublishedLimit;
  readonly maxRequestsPerSecond?: PublishedLimit;
  readonly maxEventsPerSecond?: PublishedLimit;
  /** The defaults the preset fills: within the limits, with room for a retry's duplicates. */
  readonly defaults: {
    readonly maxSize: number;
    readonly maxBytes?: number;
    readonly retryOnStatusCodes: string;
  };
}

const AMPLITUDE_HTTP_V2 = "https://amplitude.com/docs/apis/analytics/http-v2";
const MIXPANEL_IMPORT = "https://docs.mixpanel.com/reference/import-events";
const SEGMENT_HTTP_API =
  "https://segment.com/docs/connections/sources/catalog/libraries/server/http-api/";
const POSTHOG_CAPTURE = "https://posthog.com/docs/api/capture";

export const PRESETS = {
  amplitude: {
    title: "Amplitude HTTP V2 API",
    regions: {
      us: "https://api2.amplitude.com/2/httpapi",
      eu: "https://api.eu.amplitude.com/2/httpapi",
    },
    defaultRegion: "us",
    envelope: { eventsField: "events", secretField: "api_key" },
    apiKey: "body",
    idTarget: "insert_id",
    // "Keep request sizes under 1 MB with fewer than 2000 events per request."
    maxEventsPerRequest: { value: 2000, source: AMPLITUDE_HTTP_V2 },
    maxBytesPerRequest: { value: 1_000_000, source: AMPLITUDE_HTTP_V2 },
    // "Retry 429 and 5xx responses with backoff"; a 400 names invalid events.
    defaults: { maxSize: 1000, maxBytes: 1_000_000, retryOnStatusCodes: "408,429,500-" },
  },
  mixpanel: {
    title: "Mixpanel Ingestion API (/import)",
    regions: {
      us: "https://api.mixpanel.com/import?strict=1",
      eu: "https://api-eu.mixpanel.com/import?strict=1",
      in: "https://api-in.mixpanel.com/import?strict=1",
    },
    defaultRegion: "us",
    // A bare JSON array; the project token as the basic-auth username.
    apiKey: "basic-username",
    idTarget: "properties.$insert_id",
    // "up to 2000 events and 10MB uncompressed per request" (older pages say 2MB: the default).
    maxEventsPerRequest: { value: 2000, source: MIXPANEL_IMPORT },
    maxBytesPerRequest: { value: 10_000_000, source: MIXPANEL_IMPORT },
    // "2GB of uncompressed JSON/minute or ~30k events per second", per project.
    maxEventsPerSecond: { value: 30_000, source: MIXPANEL_IMPORT },
    // Never retry a 400: the valid events of the request are ingested already.
    defaults: { maxSize: 2000, maxBytes: 2_097_152, retryOnStatusCodes: "408,429,500-" },
  },
  segment: {
    title: "Segment HTTP Tracking API (/v1/batch)",
    regions: {
      us: "https://api.segment.io/v1/batch",
      eu: "https://events.eu1.segmentapis.com/v1/batch",
    },
    defaultRegion: "us",
    envelope: { eventsField: "batch", secretField: "writeKey" },
    apiKey: "body",
    idTarget: "messageId",
    // "a maximum of 500KB per batch API request ... up to 2500 events"; more answers 200 and drops.
    maxEventsPerRequest: { value: 2500, source: SEGMENT_HTTP_API },
    maxBytesPerRequest: { value: 500_000, source: SEGMENT_HTTP_API },
    // "no more than 1,000 requests per second" per workspace, else 429 with Retry-After.
    maxRequestsPerSecond: { value: 1000, source: SEGMENT_HTTP_API },
    defaults: { maxSize: 500, maxBytes: 500_000, retryOnStatusCodes: "408,429,500-" },
  },
  posthog: {
    title: "PostHog capture API (/batch/)",
    regions: { us: "https://us.i.posthog.com/batch/", eu: "https://eu.i.posthog.com/batch/" },
    defaultRegion: "us",
    envelope: { eventsField: "batch", secretField: "api_key" },
    apiKey: "body",
    // PostHog drops an event whose uuid is not a valid UUID: producers' ids must be UUIDs.
    idTarget: "uuid",
    // "no limit on the number of events ... the entire request body must be less than 20MB".
    maxBytesPerRequest: { value: 20_000_000, source: POSTHOG_CAPTURE },
    defaults: { maxSize: 500, maxBytes: 5_000_000, retryOnStatusCodes: "408,429,500-" },
  },
  webhook: {
    title: "a generic JSON webhook",
    regions: {},
    defaultRegion: "",
    apiKey: "none",
    defaults: { maxSize: 500, maxBytes: 1_000_000, retryOnStatusCodes: "408,429,500-" },
  },
} as const satisfies Record<string, DestinationPreset>;

export type PresetName = keyof typeof PRESETS;
export const PRESET_NAMES = [
  "amplitude",
  "mixpanel",
  "segment",
  "posthog",
  "webhook",
] as const satisfies readonly PresetName[];

export function presetOf(name: PresetName): DestinationPreset {
  return PRESETS[name];
}

type Raw = Record<string, unknown>;
const isObject = (v: unknown): v is Raw => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A destination as written, with its preset's defaults filled where the destination says
 * nothing: URL of its region, batch size and bytes, body envelope, id member, retried answers.
 * What the destination sets wins. An unknown region is refused here (no URL can follow from it);
 * an unknown preset is left for the schema to refuse.
 */
export function withPresetDefaults(raw: unknown, ctx: IssueSink): unknown {
  if (!isObject(raw) || typeof raw.preset !== "string" || !(raw.preset in PRESETS)) return raw;
  const preset = presetOf(raw.preset as PresetName);
  const region = typeof raw.region === "string" ? raw.region : preset.defaultRegion;
  const regions = Object.keys(preset.regions);
  if (raw.url === undefined && !regions.includes(region)) {
    ctx.addIssue({
      code: "custom",
      path: regions.length === 0 ? ["url"] : ["region"],
      input: raw.region,
      message:
        regions.length === 0
          ? `is required: ${preset.title} has no URL of its own`
          : `must be one of ${regions.map((r) => `"${r}"`).join(", ")} for ${preset.title} (or give \`url\`)`,
    });
    return raw;
  }
  const batching = isObject(raw.batching) ? raw.batching : {};
  const retries = isObject(raw.retries) ? raw.retries : {};
  const eventId = isObject(raw.eventId) ? raw.eventId : {};
  const url = raw.url ?? preset.regions[region];
  return {
    ...raw,
    ...(url === undefined ? {} : { url }),
    batching: {
      maxSize: preset.defaults.maxSize,
      ...(preset.defaults.maxBytes === undefined ? {} : { maxBytes: preset.defaults.maxBytes }),
      ...(preset.envelope ? { envelope: preset.envelope } : {}),
      ...batching,
    },
    retries: { retryOnStatusCodes: preset.defaults.retryOnStatusCodes, ...retries },
    ...(preset.idTarget ? { eventId: { target: preset.idTarget, ...eventId } } : {}),
  };
}

/** The parts of a parsed destination the preset rules read. */
interface Checked {
  readonly preset?: PresetName;
  readonly region?: string;
  readonly apiKeySecret?: string;
  readonly connectorClass: string;
  readonly auth: { readonly type: string };
  readonly batching: {
    readonly maxSize: number;
    readonly maxBytes: number;
    readonly jsonArray: boolean;
    readonly envelope?: { readonly eventsField: string; readonly secretField?: string };
  };
  readonly eventId: { readonly target?: string };
  readonly rateLimit: { readonly requestsPerSecond?: number; readonly eventsPerSecond?: number };
}

interface IssueSink {
  addIssue(issue: { code: "custom"; path: PropertyKey[]; input: unknown; message: string }): void;
}

const OUR_CLASSES = ["tracking", "local"];

/**
 * The rules a preset brings, and those of the body settings it fills: every setting within the
 * provider's published limit (naming the limit and its page), an API key where the API wants it,
 * a known region, and the body settings only on our connector class.
 */
export function checkPreset(d: Checked, ctx: IssueSink): void {
  const issue = (path: PropertyKey[], input: unknown, message: string): void =>
    ctx.addIssue({ code: "custom", path, input, message });
  const body = d.batching.envelope;
  if (!OUR_CLASSES.includes(d.connectorClass)) {
    const used: [PropertyKey[], unknown][] = [
      [["batching", "envelope"], body],
      [["eventId", "target"], d.eventId.target],
      [["batching", "maxBytes"], d.batching.maxBytes || undefined],
      [["preset"], d.preset],
    ];
    for (const [path, value] of used) {
      if (value === undefined) continue;
      issue(
        path,
        value,
        `is kept only by connectorClass "tracking" (our HTTP sink); "${d.connectorClass}" has no such setting: remove it, or set connectorClass "tracking"`,
      );
    }
    return;
  }
  if (body && d.batching.jsonArray) {
    issue(
      ["batching", "jsonArray"],
      true,
      "is true, but `batching.envelope` makes each body a JSON object: set it to false, or remove `batching.envelope`",
    );
  }
  if (d.apiKeySecret !== undefined && !body?.secretField && d.preset !== "mixpanel") {
    issue(
      ["apiKeySecret"],
      d.apiKeySecret,
      "has nowhere to go: name the body member that carries it in `batching.envelope.secretField` (or use a preset that does)",
    );
  }
  if (body?.secretField && d.apiKeySecret === undefined) {
    issue(
      ["apiKeySecret"],
      undefined,
      `is required: \`batching.envelope.secretField\` "${body.secretField}" carries the API key inside each request body; set \`apiKeySecret\` to the config key of the secret holding it`,
    );
  }
  if (d.region !== undefined && d.preset === undefined) {
    issue(
      ["region"],
      d.region,
      "is read only with a `preset`: set one (" +
        PRESET_NAMES.join(", ") +
        "), or give `url` and remove `region`",
    );
  }
  if (d.preset === undefined) return;
  const preset = presetOf(d.preset);
  const regions = Object.keys(preset.regions);
  if (d.region !== undefined && !regions.includes(d.region)) {
    issue(
      ["region"],
      d.region,
      `is not a region of ${preset.title} (${regions.join(", ") || "it has none"}): remove it, or pick one of them`,
    );
  }
  if (d.preset === "mixpanel" && d.apiKeySecret === undefined && d.auth.type !== "basic") {
    issue(
      ["apiKeySecret"],
      undefined,
      `is required for ${preset.title}: the project token goes as the basic-auth username (or set \`auth\` to "basic" with a service account and add \`project_id\` to \`url\`)`,
    );
  }
  const over = (
    path: PropertyKey[],
    value: number | undefined,
    limit: PublishedLimit | undefined,
    what: string,
  ): void => {
    if (value === undefined || limit === undefined || value <= limit.value) return;
    issue(
      path,
      value,
      `is ${value}, above ${preset.title}'s published limit of ${limit.value} ${what} (${limit.source}): set at most ${limit.value}`,
    );
  };
  over(
    ["batching", "maxSize"],
    d.batching.maxSize,
    preset.maxEventsPerRequest,
    "events per request",
  );
  over(
    ["batching", "maxBytes"],
    d.batching.maxBytes,
    preset.maxBytesPerRequest,
    "bytes per request",
  );
  over(
    ["rateLimit", "requestsPerSecond"],
    d.rateLimit.requestsPerSecond,
    preset.maxRequestsPerSecond,
    "requests a second",
  );
  over(
    ["rateLimit", "eventsPerSecond"],
    d.rateLimit.eventsPerSecond,
    preset.maxEventsPerSecond,
    "events a second",
  );
  if (preset.maxBytesPerRequest && d.batching.maxBytes === 0) {
    issue(
      ["batching", "maxBytes"],
      0,
      `is 0 (no limit), but ${preset.title} refuses requests over ${preset.maxBytesPerRequest.value} bytes (${preset.maxBytesPerRequest.source}): set at most ${preset.maxBytesPerRequest.value}`,
    );
  }
}
