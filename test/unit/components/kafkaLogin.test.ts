import { parseStackConfig } from "../../../config";
import { isAuthenticationFailure, refusedLoginMessage } from "../../../components/kafkaLogin";
import { kafkaLoginsOf } from "../../../components/pipelineKafka";

function settingsOf(raw: Record<string, unknown>) {
  return parseStackConfig(
    Object.fromEntries(
      Object.entries(raw).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    ),
  );
}

const secured = {
  kafkaBootstrapServers: ["k:9093"],
  kafkaTls: true,
  kafkaSaslMechanism: "scram-sha512",
  kafkaSaslUsername: "admin",
  kafkaRestProxyUsername: "rest-proxy",
  kafkaConnectUsername: "connect",
  kubernetesEnabled: false,
  connectUrl: "http://c:8083",
  destinations: [
    {
      name: "crm",
      url: "https://crm.example.com/e",
      topics: ["tracking"],
      kafkaPrincipal: { username: "crm-sink", passwordSecret: "crmKafkaPassword" },
    },
  ],
};

describe("kafkaLoginsOf", () => {
  it("tries every principal's password when the stack does not manage the users", () => {
    const logins = kafkaLoginsOf(settingsOf(secured));
    expect([...logins.values()]).toEqual([
      { passwordKey: "kafkaSaslPassword", username: "admin", usernameSetting: "kafkaSaslUsername" },
      {
        passwordKey: "kafkaRestProxyPassword",
        username: "rest-proxy",
        usernameSetting: "kafkaRestProxyUsername",
      },
      {
        passwordKey: "kafkaConnectPassword",
        username: "connect",
        usernameSetting: "kafkaConnectUsername",
      },
      {
        passwordKey: "crmKafkaPassword",
        username: "crm-sink",
        usernameSetting: "destinations[0].kafkaPrincipal.username",
      },
    ]);
  });

  it("tries only the admin's when the stack sets the users' passwords itself", () => {
    const logins = kafkaLoginsOf(settingsOf({ ...secured, kafkaManageUsers: true }));
    expect([...logins.keys()]).toEqual(["kafkaSaslPassword"]);
  });

  it("tries nothing without SASL", () => {
    expect(kafkaLoginsOf(settingsOf({ kafkaBootstrapServers: ["k:9092"] })).size).toBe(0);
  });
});

describe("isAuthenticationFailure", () => {
  it("finds a refused login however deep the client wrapped it", () => {
    const refused = new Error("SASL SCRAM SHA512 authentication failed: invalid credentials");
    expect(isAuthenticationFailure(refused)).toBe(true);
    expect(isAuthenticationFailure({ message: "outer", errors: [{ cause: refused }] })).toBe(true);
  });

  it("does not take an unreachable broker for a wrong password", () => {
    expect(isAuthenticationFailure(new Error("Connection timeout"))).toBe(false);
    expect(isAuthenticationFailure(new Error("getaddrinfo ENOTFOUND kafka-0"))).toBe(false);
    expect(isAuthenticationFailure(undefined)).toBe(false);
  });
});

describe("refusedLoginMessage", () => {
  it("names the secret and the username setting and says how to fix it", () => {
    const message = refusedLoginMessage(
      {
        bootstrapServers: ["k:9093"],
        security: { tls: true, mechanism: "scram-sha512" },
      },
      { username: "admin", usernameSetting: "kafkaSaslUsername", passwordKey: "kafkaSaslPassword" },
    );
    expect(message).toBe(
      'Kafka refused the login of user "admin" (SCRAM-SHA-512 at k:9093): the secret ' +
        "`kafkaSaslPassword` is not that user's password, or `kafkaSaslUsername` names no user of " +
        "the cluster. Set the right password with `pulumi config set --secret kafkaSaslPassword " +
        "<password>`.",
    );
  });
});
