import { parseStackConfig, requiredSecrets } from "../../../config";
import { TEST_CA } from "../components/securityFixtures";
import { configProblems } from "../mocks";

const minimal = { kafkaBootstrapServers: '["k:9093"]' };
const sasl = {
  ...minimal,
  kafkaSaslMechanism: "scram-sha512",
  kafkaSaslUsername: "admin",
  kafkaRestProxyUsername: "rest-proxy",
  kafkaConnectUsername: "connect",
};
const destinations = (...extra: Record<string, unknown>[]) =>
  JSON.stringify(
    extra.map((d, i) => ({
      name: `d${i}`,
      url: "https://collect.example.com/e",
      topics: ["tracking"],
      ...d,
    })),
  );
const own = (username: string, passwordSecret = `${username}Password`) => ({
  kafkaPrincipal: { username, passwordSecret },
});

describe("secured Kafka settings", () => {
  it("takes a secured configuration with a CA, a principal per role and managed access", () => {
    const parsed = parseStackConfig({
      ...sasl,
      kafkaTls: "true",
      kafkaTlsCaCertificate: TEST_CA,
      kafkaManageUsers: "true",
      kafkaManageAcls: "true",
      d0Password: "x",
      destinations: destinations(own("d0")),
    });
    expect(parsed).toMatchObject({
      kafkaTlsCaCertificate: TEST_CA,
      kafkaManageUsers: true,
      kafkaManageAcls: true,
    });
    expect(parsed.destinations[0].kafkaPrincipal).toEqual({
      username: "d0",
      passwordSecret: "d0Password",
    });
  });

  it("requires the REST proxy's and the workers' users when SASL is on, saying how to fix it", () => {
    expect(
      configProblems({ ...minimal, kafkaSaslMechanism: "plain", kafkaSaslUsername: "admin" }),
    ).toEqual([
      'kafkaRestProxyUsername: must be set when `kafkaSaslMechanism` is "plain": the REST proxy logs in as its own principal (set it and the secret kafkaRestProxyPassword) (found "")',
      'kafkaConnectUsername: must be set when `kafkaSaslMechanism` is "plain": the Connect workers and the sinks log in as it (set it and the secret kafkaConnectPassword) (found "")',
    ]);
  });

  it("refuses managed users with the plain mechanism", () => {
    expect(
      configProblems({ ...sasl, kafkaSaslMechanism: "plain", kafkaManageUsers: "true" }),
    ).toEqual([
      'kafkaManageUsers: is true, but `kafkaSaslMechanism` is "plain": the stack can only create SCRAM users; set kafkaSaslMechanism to "scram-sha256" or "scram-sha512", or create the users on the brokers and set kafkaManageUsers to false (found true)',
    ]);
  });

  it("refuses managed ACLs without SASL", () => {
    expect(configProblems({ ...minimal, kafkaManageAcls: "true" })).toEqual([
      'kafkaManageAcls: is true, but `kafkaSaslMechanism` is "none": ACLs need authenticated principals; choose a SASL mechanism or set kafkaManageAcls to false (found true)',
    ]);
  });

  it("refuses a CA without TLS", () => {
    expect(configProblems({ ...minimal, kafkaTlsCaCertificate: TEST_CA })).toEqual([
      'kafkaTlsCaCertificate: is set but `kafkaTls` is false: a CA is only used over TLS; set kafkaTls to true or remove the certificate (found "-----BEGIN CERTIFICATE-----\\nMI")',
    ]);
  });

  it.each([
    [
      "a file name",
      "ca.pem",
      'must be PEM: one or more -----BEGIN CERTIFICATE----- blocks and nothing else (for example `pulumi config set kafkaTlsCaCertificate -- "$(cat ca.pem)"`)',
    ],
    [
      "a broken certificate",
      "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----",
      "certificate 1 of the PEM is not a readable X.509 certificate; check the file it was copied from",
    ],
    [
      "a private key next to the certificate",
      `${TEST_CA}-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----\n`,
      "holds a private key; set only the CA's certificate (the -----BEGIN CERTIFICATE----- block), and rotate that key",
    ],
    [
      "text around the certificate",
      `issuer: corp\n${TEST_CA}`,
      'must be PEM: one or more -----BEGIN CERTIFICATE----- blocks and nothing else (for example `pulumi config set kafkaTlsCaCertificate -- "$(cat ca.pem)"`)',
    ],
  ])("refuses %s as the CA, without echoing it whole", (_, pem, message) => {
    const problems = configProblems({ ...minimal, kafkaTls: "true", kafkaTlsCaCertificate: pem });
    expect(problems).toEqual([
      `kafkaTlsCaCertificate: ${message} (found ${JSON.stringify(pem.slice(0, 30))})`,
    ]);
  });

  it("takes a bundle of two CA certificates", () => {
    const bundle = `${TEST_CA}${TEST_CA}`;
    expect(
      parseStackConfig({ ...minimal, kafkaTls: "true", kafkaTlsCaCertificate: bundle })
        .kafkaTlsCaCertificate,
    ).toBe(bundle);
  });

  it("refuses a role sharing the admin's or another role's user", () => {
    expect(
      configProblems({ ...sasl, kafkaRestProxyUsername: "admin", kafkaConnectUsername: "admin" }),
    ).toEqual([
      'kafkaRestProxyUsername: must not be the admin principal `kafkaSaslUsername`; give each client a user of its own (found "admin")',
      'kafkaConnectUsername: must not be the admin principal `kafkaSaslUsername`; give each client a user of its own (found "admin")',
      'kafkaConnectUsername: must differ from `kafkaRestProxyUsername`; give each client a user of its own (found "admin")',
    ]);
  });

  it("refuses role users without SASL", () => {
    expect(configProblems({ ...minimal, kafkaConnectUsername: "connect" })).toEqual([
      'kafkaConnectUsername: is set but `kafkaSaslMechanism` is "none"; choose a mechanism or remove it (found "connect")',
    ]);
  });
});

describe("a destination's own Kafka principal", () => {
  it("is refused without SASL", () => {
    expect(
      configProblems({ ...minimal, p: "x", destinations: destinations(own("u", "p")) }),
    ).toEqual([
      'destinations[0].kafkaPrincipal: is set but `kafkaSaslMechanism` is "none"; choose a mechanism or remove it (found {"username":"u","passwordSecret":"p"})',
    ]);
  });

  it.each([
    [
      "connect",
      "must not be `kafkaConnectUsername`; remove kafkaPrincipal to use the workers' principal",
    ],
    ["admin", "must not be `kafkaSaslUsername`; give the sink a user of its own"],
    ["rest-proxy", "must not be `kafkaRestProxyUsername`; give the sink a user of its own"],
  ])("may not be the role user %p", (username, message) => {
    expect(
      configProblems({ ...sasl, p: "x", destinations: destinations(own(username, "p")) }),
    ).toEqual([`destinations[0].kafkaPrincipal.username: ${message} (found "${username}")`]);
  });

  it("has one password per user across destinations", () => {
    expect(
      configProblems({
        ...sasl,
        a: "x",
        b: "x",
        destinations: destinations(own("sink", "a"), own("sink", "b")),
      }),
    ).toEqual([
      'destinations[1].kafkaPrincipal.passwordSecret: names another secret than "a" for the same user "sink"; one user has one password (found "b")',
    ]);
  });

  it("suggests the key of a misspelt principal setting", () => {
    const raw = {
      ...sasl,
      destinations: destinations({ kafkaPrincipal: { username: "u", passwordSecrt: "p" } }),
    };
    expect(configProblems(raw)).toEqual([
      "destinations[0].kafkaPrincipal.passwordSecret: must be set: the config key of the user's password (set with --secret) (found nothing)",
      "destinations[0].kafkaPrincipal.passwordSecrt: unknown setting; did you mean `passwordSecret`?",
    ]);
  });

  it("refuses Kafka security settings among the consumer overrides of a secured stack", () => {
    const raw = {
      ...sasl,
      kafkaManageAcls: "true",
      destinations: destinations({
        consumerOverrides: {
          "sasl.jaas.config": "x required password=leak;",
          "group.id": "mine",
          "fetch.max.bytes": "1",
        },
      }),
    };
    expect(configProblems(raw)).toEqual([
      'destinations[0].consumerOverrides.sasl.jaas.config: is a Kafka security setting, which the stack sets from `kafkaTls`, `kafkaSaslMechanism` and `kafkaPrincipal`; remove it (give the destination a `kafkaPrincipal` to log it in as another user) (found "[hidden]")',
      "destinations[0].consumerOverrides.group.id: is set, but the stack grants the sink's ACL on Connect's own group `connect-<connector name>`; remove it (found \"mine\")",
    ]);
  });
});

describe("the secrets of a secured stack", () => {
  it("needs the admin's, the REST proxy's, the workers' and each own principal's password", () => {
    const settings = parseStackConfig({
      ...sasl,
      crmKafka: "x",
      destinations: destinations({}, own("crm", "crmKafka")),
    });
    expect(requiredSecrets(settings)).toEqual([
      { key: "kafkaSaslPassword", from: "kafkaSaslMechanism" },
      { key: "kafkaRestProxyPassword", from: "kafkaRestProxyUsername" },
      { key: "kafkaConnectPassword", from: "kafkaConnectUsername" },
      { key: "crmKafka", from: "destinations[1].kafkaPrincipal.passwordSecret" },
    ]);
  });

  it("needs none of them on a plaintext cluster", () => {
    expect(requiredSecrets(parseStackConfig(minimal))).toEqual([]);
  });

  it("takes the new secret keys, and suggests them when misspelt", () => {
    expect(() =>
      parseStackConfig({ ...sasl, kafkaRestProxyPassword: "x", kafkaConnectPassword: "x" }),
    ).not.toThrow();
    expect(configProblems({ ...sasl, kafkaConectPassword: "x" })).toEqual([
      "kafkaConectPassword: unknown setting; did you mean `kafkaConnectPassword`?",
    ]);
  });
});

describe("TLS on the REST proxy's Ingress", () => {
  const edge = { ...minimal, restProxyIngressHost: "events.example.com" };

  it("takes a certificate Secret or a cert-manager issuer", () => {
    expect(parseStackConfig({ ...edge, restProxyIngressTlsSecret: "events-tls" })).toMatchObject({
      restProxyIngressTlsSecret: "events-tls",
      restProxyIngressCertManagerIssuer: "",
    });
    expect(
      parseStackConfig({ ...edge, restProxyIngressCertManagerIssuer: "letsencrypt-prod" })
        .restProxyIngressCertManagerIssuer,
    ).toBe("letsencrypt-prod");
  });

  it("refuses both at once", () => {
    expect(
      configProblems({
        ...edge,
        restProxyIngressTlsSecret: "a",
        restProxyIngressCertManagerIssuer: "b",
      }),
    ).toEqual([
      'restProxyIngressCertManagerIssuer: is set together with `restProxyIngressTlsSecret`; set one: an existing certificate Secret, or an issuer that makes one (found "b")',
    ]);
  });

  it("refuses TLS without a host", () => {
    expect(configProblems({ ...minimal, restProxyIngressTlsSecret: "events-tls" })).toEqual([
      'restProxyIngressTlsSecret: is set but `restProxyIngressHost` is empty: there is no Ingress to put TLS on; set the host or remove it (found "events-tls")',
    ]);
  });

  it("refuses a Secret name Kubernetes would refuse", () => {
    expect(configProblems({ ...edge, restProxyIngressTlsSecret: "Events_TLS" })).toEqual([
      'restProxyIngressTlsSecret: must be a Kubernetes object name: lowercase letters, digits, dashes and dots (found "Events_TLS")',
    ]);
  });
});
