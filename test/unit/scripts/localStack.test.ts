import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { resetPlatform } from "../../../platform";
import { DEFAULT_PORTS, resolveSettings } from "../../../platform/settings";
import {
  adoptCloneState,
  destroyCommand,
  localBackendDir,
  localConfigFile,
  localConfigForPorts,
  stackCheckpoint,
} from "../../../scripts/localStack";
import { ROOT } from "../../../scripts/pulumiCli";

describe("localBackendDir", () => {
  it("is pulumi-state in the platform home, not in the clone", () => {
    expect(localBackendDir({ TRACKING_PLATFORM_HOME: "/srv/platform" })).toBe(
      "/srv/platform/pulumi-state",
    );
  });

  it("defaults to the default platform home, whatever folder the clone is in", () => {
    const dir = localBackendDir({});
    expect(dir).toBe(join(resolveSettings({}, {}).home, "pulumi-state"));
    expect(dir.startsWith(ROOT)).toBe(false);
  });
});

describe("platform reset", () => {
  it("wipes the local stack's state together with the platform's data", async () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    const checkpoint = stackCheckpoint(localBackendDir({ TRACKING_PLATFORM_HOME: home }));
    mkdirSync(join(checkpoint, ".."), { recursive: true });
    writeFileSync(checkpoint, "{}");
    await resetPlatform({ home });
    expect(existsSync(checkpoint)).toBe(false);
  });
});

describe("adoptCloneState", () => {
  let root: string;
  let backend: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "clone-"));
    backend = mkdtempSync(join(tmpdir(), "backend-"));
  });
  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
    rmSync(backend, { recursive: true, force: true });
  });

  function writeCheckpoint(dir: string, text: string): void {
    const file = stackCheckpoint(dir);
    mkdirSync(join(file, ".."), { recursive: true });
    writeFileSync(file, text);
  }

  it("moves a clone's old .pulumi-state into an empty backend", () => {
    writeCheckpoint(join(root, ".pulumi-state"), "old");
    expect(adoptCloneState(root, backend)).toMatch(/^moved the local stack's state from /);
    expect(readFileSync(stackCheckpoint(backend), "utf8")).toBe("old");
    expect(adoptCloneState(root, backend)).toBeUndefined();
  });

  it("leaves both alone when the backend already has the local stack", () => {
    writeCheckpoint(join(root, ".pulumi-state"), "old");
    writeCheckpoint(backend, "shared");
    expect(adoptCloneState(root, backend)).toBeUndefined();
    expect(readFileSync(stackCheckpoint(backend), "utf8")).toBe("shared");
  });
});

describe("localConfigForPorts", () => {
  const text = readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8");

  it("keeps Pulumi.local.yaml as it is on the default ports", () => {
    expect(localConfigForPorts(text, DEFAULT_PORTS)).toBe(text);
  });

  it("points every endpoint at the platform's own ports", () => {
    const out = localConfigForPorts(text, {
      ...DEFAULT_PORTS,
      kafka: 29092,
      connect: 28083,
      restProxy: 28080,
      receiver: 28090,
    });
    expect(out).toContain("- 127.0.0.1:29092");
    expect(out).toContain("connectUrl: http://127.0.0.1:28083");
    expect(out).toContain("restProxyUrl: http://127.0.0.1:28080");
    expect(out).toContain("url: http://127.0.0.1:28090/collect");
    expect(out).not.toMatch(/127\.0\.0\.1:1(9092|8083|8080|8090)/);
  });
});

describe("localConfigFile", () => {
  it("writes the adjusted copy into the platform home only when a port differs", () => {
    const home = mkdtempSync(join(tmpdir(), "home-"));
    try {
      expect(localConfigFile(ROOT, resolveSettings({ home }, {}))).toBeUndefined();
      const file = localConfigFile(ROOT, resolveSettings({ home, ports: { kafka: 29092 } }, {}));
      expect(file).toBe(join(home, "Pulumi.local.yaml"));
      expect(readFileSync(file ?? "", "utf8")).toContain("127.0.0.1:29092");
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});

describe("destroyCommand", () => {
  it("names the shared backend, and the config copy when there is one", () => {
    expect(destroyCommand("/h/pulumi-state")).toBe(
      'eval "$(npx tsx scripts/toolchain/index.ts --print-env)"; ' +
        "PULUMI_BACKEND_URL=file:///h/pulumi-state PULUMI_CONFIG_PASSPHRASE=local " +
        "pulumi destroy --stack local --yes",
    );
    expect(destroyCommand("/h/pulumi-state", "/h/Pulumi.local.yaml")).toMatch(
      / --yes --config-file \/h\/Pulumi\.local\.yaml$/,
    );
  });
});
