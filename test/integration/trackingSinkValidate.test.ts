import axios from "axios";
import { platformEndpoints } from "./platform";

/**
 * The connector's cross-key rules as the real worker's validate endpoint answers them (what
 * `pulumi preview` and any Connect UI show): each error filed under the key to change, naming it
 * and saying how to fix it, never echoing a secret.
 */
const e = platformEndpoints();

interface Validation {
  readonly error_count: number;
  readonly configs: readonly { value: { name: string; errors: string[] } }[];
}

/** Errors by key for this config (only keys with errors). */
async function validate(extra: Record<string, string>): Promise<Record<string, string[]>> {
  const cls = e.httpSinkConnectorClass;
  const { data } = await axios.put<Validation>(
    `${e.connectUrl}/connector-plugins/${cls}/config/validate`,
    {
      "connector.class": cls,
      name: "validate-only",
      topics: "events",
      "http.api.url": `${e.receiverUrl}/collect`,
      ...extra,
    },
  );
  const errors: Record<string, string[]> = {};
  for (const c of data.configs)
    if (c.value.errors.length > 0) errors[c.value.name] = c.value.errors;
  expect(data.error_count).toBe(Object.values(errors).flat().length);
  return errors;
}

describe("tracking HTTP sink: cross-key validation on the real worker", () => {
  it("accepts a consistent config", async () => {
    expect(
      await validate({
        "auth.type": "OAUTH2",
        "oauth2.token.url": `${e.receiverUrl}/token`,
        "oauth2.client.id": "tracking",
        "oauth2.client.secret": "s3cr3t",
        "batch.max.size": "20",
        "batch.json.as.array": "true",
        "request.rate.limit.events.per.second": "50",
      }),
    ).toEqual({});
  });

  it("names connection.user and connection.password when BASIC lacks them", async () => {
    const errors = await validate({ "auth.type": "BASIC" });
    expect(Object.keys(errors).sort()).toEqual(["connection.password", "connection.user"]);
    expect(errors["connection.user"][0]).toMatch(
      /^`connection\.user` is required when `auth\.type` is BASIC: set `connection\.user`/,
    );
    expect(errors["connection.password"][0]).toMatch(/^`connection\.password` is required/);
  });

  it("names each missing OAuth2 key, and the one at fault only", async () => {
    const errors = await validate({
      "auth.type": "OAUTH2",
      "oauth2.client.id": "tracking",
    });
    expect(Object.keys(errors).sort()).toEqual(["oauth2.client.secret", "oauth2.token.url"]);
    expect(errors["oauth2.token.url"][0]).toContain("`auth.type` is OAUTH2");
  });

  it("names batch framing that batch.json.as.array would ignore", async () => {
    const errors = await validate({
      "batch.max.size": "10",
      "batch.json.as.array": "true",
      "batch.prefix": '{"events":[',
      "batch.suffix": "]}",
    });
    expect(Object.keys(errors).sort()).toEqual(["batch.prefix", "batch.suffix"]);
    expect(errors["batch.prefix"][0]).toContain("set `batch.json.as.array` to false");
  });

  it("names a backoff cap below the backoff base, and delete without ${key}", async () => {
    const errors = await validate({
      "retry.backoff.ms": "5000",
      "retry.backoff.max.ms": "1000",
      "behavior.on.null.values": "delete",
    });
    expect(Object.keys(errors).sort()).toEqual(["behavior.on.null.values", "retry.backoff.max.ms"]);
    expect(errors["retry.backoff.max.ms"][0]).toContain("at least 5000");
    expect(errors["behavior.on.null.values"][0]).toContain("put `${key}` in `http.api.url`");
  });

  it("names malformed headers without echoing them", async () => {
    const errors = await validate({ headers: "Authorization Bearer s3cr3t" });
    expect(Object.keys(errors)).toEqual(["headers"]);
    expect(JSON.stringify(errors)).not.toContain("s3cr3t");
  });
});
