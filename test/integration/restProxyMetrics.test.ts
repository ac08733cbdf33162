import axios from "axios";
import { Exposition, sampleValue, samplesOf } from "../../platform/prometheusText";
import { V2_JSON, createTopic, platformEndpoints, uniqueName } from "./platform";
import { RestProxyInstance, startRestProxy } from "./restProxyInstance";
import { scrape, waitFor } from "./scrape";
import { readTopic } from "./topicReader";

/**
 * The REST proxy stand-in's HTTP request metrics (Confluent's `kafka.rest:type=jersey-metrics`
 * MBeans) and its request rate limit (Confluent's `rate.limit.*` keys), on real JVMs through our
 * JMX exporter rules (observability/jmx-exporter/rest-proxy.yml): the platform's own proxy, and a
 * second one started here with the limit on.
 */
const e = platformEndpoints();

/** Confluent's body of a request over the rate limit. */
const RATE_LIMITED = {
  error_code: 429,
  message: "Request rate limit exceeded: The rate limit of requests per second has been exceeded.",
};
const STATUS_CLASSES = ["1xx", "2xx", "3xx", "429", "4xx", "5xx", "unknown"];

/** A v2 produce of one record per id; resolves with the answer, whatever its status. */
async function post(url: string, topic: string, ids: readonly string[]) {
  return axios.post<unknown>(
    `${url}/topics/${topic}`,
    { records: ids.map((id) => ({ value: { id, kind: "page_view" } })) },
    { headers: { "Content-Type": V2_JSON }, validateStatus: () => true },
  );
}

interface Counts {
  readonly requests: number;
  readonly errors: Readonly<Record<string, number>>;
}

/** The request counters of a scrape; fails plainly when the proxy runs without them. */
function counts(m: Exposition): Counts {
  const requests = sampleValue(m, "rest_proxy_requests_total");
  if (requests === undefined) {
    throw new Error(
      "The REST proxy exports no rest_proxy_requests_total: it runs an older build of the " +
        "stand-in; `npm run platform -- down` and start it again.",
    );
  }
  const errors = Object.fromEntries(
    samplesOf(m, "rest_proxy_request_errors_total").map((s) => [
      s.labels.http_status_code,
      s.value,
    ]),
  );
  return { requests, errors };
}

const grown = (before: Counts, after: Counts) => ({
  requests: after.requests - before.requests,
  errors: Object.fromEntries(
    STATUS_CLASSES.map((c) => [c, (after.errors[c] ?? 0) - (before.errors[c] ?? 0)]),
  ),
});

describe("the REST proxy's request metrics", () => {
  it("count every produce request, and a missing topic's 404 as a 4xx error", async () => {
    const N = 5;
    const topic = uniqueName("proxy-requests");
    await createTopic(topic, 1);
    const before = counts(await scrape(e.restProxyMetricsUrl));
    for (let i = 0; i < N; i++) {
      const res = await post(e.restProxyUrl, topic, [`${topic}-${i}`]);
      expect(res.status).toBe(200);
    }
    const missing = await post(e.restProxyUrl, uniqueName("no-such-topic"), ["x"]);
    expect([missing.status, missing.data]).toEqual([
      404,
      expect.objectContaining({ error_code: 40401 }),
    ]);

    // Other test files may use the proxy meanwhile: at least ours were counted.
    const m = await waitFor("the proxy's counters to take in the requests", async () => {
      const x = await scrape(e.restProxyMetricsUrl);
      const d = grown(before, counts(x));
      return d.requests >= N + 1 && d.errors["4xx"] >= 1 ? x : undefined;
    });
    // One series per status class, labelled with it alone; the latency in seconds.
    const errors = samplesOf(m, "rest_proxy_request_errors_total");
    expect(errors.map((s) => s.labels.http_status_code).sort()).toEqual(STATUS_CLASSES);
    expect(errors.map((s) => Object.keys(s.labels))).toEqual(
      errors.map(() => ["http_status_code"]),
    );
    expect(m.types.get("rest_proxy_requests_total")).toBe("counter");
    expect(m.types.get("rest_proxy_request_errors_total")).toBe("counter");
    for (const name of ["avg", "max"].map((s) => `rest_proxy_request_latency_${s}_seconds`)) {
      expect([name, m.types.get(name)]).toEqual([name, "gauge"]);
      const value = sampleValue(m, name);
      expect([name, value !== undefined && value >= 0 && value < 60]).toEqual([name, true]);
    }
  });
});

describe("a REST proxy with Confluent's rate limit on (rate.limit.permits.per.sec=1)", () => {
  let proxy: RestProxyInstance | undefined;
  beforeAll(async () => {
    proxy = await startRestProxy({ "rate.limit.enable": "true", "rate.limit.permits.per.sec": 1 });
  }, 120_000);
  afterAll(async () => {
    await proxy?.stop();
  });

  it("answers 429 with Confluent's body, sends those to no topic, and counts each 429", async () => {
    if (!proxy) throw new Error("the rate-limited proxy did not start (see beforeAll)");
    const { url, metricsUrl } = proxy;
    const topic = uniqueName("proxy-limited");
    await createTopic(topic, 1); // through the platform's proxy, not the limited one
    // The readiness probe took a permit: wait for the next, so at least one request passes.
    await new Promise((r) => setTimeout(r, 1500));
    const before = counts(await scrape(metricsUrl));

    const ids = Array.from({ length: 10 }, (_, i) => `${topic}-${i}`);
    const answers = await Promise.all(ids.map((id) => post(url, topic, [id])));
    const accepted = ids.filter((_, i) => answers[i].status === 200);
    const refused = answers.filter((a) => a.status === 429);
    expect(answers.map((a) => a.status).filter((s) => s !== 200 && s !== 429)).toEqual([]);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(refused.length).toBeGreaterThanOrEqual(1);
    for (const r of refused) expect(r.data).toEqual(RATE_LIMITED);
    // `GET /` is exempt: probes are never throttled.
    const probes = await Promise.all([1, 2, 3].map(() => axios.get<unknown>(`${url}/`)));
    expect(probes.map((p) => p.status)).toEqual([200, 200, 200]);

    // Exactly the accepted records landed (a wait for one more finds none).
    const records = await readTopic(topic, accepted.length + 1, 5000);
    const landed = records.map((r) => (JSON.parse(r.value ?? "{}") as { id?: string }).id);
    expect(landed.sort()).toEqual([...accepted].sort());

    // Only this test talks to this proxy: exact counts.
    const after = await waitFor(
      "the limited proxy's counters to take in the 13 requests",
      async () => {
        const c = counts(await scrape(metricsUrl));
        return grown(before, c).requests >= 13 ? c : undefined;
      },
    );
    const n = refused.length;
    const none = Object.fromEntries(STATUS_CLASSES.map((c) => [c, 0]));
    expect(grown(before, after)).toEqual({
      requests: 13,
      errors: { ...none, "429": n, "4xx": n },
    });
  });

  it("refuses to start with rate.limit.permits.per.sec=0, naming the key", async () => {
    await expect(
      startRestProxy({ "rate.limit.enable": "true", "rate.limit.permits.per.sec": 0 }),
    ).rejects.toThrow(/exited before it was ready[\s\S]*`rate\.limit\.permits\.per\.sec` must be/);
  }, 120_000);
});
