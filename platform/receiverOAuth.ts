import { randomBytes } from "node:crypto";
import { IncomingHttpHeaders } from "node:http";

/**
 * The receiver as an OAuth2 authorization server of its own (client credentials grant), so a
 * connector's `auth.type=OAUTH2` is tested against tokens that really expire:
 *
 *   POST /_receiver/oauth2        {"clientId","clientSecret","mode"?,"ttlMs","expiresIn"?} | null
 *                                 turn it on (every recorded request then needs a valid token)
 *   POST /_receiver/oauth2/token  the token endpoint (form body, `grant_type=client_credentials`)
 *   GET  /_receiver/oauth2        counters
 *
 * `mode` says how a client may authenticate at the token endpoint, as Confluent's
 * `oauth2.client.auth.mode`: `header` (HTTP Basic, RFC 6749 `client_secret_basic`), `url`
 * (`client_id` and `client_secret` form fields, `client_secret_post`) or `any` (the default).
 * A token lives `ttlMs`; its answer says `expires_in: expiresIn` seconds (defaults to ttlMs
 * rounded up), which may be longer than it lives, to test a client that learns of the expiry
 * from a 401. Pure state and decisions; receiver.ts does the HTTP.
 */

export type ClientAuthMode = "header" | "url" | "any";

export interface OAuthSettings {
  readonly clientId: string;
  readonly clientSecret: string;
  readonly mode: ClientAuthMode;
  readonly ttlMs: number;
  readonly expiresIn: number;
}

export interface OAuthStats {
  readonly enabled: boolean;
  readonly clientId?: string;
  readonly mode?: ClientAuthMode;
  readonly ttlMs?: number;
  readonly expiresIn?: number;
  /** Tokens issued since it was turned on. */
  readonly issued: number;
  /** Token requests refused (bad grant, bad or missing client credentials, wrong mode). */
  readonly refusedTokenRequests: number;
  /** Recorded requests answered 401: no bearer token, an unknown one or an expired one. */
  readonly missingToken: number;
  readonly expiredToken: number;
  readonly unknownToken: number;
}

export interface OAuthAnswer {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: unknown;
}

type Parsed<T> = { readonly ok: T } | { readonly error: string };

/** `{"clientId","clientSecret","mode"?,"ttlMs","expiresIn"?}`, or null to turn it off. */
export function parseOAuth(body: unknown): Parsed<OAuthSettings | undefined> {
  if (body === null) return { ok: undefined };
  const spec = body as Record<string, unknown> | undefined;
  if (
    typeof spec?.clientId !== "string" ||
    spec.clientId === "" ||
    typeof spec.clientSecret !== "string" ||
    spec.clientSecret === ""
  ) {
    return { error: 'send {"clientId":"...","clientSecret":"...","ttlMs":N} or null' };
  }
  const mode = spec.mode ?? "any";
  if (mode !== "header" && mode !== "url" && mode !== "any") {
    return { error: '`mode` must be "header", "url" or "any"' };
  }
  const ttlMs = Number(spec.ttlMs);
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) {
    return { error: "`ttlMs` must be a positive number of milliseconds" };
  }
  const expiresIn = spec.expiresIn === undefined ? Math.ceil(ttlMs / 1000) : Number(spec.expiresIn);
  if (!Number.isInteger(expiresIn) || expiresIn < 0) {
    return { error: "`expiresIn` must be whole seconds" };
  }
  return {
    ok: { clientId: spec.clientId, clientSecret: spec.clientSecret, mode, ttlMs, expiresIn },
  };
}

const first = (v: string | string[] | undefined): string | undefined =>
  Array.isArray(v) ? v[0] : v;

/** The receiver's token server and the bearer check of every recorded request. */
export class OAuthServer {
  private settings?: OAuthSettings;
  private readonly tokens = new Map<string, number>(); // token -> expiry (epoch ms)
  private issued = 0;
  private refusedTokenRequests = 0;
  private missingToken = 0;
  private expiredToken = 0;
  private unknownToken = 0;

  configure(settings: OAuthSettings | undefined): void {
    this.settings = settings;
    this.tokens.clear();
    this.issued = this.refusedTokenRequests = 0;
    this.missingToken = this.expiredToken = this.unknownToken = 0;
  }

  stats(): OAuthStats {
    const s = this.settings;
    return {
      enabled: s !== undefined,
      clientId: s?.clientId,
      mode: s?.mode,
      ttlMs: s?.ttlMs,
      expiresIn: s?.expiresIn,
      issued: this.issued,
      refusedTokenRequests: this.refusedTokenRequests,
      missingToken: this.missingToken,
      expiredToken: this.expiredToken,
      unknownToken: this.unknownToken,
    };
  }

  /** Answers a token request (RFC 6749 section 4.4) with these headers and form body. */
  token(headers: IncomingHttpHeaders, body: string, now: number): OAuthAnswer {
    const s = this.settings;
    if (!s) {
      return this.refuse(404, "invalid_request", "the receiver's OAuth2 server is off");
    }
    const form = new URLSearchParams(body);
    if (form.get("grant_type") !== "client_credentials") {
      return this.refuse(400, "unsupported_grant_type", "only client_credentials is supported");
    }
    const basic = first(headers.authorization);
    let id: string | null = null;
    let secret: string | null = null;
    if (basic?.startsWith("Basic ")) {
      if (s.mode === "url") {
        return this.refuse(401, "invalid_client", "this client must send its secret in the body");
      }
      const pair = Buffer.from(basic.slice(6), "base64").toString("utf8");
      const colon = pair.indexOf(":");
      id = colon < 0 ? pair : decodeURIComponent(pair.slice(0, colon));
      secret = colon < 0 ? "" : decodeURIComponent(pair.slice(colon + 1));
    } else if (form.has("client_secret")) {
      if (s.mode === "header") {
        return this.refuse(401, "invalid_client", "this client must use HTTP Basic");
      }
      id = form.get("client_id");
      secret = form.get("client_secret");
    }
    if (id !== s.clientId || secret !== s.clientSecret) {
      return this.refuse(401, "invalid_client", "unknown client or wrong secret");
    }
    const token = randomBytes(18).toString("base64url");
    this.tokens.set(token, now + s.ttlMs);
    this.issued++;
    // Long-expired tokens are forgotten (a late request with one is then "unknown").
    for (const [t, until] of this.tokens) if (until + 600_000 <= now) this.tokens.delete(t);
    return {
      status: 200,
      headers: { "Cache-Control": "no-store" },
      body: { access_token: token, token_type: "Bearer", expires_in: s.expiresIn },
    };
  }

  /** undefined when the request may go on; otherwise the 401 to answer. */
  check(headers: IncomingHttpHeaders, now: number): OAuthAnswer | undefined {
    if (!this.settings) return undefined;
    const auth = first(headers.authorization);
    const deny = (description: string): OAuthAnswer => ({
      status: 401,
      headers: {
        "WWW-Authenticate": `Bearer realm="receiver", error="invalid_token", error_description="${description}"`,
      },
      body: { ok: false, status: 401, error: "invalid_token" },
    });
    if (!auth?.startsWith("Bearer ")) {
      this.missingToken++;
      return deny("no bearer token");
    }
    const until = this.tokens.get(auth.slice(7));
    if (until === undefined) {
      this.unknownToken++;
      return deny("unknown token");
    }
    if (now >= until) {
      this.expiredToken++;
      return deny("the token expired");
    }
    return undefined;
  }

  private refuse(status: number, error: string, description: string): OAuthAnswer {
    this.refusedTokenRequests++;
    return {
      status,
      headers: status === 401 ? { "WWW-Authenticate": 'Basic realm="receiver-oauth2"' } : {},
      body: { error, error_description: description },
    };
  }
}
