import { IncomingHttpHeaders } from "node:http";
import { extractEvents } from "./receiverEvents";

/**
 * What the receiver answers, as set through its control API: failures for the next N requests
 * or for a while (429 and 503 with `Retry-After`), a status for events of one kind, latency and
 * basic auth. Pure state and decisions; receiver.ts does the HTTP.
 */

export interface FailBehaviour {
  readonly status: number;
  /** Requests still to fail; absent when failing for a while. */
  readonly remaining?: number;
  /** Epoch ms until which requests fail; absent when failing a count. */
  readonly until?: number;
  /** Seconds in `Retry-After` of 429 and 503 answers. */
  readonly retryAfter?: number;
  /** `seconds` (default) or `date` (an HTTP date that many seconds ahead). */
  readonly retryAfterFormat?: "seconds" | "date";
}

/** Requests holding an event whose `field` (a dot path) equals `value` are answered `status`. */
export interface RejectBehaviour {
  readonly status: number;
  readonly field: string;
  readonly value: string;
}

export interface ReceiverBehaviour {
  readonly fail?: FailBehaviour;
  readonly reject?: RejectBehaviour;
  readonly latencyMs: number;
  readonly auth?: { readonly user: string };
}

type Parsed<T> = { readonly ok: T } | { readonly error: string };

/** `{"status":500|429|503,"count"?:N,"forMs"?:MS,"retryAfter"?:S,"retryAfterFormat"?:"date"}` */
export function parseFail(body: unknown, now: number): Parsed<FailBehaviour | undefined> {
  const spec = body as Record<string, unknown> | null | undefined;
  const status = Number(spec?.status);
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    return { error: "`status` must be an HTTP error status (400-599)" };
  }
  const count = spec?.count === undefined ? undefined : Number(spec.count);
  const forMs = spec?.forMs === undefined ? undefined : Number(spec.forMs);
  if ((count === undefined) === (forMs === undefined)) {
    return { error: "give exactly one of `count` (requests) and `forMs` (milliseconds)" };
  }
  if (count !== undefined && (!Number.isInteger(count) || count < 0)) {
    return { error: "`count` must be a non-negative integer" };
  }
  if (forMs !== undefined && (!Number.isFinite(forMs) || forMs < 0)) {
    return { error: "`forMs` must be a non-negative number" };
  }
  const retryAfter = spec?.retryAfter === undefined ? undefined : Number(spec.retryAfter);
  if (retryAfter !== undefined && (!Number.isInteger(retryAfter) || retryAfter < 0)) {
    return { error: "`retryAfter` must be whole seconds" };
  }
  const format = spec?.retryAfterFormat ?? "seconds";
  if (format !== "seconds" && format !== "date") {
    return { error: '`retryAfterFormat` must be "seconds" or "date"' };
  }
  if (count === 0 || forMs === 0) return { ok: undefined };
  return {
    ok: {
      status,
      remaining: count,
      until: forMs === undefined ? undefined : now + forMs,
      retryAfter,
      retryAfterFormat: format,
    },
  };
}

/** `{"status":400,"field":"kind","value":"bad"}`, or null to stop. */
export function parseReject(body: unknown): Parsed<RejectBehaviour | undefined> {
  if (body === null) return { ok: undefined };
  const spec = body as Record<string, unknown> | undefined;
  const status = Number(spec?.status);
  if (!Number.isInteger(status) || status < 400 || status > 599) {
    return { error: "`status` must be an HTTP error status (400-599)" };
  }
  if (typeof spec?.field !== "string" || spec.field === "" || typeof spec.value !== "string") {
    return { error: 'send {"status":400,"field":"kind","value":"bad"} or null' };
  }
  return { ok: { status, field: spec.field, value: spec.value } };
}

function valueAt(event: unknown, path: string): unknown {
  let value = event;
  for (const key of path.split(".")) {
    value =
      value !== null && typeof value === "object"
        ? (value as Record<string, unknown>)[key]
        : undefined;
  }
  return value;
}

export function authorized(
  header: string | undefined,
  auth: { user: string; password: string },
): boolean {
  if (!header?.startsWith("Basic ")) return false;
  const decoded = Buffer.from(header.slice(6), "base64").toString("utf8");
  return decoded === `${auth.user}:${auth.password}`;
}

/** The receiver's mutable behaviour and the answer it gives one request. */
export class Behaviours {
  fail?: FailBehaviour;
  reject?: RejectBehaviour;
  latencyMs = 0;
  auth?: { user: string; password: string };

  reset(): void {
    this.fail = this.reject = this.auth = undefined;
    this.latencyMs = 0;
  }

  view(): ReceiverBehaviour {
    return {
      fail: this.fail ? { ...this.fail } : undefined,
      reject: this.reject ? { ...this.reject } : undefined,
      latencyMs: this.latencyMs,
      auth: this.auth ? { user: this.auth.user } : undefined,
    };
  }

  /** Status and extra headers for a request with these headers and (parsed) body, at `now`. */
  answer(
    headers: IncomingHttpHeaders,
    json: unknown,
    now: number,
  ): { status: number; headers: Record<string, string> } {
    const out: Record<string, string> = {};
    if (this.auth && !authorized(headers.authorization, this.auth)) {
      out["WWW-Authenticate"] = 'Basic realm="receiver"';
      return { status: 401, headers: out };
    }
    if (this.fail?.until !== undefined && now >= this.fail.until) this.fail = undefined;
    const fail = this.fail;
    if (fail) {
      if (fail.status === 429 || fail.status === 503) {
        const seconds = fail.retryAfter ?? 1;
        out["Retry-After"] =
          fail.retryAfterFormat === "date"
            ? new Date(Math.ceil(now / 1000) * 1000 + seconds * 1000).toUTCString()
            : String(seconds);
      }
      if (fail.remaining !== undefined) {
        this.fail = fail.remaining > 1 ? { ...fail, remaining: fail.remaining - 1 } : undefined;
      }
      return { status: fail.status, headers: out };
    }
    const reject = this.reject;
    if (
      reject &&
      extractEvents(json).some((e) => String(valueAt(e, reject.field)) === reject.value)
    ) {
      return { status: reject.status, headers: out };
    }
    return { status: 200, headers: out };
  }
}
