import {
  DESIRED_STATES,
  endpointOf,
  fullConfig,
  isDesiredState,
} from "../../../../providers/connect/types";
import { inputs } from "./fixtures";

describe("types: the provider's shapes", () => {
  it("spells the declarable states once", () => {
    expect(DESIRED_STATES).toEqual(["RUNNING", "PAUSED", "STOPPED"]);
    expect(isDesiredState("PAUSED")).toBe(true);
    expect(isDesiredState("FAILED")).toBe(false);
    expect(isDesiredState(undefined)).toBe(false);
  });

  it("joins the endpoint's visible and secret parts", () => {
    expect(
      endpointOf({ connect: { url: "u", username: "a" }, connectSecrets: { password: "p" } }),
    ).toEqual({ url: "u", username: "a", password: "p" });
  });

  it("sends plain and secret config with the name", () => {
    expect(fullConfig(inputs)).toEqual({
      ...inputs.config,
      "connection.password": "pw",
      name: inputs.name,
    });
  });
});
