import { redact } from "./secrets";

/*
 * What an answer of the Connect REST API that is not a success means: the error the client throws,
 * and which of them are worth retrying.
 */

/**
 * An answer of the Connect REST API that is not a success, or no answer at all. Made by
 * {@link connectApiError}, not by a subclass of Error: Pulumi's closure serializer turns
 * `super(message)` into `Error.call(this, message)`, which sets no message, so a subclass loses
 * its message once the provider is serialized.
 */
export interface ConnectApiError extends Error {
  /** HTTP status; undefined when no answer came (connection refused, timeout). */
  readonly status: number | undefined;
  readonly method: string;
  readonly path: string;
}

export function connectApiError(
  message: string,
  status: number | undefined,
  method: string,
  path: string,
): ConnectApiError {
  return Object.assign(new Error(message), { name: "ConnectApiError", status, method, path });
}

export function isConnectApiError(err: unknown): err is ConnectApiError {
  return err instanceof Error && err.name === "ConnectApiError";
}

/**
 * Said of a 404 that Connect's REST layer did not write. Connect's own 404s carry its error body
 * (`{"error_code":404,"message":"Connector x not found"}`, or Jersey's "HTTP 404 Not Found" for
 * an endpoint an older worker lacks). A worker whose HTTP server is up before its REST resources
 * are answers Jetty's instead (`{"url":..,"status":"404","message":"Not Found"}`, an HTML page,
 * or nothing) for a few seconds while it starts: that means "not ready", never "absent".
 */
export const NOT_READY_404 = "answered 404 without Connect's error body (a worker still starting)";

/**
 * Tells apart what is worth retrying: a worker that is rebalancing, starting or not reachable.
 * A 409 that says the connector already exists is a fact, not a conflict, and every other 4xx is
 * the caller's mistake.
 */
export function isRetryable(error: unknown): boolean {
  if (!isConnectApiError(error)) return false;
  if (error.status === undefined) return true;
  const text = error.message.toLowerCase();
  if (error.status === 409) return !text.includes("already exists");
  if (error.status === 404) return error.message.includes(NOT_READY_404);
  if (error.status >= 500) {
    return (
      error.status === 502 ||
      error.status === 503 ||
      error.status === 504 ||
      text.includes("rebalance") ||
      // "Request timed out": the worker may still apply the call; every call we retry is idempotent.
      text.includes("timed out") ||
      text.includes("starting up") ||
      text.includes("leader") ||
      // "IO Error trying to forward REST request": the worker took the call, but the leader it
      // forwards to went away (seen when the group's leader stopped).
      text.includes("trying to forward")
    );
  }
  return false;
}

/** How a retried answer is announced on the provider's stderr (one line; the CLI shows it). */
export const RETRY_NOTICE_PREFIX = "[connect-api] retrying";

/**
 * One line saying which call is retried after which answer, for operators and for the drills
 * that count them from the CLI's output. Never holds a request body: the message names the
 * method, the URL without credentials, the status and the worker's own message (cut short), and
 * `secrets` are replaced in it.
 */
export function retryNotice(error: ConnectApiError, secrets: readonly string[] = []): string {
  const message = redact(error.message, secrets).replace(/\s+/g, " ").slice(0, 300);
  return `${RETRY_NOTICE_PREFIX} (${error.status ?? "no answer"}): ${message}`;
}

/**
 * True when the worker does not know the endpoint at all (Jersey's bare "HTTP 404 Not Found"),
 * as opposed to "Connector x not found": an older Kafka than the call needs.
 */
export function isMissingEndpoint(error: unknown): boolean {
  return (
    isConnectApiError(error) &&
    (error.status === 405 || (error.status === 404 && /HTTP 404 Not Found/i.test(error.message)))
  );
}
