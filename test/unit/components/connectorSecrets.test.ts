import {
  connectorSecretsLocation,
  CONNECTOR_SECRETS_MOUNT,
  externalise,
  secretFileName,
  secretReference,
} from "../../../components/connectorSecrets";
import { ConnectCluster } from "../../../components/connectCluster";
import { HttpSinkConnector } from "../../../components/httpSinkConnector";
import { configProblems, CONNECTOR_TYPE, named, ofType, settled, useMocks } from "../mocks";

const SECRET_FILE = "pulumi-nodejs:dynamic/tracking:SecretFile";
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const minimal = { kafkaBootstrapServers: '["k:9092"]' };

/** A registered input as the mocks see it: a secret arrives wrapped in its signature object. */
function revealed(value: unknown): { secret: boolean; value: unknown } {
  if (value && typeof value === "object" && SECRET_SIG in value) {
    return { secret: true, value: (value as unknown as { value: unknown }).value };
  }
  return { secret: false, value };
}

describe("connector secrets by reference", () => {
  beforeAll(() => useMocks());

  it("names one file per connector and key, and refuses what cannot be one", () => {
    expect(secretFileName("dev-amp-http-sink", "connection.password")).toBe(
      "dev-amp-http-sink.connection.password",
    );
    expect(() => secretFileName("dev amp", "k")).toThrow(/cannot be a file name/);
    expect(secretReference("/s", "f")).toBe("${dir:/s:f}");
  });

  it("moves every secret value out of the config, leaving references", () => {
    const moved = externalise("c", { "connection.password": "pw", headers: "X-Api-Key:k" }, "/s");
    expect(moved.references).toEqual({
      "connection.password": "${dir:/s:c.connection.password}",
      headers: "${dir:/s:c.headers}",
    });
    expect(moved.files).toEqual({ "c.connection.password": "pw", "c.headers": "X-Api-Key:k" });
  });

  it("reads from the setting's folder, else the pods' mount, else inline", () => {
    const at = (connectSecretsDirectory: string, kubernetesEnabled: boolean, connectUrl: string) =>
      connectorSecretsLocation({ connectSecretsDirectory, kubernetesEnabled, connectUrl });
    expect(at("/s", false, "http://w:8083")).toEqual({ directory: "/s", writeFiles: true });
    expect(at("", true, "")).toEqual({ directory: CONNECTOR_SECRETS_MOUNT, writeFiles: false });
    expect(at("", true, "http://w:8083")).toBeUndefined();
    expect(at("", false, "http://w:8083")).toBeUndefined();
  });

  it("writes each secret as a SecretFile and sends the connector only references", async () => {
    const sink = new HttpSinkConnector("amp", {
      connectorName: "dev-amp-http-sink",
      topics: ["dev.tracking"],
      url: "https://collect.example.com/e",
      kafkaBootstrapServers: ["k:9092"],
      errors: { deadLetterTopic: "dev.amp.dlq" },
      auth: { type: "basic", username: "u", password: "pw" },
      secretHeaders: { "X-Api-Key": "key" },
      connect: { url: "http://127.0.0.1:18083" },
      secrets: { directory: "/var/lib/connect/secrets", writeFiles: true },
    });
    await settled(sink);
    const files = ofType(SECRET_FILE);
    expect(files.map((f) => f.inputs.fileName).sort()).toEqual([
      "dev-amp-http-sink.connection.password",
      "dev-amp-http-sink.headers",
    ]);
    expect(files.every((f) => f.inputs.directory === "/var/lib/connect/secrets")).toBe(true);
    expect(sink.secretFiles.length).toBe(2);
    const connector = named(CONNECTOR_TYPE, "amp-connector").inputs;
    expect(connector.config).toMatchObject({
      "connection.password":
        "${dir:/var/lib/connect/secrets:dev-amp-http-sink.connection.password}",
      headers: "${dir:/var/lib/connect/secrets:dev-amp-http-sink.headers}",
    });
    expect(revealed(connector.secretConfig).value).toEqual({});
    const external = revealed(connector.externalSecrets);
    expect(external.secret).toBe(true);
    expect(external.value).toEqual({
      "dev-amp-http-sink.connection.password": "pw",
      "dev-amp-http-sink.headers": "Content-Type:application/json|X-Api-Key:key",
    });
    expect(JSON.stringify(connector.config)).not.toMatch(/"pw"|X-Api-Key:key/);
  });

  it("refuses a folder for an outside worker when the connectors run on the stack's own pods", () => {
    expect(
      configProblems({ ...minimal, connectSecretsDirectory: "/s", kubernetesEnabled: "true" }).join(
        "\n",
      ),
    ).toMatch(/connectSecretsDirectory.*mounted Secret/);
    expect(
      configProblems({ ...minimal, connectSecretsDirectory: "relative/dir" }).join("\n"),
    ).toMatch(/connectSecretsDirectory.*absolute folder/);
  });
});

describe("the pods' connector secrets Secret", () => {
  it("has no stringData when no connector has a secret (an empty one is a change on every preview)", async () => {
    await useMocks();
    const bare = new ConnectCluster("c", {
      namespace: "n",
      environment: "dev",
      bootstrapServers: ["k:9092"],
    });
    await settled(bare);
    const secret = named("kubernetes:core/v1:Secret", "c-connector-secrets").inputs;
    expect(secret).not.toHaveProperty("stringData");
    expect(secret.type).toBe("Opaque");
  });
});
