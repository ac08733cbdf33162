import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../../scripts/toolchain/run";

/** A stand-in for a long `go build -v`: prints package paths to stderr, one every 30 ms. */
const FAKE_GO = `
const pkgs = ["github.com/fake/one", "github.com/fake/two", "github.com/fake/three"];
let i = 0;
const timer = setInterval(() => {
  process.stderr.write(pkgs[i % pkgs.length] + "\\n");
  if (++i === 20) { clearInterval(timer); process.stdout.write("done\\n"); }
}, 30);
`;

describe("run with progress", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "toolchain-run-"));
    writeFileSync(join(dir, "fake-go.js"), FAKE_GO);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("says periodic lines naming the packages a slow child prints, and logs its output", async () => {
    const lines: string[] = [];
    const log = join(dir, "build.log");
    await run(process.execPath, [join(dir, "fake-go.js")], {
      log,
      progress: { label: "fake build", say: (l) => lines.push(l), intervalMs: 100 },
    });
    // The child runs about 600 ms: several intervals of 100 ms, whatever the machine's load.
    expect(lines.length).toBeGreaterThanOrEqual(2);
    for (const line of lines) {
      expect(line).toMatch(/^ {4}fake build: \d+s, (starting|compiling github\.com\/fake\/\w+)$/);
    }
    expect(lines.some((l) => l.includes("compiling github.com/fake/"))).toBe(true);
    const logged = readFileSync(log, "utf8");
    expect(logged.match(/^github\.com\/fake\/\w+$/gm)).toHaveLength(20);
    expect(logged).toMatch(/^done$/m);
  });

  it("says no progress once the command has ended", async () => {
    const lines: string[] = [];
    const out = await run(process.execPath, ["-e", "console.log('quick')"], {
      progress: { label: "quick", say: (l) => lines.push(l), intervalMs: 50 },
    });
    const before = lines.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(out).toBe("quick\n");
    expect(lines.length).toBe(before);
  });

  it("fails with the tail of the output, naming the command", async () => {
    await expect(
      run(process.execPath, ["-e", "console.error('broken package'); process.exit(3)"]),
    ).rejects.toThrow(/failed \(exit code 3\)\nbroken package/);
  });
});
