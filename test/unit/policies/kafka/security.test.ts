import { kafkaTlsAndSasl } from "../../../../policies/kafka/security";
import { kafkaProvider, trackingTopic } from "../fixtures";
import { edit, messages, reportsEach, UNKNOWN } from "../harness";

describe("kafka-tls-and-sasl", () => {
  it("passes a provider with TLS and SCRAM, and leaves other resources alone", async () => {
    expect(await messages(kafkaTlsAndSasl, kafkaProvider)).toEqual([]);
    expect(await messages(kafkaTlsAndSasl, trackingTopic)).toEqual([]);
  });

  it("takes an unset tlsEnabled as the plugin's default, true", async () => {
    const unset = edit(kafkaProvider, (p) => delete p.tlsEnabled);
    expect(await messages(kafkaTlsAndSasl, unset)).toEqual([]);
  });

  it("counts a password not known until the update as set", async () => {
    const later = edit(kafkaProvider, (p) => (p.saslPassword = UNKNOWN));
    expect(await messages(kafkaTlsAndSasl, later)).toEqual([]);
  });

  reportsEach(kafkaTlsAndSasl, [
    [
      "TLS turned off",
      kafkaProvider,
      (p) => (p.tlsEnabled = "false"),
      '`tlsEnabled` is "false" on kafka provider tracking-kafka; it must be true (stack setting `kafkaTls`), or the admin credentials and every topic, user and ACL change cross the network unencrypted.',
    ],
    [
      "a provider without SASL (the SDK's default mechanism alone does not turn it on)",
      kafkaProvider,
      (p) => {
        delete p.saslUsername;
        delete p.saslPassword;
        p.saslMechanism = "plain";
      },
      "`saslUsername` is unset on kafka provider tracking-kafka, so it connects without SASL; set `kafkaSaslMechanism`, `kafkaSaslUsername` and the secret `kafkaSaslPassword`, or the cluster lets unauthenticated clients manage topics and ACLs.",
    ],
    [
      "a SASL user without a password",
      kafkaProvider,
      (p) => delete p.saslPassword,
      '`saslPassword` is unset on kafka provider tracking-kafka (user "admin"); set the secret `kafkaSaslPassword`, or the provider cannot authenticate.',
    ],
    [
      "the PLAIN mechanism",
      kafkaProvider,
      (p) => (p.saslMechanism = "plain"),
      '`saslMechanism` is "plain" on kafka provider tracking-kafka; it must be one of scram-sha256, scram-sha512 (stack setting `kafkaSaslMechanism`), or the password itself, not a salted proof of it, is sent to the brokers.',
    ],
  ]);

  it("accepts PLAIN where the config lists it, and nothing without TLS and SASL where not required", async () => {
    const plain = edit(kafkaProvider, (p) => (p.saslMechanism = "plain"));
    expect(
      await messages(kafkaTlsAndSasl, plain, { saslMechanisms: ["plain", "scram-sha512"] }),
    ).toEqual([]);
    const open = edit(kafkaProvider, (p) => {
      p.tlsEnabled = "false";
      delete p.saslUsername;
      delete p.saslPassword;
    });
    expect(
      await messages(kafkaTlsAndSasl, open, { requireTls: false, requireSasl: false }),
    ).toEqual([]);
  });
});
