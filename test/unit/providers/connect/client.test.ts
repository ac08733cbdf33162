import { createServer, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { connectClient, displayUrl, kafkaVersionOf } from "../../../../providers/connect/client";

describe("Connect client: helpers", () => {
  it("hides credentials of the endpoint URL in messages", () => {
    expect(displayUrl("https://u:p@connect:8083/")).toBe("https://connect:8083");
  });

  it("reads Kafka's version, also from Confluent Platform's numbering", () => {
    expect(kafkaVersionOf("4.4.0")).toBe(4004);
    expect(kafkaVersionOf("3.6.1")).toBe(3006);
    expect(kafkaVersionOf("7.9.1-ccs")).toBe(3009);
    expect(kafkaVersionOf("8.0.0-ce")).toBe(4000);
    expect(kafkaVersionOf("weird")).toBe(0);
    expect(kafkaVersionOf(undefined)).toBe(0);
  });
});

describe("Connect client: a worker that is still starting", () => {
  let server: Server;
  let url = "";
  const answers: { status: number; body: string }[] = [];

  beforeAll(async () => {
    // Answers as a starting worker did on the cluster profile: bare 404s, then the real thing.
    server = createServer((_req, res) => {
      const next = answers.shift() ?? { status: 200, body: '{"name":"x"}' };
      res.writeHead(next.status, { "Content-Type": "application/json" }).end(next.body);
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it("retries 404s that Connect did not write, announcing each retry, instead of taking them for absent", async () => {
    // What a starting worker answered on the cluster profile, by Accept header, then nothing.
    answers.push(
      { status: 404, body: '{"url":"/connectors/x/config","status":"404","message":"Not Found"}' },
      { status: 404, body: "<html><h2>HTTP ERROR 404 Not Found</h2></html>" },
      { status: 404, body: "" },
    );
    const lines: string[] = [];
    const write = jest.spyOn(process.stderr, "write").mockImplementation((chunk) => {
      lines.push(String(chunk));
      return true;
    });
    try {
      const config = await connectClient({ url }).getConfig("x");
      expect(config).toEqual({ name: "x" });
    } finally {
      write.mockRestore();
    }
    const notice = `[connect-api] retrying (404): GET ${url}/connectors/x/config answered 404 without Connect's error body (a worker still starting)`;
    expect(lines).toEqual([
      `${notice}: Not Found\n`,
      `${notice}: <html><h2>HTTP ERROR 404 Not Found</h2></html>\n`,
      `${notice}\n`,
    ]);
  });

  it("still answers absent for Connect's own 404, and refuses an endpoint an older worker lacks", async () => {
    answers.push({ status: 404, body: '{"error_code":404,"message":"Connector x not found"}' });
    expect(await connectClient({ url }).getConfig("x")).toBeUndefined();
    answers.push({ status: 404, body: '{"error_code":404,"message":"HTTP 404 Not Found"}' });
    await expect(connectClient({ url }).getConfig("x")).rejects.toThrow(
      `GET ${url}/connectors/x/config answered 404: HTTP 404 Not Found`,
    );
  });
});
