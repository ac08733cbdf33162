import axios from "axios";
import { kafkaApiVersionsOk } from "../../platform/probes";
import { V2_JSON, createTopic, platformEndpoints, produce, uniqueName } from "./platform";
import { readTopic } from "./topicReader";

const e = platformEndpoints();
const post = (topic: string, body: string, contentType = V2_JSON) =>
  axios.post<{ error_code: number; message: string }>(`${e.restProxyUrl}/topics/${topic}`, body, {
    headers: { "Content-Type": contentType },
    validateStatus: () => true,
  });

describe("broker", () => {
  it("answers a Kafka ApiVersions request on the bootstrap address", async () => {
    const [host, port] = e.kafkaBootstrap.split(":");
    expect(await kafkaApiVersionsOk(host, Number(port))).toBe(true);
  });
});

describe("Kafka Connect", () => {
  it("reports its version and the broker's cluster id at GET /", async () => {
    const { data } = await axios.get<{ version: string; kafka_cluster_id: string }>(
      `${e.connectUrl}/`,
    );
    expect(data.version).toBe(e.kafkaVersion);
    expect(data.kafka_cluster_id).toBe(e.clusterId);
  });

  it("is healthy at GET /health", async () => {
    const { status, data } = await axios.get<{ status: string }>(`${e.connectUrl}/health`);
    expect(status).toBe(200);
    expect(data.status).toBe("healthy");
  });

  it("lists the HTTP sink connector plugin", async () => {
    const { data } = await axios.get<{ class: string; type: string }[]>(
      `${e.connectUrl}/connector-plugins`,
    );
    expect(data).toContainEqual(
      expect.objectContaining({ class: e.httpSinkConnectorClass, type: "sink" }),
    );
  });

  it("rejects an HTTP sink config without its URL at validation time", async () => {
    const { data } = await axios.put<{
      error_count: number;
      configs: { value: { name: string; errors: string[] } }[];
    }>(`${e.connectUrl}/connector-plugins/${e.httpSinkConnectorClass}/config/validate`, {
      "connector.class": e.httpSinkConnectorClass,
      topics: "t",
      name: "v",
    });
    expect(data.error_count).toBeGreaterThan(0);
    const url = data.configs.find((c) => c.value.name === "http.api.url");
    expect(url?.value.errors.length).toBeGreaterThan(0);
  });
});

describe("REST proxy", () => {
  const topic = uniqueName("platform");
  beforeAll(() => createTopic(topic, 2));

  it("answers GET / with {} like Confluent REST Proxy", async () => {
    const { status, data } = await axios.get<unknown>(`${e.restProxyUrl}/`);
    expect(status).toBe(200);
    expect(data).toEqual({});
  });

  it("produces JSON records and answers 200 with an offset per record", async () => {
    const body = await produce(topic, [{ id: "a" }, { id: "b" }, { id: "c" }]);
    expect(body.offsets).toHaveLength(3);
    for (const o of body.offsets) {
      expect(o.error_code).toBeNull();
      expect(o.partition).toEqual(expect.any(Number));
      expect(o.offset).toEqual(expect.any(Number));
    }
  });

  it("writes a JSON null value as a tombstone (a null record value), as cp-kafka-rest does", async () => {
    const tombstones = uniqueName("tombstones");
    await createTopic(tombstones);
    const res = await post(
      tombstones,
      JSON.stringify({
        records: [
          { key: "user-1", value: { id: "a" } },
          { key: "user-1", value: null },
        ],
      }),
    );
    expect(res.status).toBe(200);
    const records = await readTopic(tombstones, 2);
    expect(records.map((r) => [r.key, r.value])).toEqual([
      ['"user-1"', '{"id":"a"}'],
      ['"user-1"', null],
    ]);
  });

  it("answers 400 to a body that is not JSON", async () => {
    const res = await post(topic, '{"records":[');
    expect(res.status).toBe(400);
    expect(res.data.message).toMatch(/Malformed JSON/);
  });

  it("answers 422 to JSON without a records array", async () => {
    const res = await post(topic, '{"value":{"id":"x"}}');
    expect(res.status).toBe(422);
    expect(res.data.message).toMatch(/records/);
  });

  it("answers 415 to a plain application/json content type", async () => {
    const res = await post(topic, '{"records":[{"value":1}]}', "application/json");
    expect(res.status).toBe(415);
  });

  it("answers 404 with error code 40401 for a topic that does not exist", async () => {
    const res = await post(uniqueName("missing"), '{"records":[{"value":1}]}');
    expect(res.status).toBe(404);
    expect(res.data.error_code).toBe(40401);
  });
});
