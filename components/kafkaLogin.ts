import { Kafka } from "kafkajs";
import * as pulumi from "@pulumi/pulumi";
import { kafkaClientConfig } from "../providers/kafkaAdmin";
import { KafkaSecurity, saslMechanismName } from "./kafkaSecurity";

/**
 * A login to the brokers before anything uses a password: Kafka's own answer to a wrong password
 * ("SASL authentication failed", or the kafka plugin's "run out of available brokers") names no
 * stack setting, so the stack logs in once per principal itself and, when Kafka refuses, stops
 * with a message that names the setting to fix. Uses `kafkajs` (a pure-JS Kafka client that
 * speaks SCRAM and TLS and loads as CommonJS, as the Pulumi program and jest do), only to fetch
 * metadata. A broker that cannot be reached
 * is not this check's business: the kafka provider reports it in its own words.
 */

/** Who logs in, and which settings hold the username and the password. */
export interface KafkaLogin {
  readonly username: string;
  /** The stack setting of the username, e.g. `kafkaSaslUsername`. */
  readonly usernameSetting: string;
  /** The config key of the secret holding the password, e.g. `kafkaSaslPassword`. */
  readonly passwordKey: string;
}

export interface KafkaEndpoint {
  readonly bootstrapServers: readonly string[];
  readonly security: KafkaSecurity;
}

/** What a login attempt found: refused (the credentials are wrong) or anything else. */
export type LoginOutcome = "accepted" | "refused" | "unreachable";

const TIMEOUT_MS = 15_000;

/** One metadata request as `username`; never throws. */
export async function tryKafkaLogin(
  endpoint: KafkaEndpoint,
  username: string,
  password: string,
): Promise<LoginOutcome> {
  const { security } = endpoint;
  if (security.mechanism === "none") return "accepted";
  const kafka = new Kafka({
    ...kafkaClientConfig(
      { bootstrapServers: endpoint.bootstrapServers, ...security },
      { username, password },
      "tracking-pipeline-login-check",
      TIMEOUT_MS,
    ),
    // One attempt: the outcome says enough, and a refused login is not retried by Kafka either.
    retry: { retries: 0 },
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    await admin.fetchTopicMetadata({ topics: [] });
    return "accepted";
  } catch (err) {
    return isAuthenticationFailure(err) ? "refused" : "unreachable";
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Whether an error of the client, or any error it aggregates or wraps, is a refused login. */
export function isAuthenticationFailure(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== "object" || depth > 5) return false;
  const e = err as { message?: unknown; cause?: unknown; errors?: unknown };
  if (
    typeof e.message === "string" &&
    /SASL authentication failed|authentication failed/i.test(e.message)
  ) {
    return true;
  }
  const nested = [e.cause, ...(Array.isArray(e.errors) ? e.errors : [])];
  return nested.some((n) => isAuthenticationFailure(n, depth + 1));
}

/** The message of a refused login: the settings to fix, never a value of the password. */
export function refusedLoginMessage(endpoint: KafkaEndpoint, login: KafkaLogin): string {
  const mechanism =
    endpoint.security.mechanism === "none" ? "" : saslMechanismName(endpoint.security.mechanism);
  return (
    `Kafka refused the login of user "${login.username}" (${mechanism} at ` +
    `${endpoint.bootstrapServers.join(",")}): the secret \`${login.passwordKey}\` is not that ` +
    `user's password, or \`${login.usernameSetting}\` names no user of the cluster. Set the right ` +
    `password with \`pulumi config set --secret ${login.passwordKey} <password>\`.`
  );
}

/**
 * The password, released only once Kafka accepted it for `login.username`; a refused login fails
 * the deployment of whatever uses it, with {@link refusedLoginMessage}. Stays a secret.
 */
export function checkedPassword(
  endpoint: KafkaEndpoint,
  login: KafkaLogin,
  password: pulumi.Input<string>,
  resource: pulumi.Resource,
): pulumi.Output<string> {
  return pulumi.secret(
    pulumi.output(password).apply(async (value) => {
      if ((await tryKafkaLogin(endpoint, login.username, value)) === "refused") {
        throw new pulumi.ResourceError(refusedLoginMessage(endpoint, login), resource, true);
      }
      return value;
    }),
  );
}
