import { isIPv4, isIPv6 } from "net";
import { homedir } from "node:os";
import { isAbsolute, join, normalize } from "node:path";
import { z } from "zod";
import { MEMORY_RULE, memoryBytes } from "../components/memory";
import type { DesiredState } from "../providers/connect";

/**
 * The value types of the stack settings, each with the error message that names its rule.
 * Values arrive from the engine as strings; {@link json} parses the non-string ones first.
 */

/** Parses a JSON-encoded config string before validation; anything else passes through. */
export function json<T extends z.ZodType>(schema: T) {
  return z.preprocess((raw) => {
    if (typeof raw !== "string") return raw;
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      return raw;
    }
  }, schema);
}

export function int(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}

export const bool = z.boolean({ error: "must be true or false" });

export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `must be one of ${values.map((v) => `"${v}"`).join(", ")}` });
}

export const nonEmpty = z.string().min(1, { error: "must not be empty" });

/** Kafka topic and Kubernetes names: lowercase letters, digits and dashes. */
export const slug = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,38}[a-z0-9])?$/, {
  error: "must be 1 to 40 lowercase letters, digits or dashes, starting and ending alphanumeric",
});

export const topicName = z.string().regex(/^[a-zA-Z0-9._-]{1,200}$/, {
  error: "must be 1 to 200 letters, digits, dots, underscores or dashes",
});

/** The name of another config key that holds a secret (`pulumi config set --secret <key> ...`). */
export const secretRef = z
  .string()
  .regex(/^[a-zA-Z][a-zA-Z0-9_.-]*$/, { error: "must name a config key set with --secret" });

export const httpUrl = z.url({
  protocol: /^https?$/,
  error: "must be an absolute http:// or https:// URL",
});

/** A CPU quantity (`250m`, `2`); memory settings use {@link memory}. */
/**
 * A folder of the Connect worker's machine, absolute (`~/` is the home folder of whoever runs the
 * program, for a worker on the same machine) and in normal form: "" or a path such as
 * `/var/lib/connect/secrets`. No `:` (it separates the parts of a `${dir:<folder>:<file>}`).
 */
export const secretsDirectory = z
  .string()
  .transform((value) => (value.startsWith("~/") ? join(homedir(), value.slice(2)) : value))
  .refine((value) => value === "" || (isAbsolute(value) && normalize(value) === value), {
    error:
      'must be an absolute folder in normal form, such as "/var/lib/connect/secrets" or "~/connect-secrets"',
  })
  .refine((value) => !value.includes(":"), {
    error:
      "must not contain ':', which separates the parts of a `${dir:<folder>:<file>}` reference",
  });

export const cpu = z.string().regex(/^[0-9]+(\.[0-9]+)?m?$/, {
  error: 'must be a Kubernetes CPU quantity such as "250m" or "2"',
});

/** A memory quantity in any unit Kubernetes reads (`512Mi`, `1.5Gi`, `1G`, bytes). */
export const memory = z
  .string()
  .refine((q) => memoryBytes(q) !== undefined, { error: MEMORY_RULE });

export const imageRef = z
  .string()
  .regex(/^[a-z0-9./_-]+(:[A-Za-z0-9._-]+)?(@sha256:[a-f0-9]{64})?$/, {
    error: 'must be an image reference such as "confluentinc/cp-kafka-connect:7.9.1"',
  });

const LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const HOST_PORT = new RegExp(`^(?:\\[([0-9A-Fa-f:.]+)\\]|(${LABEL}(?:\\.${LABEL})*)):(\\d{1,5})$`);

/** Whether `value` is `host:port` with a hostname, an IPv4 address or `[IPv6]`, port 1-65535. */
export function isHostPort(value: string): boolean {
  const match = HOST_PORT.exec(value);
  if (!match) return false;
  const [, ipv6, host, port] = match;
  if (ipv6 !== undefined && !isIPv6(ipv6)) return false;
  if (host !== undefined && (host.length > 253 || (/^[\d.]+$/.test(host) && !isIPv4(host)))) {
    return false;
  }
  return Number(port) >= 1 && Number(port) <= 65_535;
}

export const hostPort = z.string().refine(isHostPort, {
  error:
    'must be "host:port": a hostname, an IPv4 address or a bracketed [IPv6] address, then a port from 1 to 65535',
});

/** The states a destination's connector can be declared in, as the stack config spells them. */
const DESIRED_STATES = {
  running: "RUNNING",
  paused: "PAUSED",
  stopped: "STOPPED",
} as const satisfies Record<string, DesiredState>;

/**
 * `running`, `paused` or `stopped` in the stack config; the provider's {@link DesiredState}
 * spelling beyond this boundary.
 */
export const desiredState = oneOf(["running", "paused", "stopped"])
  .default("running")
  .transform((state): DesiredState => DESIRED_STATES[state]);
