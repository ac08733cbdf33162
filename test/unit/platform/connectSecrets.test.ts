import { chmodSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectWorkerConfig } from "../../../platform/components";
import {
  configProviderProperties,
  connectSecretsDirectory,
  directoryReference,
  ensureConnectSecretsDirectory,
} from "../../../platform/connectSecrets";
import { PlatformJars } from "../../../platform/fetch";
import { resolveSettings } from "../../../platform/settings";
import {
  changedProperties,
  parseProperties,
  workerConfigChanges,
} from "../../../platform/workerReuse";
import { properties } from "../../../platform/component";

const mode = (path: string): number => statSync(path).mode & 0o777;
const jars: PlatformJars = {
  root: "/cache",
  kafkaLibs: "/cache/kafka/libs",
  restProxyLibs: "/cache/rest-proxy/libs",
  pluginPath: "/cache/plugins",
};

describe("the Connect secrets folder", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "platform-secrets-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("is <home>/connect-secrets, created with mode 0700", () => {
    const settings = resolveSettings({ home }, {});
    const dir = ensureConnectSecretsDirectory(settings);
    expect(dir).toBe(join(home, "connect-secrets"));
    expect(connectSecretsDirectory(settings)).toBe(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it("gets mode 0700 back when it exists with another, and keeps its files", () => {
    const settings = resolveSettings({ home }, {});
    const dir = join(home, "connect-secrets");
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, "sink.connection.password"), "kept", { mode: 0o600 });
    ensureConnectSecretsDirectory(settings);
    expect(mode(dir)).toBe(0o700);
    expect(statSync(join(dir, "sink.connection.password")).size).toBe(4);
  });

  it("refuses a file in its place, naming it and the fix", () => {
    const settings = resolveSettings({ home }, {});
    writeFileSync(join(home, "connect-secrets"), "");
    expect(() => ensureConnectSecretsDirectory(settings)).toThrow(
      `The Connect secrets folder ${join(home, "connect-secrets")} is a file, not a folder. ` +
        "Remove it; `npm run platform -- up` creates the folder.",
    );
  });
});

describe("the worker's config provider", () => {
  it("turns on DirectoryConfigProvider as `dir`, allowed only the secrets folder", () => {
    expect(configProviderProperties("/home/p/connect-secrets")).toEqual({
      "config.providers": "dir",
      "config.providers.dir.class":
        "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
      "config.providers.dir.param.allowed.paths": "/home/p/connect-secrets",
    });
  });

  it.each([false, true])("is in the worker's properties (secured profile: %s)", (secure) => {
    const home = mkdtempSync(join(tmpdir(), "platform-secrets-"));
    try {
      if (secure) {
        // The secured worker's config reads the credentials file; a stand-in with its shape.
        const user = (username: string) => ({ username, password: "p" });
        writeFileSync(
          join(home, "credentials.json"),
          JSON.stringify({ admin: user("admin"), connect: user("connect"), restProxy: user("rp") }),
        );
      }
      const config = connectWorkerConfig(resolveSettings({ home, secure }, {}), jars);
      expect(config).toMatchObject(configProviderProperties(join(home, "connect-secrets")));
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it("writes a reference as ${dir:<folder>:<file>}", () => {
    expect(directoryReference("/s", "sink.connection.password")).toBe(
      "${dir:/s:sink.connection.password}",
    );
  });

  it.each(["", "a/b", "a:b", "a}b"])("refuses the file name %j", (file) => {
    expect(() => directoryReference("/s", file)).toThrow(
      `A secret's file name must be one path segment without \`:\` or \`}\` (got "${file}").`,
    );
  });
});

describe("reusing a running worker", () => {
  const wanted = { "group.id": "g", "plugin.path": "/new", ...configProviderProperties("/s") };

  it("parses the key=value lines the platform writes, values holding `=` whole", () => {
    expect([...parseProperties("a=1\n# note\nb=x=y\n\n").entries()]).toEqual([
      ["a", "1"],
      ["b", "x=y"],
    ]);
  });

  it("reuses a worker that read the same properties, whatever its plugin.path", () => {
    expect(changedProperties(properties({ ...wanted, "plugin.path": "/old" }), wanted)).toEqual([]);
  });

  it("names the keys an older worker lacks, or has with another value, sorted", () => {
    const older = properties({ "group.id": "other", "retired.key": 1 });
    expect(changedProperties(older, wanted)).toEqual([
      "config.providers",
      "config.providers.dir.class",
      "config.providers.dir.param.allowed.paths",
      "group.id",
      "retired.key",
    ]);
  });

  it("counts a missing properties file as every key changed (plugin.path aside)", () => {
    expect(workerConfigChanges(join(tmpdir(), "no-such-dir", "worker.properties"), wanted)).toEqual(
      [
        "config.providers",
        "config.providers.dir.class",
        "config.providers.dir.param.allowed.paths",
        "group.id",
      ],
    );
  });
});
