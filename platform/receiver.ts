import {
  IncomingHttpHeaders,
  IncomingMessage,
  Server,
  ServerResponse,
  createServer,
} from "node:http";
import { AddressInfo } from "node:net";
import { gunzipSync } from "node:zlib";
import { Command } from "commander";
import { Behaviours, ReceiverBehaviour, parseFail, parseReject } from "./receiverBehaviour";
import { extractEventIds } from "./receiverEvents";
import { OAuthServer, parseOAuth } from "./receiverOAuth";

export type { FailBehaviour, ReceiverBehaviour, RejectBehaviour } from "./receiverBehaviour";

export { extractEventIds, extractEvents } from "./receiverEvents";

/**
 * Stand-in for an analytics provider's HTTP API. Every request outside `/_receiver/` is recorded
 * and answered 200, unless a behaviour set through the control API says otherwise:
 *
 *   GET  /_receiver/requests?since=SEQ&limit=N   recorded requests after SEQ, oldest first
 *   GET  /_receiver/ids?field=id&all=false       event ids in accepted bodies (see extractEventIds)
 *   GET  /_receiver/stats                         counters
 *   POST /_receiver/reset                         forget requests and behaviours
 *   POST /_receiver/fail     {"status","count"|"forMs","retryAfter"?,"retryAfterFormat"?}
 *                            fail the next N requests or for a while; 429 and 503 carry
 *                            `Retry-After` (seconds, or an HTTP date with "date")
 *   POST /_receiver/reject   {"status","field","value"} | null   answer `status` to requests
 *                            holding an event whose `field` equals `value`
 *   POST /_receiver/latency  {"ms":N}              delay every answer
 *   POST /_receiver/auth     {"user","password"} | null   require basic auth (401 otherwise)
 *   POST /_receiver/oauth2   {"clientId","clientSecret","mode"?,"ttlMs","expiresIn"?} | null
 *                            require OAuth2 bearer tokens issued by its own token endpoint,
 *                            POST /_receiver/oauth2/token; GET /_receiver/oauth2 counts them
 *                            (see receiverOAuth.ts)
 *
 * A body sent with `Content-Encoding: gzip` is decoded before it is recorded (`encoding` says
 * so); one that does not decode is answered 400.
 */

export interface RecordedRequest {
  /** Increases by one per recorded request; use it as a cursor with `since`. */
  readonly seq: number;
  /** Epoch milliseconds when the body was fully read. */
  readonly receivedAt: number;
  readonly method: string;
  /** Path and query string. */
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** The body parsed as JSON, when it is JSON. */
  readonly json?: unknown;
  /** What the receiver answered: 2xx means the provider accepted it. */
  readonly status: number;
  /** True when the stored body was cut at `maxBodyBytes`. */
  readonly truncated: boolean;
  /** `gzip` when the body arrived compressed (it is stored decoded). */
  readonly encoding?: string;
}

export interface ReceiverStats {
  readonly received: number;
  readonly accepted: number;
  readonly rejected: number;
  /** Requests currently held; older ones were evicted when over `maxRequests` or `maxBytes`. */
  readonly stored: number;
  readonly evicted: number;
  readonly storedBytes: number;
  readonly lastSeq: number;
  readonly firstAt?: number;
  readonly lastAt?: number;
  readonly behaviour: ReceiverBehaviour;
}

export interface ReceiverOptions {
  /** Defaults to 127.0.0.1. */
  readonly host?: string;
  /** Defaults to 0 (any free port). */
  readonly port?: number;
  /** Most requests held at once. Defaults to 100,000. */
  readonly maxRequests?: number;
  /** Most body bytes held at once. Defaults to 256 MiB. */
  readonly maxBytes?: number;
  /** Longest body stored per request (the rest is dropped, `truncated` set). Defaults to 4 MiB. */
  readonly maxBodyBytes?: number;
}

export interface RunningReceiver {
  readonly url: string;
  readonly port: number;
  readonly server: Server;
  close(): Promise<void>;
}

const CONTROL = "/_receiver/";

class Receiver {
  private requests: RecordedRequest[] = [];
  private head = 0; // index of the oldest live entry; compacted lazily to keep eviction O(1)
  private storedBytes = 0;
  private seq = 0;
  private received = 0;
  private accepted = 0;
  private rejected = 0;
  private evicted = 0;
  private firstAt?: number;
  private lastAt?: number;
  private readonly behaviours = new Behaviours();
  private readonly oauth = new OAuthServer();

  constructor(private readonly options: Required<Omit<ReceiverOptions, "host" | "port">>) {}

  reset(): void {
    this.requests = [];
    this.head = 0;
    this.storedBytes = 0;
    this.received = this.accepted = this.rejected = this.evicted = 0;
    this.firstAt = this.lastAt = undefined;
    this.behaviours.reset();
    this.oauth.configure(undefined);
    // seq keeps growing, so a client's old cursor never matches a new request
  }

  stats(): ReceiverStats {
    return {
      received: this.received,
      accepted: this.accepted,
      rejected: this.rejected,
      stored: this.requests.length - this.head,
      evicted: this.evicted,
      storedBytes: this.storedBytes,
      lastSeq: this.seq,
      firstAt: this.firstAt,
      lastAt: this.lastAt,
      behaviour: this.behaviours.view(),
    };
  }

  list(since: number, limit: number): RecordedRequest[] {
    const out: RecordedRequest[] = [];
    for (let i = this.head; i < this.requests.length && out.length < limit; i++) {
      if (this.requests[i].seq > since) out.push(this.requests[i]);
    }
    return out;
  }

  private store(entry: RecordedRequest): void {
    this.requests.push(entry);
    this.storedBytes += entry.body.length;
    while (
      this.requests.length - this.head > this.options.maxRequests ||
      (this.storedBytes > this.options.maxBytes && this.requests.length - this.head > 1)
    ) {
      this.storedBytes -= this.requests[this.head].body.length;
      this.head++;
      this.evicted++;
    }
    if (this.head > 1024 && this.head * 2 > this.requests.length) {
      this.requests = this.requests.slice(this.head);
      this.head = 0;
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const gzip = req.headers["content-encoding"] === "gzip";
    const { text, truncated, undecodable } = await readBody(req, this.options.maxBodyBytes, gzip);
    const path = req.url ?? "/";
    if (req.method === "POST" && path.split("?")[0] === `${CONTROL}oauth2/token`) {
      const token = this.oauth.token(req.headers, text, Date.now());
      res.writeHead(token.status, { "Content-Type": "application/json", ...token.headers });
      res.end(JSON.stringify(token.body));
      return;
    }
    if (path.startsWith(CONTROL)) {
      this.control(req.method ?? "GET", path, text, res);
      return;
    }
    const receivedAt = Date.now();
    const json = parseJson(text);
    const answer = undecodable
      ? { status: 400, headers: {} }
      : (this.oauth.check(req.headers, receivedAt) ??
        this.behaviours.answer(req.headers, json, receivedAt));
    const status = answer.status;
    const headers: Record<string, string> = {
      "Content-Type": "application/json",
      ...answer.headers,
    };
    this.received++;
    if (status < 300) this.accepted++;
    else this.rejected++;
    this.firstAt ??= receivedAt;
    this.lastAt = receivedAt;
    this.store({
      seq: ++this.seq,
      receivedAt,
      method: req.method ?? "GET",
      path,
      headers: req.headers,
      body: text,
      json,
      status,
      truncated,
      encoding: gzip ? "gzip" : undefined,
    });
    const latency = this.behaviours.latencyMs;
    if (latency > 0) await new Promise((r) => setTimeout(r, latency));
    res.writeHead(status, headers);
    res.end(JSON.stringify(status < 300 ? { ok: true } : { ok: false, status }));
  }

  private control(method: string, path: string, text: string, res: ServerResponse): void {
    const url = new URL(path, "http://receiver");
    const route = `${method} ${url.pathname}`;
    const body = parseJson(text);
    const reply = (status: number, payload: unknown): void => {
      res.writeHead(status, { "Content-Type": "application/json" });
      res.end(JSON.stringify(payload));
    };
    switch (route) {
      case "GET /_receiver/stats":
        return reply(200, this.stats());
      case "GET /_receiver/requests": {
        const since = Number(url.searchParams.get("since") ?? "0");
        const limit = Number(url.searchParams.get("limit") ?? "10000");
        if (!Number.isFinite(since) || !Number.isInteger(limit) || limit < 1) {
          return reply(400, { error: "`since` must be a number and `limit` a positive integer" });
        }
        const requests = this.list(since, limit);
        const next = requests.length > 0 ? requests[requests.length - 1].seq : since;
        return reply(200, { requests, next, lastSeq: this.seq });
      }
      case "GET /_receiver/ids": {
        const field = url.searchParams.get("field") ?? "id";
        const all = url.searchParams.get("all") === "true";
        const ids = this.list(0, Number.MAX_SAFE_INTEGER)
          .filter((r) => all || r.status < 300)
          .flatMap((r) => extractEventIds(r.json, field));
        return reply(200, { ids, evicted: this.evicted });
      }
      case "POST /_receiver/reset":
        this.reset();
        return reply(200, this.stats());
      case "POST /_receiver/fail": {
        const parsed = parseFail(body, Date.now());
        if ("error" in parsed) return reply(400, { error: parsed.error });
        this.behaviours.fail = parsed.ok;
        return reply(200, this.behaviours.view());
      }
      case "POST /_receiver/reject": {
        const parsed = parseReject(body);
        if ("error" in parsed) return reply(400, { error: parsed.error });
        this.behaviours.reject = parsed.ok;
        return reply(200, this.behaviours.view());
      }
      case "POST /_receiver/latency": {
        const ms = Number((body as { ms?: unknown } | null)?.ms);
        if (!Number.isFinite(ms) || ms < 0) {
          return reply(400, { error: "`ms` must be a non-negative number" });
        }
        this.behaviours.latencyMs = ms;
        return reply(200, this.behaviours.view());
      }
      case "POST /_receiver/auth": {
        if (body === null) {
          this.behaviours.auth = undefined;
          return reply(200, this.behaviours.view());
        }
        const creds = body as { user?: unknown; password?: unknown } | undefined;
        if (typeof creds?.user !== "string" || typeof creds.password !== "string") {
          return reply(400, { error: 'send {"user":"...","password":"..."} or null' });
        }
        this.behaviours.auth = { user: creds.user, password: creds.password };
        return reply(200, this.behaviours.view());
      }
      case "GET /_receiver/oauth2":
        return reply(200, this.oauth.stats());
      case "POST /_receiver/oauth2": {
        const parsed = parseOAuth(body);
        if ("error" in parsed) return reply(400, { error: parsed.error });
        this.oauth.configure(parsed.ok);
        return reply(200, this.oauth.stats());
      }
      default:
        return reply(404, { error: `no control route ${route}` });
    }
  }
}

function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function readBody(
  req: IncomingMessage,
  maxBytes: number,
  gzip: boolean,
): Promise<{ text: string; truncated: boolean; undecodable: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let truncated = false;
    req.on("data", (chunk: Buffer) => {
      if (size + chunk.length > maxBytes) {
        truncated = true;
        chunk = chunk.subarray(0, Math.max(0, maxBytes - size));
      }
      size += chunk.length;
      if (chunk.length > 0) chunks.push(chunk);
    });
    req.on("end", () => {
      let body = Buffer.concat(chunks);
      if (gzip && !truncated) {
        try {
          body = gunzipSync(body);
        } catch {
          resolve({ text: body.toString("latin1"), truncated, undecodable: true });
          return;
        }
      }
      resolve({ text: body.toString("utf8"), truncated, undecodable: false });
    });
    req.on("error", reject);
  });
}

/** Starts a receiver in this process; tests can use it without the platform. */
export function startReceiver(options: ReceiverOptions = {}): Promise<RunningReceiver> {
  const receiver = new Receiver({
    maxRequests: options.maxRequests ?? 100_000,
    maxBytes: options.maxBytes ?? 256 * 1024 * 1024,
    maxBodyBytes: options.maxBodyBytes ?? 4 * 1024 * 1024,
  });
  const server = createServer((req, res) => {
    receiver.handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ error: String(err) }));
    });
  });
  // Connectors keep connections alive; a short idle timeout would show up as spurious resets.
  server.keepAliveTimeout = 65_000;
  const host = options.host ?? "127.0.0.1";
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => {
      const port = (server.address() as AddressInfo).port;
      resolve({
        url: `http://${host}:${port}`,
        port,
        server,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

async function main(): Promise<void> {
  const program = new Command()
    .name("receiver")
    .description("Analytics receiver: records HTTP requests; control API under /_receiver/")
    .option("--host <host>", "address to bind", "127.0.0.1")
    .option("--port <port>", "port to bind", "18090")
    .option("--max-requests <n>", "most requests held", "100000")
    // `up` passes a marker naming its state folder, to recognise this process by its pid.
    .option("--marker <text>", "ignored; identifies the process in its command line")
    .parse(process.argv);
  const opts = program.opts<{ host: string; port: string; maxRequests: string }>();
  const running = await startReceiver({
    host: opts.host,
    port: Number(opts.port),
    maxRequests: Number(opts.maxRequests),
  });
  console.log(`receiver listening on ${running.url}`);
  const stop = (): void => {
    void running.close().then(() => process.exit(0));
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
