import type * as Axios from "axios";
import type * as Backoff from "exponential-backoff";
import type * as Https from "https";

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
  /** Basic auth user of the REST API. */
  readonly username?: string;
  /** Basic auth password of the REST API. */
  readonly password?: string;
  /** PEM bundle of the CA that signed the REST API's certificate. */
  readonly caPem?: string;
  /** PEM client certificate for mutual TLS. */
  readonly certPem?: string;
  /** PEM private key of the client certificate. */
  readonly keyPem?: string;
  /** Extra headers sent with every request (for example a gateway token). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Timeout of one request, in milliseconds. Defaults to 30000. */
  readonly requestTimeoutMs?: number;
  /** How long retries of one call may go on, in milliseconds. Defaults to 120000. */
  readonly retryDeadlineMs?: number;
}

export type ConnectorState =
  "UNASSIGNED" | "RUNNING" | "PAUSED" | "STOPPED" | "FAILED" | "RESTARTING";

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

export interface ValidationResult {
  readonly name: string;
  readonly error_count: number;
  readonly configs: readonly {
    readonly value: {
      readonly name: string;
      readonly value: string | null;
      readonly errors: readonly string[];
    };
  }[];
}

export interface SinkOffset {
  readonly partition: { readonly kafka_topic: string; readonly kafka_partition: number };
  readonly offset: { readonly kafka_offset: number } | null;
}

/** An answer of the Connect REST API that is not a success, or no answer at all. */
export class ConnectApiError extends Error {
  constructor(
    message: string,
    public readonly status: number | undefined,
    public readonly method: string,
    public readonly path: string,
  ) {
    super(message);
    this.name = "ConnectApiError";
  }
}

interface RequestOptions {
  /** Answer `undefined` instead of throwing on 404. */
  readonly allow404?: boolean;
  /** Never retry, even on a retryable answer (for calls that are not idempotent). */
  readonly noRetry?: boolean;
  readonly params?: Record<string, string | boolean>;
}

/**
 * Tells apart what is worth retrying: a worker that is rebalancing or not yet up, or a
 * connection that failed. A 409 that says the connector already exists is a fact, not a
 * conflict, and every other 4xx is the caller's mistake.
 */
export function isRetryable(error: unknown): boolean {
  if (!(error instanceof ConnectApiError)) return false;
  if (error.status === undefined) return true;
  const text = error.message.toLowerCase();
  if (error.status === 409) return !text.includes("already exists");
  if (error.status >= 500) {
    return (
      error.status === 502 ||
      error.status === 503 ||
      error.status === 504 ||
      text.includes("rebalance") ||
      text.includes("timed out") ||
      text.includes("not yet") ||
      text.includes("leader")
    );
  }
  return false;
}

function describeBody(data: unknown): string {
  if (data && typeof data === "object" && "message" in data) {
    return String((data as { message: unknown }).message);
  }
  if (typeof data === "string") return data.slice(0, 500);
  return "";
}

/** A small, typed client of the Kafka Connect REST API with bounded retries. */
export function connectClient(endpoint: ConnectEndpoint) {
  const { axios, backoff, https } = modules();
  const base = endpoint.url.replace(/\/+$/, "");
  const http = axios.create({
    baseURL: base,
    timeout: endpoint.requestTimeoutMs ?? 30_000,
    headers: { Accept: "application/json", ...(endpoint.headers ?? {}) },
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
      const reason = err instanceof Error ? err.message : String(err);
      throw new ConnectApiError(
        `${method} ${base}${path} got no answer: ${reason}`,
        undefined,
        method,
        path,
      );
    }
    if (response.status === 404 && opts.allow404) return undefined;
    if (response.status >= 200 && response.status < 300) return response.data as T;
    const detail = describeBody(response.data);
    throw new ConnectApiError(
      `${method} ${path} answered ${response.status}${detail ? `: ${detail}` : ""}`,
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
    if (opts.noRetry) return once<T>(method, path, body, opts);
    const deadline = Date.now() + (endpoint.retryDeadlineMs ?? 120_000);
    return backoff.backOff(() => once<T>(method, path, body, opts), {
      numOfAttempts: 1000,
      startingDelay: 250,
      timeMultiple: 2,
      maxDelay: 5_000,
      jitter: "full",
      retry: (err: unknown) => isRetryable(err) && Date.now() < deadline,
    });
  }

  const enc = encodeURIComponent;

  return {
    base,
    request,

    /** Waits, bounded by the retry deadline, until the REST API answers at all. */
    async serverInfo(): Promise<{ version: string; commit: string; kafka_cluster_id: string }> {
      const info = await request<{ version: string; commit: string; kafka_cluster_id: string }>(
        "GET",
        "/",
      );
      return info!;
    },

    async getConfig(name: string): Promise<Record<string, string> | undefined> {
      return request<Record<string, string>>("GET", `/connectors/${enc(name)}/config`, undefined, {
        allow404: true,
      });
    },

    async getStatus(name: string): Promise<ConnectorStatus | undefined> {
      return request<ConnectorStatus>("GET", `/connectors/${enc(name)}/status`, undefined, {
        allow404: true,
      });
    },

    /** Creates or replaces the config; true when the connector was created. */
    async putConfig(name: string, config: Record<string, string>): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/config`, config);
    },

    /**
     * Creates the connector in the given initial state (KIP-980, Kafka 3.7+). Answers false when
     * a connector of that name exists already.
     */
    async createWithState(
      name: string,
      config: Record<string, string>,
      initialState: "RUNNING" | "PAUSED" | "STOPPED",
    ): Promise<boolean> {
      try {
        await request("POST", "/connectors", { name, config, initial_state: initialState });
        return true;
      } catch (err) {
        if (err instanceof ConnectApiError && err.status === 409 && !isRetryable(err)) return false;
        throw err;
      }
    },

    /** Deletes the connector; true when it existed, false when it was already gone. */
    async deleteConnector(name: string): Promise<boolean> {
      const result = await request<unknown>("DELETE", `/connectors/${enc(name)}`, undefined, {
        allow404: true,
      });
      return result !== undefined;
    },

    async pause(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/pause`);
    },

    async resume(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/resume`);
    },

    /** Stops the connector and releases its tasks (KIP-875, Kafka 3.5+). */
    async stop(name: string): Promise<void> {
      await request("PUT", `/connectors/${enc(name)}/stop`);
    },

    /** Restarts the connector and, by default, only its failed tasks (KIP-745, Kafka 3.0+). */
    async restart(name: string, onlyFailed = true): Promise<void> {
      await request("POST", `/connectors/${enc(name)}/restart`, undefined, {
        params: { includeTasks: true, onlyFailed },
      });
    },

    async getOffsets(name: string): Promise<SinkOffset[] | undefined> {
      const result = await request<{ offsets: SinkOffset[] }>(
        "GET",
        `/connectors/${enc(name)}/offsets`,
        undefined,
        { allow404: true },
      );
      return result?.offsets;
    },

    /** Writes offsets of a STOPPED connector (Kafka 3.6+). */
    async patchOffsets(name: string, offsets: readonly SinkOffset[]): Promise<void> {
      await request("PATCH", `/connectors/${enc(name)}/offsets`, { offsets });
    },

    async validate(
      connectorClass: string,
      config: Record<string, string>,
    ): Promise<ValidationResult> {
      const path = `/connector-plugins/${enc(connectorClass)}/config/validate`;
      return (await request<ValidationResult>("PUT", path, config))!;
    },

    async listConnectors(): Promise<string[]> {
      return (await request<string[]>("GET", "/connectors"))!;
    },
  };
}

export type ConnectClient = ReturnType<typeof connectClient>;
