import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { runtime } from "@pulumi/pulumi";
import { secretFileProvider } from "../../../providers/secretFile/provider";

const ROOT = resolve(__dirname, "..", "..", "..");

/** Runs `script` against the serialized provider in a new Node process; answers its JSON. */
function runChild(providerFile: string, script: string): Promise<unknown> {
  const code = `
    const provider = require(${JSON.stringify(providerFile)}).handler();
    (async () => { ${script} })().then(
      (out) => { process.stdout.write(JSON.stringify(out)); },
      (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); },
    );`;
  return new Promise((done, fail) => {
    execFile(process.execPath, ["-e", code], { cwd: ROOT, timeout: 60_000 }, (err, out, stderr) =>
      err ? fail(new Error(`${err.message}\n${stderr}`)) : done(JSON.parse(out)),
    );
  });
}

describe("SecretFile provider: serialized as the engine runs it", () => {
  let dir = "";
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("is text that requires Node's modules by name and captures no module of this repository", async () => {
    const serialized = await runtime.serializeFunction(() => secretFileProvider, {
      allowSecrets: true,
    });
    expect(serialized.text).toContain('require("fs")');
    expect(serialized.text).toContain('require("crypto")');
    expect(serialized.text).not.toContain(ROOT);
    for (const step of ["check", "diff", "create", "read", "update", "delete"]) {
      expect(serialized.text).toContain(`${step}:`);
    }
  });

  it("creates, refreshes, updates and deletes a file from that text in another process", async () => {
    const serialized = await runtime.serializeFunction(() => secretFileProvider, {
      allowSecrets: true,
    });
    dir = mkdtempSync(join(tmpdir(), "secret-file-serialized-"));
    const providerFile = join(dir, "provider.js");
    writeFileSync(providerFile, serialized.text);
    const secrets = mkdtempSync(join(dir, "secrets-"));
    const inputs = { directory: secrets, fileName: "amp-api-key", content: "child-s3cret" };
    const created = (await runChild(
      providerFile,
      `const created = await provider.create(${JSON.stringify(inputs)});
       return { created, read: await provider.read(created.id, created.outs) };`,
    )) as { created: { id: string; outs: Record<string, string> }; read: unknown };
    const file = join(secrets, "amp-api-key");
    expect(created.created.id).toBe(file);
    expect(readFileSync(file, "utf8")).toBe("child-s3cret");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(JSON.stringify(created)).not.toContain("child-s3cret");
    expect(created.read).toEqual({ id: file, props: created.created.outs });

    const after = (await runChild(
      providerFile,
      `const olds = ${JSON.stringify(created.created.outs)};
       const news = ${JSON.stringify({ ...inputs, content: "child-n3w" })};
       const diff = await provider.diff(${JSON.stringify(file)}, olds, news);
       const updated = await provider.update(${JSON.stringify(file)}, olds, news);
       const content = require("fs").readFileSync(${JSON.stringify(file)}, "utf8");
       await provider.delete(${JSON.stringify(file)}, updated.outs);
       return { diff, content, gone: await provider.read(${JSON.stringify(file)}, updated.outs) };`,
    )) as { diff: unknown; content: string; gone: unknown };
    expect(after).toEqual({
      diff: { changes: true, replaces: [], deleteBeforeReplace: false },
      content: "child-n3w",
      gone: { id: "", props: {} },
    });
  });
});
