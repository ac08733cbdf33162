import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  kubeBinary,
  kubernetesComponents,
  kubernetesFiles,
} from "../../../platform/kubernetes/components";
import { kubeconfig } from "../../../platform/kubernetes/kubeconfig";
import { ensurePki, tokenOf } from "../../../platform/kubernetes/pki";
import { resolveSettings } from "../../../platform/settings";

describe("resolveSettings and the Kubernetes parts", () => {
  it("leaves them off unless TRACKING_PLATFORM_KUBERNETES is 1 or the option says so", () => {
    expect(resolveSettings({}, {}).kubernetes).toBe(false);
    expect(resolveSettings({}, { TRACKING_PLATFORM_KUBERNETES: "1" }).kubernetes).toBe(true);
    expect(
      resolveSettings({ kubernetes: false }, { TRACKING_PLATFORM_KUBERNETES: "1" }).kubernetes,
    ).toBe(false);
  });

  it("names the variable when its value is neither 1 nor 0", () => {
    expect(() => resolveSettings({}, { TRACKING_PLATFORM_KUBERNETES: "yes" })).toThrow(
      '`TRACKING_PLATFORM_KUBERNETES` must be 1 or 0 (got "yes").',
    );
  });

  it("refuses an API server port that another part already uses", () => {
    expect(() => resolveSettings({ ports: { kubeApiserver: 19092 } }, {})).toThrow(
      "Ports `kafka` and `kubeApiserver` are both 19092; give each its own.",
    );
  });
});

describe("kubeconfig", () => {
  it("has one cluster, user and context, with the CA embedded", () => {
    const parsed = JSON.parse(
      kubeconfig({ server: "https://127.0.0.1:16443", caPem: "PEM", user: "admin", token: "t0k" }),
    ) as {
      clusters: { name: string; cluster: Record<string, string> }[];
      users: { name: string; user: { token: string } }[];
      "current-context": string;
    };
    expect(parsed.clusters).toEqual([
      {
        name: "tracking-local",
        cluster: {
          server: "https://127.0.0.1:16443",
          "certificate-authority-data": Buffer.from("PEM").toString("base64"),
        },
      },
    ]);
    expect(parsed.users).toEqual([{ name: "admin", user: { token: "t0k" } }]);
    expect(parsed["current-context"]).toBe("tracking-local");
  });
});

describe("the Kubernetes parts' credentials and commands", () => {
  let home: string;
  let cache: string;
  const previous = process.env.TRACKING_TOOLCHAIN_CACHE;
  /** Puts (empty) built commands where the platform looks for them. */
  const built = (...commands: string[]): void => {
    mkdirSync(join(cache, "kube-server", "bin"), { recursive: true });
    for (const c of commands) writeFileSync(join(cache, "kube-server", "bin", c), "");
  };
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "platform-kube-"));
    cache = mkdtempSync(join(tmpdir(), "toolchain-kube-"));
    process.env.TRACKING_TOOLCHAIN_CACHE = cache;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.TRACKING_TOOLCHAIN_CACHE;
    else process.env.TRACKING_TOOLCHAIN_CACHE = previous;
    rmSync(home, { recursive: true, force: true });
    rmSync(cache, { recursive: true, force: true });
  });

  it("makes a CA and a serving certificate for 127.0.0.1 that the CA verifies, keys private", () => {
    const pki = ensurePki(join(home, "pki"));
    const verify = spawnSync("openssl", ["verify", "-CAfile", pki.caCert, pki.servingCert], {
      encoding: "utf8",
    });
    expect(verify.stdout.trim()).toBe(`${pki.servingCert}: OK`);
    const text = spawnSync(
      "openssl",
      ["x509", "-in", pki.servingCert, "-noout", "-ext", "subjectAltName"],
      {
        encoding: "utf8",
      },
    ).stdout;
    expect(text).toContain("IP Address:127.0.0.1");
    expect(text).toContain("DNS:localhost");
    for (const secret of [pki.caKey, pki.servingKey, pki.serviceAccountKey, pki.tokenFile])
      expect(statSync(secret).mode & 0o777).toBe(0o600);
  });

  it("keeps its credentials across restarts, with one token per identity", () => {
    const first = ensurePki(join(home, "pki"));
    const admin = tokenOf(first, "admin");
    const ca = readFileSync(first.caCert, "utf8");
    const again = ensurePki(join(home, "pki"));
    expect(tokenOf(again, "admin")).toBe(admin);
    expect(readFileSync(again.caCert, "utf8")).toBe(ca);
    expect(tokenOf(again, "controller-manager")).not.toBe(admin);
    const lines = readFileSync(again.tokenFile, "utf8").trim().split("\n");
    expect(lines.map((l) => l.split(",").slice(1).join(","))).toEqual([
      'admin,admin,"system:masters"',
      "system:kube-controller-manager,controller-manager",
    ]);
  });

  it("says how to build a command that is not in the toolchain's cache", () => {
    expect(() => kubeBinary("kube-apiserver")).toThrow(
      `kube-apiserver is not built (no ${cache}/kube-server/bin/kube-apiserver). Build it with ` +
        "`npm run toolchain -- --with-kube-server` (about 15 min cold), or leave the Kubernetes " +
        "parts off (no --with-kubernetes, `TRACKING_PLATFORM_KUBERNETES` unset).",
    );
  });

  it("runs each binary with the platform's marker as argv[0], on its own port, state in the home", () => {
    built("etcd", "kube-apiserver", "kube-controller-manager");
    const settings = resolveSettings({ home, ports: { etcd: 22379, kubeApiserver: 26443 } }, {});
    const parts = kubernetesComponents(settings);
    const etcd = parts.etcd.command();
    expect(etcd.command).toBe("bash");
    expect(etcd.args.slice(0, 4)).toEqual([
      "-c",
      'exec -a "$0" "$@"',
      `tracking.platform.process=${home}/etcd`,
      join(cache, "kube-server", "bin", "etcd"),
    ]);
    expect(etcd.args).toContain(`--data-dir=${kubernetesFiles(settings).etcdData}`);
    expect(etcd.args).toContain("--listen-client-urls=http://127.0.0.1:22379");
    expect(etcd.args).toContain("--unsafe-no-fsync");
    const api = parts["kube-apiserver"].command().args;
    expect(api).toContain("--etcd-servers=http://127.0.0.1:22379");
    expect(api).toContain("--secure-port=26443");
    expect(api).toContain("--bind-address=127.0.0.1");
    expect(parts["kube-apiserver"].endpoint).toBe("https://127.0.0.1:26443");
  });

  it("writes the admin kubeconfig with the token, readable by its owner only", () => {
    built("kube-apiserver");
    const settings = resolveSettings({ home }, {});
    kubernetesComponents(settings)["kube-apiserver"].prepare();
    const files = kubernetesFiles(settings);
    const config = JSON.parse(readFileSync(files.kubeconfig, "utf8")) as {
      users: { user: { token: string } }[];
    };
    expect(config.users[0].user.token).toBe(tokenOf(files.pki, "admin"));
    expect(statSync(files.kubeconfig).mode & 0o777).toBe(0o600);
  });
});
