import {
  hashSecrets,
  isCredentialKey,
  isMasked,
  redact,
  safely,
  secretValues,
} from "../../../../providers/connect/secrets";

describe("secrets: hashes", () => {
  it("hashes secrets per connector, key and value", () => {
    const a = hashSecrets("c1", { k: "v" });
    expect(a.k).toMatch(/^[0-9a-f]{64}$/);
    expect(hashSecrets("c2", { k: "v" }).k).not.toBe(a.k);
    expect(hashSecrets("c1", { k: "w" }).k).not.toBe(a.k);
    expect(JSON.stringify(a)).not.toContain('"v"');
  });

  it("keys the hashes: without the resource's key, a value cannot be tried against them", () => {
    const key = "00".repeat(32);
    const keyed = hashSecrets("c1", { k: "v" }, key);
    expect(keyed.k).toMatch(/^[0-9a-f]{64}$/);
    expect(keyed.k).not.toBe(hashSecrets("c1", { k: "v" }).k);
    expect(keyed.k).not.toBe(hashSecrets("c1", { k: "v" }, "11".repeat(32)).k);
    expect(hashSecrets("c1", { k: "v" }, key).k).toBe(keyed.k);
  });

  it("recognises masked values", () => {
    expect(isMasked("[hidden]")).toBe(true);
    expect(isMasked("********")).toBe(true);
    expect(isMasked("${file:/secrets:pw}")).toBe(true);
    expect(isMasked("pw")).toBe(false);
  });
});

describe("secrets: keys that carry credentials by name", () => {
  it.each([
    ["headers", "an HTTP sink's headers"],
    ["HEADERS", "case does not matter"],
    ["camel.sink.headers", "headers under a prefix"],
    ["connection.password", "*.password"],
    ["ssl.keystore.Password", "*.password, any case"],
    ["oauth2.client.secret", "*.secret"],
    ["sasl.jaas.config", "sasl.jaas.config"],
    ["consumer.override.sasl.jaas.config", "*sasl.jaas.config"],
    ["bearer.token", "*token*"],
    ["oauth2.token.property", "*token* inside"],
    ["API_TOKEN_VALUE", "*token*, any case"],
    ["aws.secret.access.key", "a secret inside the name"],
    ["ssl.keystore.password.file.path", "a password inside the name"],
    ["gateway.api-key", "an API key"],
    ["ssl.private.key", "a private key"],
    ["basic.auth.credentials", "credentials"],
  ])("treats %s as a credential (%s)", (key) => {
    expect(isCredentialKey(key)).toBe(true);
  });

  it.each([
    "http.api.url",
    "connection.user",
    "header.separator",
    "errors.deadletterqueue.context.headers.enable",
    "key.converter",
    "value.converter.schemas.enable",
    "topics",
  ])("leaves %s plain", (key) => {
    expect(isCredentialKey(key)).toBe(false);
  });
});

describe("secrets: messages", () => {
  it("removes every secret value from a message, longest first", () => {
    expect(
      redact("user bob pw hunter22 token hunter22x", ["hunter22", "hunter22x", "", "ab"]),
    ).toBe("user bob pw [secret] token [secret]");
  });

  it("collects connector and endpoint secrets", () => {
    expect(
      secretValues({
        secretConfig: { a: "s1" },
        connectSecrets: { password: "p", keyPem: "k", headers: { Authorization: "h" } },
      }),
    ).toEqual(["s1", "p", "k", "h"]);
  });

  it("rethrows an error with the secret values replaced", async () => {
    await expect(
      safely(["hunter22"], () => Promise.reject(new Error("bad password hunter22"))),
    ).rejects.toThrow(/^bad password \[secret\]$/);
    await expect(safely(["x"], () => Promise.resolve(3))).resolves.toBe(3);
  });
});
