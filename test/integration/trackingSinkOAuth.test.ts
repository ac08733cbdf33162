import axios from "axios";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idsFromBody } from "../../platform/receiverClient";
import {
  V2_JSON,
  createTopic,
  deleteConnector,
  platformEndpoints,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";

/**
 * Our HTTP sink with `auth.type=OAUTH2` on the real worker against the receiver's own token
 * endpoint: tokens that expire while the connector runs are replaced, and no event is lost.
 */
const e = platformEndpoints();
const client = receiver();
const CLIENT_ID = "tracking-sink";
// A test-only credential of the in-test receiver, not a secret of any system.
const CLIENT_SECRET = `test-${Math.random().toString(36).slice(2)}`;

const header = (r: RecordedRequest, name: string): string | undefined => {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
};

/** Produces `count` events in `waves` waves, `gapMs` apart; returns their ids. */
async function produceWaves(
  topic: string,
  prefix: string,
  waves: number,
  count: number,
  gapMs: number,
) {
  const ids: string[] = [];
  for (let w = 0; w < waves; w++) {
    const batch = Array.from({ length: count }, (_, i) => ({ id: `${prefix}-${w}-${i}`, wave: w }));
    await axios.post(
      `${e.restProxyUrl}/topics/${topic}`,
      { records: batch.map((value) => ({ value })) },
      { headers: { "Content-Type": V2_JSON } },
    );
    ids.push(...batch.map((b) => b.id));
    await new Promise((r) => setTimeout(r, gapMs));
  }
  return ids;
}

describe("tracking HTTP sink with OAuth2 client credentials", () => {
  const connectors: string[] = [];
  beforeEach(() => client.reset());
  afterAll(async () => {
    await client.reset();
    await Promise.all(connectors.map(deleteConnector));
  });

  async function sink(path: string, topic: string, mode: "header" | "url") {
    const name = uniqueName("tracking-sink-oauth");
    connectors.push(name);
    await putConnector(name, {
      "connector.class": e.httpSinkConnectorClass,
      topics: topic,
      "tasks.max": "1",
      "http.api.url": `${e.receiverUrl}${path}`,
      "auth.type": "OAUTH2",
      "oauth2.token.url": client.oauth2TokenUrl,
      "oauth2.client.id": CLIENT_ID,
      "oauth2.client.secret": CLIENT_SECRET,
      "oauth2.client.auth.mode": mode,
      "batch.max.size": "5",
      "batch.json.as.array": "true",
      // 401 is not in this list: only the connector's own "new token after a 401" retries it.
      "retry.on.status.codes": "429,500-",
      "retry.backoff.ms": "200",
    });
    return name;
  }

  it("replaces tokens that die before their announced expiry after a 401 (client_secret_basic), losing nothing", async () => {
    const path = `/${uniqueName("oauth-basic")}`;
    const topic = uniqueName("oauth-basic-src");
    await createTopic(topic, 1);
    // Tokens live 1.5 s but are announced for an hour: the connector learns from a 401.
    await client.oauth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      mode: "header",
      ttlMs: 1500,
      expiresIn: 3600,
    });
    const unauthenticated = await axios.post(`${e.receiverUrl}${path}`, [{ id: "no-token" }], {
      validateStatus: () => true,
    });
    expect(unauthenticated.status).toBe(401);
    const name = await sink(path, topic, "header");

    const ids = await produceWaves(topic, path, 6, 5, 1000);
    const report = await client.waitForIds(ids, {
      extract: (r) => (r.path.startsWith(path) ? idsFromBody()(r) : []),
      timeoutMs: 60_000,
    });
    expect(report.missing).toEqual([]);

    const stats = await client.oauth2Stats();
    expect(stats.refusedTokenRequests).toBe(0);
    expect(stats.issued).toBeGreaterThanOrEqual(3);
    expect(stats.expiredToken).toBeGreaterThanOrEqual(1);
    const requests = (await client.requests()).filter((r) => r.path.startsWith(path));
    const refused = requests.filter((r) => r.status === 401);
    const accepted = requests.filter((r) => r.status === 200);
    expect(refused.length).toBeGreaterThanOrEqual(2); // the unauthenticated probe and an expiry
    expect(accepted.every((r) => header(r, "Authorization")?.startsWith("Bearer "))).toBe(true);
    // Every batch refused for an expired token was accepted again with the same key and a new token.
    for (const r of refused.filter((q) => header(q, "Idempotency-Key"))) {
      const again = accepted.find(
        (a) => a.seq > r.seq && header(a, "Idempotency-Key") === header(r, "Idempotency-Key"),
      );
      expect(again).toBeDefined();
      expect(header(again as RecordedRequest, "Authorization")).not.toBe(
        header(r, "Authorization"),
      );
    }
    const status = await axios.get<{ tasks: { state: string }[] }>(
      `${e.connectUrl}/connectors/${name}/status`,
    );
    expect(status.data.tasks.map((t) => t.state)).toEqual(["RUNNING"]);
  }, 120_000);

  it("asks for a new token before the announced expiry, with the secret in the form body (client_secret_post)", async () => {
    const path = `/${uniqueName("oauth-post")}`;
    const topic = uniqueName("oauth-post-src");
    await createTopic(topic, 1);
    // Announced as 31 s: the connector keeps a token until 30 s before, so for 1 s.
    await client.oauth2({
      clientId: CLIENT_ID,
      clientSecret: CLIENT_SECRET,
      mode: "url",
      ttlMs: 31_000,
      expiresIn: 31,
    });
    await sink(path, topic, "url");

    const ids = await produceWaves(topic, path, 5, 4, 1200);
    const report = await client.waitForIds(ids, {
      extract: (r) => (r.path.startsWith(path) ? idsFromBody()(r) : []),
      timeoutMs: 60_000,
    });
    expect(report.missing).toEqual([]);
    const stats = await client.oauth2Stats();
    expect(stats.refusedTokenRequests).toBe(0);
    expect(stats.issued).toBeGreaterThanOrEqual(3);
    expect(stats.missingToken + stats.expiredToken + stats.unknownToken).toBe(0);
    const requests = (await client.requests()).filter((r) => r.path.startsWith(path));
    expect(requests.every((r) => r.status === 200)).toBe(true);
  }, 120_000);
});
