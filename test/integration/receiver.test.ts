import { gzipSync } from "node:zlib";
import axios from "axios";
import { extractEventIds, startReceiver } from "../../platform/receiver";
import { ReceiverClient } from "../../platform/receiverClient";
import { receiver } from "./platform";

const client = receiver();
const send = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  axios.post(`${client.baseUrl}${path}`, body, { validateStatus: () => true, headers });

describe("analytics receiver (platform process)", () => {
  beforeEach(() => client.reset());
  afterAll(() => client.reset());

  it("records method, path, headers, body text and parsed JSON", async () => {
    await send("/track?x=1", { id: "r1" }, { "X-Api-Key": "k" });
    const [r] = await client.requests();
    expect(r).toMatchObject({
      method: "POST",
      path: "/track?x=1",
      json: { id: "r1" },
      status: 200,
    });
    expect(r.body).toBe('{"id":"r1"}');
    expect(r.headers["x-api-key"]).toBe("k");
  });

  it("fails exactly the next N requests with the status asked for", async () => {
    await client.fail(500, 2);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await send("/t", { id: `f${i}` })).status);
    expect(statuses).toEqual([500, 500, 200]);
    const stats = await client.stats();
    expect(stats).toMatchObject({ received: 3, accepted: 1, rejected: 2 });
    expect(await client.acceptedIds()).toEqual(["f2"]);
  });

  it("sends Retry-After with 429", async () => {
    await client.fail(429, 1, 7);
    const res = await send("/t", { id: "x" });
    expect(res.status).toBe(429);
    expect(res.headers["retry-after"]).toBe("7");
  });

  it("fails everything for a while, 503 with Retry-After as an HTTP date, until cleared", async () => {
    await client.failFor(503, 60_000, 2, "date");
    const before = Date.now();
    const res = await send("/t", { id: "d" });
    expect(res.status).toBe(503);
    const date = Date.parse(String(res.headers["retry-after"]));
    expect(date).toBeGreaterThanOrEqual(Math.floor(before / 1000) * 1000 + 2000);
    expect((await send("/t", { id: "d2" })).status).toBe(503);
    await client.fail(503, 0);
    expect((await send("/t", { id: "d3" })).status).toBe(200);
    expect((await client.stats()).behaviour.fail).toBeUndefined();
  });

  it("answers the status asked for to requests holding an event of one kind", async () => {
    await client.reject({ status: 400, field: "kind", value: "bad" });
    expect((await send("/t", { id: "a", kind: "good" })).status).toBe(200);
    expect(
      (
        await send("/t", [
          { id: "b", kind: "good" },
          { id: "c", kind: "bad" },
        ])
      ).status,
    ).toBe(400);
    await client.reject(null);
    expect((await send("/t", { id: "d", kind: "bad" })).status).toBe(200);
    expect(await client.acceptedIds()).toEqual(["a", "d"]);
  });

  it("decodes gzip bodies before recording them, and refuses one that does not decode", async () => {
    const body = JSON.stringify([{ id: "z1", t: "é" }]);
    const gz = gzipSync(Buffer.from(body, "utf8"));
    const ok = await axios.post(`${client.baseUrl}/gz`, gz, {
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      validateStatus: () => true,
    });
    expect(ok.status).toBe(200);
    const bad = await axios.post(`${client.baseUrl}/gz`, Buffer.from("not gzip"), {
      headers: { "Content-Type": "application/json", "Content-Encoding": "gzip" },
      validateStatus: () => true,
    });
    expect(bad.status).toBe(400);
    const [first] = await client.requests();
    expect(first).toMatchObject({ body, encoding: "gzip", status: 200 });
  });

  it("requires basic auth once credentials are set, and not after null", async () => {
    await client.auth({ user: "u", password: "p" });
    expect((await send("/t", {})).status).toBe(401);
    expect(
      (
        await send(
          "/t",
          {},
          { Authorization: `Basic ${Buffer.from("u:wrong").toString("base64")}` },
        )
      ).status,
    ).toBe(401);
    expect(
      (await send("/t", {}, { Authorization: `Basic ${Buffer.from("u:p").toString("base64")}` }))
        .status,
    ).toBe(200);
    await client.auth(null);
    expect((await send("/t", {})).status).toBe(200);
  });

  it("delays answers by the configured latency", async () => {
    await client.latency(300);
    const started = Date.now();
    await send("/t", {});
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it("extracts ids from an object, an array and a batch envelope", async () => {
    await send("/t", { id: "o1" });
    await send("/t", [{ id: "a1" }, { id: "a2" }]);
    await send("/t", { batches: [{ events: [{ id: "b1" }] }, { id: "b2" }] });
    const { data } = await axios.get<{ ids: string[] }>(`${client.baseUrl}/_receiver/ids`);
    expect(data.ids).toEqual(["o1", "a1", "a2", "b1", "b2"]);
    expect(extractEventIds({ events: [{ p: { eid: 9 } }] }, "p.eid")).toEqual(["9"]);
  });
});

describe("analytics receiver (in-process)", () => {
  it("evicts the oldest requests beyond maxRequests and counts them", async () => {
    const running = await startReceiver({ maxRequests: 3 });
    try {
      const local = new ReceiverClient(running.url);
      for (let i = 0; i < 5; i++) await axios.post(`${running.url}/t`, { id: `e${i}` });
      const stats = await local.stats();
      expect(stats).toMatchObject({ received: 5, stored: 3, evicted: 2 });
      expect(await local.acceptedIds()).toEqual(["e2", "e3", "e4"]);
    } finally {
      await running.close();
    }
  });
});
