import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { connectorProvider } from "../../providers/connect/provider";
import { sinkInputs, worker } from "./connectorFixtures";
import { createTopic, platformEndpoints, uniqueName } from "./platform";

/**
 * The engine runs the provider from the text Pulumi's closure serializer makes of it, in another
 * process. So: serialize it the way `dynamic.Resource` does, load that text in a separate Node
 * process, and drive create, read and delete from there against the real worker.
 */
const REPO = resolve(__dirname, "..", "..");
const e = platformEndpoints();

/** Runs the serialized provider in a child Node process; answers what the script printed. */
function runChild(providerFile: string, script: string): Promise<string> {
  const code = `
    const provider = require(${JSON.stringify(providerFile)}).handler();
    (async () => { ${script} })().then(
      (out) => { process.stdout.write(JSON.stringify(out)); },
      (err) => { process.stderr.write(String(err && err.stack || err)); process.exit(1); },
    );`;
  return new Promise((resolvePromise, reject) => {
    execFile(
      process.execPath,
      ["-e", code],
      // The dynamic provider process resolves modules from the program's folder, as here.
      {
        cwd: REPO,
        env: { ...process.env, NODE_PATH: join(REPO, "node_modules") },
        timeout: 120_000,
      },
      (err, stdout, stderr) =>
        err ? reject(new Error(`${err.message}\n${stderr}`)) : resolvePromise(stdout),
    );
  });
}

describe("Connector provider: serialized like the engine runs it", () => {
  let dir = "";
  const name = uniqueName("serialized");
  afterAll(async () => {
    await worker.remove(name);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("creates, reads and deletes a connector from the serialized text in another process", async () => {
    // Exactly what `dynamic.Resource` does (dynamic/index.js): the text exports `handler`, a
    // function answering the provider, which cmd/dynamic-provider calls as `.handler()`.
    const serialized = await pulumi.runtime.serializeFunction(() => connectorProvider, {
      allowSecrets: true,
    });
    // Only npm modules by name, never a path into this repository or a captured module object.
    expect(serialized.text).toContain('require("axios")');
    expect(serialized.text).not.toContain(REPO);
    dir = mkdtempSync(join(tmpdir(), "connector-provider-"));
    const file = join(dir, "provider.js");
    writeFileSync(file, serialized.text);

    const topic = uniqueName("serialized-topic");
    await createTopic(topic, 1);
    const inputs = sinkInputs(name, topic, `${e.receiverUrl}/${name}`, {
      secretConfig: { "connection.password": "child-s3cret" },
    });
    const out = JSON.parse(
      await runChild(
        file,
        `
        const inputs = ${JSON.stringify(inputs)};
        const created = await provider.create(inputs);
        const read = await provider.read(created.id, created.outs);
        await provider.delete(created.id, created.outs);
        const gone = await provider.read(created.id, created.outs);
        return { created, read, gone };
      `,
      ),
    ) as {
      created: { id: string; outs: { connectorState: string; secretHashes: object } };
      read: { id: string; props: { config: object; secretHashes: object } };
      gone: { id: string };
    };
    expect(out.created.id).toBe(name);
    expect(out.created.outs.connectorState).toBe("RUNNING");
    expect(out.read.props.config).toEqual(inputs.config);
    expect(out.read.props.secretHashes).toEqual(out.created.outs.secretHashes);
    expect(out.gone.id).toBe("");
    expect(JSON.stringify(out)).not.toContain("child-s3cret");
    expect(await worker.status(name)).toBeNull();
  });
});
