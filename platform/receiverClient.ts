import axios, { AxiosInstance } from "axios";
import type { ReceiverBehaviour, ReceiverStats, RecordedRequest } from "./receiver";
import { extractEventIds } from "./receiverEvents";
import type { ClientAuthMode, OAuthStats } from "./receiverOAuth";

export type { ReceiverBehaviour, ReceiverStats, RecordedRequest } from "./receiver";
export { extractEventIds, extractEvents } from "./receiverEvents";
export type { ClientAuthMode, OAuthStats } from "./receiverOAuth";

/** Pulls event ids out of one recorded request. */
export type IdExtractor = (request: RecordedRequest) => readonly string[];

/** Default: the `id` field of every event in the body (object, array or batch envelope). */
export const idsFromBody =
  (field = "id"): IdExtractor =>
  (request) =>
    extractEventIds(request.json, field);

export interface WaitForIdsOptions {
  /** Defaults to 60 s. */
  readonly timeoutMs?: number;
  /** Defaults to the `id` field of each event. */
  readonly extract?: IdExtractor;
  /** Poll interval. Defaults to 250 ms. */
  readonly intervalMs?: number;
}

export interface DeliveryReport {
  /** Expected ids never accepted by the receiver. */
  readonly missing: string[];
  /** Ids accepted more than once (at-least-once delivery shows up here). */
  readonly duplicates: string[];
  readonly acceptedRequests: number;
}

/** Typed client of the receiver's control API (`/_receiver/...`). */
export class ReceiverClient {
  private readonly http: AxiosInstance;

  constructor(readonly baseUrl: string) {
    this.http = axios.create({ baseURL: baseUrl, timeout: 10_000 });
  }

  async stats(): Promise<ReceiverStats> {
    return (await this.http.get<ReceiverStats>("/_receiver/stats")).data;
  }

  async reset(): Promise<void> {
    await this.http.post("/_receiver/reset");
  }

  /** Every recorded request after `since` (all of them by default), oldest first. */
  async requests(since = 0): Promise<RecordedRequest[]> {
    const out: RecordedRequest[] = [];
    let cursor = since;
    for (;;) {
      const { data } = await this.http.get<{ requests: RecordedRequest[]; next: number }>(
        "/_receiver/requests",
        { params: { since: cursor, limit: 5000 } },
      );
      out.push(...data.requests);
      if (data.requests.length < 5000) return out;
      cursor = data.next;
    }
  }

  /** Answer the next `count` requests with `status` (429 and 503 carry `Retry-After`). */
  async fail(status: number, count: number, retryAfter?: number): Promise<ReceiverBehaviour> {
    return (
      await this.http.post<ReceiverBehaviour>("/_receiver/fail", { status, count, retryAfter })
    ).data;
  }

  /**
   * Answer every request with `status` for `forMs` milliseconds; 429 and 503 carry
   * `Retry-After: retryAfter` (seconds, or an HTTP date that far ahead with `format` "date").
   */
  async failFor(
    status: number,
    forMs: number,
    retryAfter?: number,
    format: "seconds" | "date" = "seconds",
  ): Promise<ReceiverBehaviour> {
    return (
      await this.http.post<ReceiverBehaviour>("/_receiver/fail", {
        status,
        forMs,
        retryAfter,
        retryAfterFormat: format,
      })
    ).data;
  }

  /** Answer `status` to requests holding an event whose `field` equals `value`; null stops. */
  async reject(
    rule: { status: number; field: string; value: string } | null,
  ): Promise<ReceiverBehaviour> {
    return (
      await this.http.post<ReceiverBehaviour>("/_receiver/reject", JSON.stringify(rule), {
        headers: { "Content-Type": "application/json" },
      })
    ).data;
  }

  /** Delay every answer by `ms`. */
  async latency(ms: number): Promise<ReceiverBehaviour> {
    return (await this.http.post<ReceiverBehaviour>("/_receiver/latency", { ms })).data;
  }

  /** Require basic auth with these credentials, or stop requiring it with `null`. */
  async auth(credentials: { user: string; password: string } | null): Promise<ReceiverBehaviour> {
    return (
      await this.http.post<ReceiverBehaviour>("/_receiver/auth", JSON.stringify(credentials), {
        headers: { "Content-Type": "application/json" },
      })
    ).data;
  }

  /** The receiver's own OAuth2 token endpoint (client credentials grant). */
  get oauth2TokenUrl(): string {
    return `${this.baseUrl}/_receiver/oauth2/token`;
  }

  /**
   * Require bearer tokens issued by the receiver's token endpoint to this client, living `ttlMs`
   * and announced as `expiresIn` seconds; `null` stops requiring them.
   */
  async oauth2(
    settings: {
      clientId: string;
      clientSecret: string;
      mode?: ClientAuthMode;
      ttlMs: number;
      expiresIn?: number;
    } | null,
  ): Promise<OAuthStats> {
    return (
      await this.http.post<OAuthStats>("/_receiver/oauth2", JSON.stringify(settings), {
        headers: { "Content-Type": "application/json" },
      })
    ).data;
  }

  /** Tokens issued and requests refused by the receiver's OAuth2 server. */
  async oauth2Stats(): Promise<OAuthStats> {
    return (await this.http.get<OAuthStats>("/_receiver/oauth2")).data;
  }

  /** Ids of the events in accepted (2xx) requests, in arrival order, duplicates kept. */
  async acceptedIds(extract: IdExtractor = idsFromBody()): Promise<string[]> {
    return (await this.requests()).filter((r) => r.status < 300).flatMap((r) => [...extract(r)]);
  }

  /**
   * Polls until every expected id has been accepted or the timeout passes, then reports what is
   * missing and what arrived twice. Never throws for missing ids: the caller asserts.
   */
  async waitForIds(
    expected: Iterable<string>,
    options: WaitForIdsOptions = {},
  ): Promise<DeliveryReport> {
    const want = new Set(expected);
    const deadline = Date.now() + (options.timeoutMs ?? 60_000);
    const extract = options.extract ?? idsFromBody();
    const counts = new Map<string, number>();
    let cursor = 0;
    let acceptedRequests = 0;
    for (;;) {
      for (const request of await this.requests(cursor)) {
        cursor = request.seq;
        if (request.status >= 300) continue;
        acceptedRequests++;
        for (const id of extract(request)) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
      const missing = [...want].filter((id) => !counts.has(id));
      if (missing.length === 0 || Date.now() > deadline) {
        const duplicates = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
        return { missing, duplicates, acceptedRequests };
      }
      await new Promise((r) => setTimeout(r, options.intervalMs ?? 250));
    }
  }
}
