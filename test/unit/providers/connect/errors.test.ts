import {
  connectApiError,
  isConnectApiError,
  isMissingEndpoint,
  isRetryable,
} from "../../../../providers/connect/errors";

describe("Connect API errors: what is retried", () => {
  const error = (status: number | undefined, message: string) =>
    connectApiError(message, status, "PUT", "/connectors/x/config");

  it("makes errors that keep their message, status and call", () => {
    const err = error(409, "conflict");
    expect(err).toMatchObject({ message: "conflict", status: 409, method: "PUT" });
    expect(isConnectApiError(err)).toBe(true);
    expect(isConnectApiError(new Error("conflict"))).toBe(false);
  });

  it("retries conflicts, rebalances and connection failures", () => {
    expect(
      isRetryable(
        error(
          409,
          "Cannot complete request because of a conflicting operation (e.g. worker rebalance)",
        ),
      ),
    ).toBe(true);
    expect(
      isRetryable(error(500, "Request cannot be completed because a rebalance is expected")),
    ).toBe(true);
    expect(isRetryable(error(503, "Service Unavailable"))).toBe(true);
    expect(isRetryable(error(undefined, "connect ECONNREFUSED 127.0.0.1:18083"))).toBe(true);
  });

  it("tells an endpoint an older worker lacks from a missing connector", () => {
    expect(isMissingEndpoint(error(404, "GET /x answered 404: HTTP 404 Not Found"))).toBe(true);
    expect(isMissingEndpoint(error(404, "GET /x answered 404: Connector x not found"))).toBe(false);
  });

  it("does not retry an existing connector or another client error", () => {
    expect(isRetryable(error(409, "Connector x already exists"))).toBe(false);
    expect(isRetryable(error(400, "Connector configuration is invalid"))).toBe(false);
    expect(isRetryable(error(404, "Connector x not found"))).toBe(false);
    expect(isRetryable(new Error("other"))).toBe(false);
  });
});
