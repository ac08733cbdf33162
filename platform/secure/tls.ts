import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/**
 * The secured broker's TLS files, made once with `openssl` in `<home>/tls/` and kept across
 * restarts: a CA, and a broker certificate for 127.0.0.1 and localhost signed by it. Kafka reads
 * them as PEM (KIP-651), so no keytool and no store passwords are involved.
 */
export interface TlsFiles {
  readonly dir: string;
  /** The CA certificate: every client's `ssl.truststore.location` (type PEM). Public. */
  readonly caCert: string;
  readonly caKey: string;
  readonly brokerCert: string;
  /** PKCS#8 key, unencrypted, mode 0600. */
  readonly brokerKey: string;
  /** Key, then certificate chain: the broker's `ssl.keystore.location` (type PEM). Mode 0600. */
  readonly brokerKeystore: string;
}

/** The names the broker certificate is valid for: what clients dial on this machine. */
export const BROKER_SANS = ["IP:127.0.0.1", "DNS:localhost"];

export function tlsFiles(home: string): TlsFiles {
  const dir = join(home, "tls");
  return {
    dir,
    caCert: join(dir, "ca.pem"),
    caKey: join(dir, "ca.key"),
    brokerCert: join(dir, "broker.pem"),
    brokerKey: join(dir, "broker.key"),
    brokerKeystore: join(dir, "broker-keystore.pem"),
  };
}

function openssl(args: string[]): void {
  const r = spawnSync("openssl", args, { encoding: "utf8" });
  if (r.error) {
    throw new Error(
      `openssl is needed to make the secured platform's certificates: ${r.error.message}. ` +
        "Install OpenSSL 1.1.1+ and make sure `openssl` is on PATH.",
    );
  }
  if (r.status !== 0) throw new Error(`openssl ${args[0]} failed (exit ${r.status}):\n${r.stderr}`);
}

/** Makes whatever is missing (a new CA also means a new broker certificate); keeps the rest. */
export function ensureTls(home: string): TlsFiles {
  const t = tlsFiles(home);
  mkdirSync(t.dir, { recursive: true, mode: 0o700 });
  chmodSync(t.dir, 0o700);
  const days = "3650";
  let newCa = false;
  if (!existsSync(t.caCert) || !existsSync(t.caKey)) {
    openssl([
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      t.caKey,
      "-out",
      t.caCert,
      "-days",
      days,
      "-subj",
      "/CN=tracking-pipeline local secure platform CA",
      "-addext",
      "basicConstraints=critical,CA:TRUE",
      "-addext",
      "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    chmodSync(t.caKey, 0o600);
    newCa = true;
  }
  if (newCa || !existsSync(t.brokerKeystore)) {
    const csr = join(t.dir, "broker.csr");
    const ext = join(t.dir, "broker-ext.cnf");
    // OpenSSL 3 writes PKCS#8 ("BEGIN PRIVATE KEY"), the form Kafka's PEM keystore reads.
    openssl([
      "req",
      "-new",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-keyout",
      t.brokerKey,
      "-out",
      csr,
      "-subj",
      "/CN=localhost",
    ]);
    chmodSync(t.brokerKey, 0o600);
    writeFileSync(
      ext,
      `subjectAltName=${BROKER_SANS.join(",")}\n` +
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n" +
        "extendedKeyUsage=serverAuth,clientAuth\n",
    );
    openssl([
      "x509",
      "-req",
      "-in",
      csr,
      "-CA",
      t.caCert,
      "-CAkey",
      t.caKey,
      "-CAcreateserial",
      "-out",
      t.brokerCert,
      "-days",
      days,
      "-extfile",
      ext,
    ]);
    const key = readFileSync(t.brokerKey, "utf8");
    if (!key.includes("BEGIN PRIVATE KEY")) {
      throw new Error(
        `${t.brokerKey} is not a PKCS#8 key, which Kafka's PEM keystore needs; ` +
          "use OpenSSL 1.1.1 or later (or remove the tls/ folder to make a new one).",
      );
    }
    const chain = readFileSync(t.brokerCert, "utf8") + readFileSync(t.caCert, "utf8");
    writeFileSync(t.brokerKeystore, key + chain, { mode: 0o600 });
    chmodSync(t.brokerKeystore, 0o600);
  }
  return t;
}
