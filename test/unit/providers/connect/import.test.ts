import {
  IMPORT_ENV,
  importEndpoint,
  isImport,
  splitImported,
} from "../../../../providers/connect/import";
import { inputs, stored } from "./fixtures";

describe("import: credentials never become plain config", () => {
  const live = {
    name: "imported",
    "connector.class": "x.Sink",
    topics: "t",
    headers: "Authorization:Bearer abc123|Content-Type:application/json",
    "connection.user": "writer",
    "connection.password": "pw-1",
    "oauth2.client.secret": "cs-1",
    "consumer.override.sasl.jaas.config": "jaas-1",
    "api.token": "tok-1",
    "__internal.x": "1",
  };

  it("keeps credential keys secret when the plugin's definitions are not known", () => {
    const { config, secrets } = splitImported(live, new Set());
    expect(config).toEqual({
      "connector.class": "x.Sink",
      topics: "t",
      "connection.user": "writer",
    });
    expect(Object.keys(secrets).sort()).toEqual([
      "api.token",
      "connection.password",
      "consumer.override.sasl.jaas.config",
      "headers",
      "oauth2.client.secret",
    ]);
  });

  it("keeps PASSWORD-typed keys secret whatever their name", () => {
    const { config, secrets } = splitImported({ ...live, "my.pin": "1234" }, new Set(["my.pin"]));
    expect(secrets["my.pin"]).toBe("1234");
    expect(config).not.toHaveProperty("my.pin");
  });
});

describe("import: where the connector is", () => {
  it("is an import when the props are not our outputs", () => {
    expect(isImport(undefined)).toBe(true);
    expect(isImport({ connect: inputs.connect })).toBe(true);
    expect(isImport(stored(inputs))).toBe(false);
  });

  it("takes the state's endpoint, else the TRACKING_CONNECT_* variables", () => {
    expect(importEndpoint("c", stored(inputs), {})).toEqual({
      connect: inputs.connect,
      connectSecrets: {},
    });
    const env = {
      [IMPORT_ENV.url]: "http://c:8083",
      [IMPORT_ENV.username]: "ops",
      [IMPORT_ENV.password]: "pw",
    };
    expect(importEndpoint("c", undefined, env)).toEqual({
      connect: { url: "http://c:8083", username: "ops" },
      connectSecrets: { password: "pw" },
    });
  });

  it("says how to give the endpoint when none is known", () => {
    expect(() => importEndpoint("c", undefined, {})).toThrow(
      'cannot read connector "c": its state names no Connect endpoint. Set TRACKING_CONNECT_URL (and TRACKING_CONNECT_USERNAME / TRACKING_CONNECT_PASSWORD for basic auth), or use `Connector.get(name, id, { connect })`.',
    );
  });
});
