import { readFileSync } from "node:fs";
import { tryKafkaLogin } from "../../components/kafkaLogin";
import { secureEndpoints } from "../../platform/secure/endpoints";

/** The stack's login check against the secured platform's real broker (TLS and SCRAM-SHA-512). */
const e = secureEndpoints();
const endpoint = {
  bootstrapServers: [e.kafkaBootstrap],
  security: {
    tls: true,
    mechanism: "scram-sha512" as const,
    caCertificate: readFileSync(e.security.caFile, "utf8"),
  },
};

describe("tryKafkaLogin on the secured platform", () => {
  it("is accepted with the right password", async () => {
    const { username, password } = e.credentials.connect;
    await expect(tryKafkaLogin(endpoint, username, password)).resolves.toBe("accepted");
  });

  it("is refused with a wrong password, and for a user the cluster does not have", async () => {
    const { username } = e.credentials.connect;
    await expect(tryKafkaLogin(endpoint, username, "not-the-password")).resolves.toBe("refused");
    await expect(tryKafkaLogin(endpoint, "nobody", "x")).resolves.toBe("refused");
  });

  it("reports an unreachable broker as such, not as a refusal", async () => {
    const closed = { ...endpoint, bootstrapServers: ["127.0.0.1:1"] };
    await expect(tryKafkaLogin(closed, "admin", "x")).resolves.toBe("unreachable");
  });

  it("cannot log in past a CA it does not trust", async () => {
    const other = { ...endpoint, security: { ...endpoint.security, caCertificate: undefined } };
    const { username, password } = e.credentials.connect;
    // The system trust does not know the platform's own CA: the handshake fails before SASL.
    await expect(tryKafkaLogin(other, username, password)).resolves.toBe("unreachable");
  });
});
