import type * as Axios from "axios";
import type * as Backoff from "exponential-backoff";
import type * as Https from "https";
import {
  connectApiError,
  isConnectApiError,
  isMissingEndpoint,
  isRetryable,
  NOT_READY_404,
  retryNotice,
} from "./errors";
import type { DesiredState } from "./types";

/*
 * The dynamic provider is serialized by Pulumi's closure serializer. A module captured at the top
 * of a file is copied by value unless it is the very object in Node's module cache (not so under
 * jest, nor for TS interop wrappers), and axios cannot be copied. So every module is required
 * inside the function that uses it: the serializer keeps such a call as `require("x")`.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
function modules() {
  return {
    axios: require("axios") as typeof Axios.default,
    backoff: require("exponential-backoff") as typeof Backoff,
    https: require("https") as typeof Https,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/** Where the Kafka Connect REST API is and how to reach it. */
export interface ConnectEndpoint {
  /** Base URL, for example `http://connect.tracking.svc:8083`. */
  readonly url: string;
  /** Basic auth user of the REST API. Defaults to no authentication. */
  readonly username?: string;
  /** Basic auth password of the REST API. Defaults to empty. */
  readonly password?: string;
  /** PEM bundle of the CA that signed the REST API's certificate. Defaults to Node's CAs. */
  readonly caPem?: string;
  /** PEM client certificate for mutual TLS. Defaults to none. */
  readonly certPem?: string;
  /** PEM private key of the client certificate. Defaults to none. */
  readonly keyPem?: string;
  /** Extra headers sent with every request (for example a gateway token). Defaults to none. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one request, in milliseconds. Defaults to 30000 (`DEFAULT_REQUEST_TIMEOUT_MS`). */
  readonly requestTimeoutMs?: number;
  /** How long retries of one call may go on, in milliseconds. Defaults to 120000. */
  readonly retryDeadlineMs?: number;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
export const DEFAULT_RETRY_DEADLINE_MS = 120_000;

/** A state the worker reports: a declarable one, or one on the way (or off it). */
export type ConnectorState = DesiredState | "UNASSIGNED" | "FAILED" | "RESTARTING";

export interface TaskStatus {
  readonly id: number;
  readonly state: ConnectorState;
  readonly worker_id: string;
  readonly trace?: string;
}

export interface ConnectorStatus {
  readonly name: string;
  readonly connector: {
    readonly state: ConnectorState;
    readonly worker_id: string;
    readonly trace?: string;
  };
  readonly tasks: readonly TaskStatus[];
  readonly type?: string;
}

export interface ConfigDefinition {
  readonly name: string;
  /** STRING, INT, PASSWORD, ... as the plugin's ConfigDef declares it. */
  readonly type: string;
}

export interface ValidationResult {
  readonly name: string;
  readonly error_count: number;
  readonly configs: readonly {
    readonly definition?: ConfigDefinition;
    readonly value: {
      readonly name: string;
      readonly value: string | null;
      readonly errors: readonly string[];
    };
  }[];
}

/** One committed offset of a sink connector, exactly as `GET /connectors/{name}/offsets` shows it. */
export interface SinkOffset {
  readonly partition: { readonly kafka_topic: string; readonly kafka_partition: number };
  readonly offset: { readonly kafka_offset: number } | null;
}

export interface ServerInfo {
  readonly version: string;
  readonly commit: string;
  readonly kafka_cluster_id: string;
}

interface RequestOptions {
  /** Answer `undefined` instead of throwing on 404. */
  readonly allow404?: boolean;
  readonly params?: Record<string, string | boolean>;
  /** Overrides the endpoint's `retryDeadlineMs` for this call. */
  readonly deadlineMs?: number;
}

function describeBody(data: unknown): string {
  if (data && typeof data === "object" && "message" in data) {
    return String((data as { message: unknown }).message).slice(0, 2000);
  }
  if (typeof data === "string") return data.slice(0, 500);
  return "";
}

/** Whether a body is Connect's own error (`{"error_code": 404, "message": ...}`). */
function isConnectErrorBody(data: unknown): boolean {
  return (
    typeof data === "object" &&
    data !== null &&
    typeof (data as { error_code?: unknown }).error_code === "number"
  );
}

/** The URL without `user:password@`, so that it can appear in messages. */
export function displayUrl(url: string): string {
  return url.replace(/\/\/[^/@]*@/, "//").replace(/\/+$/, "");
}

/**
 * Kafka's `major * 1000 + minor` from a worker's version. Confluent Platform reports its own
 * version (`7.9.1-ccs`): CP 7.x ships Kafka 3.x and CP 8.x ships Kafka 4.x. 0 when unknown.
 */
export function kafkaVersionOf(version: string | undefined): number {
  const match = /^(\d+)\.(\d+)(.*)$/.exec(version ?? "");
  if (!match) return 0;
  let major = Number(match[1]);
  if (/-c(cs|e)\b/.test(match[3]) && major >= 7) major -= 4;
  return major * 1000 + Number(match[2]);
}

/** A small, typed client of the Kafka Connect REST API with bounded retries. */
export function connectClient(endpoint: ConnectEndpoint) {
  const { axios, backoff, https } = modules();
  const base = endpoint.url.replace(/\/+$/, "");
  const shown = displayUrl(base);
  const secrets = [
    endpoint.password,
    endpoint.keyPem,
    ...Object.values(endpoint.headers ?? {}),
  ].filter((v): v is string => typeof v === "string");
  const http = axios.create({
    baseURL: base,
    timeout: endpoint.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Always JSON: a body-less PUT (pause, resume, stop) otherwise goes out as a form, and the
    // worker answers 415 Unsupported Media Type.
    headers: {
      Accept: "application/json",
      "Content-Type": "application/json",
      ...(endpoint.headers ?? {}),
    },
    auth:
      endpoint.username !== undefined && endpoint.username !== ""
        ? { username: endpoint.username, password: endpoint.password ?? "" }
        : undefined,
    httpsAgent:
      endpoint.caPem || endpoint.certPem
        ? new https.Agent({ ca: endpoint.caPem, cert: endpoint.certPem, key: endpoint.keyPem })
        : undefined,
    // Every status is an answer; this client decides what is an error.
    validateStatus: () => true,
    // A redirect would resend credentials elsewhere; the Connect API never redirects.
    maxRedirects: 0,
  });

  async function once<T>(
    method: string,
    path: string,
    body: unknown,
    opts: RequestOptions,
  ): Promise<T | undefined> {
    let response;
    try {
      response = await http.request({ method, url: path, data: body, params: opts.params });
    } catch (err) {
      // axios' message names the cause (ECONNREFUSED, timeout); never the request body.
      const reason = err instanceof Error ? err.message : String(err);
      throw connectApiError(
        `${method} ${shown}${path} got no answer: ${reason}`,
        undefined,
        method,
        path,
      );
    }
    if (response.status === 404 && !isConnectErrorBody(response.data)) {
      const detail = describeBody(response.data).replace(/\s+/g, " ").slice(0, 120);
      throw connectApiError(
        `${method} ${shown}${path} ${NOT_READY_404}${detail ? `: ${detail}` : ""}`,
        404,
        method,
        path,
      );
    }
    if (response.status === 404 && opts.allow404) {
      // Only "no such connector" counts as absent; an unknown endpoint is an old worker.
      const detail = describeBody(response.data);
      if (!/HTTP 404 Not Found/i.test(detail)) return undefined;
    }
    if (response.status >= 200 && response.status < 300) return response.data as T;
    const detail = describeBody(response.data);
    throw connectApiError(
      `${method} ${shown}${path} answered ${response.status}${detail ? `: ${detail}` : ""}`,
      response.status,
      method,
      path,
    );
  }

  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    opts: RequestOptions = {},
  ): Promise<T | undefined> {
    const deadline =
      Date.now() + (opts.deadlineMs ?? endpoint.retryDeadlineMs ?? DEFAULT_RETRY_DEADLINE_MS);
    return backoff.backOff(() => once<T>(method, path, body, opts), {
      // The deadline bounds the retries, not a count.
      numOfAttempts: Number.MAX_SAFE_INTEGER,
      startingDelay: 200,
      timeMultiple: 2,
      maxDelay: 5_000,
      // Full jitter: parallel creates (pulumi up runs them concurrently) must not retry in step.
      jitter: "full",
      retry: (err: unknown) => {
        const again = isRetryable(err) && Date.now() < deadline;
        // Counted from outside (the CLI shows a provider's stderr): what a rebalance cost.
        if (again && isConnectApiError(err)) process.stderr.write(`${retryNotice(err, secrets)}\n`);
        return again;
      },
    });
  }

  const enc = encodeURIComponent;

  return {
    /**
     * Waits, bounded, until the REST API answers and the worker is ready: `GET /health`
     * (Kafka 3.9+, 503 while starting), or `GET /` on older workers.
     */
    async waitUntilReady(deadlineMs: number): Promise<ServerInfo> {
      try {
        await request("GET", "/health", undefined, { deadlineMs });
      } catch (err) {
        if (!isMissingEndpoint(err)) throw err;
      }
      return (await request<ServerInfo>("GET", "/", undefined, { deadlineMs }))!;
    },

    async getConfig(name: string): Promise<Record<string, string> | undefined> {
      return request<Record<string, string>>("GET", `/connectors/${enc(name)}/config`, undefined, {
        allow404: true,
      });
    },

    /** Status, or undefined when absent (also for a moment right after a create). */
    async getStatus(name: string): Promise<ConnectorStatus | undefined> {
      return request<ConnectorStatus>("GET", `/connectors/${enc(name)}/status`, undefined, {
        allow404: true,
      });
    },

    /** Creates or replaces the whole config (201 created, 200 updated). */
    async putConfig(name: string, config: Record<string, string>): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/config`, config);
    },

    /**
     * Creates the connector in the given initial state (KIP-980, Kafka 3.7+). Answers false when
     * a connector of that name exists already (409 "already exists", never retried).
     */
    async createWithState(
      name: string,
      config: Record<string, string>,
      initialState: DesiredState,
    ): Promise<boolean> {
      try {
        await request("POST", "/connectors", { name, config, initial_state: initialState });
        return true;
      } catch (err) {
        if (isConnectApiError(err) && err.status === 409 && !isRetryable(err)) return false;
        throw err;
      }
    },

    /**
     * Deletes the connector; true when it existed, false when it was already gone. The worker
     * answers before its status forgets the connector: wait for that too.
     */
    async deleteConnector(name: string): Promise<boolean> {
      // 204 carries an empty body (""), which is not undefined; only a 404 gives undefined.
      const result = await request<unknown>("DELETE", `/connectors/${enc(name)}`, undefined, {
        allow404: true,
      });
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline) {
        const status = await request("GET", `/connectors/${enc(name)}/status`, undefined, {
          allow404: true,
        });
        if (status === undefined) break;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      return result !== undefined;
    },

    /** `PUT .../pause`: 202; the connector and its tasks go PAUSED. */
    async pause(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/pause`);
    },

    /** `PUT .../resume`: 202; leaves PAUSED and STOPPED alike. */
    async resume(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/resume`);
    },

    /** `PUT .../stop` (KIP-875, Kafka 3.5+): 204; releases the tasks. */
    async stop(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/stop`);
    },

    /** Restarts the connector and, by default, only its failed tasks (KIP-745, Kafka 3.0+). */
    async restart(name: string, onlyFailed = true): Promise<void> {
      await request("POST", `/connectors/${enc(name)}/restart`, undefined, {
        params: { includeTasks: true, onlyFailed },
      });
    },

    /** Committed offsets (KIP-875, Kafka 3.5+); undefined when the connector is absent. */
    async getOffsets(name: string): Promise<SinkOffset[] | undefined> {
      const result = await request<{ offsets: SinkOffset[] }>(
        "GET",
        `/connectors/${enc(name)}/offsets`,
        undefined,
        { allow404: true },
      );
      return result?.offsets;
    },

    /** Writes offsets of a STOPPED connector (Kafka 3.6+); an empty list is a 400. */
    async patchOffsets(name: string, offsets: readonly SinkOffset[]): Promise<void> {
      await request("PATCH", `/connectors/${enc(name)}/offsets`, { offsets });
    },

    /**
     * The plugin's own validation. The body must carry `name` (a missing name is an error), and
     * PASSWORD-type values come back as `[hidden]`.
     */
    async validate(
      connectorClass: string,
      config: Record<string, string>,
      deadlineMs?: number,
    ): Promise<ValidationResult> {
      const path = `/connector-plugins/${enc(connectorClass)}/config/validate`;
      return (await request<ValidationResult>("PUT", path, config, { deadlineMs }))!;
    },
  };
}

export type ConnectClient = ReturnType<typeof connectClient>;
