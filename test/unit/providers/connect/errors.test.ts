import {
  connectApiError,
  isConnectApiError,
  isMissingEndpoint,
  isRetryable,
  NOT_READY_404,
  retryNotice,
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

  it("retries the answers a worker gives while its group's leader stops or it starts", () => {
    // Both seen on the cluster profile (platform/research/cluster-profile.md §3.5).
    const forward =
      "PUT http://127.0.0.1:28083/connectors/x/config answered 500: IO Error trying to forward " +
      "REST request: java.io.EOFException: HttpConnectionOverHTTP@5c22c2bd";
    expect(isRetryable(error(500, forward))).toBe(true);
    expect(
      isRetryable(error(404, `PUT http://127.0.0.1:28083/connectors/x/config ${NOT_READY_404}`)),
    ).toBe(true);
    expect(isRetryable(error(500, "Failed to find any class that implements Connector"))).toBe(
      false,
    );
  });

  it("announces a retried answer in one line, without credentials", () => {
    const conflict = error(
      409,
      "PUT http://connect:8083/connectors/x/config answered 409: Cannot complete request\n" +
        "momentarily due to no known leader URL, token s3cr3t",
    );
    expect(retryNotice(conflict, ["s3cr3t"])).toBe(
      "[connect-api] retrying (409): PUT http://connect:8083/connectors/x/config answered 409: " +
        "Cannot complete request momentarily due to no known leader URL, token [secret]",
    );
    expect(
      retryNotice(error(undefined, "GET http://connect:8083/ got no answer: ECONNREFUSED")),
    ).toBe(
      "[connect-api] retrying (no answer): GET http://connect:8083/ got no answer: ECONNREFUSED",
    );
    expect(retryNotice(error(503, "x".repeat(400))).length).toBeLessThan(340);
  });

  it("tells an endpoint an older worker lacks from a missing connector", () => {
    expect(isMissingEndpoint(error(404, "GET /x answered 404: HTTP 404 Not Found"))).toBe(true);
    expect(isMissingEndpoint(error(404, "GET /x answered 404: Connector x not found"))).toBe(false);
  });

  it("does not retry an existing connector or another client error", () => {
    expect(isRetryable(error(409, "Connector x already exists"))).toBe(false);
    expect(isRetryable(error(400, "Connector configuration is invalid"))).toBe(false);
    expect(isRetryable(error(404, "Connector x not found"))).toBe(false);
    expect(isRetryable(error(404, "GET /x answered 404: HTTP 404 Not Found"))).toBe(false);
    expect(isRetryable(new Error("other"))).toBe(false);
  });
});
