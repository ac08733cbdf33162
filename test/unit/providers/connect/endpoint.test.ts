import {
  comparableEndpoint,
  normalizeUrl,
  sameConnectCluster,
  sameUrl,
} from "../../../../providers/connect/endpoint";
import { status } from "./fixtures";

describe("endpoint: URLs as compared", () => {
  it("drops trailing slashes, a default port and the case of scheme and host", () => {
    expect(normalizeUrl("http://127.0.0.1:18083/")).toBe("http://127.0.0.1:18083");
    expect(normalizeUrl("HTTPS://Connect.SVC:443//")).toBe("https://connect.svc");
    expect(normalizeUrl(" http://connect:8083/base/ ")).toBe("http://connect:8083/base");
  });

  it("keeps a value that is not a URL, without its trailing slashes", () => {
    expect(normalizeUrl("connect:8083/")).toBe("connect:8083");
    expect(normalizeUrl("not a url/")).toBe("not a url");
    expect(normalizeUrl(undefined)).toBe("");
  });

  it("tells another spelling of a URL from another URL", () => {
    expect(sameUrl("http://127.0.0.1:18083", "http://127.0.0.1:18083/")).toBe(true);
    expect(sameUrl("http://127.0.0.1:18083", "http://localhost:18083/")).toBe(false);
  });

  it("normalizes only the URL of the endpoint it compares", () => {
    expect(comparableEndpoint({ url: "http://c:8083/", username: "ops" })).toEqual({
      url: "http://c:8083",
      username: "ops",
    });
    expect(comparableEndpoint(undefined)).toBeUndefined();
  });
});

describe("endpoint: the same Connect cluster under two URLs", () => {
  const view = (clusterId: string, worker: string) => ({
    info: { kafka_cluster_id: clusterId },
    status: status("RUNNING", ["RUNNING"], { worker }),
  });

  it("is the same Kafka cluster with a worker in common", () => {
    expect(sameConnectCluster(view("k1", "10.0.0.1:8083"), view("k1", "10.0.0.1:8083"))).toBe(true);
  });

  it("is another cluster on another Kafka cluster, or with other workers", () => {
    expect(sameConnectCluster(view("k1", "10.0.0.1:8083"), view("k2", "10.0.0.1:8083"))).toBe(
      false,
    );
    expect(sameConnectCluster(view("k1", "10.0.0.1:8083"), view("k1", "10.0.0.9:8083"))).toBe(
      false,
    );
  });

  it("cannot be told the same when one endpoint has no such connector", () => {
    expect(
      sameConnectCluster(view("k1", "w"), { info: { kafka_cluster_id: "k1" }, status: undefined }),
    ).toBe(false);
  });
});
