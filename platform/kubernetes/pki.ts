import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The credentials of the local API server, made once with `openssl` in the state folder and kept
 * across restarts (so a kubeconfig stays valid): a CA, one serving certificate for 127.0.0.1
 * (the API server's and the controller manager's), the service-account key pair, and the static
 * tokens of the admin and of the controller manager. Secrets are files of mode 0600, never logged.
 */
export interface Pki {
  readonly dir: string;
  readonly caCert: string;
  readonly caKey: string;
  readonly servingCert: string;
  readonly servingKey: string;
  readonly serviceAccountKey: string;
  readonly serviceAccountPub: string;
  /** `--token-auth-file`: one `token,user,uid,"groups"` line per identity. */
  readonly tokenFile: string;
}

/** The identities of the token file: the admin (system:masters) and the controller manager. */
export type Identity = "admin" | "controller-manager";

const USERS: Record<Identity, { user: string; groups: string }> = {
  admin: { user: "admin", groups: "system:masters" },
  // RBAC's bootstrap policy binds its ClusterRole to this user name.
  "controller-manager": { user: "system:kube-controller-manager", groups: "" },
};

/** The API server's Service IP (first of `--service-cluster-ip-range`), a SAN of the serving cert. */
export const SERVICE_CLUSTER_IP_RANGE = "10.0.0.0/24";
const KUBERNETES_SERVICE_IP = "10.0.0.1";

export function pkiFiles(dir: string): Pki {
  return {
    dir,
    caCert: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    servingCert: join(dir, "serving.crt"),
    servingKey: join(dir, "serving.key"),
    serviceAccountKey: join(dir, "service-account.key"),
    serviceAccountPub: join(dir, "service-account.pub"),
    tokenFile: join(dir, "tokens.csv"),
  };
}

function openssl(args: string[]): void {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.error)
    throw new Error(`openssl is needed to make the API server's certificates: ${r.error.message}`);
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (exit ${r.status}):\n${r.stderr}`);
}

/** The serving certificate's names: loopback, and what in-cluster clients would call the API server. */
export const SERVING_SANS = [
  "IP:127.0.0.1",
  "DNS:localhost",
  `IP:${KUBERNETES_SERVICE_IP}`,
  "DNS:kubernetes",
  "DNS:kubernetes.default",
  "DNS:kubernetes.default.svc",
];

/** Makes whatever is missing; existing files are kept. */
export function ensurePki(dir: string): Pki {
  const p = pkiFiles(dir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const days = "3650";
  if (!existsSync(p.caCert) || !existsSync(p.caKey)) {
    openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      p.caKey,
      "-out",
      p.caCert,
      "-days",
      days,
      "-subj",
      "/CN=tracking-platform-ca",
    ]);
  }
  if (!existsSync(p.servingCert) || !existsSync(p.servingKey)) {
    const csr = join(dir, "serving.csr");
    const ext = join(dir, "serving.ext");
    writeFileSync(
      ext,
      [
        "basicConstraints=CA:FALSE",
        "keyUsage=critical,digitalSignature,keyEncipherment",
        "extendedKeyUsage=serverAuth",
        `subjectAltName=${SERVING_SANS.join(",")}`,
        "",
      ].join("\n"),
    );
    openssl([
      "req",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      p.servingKey,
      "-out",
      csr,
      "-subj",
      "/CN=kube-apiserver",
    ]);
    openssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      p.caCert,
      "-CAkey",
      p.caKey,
      "-CAcreateserial",
      "-out",
      p.servingCert,
      "-days",
      days,
      "-extfile",
      ext,
    ]);
  }
  if (!existsSync(p.serviceAccountKey) || !existsSync(p.serviceAccountPub)) {
    openssl(["genrsa", "-out", p.serviceAccountKey, "2048"]);
    openssl(["rsa", "-in", p.serviceAccountKey, "-pubout", "-out", p.serviceAccountPub]);
  }
  if (!existsSync(p.tokenFile)) {
    const lines = (Object.keys(USERS) as Identity[]).map((id) => {
      const { user, groups } = USERS[id];
      return `${randomBytes(24).toString("hex")},${user},${id}${groups ? `,"${groups}"` : ""}`;
    });
    writeFileSync(p.tokenFile, `${lines.join("\n")}\n`, { mode: 0o600 });
  }
  for (const secret of [p.caKey, p.servingKey, p.serviceAccountKey, p.tokenFile])
    chmodSync(secret, 0o600);
  return p;
}

/** The bearer token of an identity, from the token file. */
export function tokenOf(pki: Pki, identity: Identity): string {
  const { user } = USERS[identity];
  const line = readFileSync(pki.tokenFile, "utf8")
    .split("\n")
    .find((l) => l.split(",")[1] === user);
  if (!line)
    throw new Error(`${pki.tokenFile} has no token for ${user}; delete it to make a new one.`);
  return line.split(",")[0];
}
