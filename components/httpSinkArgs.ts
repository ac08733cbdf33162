import { spellingHint } from "../config/suggest";
import type { HttpSinkAuth, HttpSinkConnectorArgs, HttpSinkSettings } from "./httpSinkConnector";

/** Every key of `T` (of every member, for a union), each mapped to `true`. */
type KeysOf<T> = { readonly [K in T extends unknown ? keyof T : never]-?: true };

type Section<K extends keyof HttpSinkSettings> = KeysOf<NonNullable<HttpSinkSettings[K]>>;

// Typed against the interfaces, so that a new argument that is not listed here does not compile.
const BATCHING: Section<"batching"> = {
  maxSize: true,
  prefix: true,
  suffix: true,
  separator: true,
  jsonArray: true,
  timeoutMs: true,
};
const RETRIES: Section<"retries"> = {
  maxRetries: true,
  backoffMs: true,
  backoffPolicy: true,
  retryOnStatusCodes: true,
};
const TIMEOUTS: Section<"timeouts"> = { connectMs: true, requestMs: true };
const ERRORS: Section<"errors"> = {
  tolerance: true,
  deadLetterTopic: true,
  contextHeaders: true,
  retryTimeoutMs: true,
  retryDelayMaxMs: true,
};
const BODY: Section<"body"> = {
  envelope: true,
  secret: true,
  maxBytes: true,
  idField: true,
  idTarget: true,
};
const REPORTER: Section<"reporter"> = { resultTopic: true, errorTopic: true };
const KAFKA: Section<"kafka"> = { security: true, principal: true, ownPrincipal: true };
const AUTH: KeysOf<HttpSinkAuth> = {
  type: true,
  username: true,
  password: true,
  tokenUrl: true,
  clientId: true,
  clientSecret: true,
  scope: true,
  clientAuthMode: true,
};

/** The arguments, and for each nested object argument the keys it takes (`true`: free-form). */
const ARGS: { readonly [K in keyof Required<HttpSinkConnectorArgs>]: true | object } = {
  connectorClass: true,
  connectorName: true,
  topics: true,
  url: true,
  method: true,
  tasksMax: true,
  batching: BATCHING,
  retries: RETRIES,
  timeouts: TIMEOUTS,
  behaviorOnError: true,
  behaviorOnNullValues: true,
  auth: AUTH,
  headers: true,
  secretHeaders: true,
  errors: ERRORS,
  reporter: REPORTER,
  kafkaBootstrapServers: true,
  replicationFactor: true,
  consumerOverrides: true,
  maxPollRecords: true,
  requestRate: true,
  kafka: KAFKA,
  body: BODY,
  connect: true,
  state: true,
  consumerByteRate: true,
  waitTimeoutSeconds: true,
  secrets: { directory: true, writeFiles: true },
};

/**
 * One message per argument that {@link HttpSinkConnectorArgs} does not know, at any nesting level,
 * with the closest known key: TypeScript catches them in literals, but not from JavaScript or
 * through spreads, and an unknown key would otherwise be dropped without a word.
 */
export function unknownSinkArgs(args: object): string[] {
  const problems: string[] = [];
  const check = (value: object, known: object, path: string) => {
    for (const [key, inner] of Object.entries(value)) {
      const expected = (known as Record<string, true | object | undefined>)[key];
      const at = `${path}${key}`;
      if (expected === undefined) {
        const hint = spellingHint(key, Object.keys(known), "remove it");
        problems.push(`\`${at}\` is not an HttpSinkConnector argument; ${hint}`);
      } else if (expected !== true && inner && typeof inner === "object" && !Array.isArray(inner)) {
        check(inner, expected, `${at}.`);
      }
    }
  };
  check(args, ARGS, "");
  return problems;
}
