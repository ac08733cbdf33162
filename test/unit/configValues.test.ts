import { parseStackConfig } from "../../config";
import { memoryBytes } from "../../components/memory";
import { configProblems } from "./mocks";

const minimal = { kafkaBootstrapServers: '["k:9092"]' };
const HOST_PORT_RULE =
  'must be "host:port": a hostname, an IPv4 address or a bracketed [IPv6] address, then a port from 1 to 65535';

describe("kafkaBootstrapServers", () => {
  it.each([
    "localhost:9092",
    "kafka-0.kafka.kafka.svc:9093",
    "127.0.0.1:19092",
    "[::1]:9092",
    "[2001:db8::7]:65535",
    "b1:1",
  ])("takes %p", (server) => {
    expect(
      parseStackConfig({ kafkaBootstrapServers: JSON.stringify([server]) }).kafkaBootstrapServers,
    ).toEqual([server]);
  });

  it.each([
    "localhost",
    "localhost:",
    "localhost:0",
    "localhost:65536",
    "kafka:9092:1",
    "::1:9092",
    "[::g]:9092",
    "300.1.1.1:9092",
    "-kafka:9092",
    "kafka_0:9092",
    "http://kafka:9092",
    " kafka:9092",
  ])("refuses %p, naming the key, the index and the rule", (server) => {
    expect(configProblems({ kafkaBootstrapServers: JSON.stringify(["ok:9092", server]) })).toEqual([
      `kafkaBootstrapServers[1]: ${HOST_PORT_RULE} (found ${JSON.stringify(server)})`,
    ]);
  });
});

describe("memory settings", () => {
  it.each([
    ["512Mi", 536_870_912],
    ["1.5Gi", 1_610_612_736],
    ["1G", 1e9],
    ["128974848", 128_974_848],
    ["129e6", 129_000_000],
    ["123Ki", 125_952],
    ["2Ti", 2 * 2 ** 40],
    ["1E", 1e18],
    ["1E3", 1000],
    ["0.5Ki", 512],
  ])("reads %p as %p bytes", (quantity, bytes) => {
    expect(memoryBytes(quantity)).toBe(bytes);
  });

  it.each([
    "restProxyMemoryLimit",
    "restProxyMemoryRequest",
    "connectMemoryLimit",
    "connectMemoryRequest",
  ])("refuses a CPU-style %s of 500m at config time", (key) => {
    expect(configProblems({ ...minimal, [key]: "500m" })).toEqual([
      `${key}: must be a Kubernetes memory quantity of at least one byte, such as "512Mi", "1.5Gi", "1G" or "1073741824" ("m" is for CPU) (found "500m")`,
    ]);
  });

  it("takes every unit Kubernetes reads", () => {
    const parsed = parseStackConfig({ ...minimal, restProxyMemoryLimit: "1.5G" });
    expect(parsed.restProxyMemoryLimit).toBe("1.5G");
  });
});

describe("a destination's state", () => {
  it.each([
    ["running", "RUNNING"],
    ["paused", "PAUSED"],
    ["stopped", "STOPPED"],
  ])("is %p in the stack config and %p beyond it", (state, desired) => {
    const parsed = parseStackConfig({
      ...minimal,
      destinations: JSON.stringify([
        { name: "amp", url: "https://collect.example.com/e", topics: ["tracking"], state },
      ]),
    });
    expect(parsed.destinations[0].state).toBe(desired);
  });

  it("refuses the provider's spelling in the stack config, which stays lowercase", () => {
    expect(
      configProblems({
        ...minimal,
        destinations: JSON.stringify([
          {
            name: "amp",
            url: "https://collect.example.com/e",
            topics: ["tracking"],
            state: "RUNNING",
          },
        ]),
      }),
    ).toEqual([
      'destinations[0].state: must be one of "running", "paused", "stopped" (found "RUNNING")',
    ]);
  });
});
