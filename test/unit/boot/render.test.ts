import { ConnectCluster } from "../../../components/connectCluster";
import { renderedProperties } from "../../boot/imageBoot";
import { renderPod, unwrapSecrets } from "../../boot/render";
import { TEST_CA } from "../components/securityFixtures";

describe("renderPod", () => {
  it("gives a Deployment's container env with the Secrets and ConfigMaps of the same render, in plain text", async () => {
    const pod = await renderPod(
      () =>
        new ConnectCluster("c", {
          namespace: "n",
          environment: "e",
          bootstrapServers: ["k:9093"],
          kafka: {
            security: { tls: true, mechanism: "scram-sha512", caCertificate: TEST_CA },
            principal: { username: "u", password: "pw" },
          },
        }),
      "c-deployment",
      "connect",
    );
    expect(pod.secrets["c-kafka-credentials"]).toEqual({
      "sasl.jaas.config":
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="pw";',
    });
    expect(pod.configMaps["c-kafka-tls"]).toEqual({ "ca.pem": TEST_CA });
    const { props } = renderedProperties(pod, "CONNECT_");
    expect(props).toEqual(
      expect.objectContaining({
        "bootstrap.servers": "k:9093",
        "rest.advertised.host.name": "127.0.0.1",
        "consumer.sasl.jaas.config": pod.secrets["c-kafka-credentials"]["sasl.jaas.config"],
        "admin.ssl.truststore.location": "/etc/kafka-tls/ca.pem",
      }),
    );
  });

  it("fails naming the Deployment the render does not hold", async () => {
    await expect(
      renderPod(
        () =>
          new ConnectCluster("c", { namespace: "n", environment: "e", bootstrapServers: ["k:1"] }),
        "other",
        "connect",
      ),
    ).rejects.toThrow("the render has no Deployment other");
  });
});

describe("unwrapSecrets", () => {
  it("replaces Pulumi's secret envelopes, at any depth, by their values", () => {
    const sig = "4dabf18193072939515e22adb298388d";
    const secret = (value: unknown) => ({ [sig]: "1b47061264138c4ac30d75fd1eb44270", value });
    expect(unwrapSecrets({ a: [secret({ b: secret("x") })], c: 1 })).toEqual({
      a: [{ b: "x" }],
      c: 1,
    });
  });
});
