import { connectorSecretsByReference } from "../../../../policies/connectors/secretsByReference";
import { camelSink, confluentSink } from "../fixtures";
import { edit, messages, reportsEach } from "../harness";

describe("connector-secrets-by-reference", () => {
  const fix =
    "set `connectSecretsDirectory` (a worker outside Kubernetes) or run Connect on Kubernetes, " +
    "where the workers read connector secrets from their mounted Secret.";

  it("passes a sink whose credentials are references", async () => {
    expect(await messages(connectorSecretsByReference, confluentSink)).toEqual([]);
  });

  reportsEach(connectorSecretsByReference, [
    [
      "a secret sent as its value",
      confluentSink,
      (p) => {
        delete p.config["oauth2.client.secret"];
        p.secretConfig = { "oauth2.client.secret": "client-secret-1" };
      },
      `\`oauth2.client.secret\` of connector prod-analytics-http-sink is sent to Connect as its value, which Connect stores in clear; ${fix}`,
    ],
    [
      "a SASL JAAS line inline in a consumer override",
      confluentSink,
      (p) => (p.config["consumer.override.sasl.jaas.config"] = 'x required password="p";'),
      `\`consumer.override.sasl.jaas.config\` of connector prod-analytics-http-sink holds a value inline (24 characters), not a reference; ${fix}`,
    ],
    [
      "an API key among the headers",
      confluentSink,
      (p) => (p.config.headers = "Content-Type:application/json|X-Api-Key:abc"),
      `\`headers\` of connector prod-analytics-http-sink holds a value inline (43 characters), not a reference; ${fix}`,
    ],
  ]);

  it("leaves headers without a credential, and non-secret keys, alone", async () => {
    expect(await messages(connectorSecretsByReference, confluentSink)).toEqual([]);
    // A preset's envelope member that carries the key is a name, not the key (seen under the
    // real engine with the Amplitude preset: it was reported before it was listed).
    const preset = edit(confluentSink, (p) => {
      p.config["batch.envelope.secret.field"] = "api_key";
      p.config["batch.envelope.secret"] = "${dir:/etc/tracking/connector-secrets:x}";
    });
    expect(await messages(connectorSecretsByReference, preset)).toEqual([]);
    // Camel's plain header literal (Content-Type) is no credential; its secret one is a reference.
    expect(await messages(connectorSecretsByReference, camelSink)).toEqual([]);
  });
});
