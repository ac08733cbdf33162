import { X509Certificate } from "crypto";
import { z } from "zod";
import { secretRef } from "./fields";

/**
 * The settings of a secured Kafka cluster (TLS, SASL, one principal per role) and the rules that
 * tie them together. Kept apart from `schema.ts` so that the security rules read as one piece.
 */

/** A Kubernetes object name (DNS subdomain), for Secrets and cert-manager issuers. */
export const kubernetesName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    error: "must be a Kubernetes object name: lowercase letters, digits, dashes and dots",
  })
  .max(253, { error: "must be a Kubernetes object name of at most 253 characters" });

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/**
 * Why `pem` is not a CA bundle clients can trust, or undefined when every block of it is an X.509
 * certificate. Private keys are refused outright: a CA's key has no business in stack config.
 */
export function caCertificateProblem(pem: string): string | undefined {
  if (/PRIVATE KEY-----/.test(pem)) {
    return "holds a private key; set only the CA's certificate (the -----BEGIN CERTIFICATE----- block), and rotate that key";
  }
  const blocks = pem.match(PEM_BLOCK) ?? [];
  if (blocks.length === 0 || pem.replace(PEM_BLOCK, "").trim() !== "") {
    return 'must be PEM: one or more -----BEGIN CERTIFICATE----- blocks and nothing else (for example `pulumi config set kafkaTlsCaCertificate -- "$(cat ca.pem)"`)';
  }
  for (const [i, block] of blocks.entries()) {
    try {
      new X509Certificate(block);
    } catch {
      return `certificate ${i + 1} of the PEM is not a readable X.509 certificate; check the file it was copied from`;
    }
  }
  return undefined;
}

/** PEM of the CA that signed the brokers' certificates; "" trusts the JVM's system CAs. */
export const caCertificate = z.string().superRefine((pem, ctx) => {
  if (pem === "") return;
  const problem = caCertificateProblem(pem);
  // The certificate is public, but a long PEM would drown the message: show its start only.
  if (problem) ctx.addIssue({ code: "custom", message: problem, input: pem.slice(0, 30) });
});

/** A destination's own Kafka principal: the user its sink's clients log in as. */
export const kafkaPrincipalSchema = z
  .object({
    username: z
      .string({ error: "must be set: the user the sink's Kafka clients log in as" })
      .min(1, { error: "must not be empty" }),
    /** Config key holding the password. */
    passwordSecret: z
      .string({ error: "must be set: the config key of the user's password (set with --secret)" })
      .pipe(secretRef),
  })
  .strict();

/** The settings the rules below read. */
interface SecuritySettings {
  readonly kafkaTls: boolean;
  readonly kafkaTlsCaCertificate: string;
  readonly kafkaSaslMechanism: "none" | "plain" | "scram-sha256" | "scram-sha512";
  readonly kafkaSaslUsername: string;
  readonly kafkaRestProxyUsername: string;
  readonly kafkaConnectUsername: string;
  readonly kafkaManageUsers: boolean;
  readonly kafkaManageAcls: boolean;
  readonly restProxyIngressHost: string;
  readonly restProxyIngressTlsSecret: string;
  readonly restProxyIngressCertManagerIssuer: string;
  readonly destinations: readonly {
    readonly kafkaPrincipal?: { readonly username: string; readonly passwordSecret: string };
    readonly consumerOverrides: Readonly<Record<string, string>>;
  }[];
}

/** Adds one issue per broken rule of the secured-Kafka and Ingress TLS settings. */
export function checkSecurity(c: SecuritySettings, ctx: z.RefinementCtx): void {
  const issue = (path: (string | number)[], input: unknown, message: string) =>
    ctx.addIssue({ code: "custom", path, input, message });
  const sasl = c.kafkaSaslMechanism !== "none";
  const mechanism = `\`kafkaSaslMechanism\` is "${c.kafkaSaslMechanism}"`;

  if (c.kafkaTlsCaCertificate !== "" && !c.kafkaTls) {
    issue(
      ["kafkaTlsCaCertificate"],
      c.kafkaTlsCaCertificate.slice(0, 30),
      "is set but `kafkaTls` is false: a CA is only used over TLS; set kafkaTls to true or remove the certificate",
    );
  }
  if (sasl && c.kafkaRestProxyUsername === "") {
    issue(
      ["kafkaRestProxyUsername"],
      "",
      `must be set when ${mechanism}: the REST proxy logs in as its own principal (set it and the secret kafkaRestProxyPassword)`,
    );
  }
  if (sasl && c.kafkaConnectUsername === "") {
    issue(
      ["kafkaConnectUsername"],
      "",
      `must be set when ${mechanism}: the Connect workers and the sinks log in as it (set it and the secret kafkaConnectPassword)`,
    );
  }
  if (!sasl) {
    for (const key of ["kafkaRestProxyUsername", "kafkaConnectUsername"] as const) {
      if (c[key] !== "") {
        issue(
          [key],
          c[key],
          'is set but `kafkaSaslMechanism` is "none"; choose a mechanism or remove it',
        );
      }
    }
  }
  if (
    c.kafkaManageUsers &&
    c.kafkaSaslMechanism !== "scram-sha256" &&
    c.kafkaSaslMechanism !== "scram-sha512"
  ) {
    issue(
      ["kafkaManageUsers"],
      true,
      `is true, but ${mechanism}: the stack can only create SCRAM users; set kafkaSaslMechanism to "scram-sha256" or "scram-sha512", or create the users on the brokers and set kafkaManageUsers to false`,
    );
  }
  if (c.kafkaManageAcls && !sasl) {
    issue(
      ["kafkaManageAcls"],
      true,
      'is true, but `kafkaSaslMechanism` is "none": ACLs need authenticated principals; choose a SASL mechanism or set kafkaManageAcls to false',
    );
  }

  // Each role its own principal, never the admin's: one user holding two roles' grants is
  // exactly what least privilege rules out.
  const roles: [string, string][] = [
    ["kafkaRestProxyUsername", c.kafkaRestProxyUsername],
    ["kafkaConnectUsername", c.kafkaConnectUsername],
  ];
  if (sasl) {
    roles.forEach(([key, user], i) => {
      if (user === "") return;
      if (user === c.kafkaSaslUsername) {
        issue(
          [key],
          user,
          "must not be the admin principal `kafkaSaslUsername`; give each client a user of its own",
        );
      }
      const earlier = roles.slice(0, i).find(([, other]) => other === user);
      if (earlier)
        issue(
          [key],
          user,
          `must differ from \`${earlier[0]}\`; give each client a user of its own`,
        );
    });
  }

  const secured = sasl || c.kafkaTls;
  const secretsOf = new Map<string, string>();
  c.destinations.forEach((d, i) => {
    for (const key of Object.keys(d.consumerOverrides)) {
      const at = ["destinations", i, "consumerOverrides", key];
      if (secured && /^(security\.protocol|sasl\.|ssl\.)/.test(key)) {
        issue(
          at,
          key.startsWith("sasl.jaas") ? "[hidden]" : d.consumerOverrides[key],
          "is a Kafka security setting, which the stack sets from `kafkaTls`, `kafkaSaslMechanism` and `kafkaPrincipal`; remove it (give the destination a `kafkaPrincipal` to log it in as another user)",
        );
      }
      if (c.kafkaManageAcls && key === "group.id") {
        issue(
          at,
          d.consumerOverrides[key],
          "is set, but the stack grants the sink's ACL on Connect's own group `connect-<connector name>`; remove it",
        );
      }
    }
    const p = d.kafkaPrincipal;
    if (!p) return;
    const path = ["destinations", i, "kafkaPrincipal"];
    if (!sasl) {
      issue(path, p, 'is set but `kafkaSaslMechanism` is "none"; choose a mechanism or remove it');
      return;
    }
    const taken = [["kafkaSaslUsername", c.kafkaSaslUsername], ...roles].find(
      ([, user]) => user === p.username,
    );
    if (taken) {
      const hint =
        taken[0] === "kafkaConnectUsername"
          ? "remove kafkaPrincipal to use the workers' principal"
          : "give the sink a user of its own";
      issue([...path, "username"], p.username, `must not be \`${taken[0]}\`; ${hint}`);
    }
    const secret = secretsOf.get(p.username);
    if (secret !== undefined && secret !== p.passwordSecret) {
      issue(
        [...path, "passwordSecret"],
        p.passwordSecret,
        `names another secret than "${secret}" for the same user "${p.username}"; one user has one password`,
      );
    }
    secretsOf.set(p.username, p.passwordSecret);
  });

  if (c.restProxyIngressTlsSecret !== "" && c.restProxyIngressCertManagerIssuer !== "") {
    issue(
      ["restProxyIngressCertManagerIssuer"],
      c.restProxyIngressCertManagerIssuer,
      "is set together with `restProxyIngressTlsSecret`; set one: an existing certificate Secret, or an issuer that makes one",
    );
  }
  for (const key of ["restProxyIngressTlsSecret", "restProxyIngressCertManagerIssuer"] as const) {
    if (c[key] !== "" && c.restProxyIngressHost === "") {
      issue(
        [key],
        c[key],
        "is set but `restProxyIngressHost` is empty: there is no Ingress to put TLS on; set the host or remove it",
      );
    }
  }
}
