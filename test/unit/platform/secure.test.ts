import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectComponent, restProxyComponent } from "../../../platform/components";
import { PlatformJars } from "../../../platform/fetch";
import { addScramArgs, brokerSecurity } from "../../../platform/secure/config";
import { ensureCredentials, redact } from "../../../platform/secure/credentials";
import { SECURE_ENDPOINTS_ENV, secureEndpoints } from "../../../platform/secure/endpoints";
import { ensureTls } from "../../../platform/secure/tls";
import { resolveSettings } from "../../../platform/settings";
import { withStartLock } from "../../../platform/startLock";

const mode = (file: string): number => statSync(file).mode & 0o777;
const jars: PlatformJars = {
  root: "/cache",
  kafkaLibs: "/cache/kafka/libs",
  restProxyLibs: "/cache/rest-proxy/libs",
  pluginPath: "/cache/plugins",
};

describe("the secured profile", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "platform-secure-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("has its own home and ports, chosen by --secure or TRACKING_PLATFORM_SECURE", () => {
    const s = resolveSettings({ secure: true }, {});
    expect(s.home).toMatch(/platform-secure-state$/);
    expect(s.ports).toMatchObject({
      kafka: 19192,
      controller: 19193,
      connect: 18183,
      restProxy: 18180,
      receiver: 18190,
    });
    expect(resolveSettings({}, { TRACKING_PLATFORM_SECURE: "1" }).secure).toBe(true);
    expect(resolveSettings({}, {}).secure).toBe(false);
    expect(
      resolveSettings({}, { TRACKING_PLATFORM_SECURE: "1", TRACKING_PLATFORM_HOME: home }).home,
    ).toBe(home);
    expect(() => resolveSettings({ secure: true, kubernetes: true }, {})).toThrow(
      /TRACKING_PLATFORM_SECURE.*TRACKING_PLATFORM_KUBERNETES/s,
    );
  });

  it("makes credentials once, 0600 in a 0700 home, and redacts their passwords", () => {
    const first = ensureCredentials(home, true);
    expect(mode(join(home, "credentials.json"))).toBe(0o600);
    expect(mode(home)).toBe(0o700);
    expect(Object.values(first).map((u) => u.username)).toEqual(["admin", "connect", "rest-proxy"]);
    expect(ensureCredentials(home, false)).toEqual(first);
    expect(ensureCredentials(home, true).admin.password).not.toBe(first.admin.password);
    const again = ensureCredentials(home, false);
    expect(redact(`x ${again.connect.password} y`, again)).toBe("x *** y");
  });

  it("denies by default, names only admin a super user, and formats every user", () => {
    const creds = ensureCredentials(home, true);
    const settings = resolveSettings({ secure: true, home }, {});
    const b = brokerSecurity(settings, creds, ensureTls(home));
    expect(b).toMatchObject({
      listeners: "SASL_SSL://127.0.0.1:19192,CONTROLLER://127.0.0.1:19193",
      "super.users": "User:admin",
      "allow.everyone.if.no.acl.found": "false",
      "authorizer.class.name": "org.apache.kafka.metadata.authorizer.StandardAuthorizer",
      "sasl.mechanism.inter.broker.protocol": "SCRAM-SHA-512",
      "ssl.keystore.type": "PEM",
    });
    expect(addScramArgs(creds).filter((a) => a === "--add-scram")).toHaveLength(3);
  });

  it("makes a CA and a broker certificate for 127.0.0.1 and localhost with openssl", () => {
    const t = ensureTls(home);
    const san = spawnSync(
      "openssl",
      ["x509", "-in", t.brokerCert, "-noout", "-ext", "subjectAltName"],
      {
        encoding: "utf8",
      },
    ).stdout;
    expect(san).toContain("IP Address:127.0.0.1");
    expect(san).toContain("DNS:localhost");
    const verify = spawnSync("openssl", ["verify", "-CAfile", t.caCert, t.brokerCert], {
      encoding: "utf8",
    });
    expect(verify.stdout).toContain("OK");
    expect(mode(t.brokerKeystore)).toBe(0o600);
    expect(readFileSync(t.brokerKeystore, "utf8")).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const before = readFileSync(t.caCert, "utf8");
    expect(readFileSync(ensureTls(home).caCert, "utf8")).toBe(before); // kept across starts
  });

  it("configures the worker's four client sets as connect and the proxy's client.* as rest-proxy", () => {
    const creds = ensureCredentials(home, true);
    ensureTls(home);
    const settings = resolveSettings({ secure: true, home }, {});
    connectComponent(settings, jars).prepare();
    const worker = readFileSync(join(home, "connect", "worker.properties"), "utf8");
    for (const prefix of ["", "producer.", "consumer.", "admin."]) {
      expect(worker).toContain(`\n${prefix}security.protocol=SASL_SSL\n`);
      expect(worker).toContain(`\n${prefix}sasl.jaas.config=`);
      expect(worker).toContain(`\n${prefix}ssl.truststore.type=PEM\n`);
    }
    expect(worker).toContain(`username="connect" password="${creds.connect.password}"`);
    expect(mode(join(home, "connect", "worker.properties"))).toBe(0o600);
    restProxyComponent(settings, jars).prepare();
    const proxy = readFileSync(join(home, "rest-proxy", "rest-proxy.properties"), "utf8");
    expect(proxy).toContain("client.security.protocol=SASL_SSL\n");
    expect(proxy).toContain("client.sasl.mechanism=SCRAM-SHA-512\n");
    expect(proxy).toContain(`username="rest-proxy" password="${creds.restProxy.password}"`);
    expect(proxy).not.toContain(creds.admin.password);
  });

  it("secureEndpoints() reads the env var, adds the credentials and refuses plain endpoints", () => {
    const creds = ensureCredentials(home, true);
    const security = {
      protocol: "SASL_SSL",
      mechanism: "SCRAM-SHA-512",
      caFile: join(home, "tls", "ca.pem"),
      credentialsFile: join(home, "credentials.json"),
    };
    const env = {
      [SECURE_ENDPOINTS_ENV]: JSON.stringify({ kafkaBootstrap: "127.0.0.1:19192", security }),
    };
    expect(secureEndpoints(env).credentials).toEqual(creds);
    expect(() =>
      secureEndpoints({ [SECURE_ENDPOINTS_ENV]: JSON.stringify({ kafkaBootstrap: "x" }) }),
    ).toThrow(/no `security` block/);
  });

  it("serialises two starts of one home and takes over a lock whose process is gone", async () => {
    const order: string[] = [];
    const slow = withStartLock(
      home,
      () => undefined,
      async () => {
        order.push("first in");
        await new Promise((r) => setTimeout(r, 300));
        order.push("first out");
      },
    );
    await new Promise((r) => setTimeout(r, 50));
    await withStartLock(
      home,
      () => undefined,
      () => Promise.resolve(order.push("second")),
    );
    await slow;
    expect(order).toEqual(["first in", "first out", "second"]);
    writeFileSync(join(home, "start.lock"), JSON.stringify({ pid: 2 ** 22 + 12345 }));
    await expect(
      withStartLock(
        home,
        () => undefined,
        () => Promise.resolve("ok"),
      ),
    ).resolves.toBe("ok");
  });
});
