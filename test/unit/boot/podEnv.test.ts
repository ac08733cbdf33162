import { mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  convertKey,
  envToProperties,
  propertiesText,
  rebase,
  resolveEnv,
  writeMountedFiles,
} from "../../boot/podEnv";

const data = {
  secrets: { creds: { "sasl.jaas.config": 'x required username="u" password="p";' } },
  configMaps: { tls: { "ca.pem": "-----BEGIN CERTIFICATE-----\n" } },
  fields: { "status.podIP": "127.0.0.1" },
};

describe("convertKey (the images' ub rule)", () => {
  it.each([
    ["REST_ADVERTISED_HOST_NAME", "rest.advertised.host.name"],
    ["SASL_JAAS_CONFIG", "sasl.jaas.config"],
    ["PRODUCER_SSL_TRUSTSTORE_LOCATION", "producer.ssl.truststore.location"],
    // ub: a double underscore is an underscore, a triple one a dash.
    ["CLIENT__ID", "client_id"],
    ["ACCESS___CONTROL", "access-control"],
  ])("%s → %s", (env, prop) => {
    expect(convertKey(env)).toBe(prop);
  });
});

describe("envToProperties", () => {
  it("keeps only the prefixed variables and strips the prefix", () => {
    expect(
      envToProperties(
        { CONNECT_GROUP_ID: "g", KAFKA_HEAP_OPTS: "-Xmx1g", KAFKA_REST_CLIENT_SASL_MECHANISM: "X" },
        "CONNECT_",
      ),
    ).toEqual({ "group.id": "g" });
  });
});

describe("resolveEnv", () => {
  it("resolves literals, secretKeyRef, configMapKeyRef and fieldRef", () => {
    expect(
      resolveEnv(
        [
          { name: "A", value: "1" },
          { name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "sasl.jaas.config" } } },
          { name: "C", valueFrom: { configMapKeyRef: { name: "tls", key: "ca.pem" } } },
          { name: "D", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } },
        ],
        data,
      ),
    ).toEqual({
      A: "1",
      B: data.secrets.creds["sasl.jaas.config"],
      C: data.configMaps.tls["ca.pem"],
      D: "127.0.0.1",
    });
  });

  it("fails on a reference to a key the render does not hold", () => {
    expect(() =>
      resolveEnv(
        [{ name: "B", valueFrom: { secretKeyRef: { name: "creds", key: "nope" } } }],
        data,
      ),
    ).toThrow("env B: Secret creds has no key nope in the render");
  });
});

describe("writeMountedFiles and rebase", () => {
  it("writes each key of a mounted object under the root and rewrites paths into it", () => {
    const root = mkdtempSync(join(tmpdir(), "pod-"));
    const mounts = writeMountedFiles(
      [{ name: "tls", configMap: { name: "tls" } }],
      [{ name: "tls", mountPath: "/etc/kafka-tls" }],
      data,
      root,
    );
    expect(mounts).toEqual(["/etc/kafka-tls"]);
    const file = join(root, "etc/kafka-tls/ca.pem");
    expect(readFileSync(file, "utf8")).toBe(data.configMaps.tls["ca.pem"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(rebase({ "ssl.truststore.location": "/etc/kafka-tls/ca.pem" }, mounts, root)).toEqual({
      "ssl.truststore.location": file,
    });
  });
});

describe("propertiesText", () => {
  it("escapes backslashes and newlines, and separators in keys", () => {
    expect(propertiesText({ b: 'p="a\\b"', "a key": "x\ny" })).toBe(
      'a\\ key=x\\ny\nb=p="a\\\\b"\n',
    );
  });
});
