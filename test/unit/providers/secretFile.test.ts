import * as fs from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { keyedHash } from "../../../providers/keyedHash";
import { checkSecretFile } from "../../../providers/secretFile/check";
import { diffSecretFile } from "../../../providers/secretFile/diff";
import { secretFileProvider as provider } from "../../../providers/secretFile/provider";
import type { SecretFileInputs, SecretFileOutputs } from "../../../providers/secretFile/types";
import { UNKNOWN } from "../../../providers/secretFile/types";

const CONTENT = "s3cr3t-Value-4242";
const HEX64 = /^[0-9a-f]{64}$/;

let dir = "";
beforeEach(() => {
  dir = fs.mkdtempSync(join(tmpdir(), "secret-file-"));
});
afterEach(() => {
  jest.restoreAllMocks();
  fs.rmSync(dir, { recursive: true, force: true });
});

function inputs(over: Partial<SecretFileInputs> = {}): SecretFileInputs {
  return { directory: dir, fileName: "amp-api-key", content: CONTENT, ...over };
}

async function create(over: Partial<SecretFileInputs> = {}) {
  const result = await provider.create!(inputs(over));
  return { id: result.id, outs: result.outs as SecretFileOutputs };
}

function modeOf(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

/** The message of what `run` rejects with. */
async function rejection(run: () => Promise<unknown>): Promise<string> {
  try {
    await run();
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  throw new Error("expected a rejection");
}

describe("SecretFile create", () => {
  it("writes the content as is into a file of mode 0600 named by the id", async () => {
    const { id } = await create();
    const file = join(dir, "amp-api-key");
    expect(id).toBe(file);
    expect(fs.readFileSync(file, "utf8")).toBe(CONTENT);
    expect(modeOf(file)).toBe(0o600);
    // Nothing else is left in the folder: the temporary file was renamed.
    expect(fs.readdirSync(dir)).toEqual(["amp-api-key"]);
  });

  it("outputs where the file is and a keyed hash, never the content", async () => {
    const { outs } = await create();
    expect(Object.keys(outs).sort()).toEqual(["directory", "fileName", "hash", "hashKey", "mode"]);
    expect(outs).toMatchObject({ directory: dir, fileName: "amp-api-key", mode: "0600" });
    expect(outs.hashKey).toMatch(HEX64);
    expect(outs.hash).toBe(keyedHash(outs.hashKey, ["amp-api-key", CONTENT]));
    expect(JSON.stringify(outs)).not.toContain(CONTENT);
  });

  it("writes a 0600 temporary file in the same folder, flushed, then renames it over the target", async () => {
    fs.writeFileSync(join(dir, "amp-api-key"), "old", { mode: 0o600 });
    // The module object itself: the provider requires "fs" where it writes.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const nodeFs = require("fs") as typeof fs;
    const openSync = jest.spyOn(nodeFs, "openSync");
    const fsyncSync = jest.spyOn(nodeFs, "fsyncSync");
    const seenAtRename: { temp: string; mode: number; temp_content: string; target: string }[] = [];
    const rename = nodeFs.renameSync;
    jest.spyOn(nodeFs, "renameSync").mockImplementation((from, to) => {
      seenAtRename.push({
        temp: String(from),
        mode: modeOf(String(from)),
        temp_content: fs.readFileSync(from, "utf8"),
        target: fs.readFileSync(to, "utf8"),
      });
      rename(from, to);
    });
    await provider.update!(
      join(dir, "amp-api-key"),
      (await create({ content: "old" })).outs,
      inputs(),
    );

    const temp = seenAtRename[seenAtRename.length - 1].temp;
    expect(openSync).toHaveBeenCalledWith(temp, "wx", 0o600);
    expect(temp.startsWith(`${dir}/.`)).toBe(true);
    expect(fsyncSync).toHaveBeenCalled();
    // Until the rename the worker reads the old file; the new one is whole and private before it.
    expect(seenAtRename[seenAtRename.length - 1]).toEqual({
      temp,
      mode: 0o600,
      temp_content: CONTENT,
      target: "old",
    });
    expect(fs.existsSync(temp)).toBe(false);
  });

  it("writes mode 0600 whatever the umask", async () => {
    const before = process.umask(0o277);
    try {
      await create();
    } finally {
      process.umask(before);
    }
    expect(modeOf(join(dir, "amp-api-key"))).toBe(0o600);
  });

  it("fails on a missing folder, naming connectSecretsDirectory and how to make it", async () => {
    const missing = join(dir, "nope");
    expect(await rejection(() => create({ directory: missing }))).toBe(
      `The Connect secrets folder ${missing} (the stack setting \`connectSecretsDirectory\`) does not exist. ` +
        "Start the local platform (`npm run platform -- up` creates it), or, for a worker of your own, " +
        `create it as the worker's user with \`mkdir -m 700 ${missing}\`, or point \`connectSecretsDirectory\` at the folder the worker reads.`,
    );
    expect(fs.existsSync(missing)).toBe(false);
  });

  it("fails on a file where the folder should be", async () => {
    const file = join(dir, "file");
    fs.writeFileSync(file, "");
    expect(await rejection(() => create({ directory: file }))).toBe(
      `The Connect secrets folder ${file} (the stack setting \`connectSecretsDirectory\`) is not a folder; ` +
        "point `connectSecretsDirectory` at the folder the worker reads.",
    );
  });

  it("warns when group or others can get into the folder, and writes the file anyway", async () => {
    fs.chmodSync(dir, 0o755);
    const stderr = jest.spyOn(console, "error").mockImplementation(() => undefined);
    await create();
    expect(stderr.mock.calls).toEqual([
      [
        `warning: The Connect secrets folder ${dir} (\`connectSecretsDirectory\`) has mode 0755: ` +
          `other users can list the names of the secret files. Run \`chmod 700 ${dir}\`.`,
      ],
    ]);
    expect(modeOf(join(dir, "amp-api-key"))).toBe(0o600);
  });

  it("does not warn about a folder of mode 0700", async () => {
    fs.chmodSync(dir, 0o700);
    const stderr = jest.spyOn(console, "error").mockImplementation(() => undefined);
    await create();
    expect(stderr).not.toHaveBeenCalled();
  });
});

describe("SecretFile update", () => {
  it("rewrites the file with the new content and keeps the key", async () => {
    const { id, outs } = await create();
    const result = await provider.update!(id, outs, inputs({ content: "n3w-value" }));
    const next = result.outs as SecretFileOutputs;
    expect(fs.readFileSync(id, "utf8")).toBe("n3w-value");
    expect(modeOf(id)).toBe(0o600);
    expect(next.hashKey).toBe(outs.hashKey);
    expect(next.hash).toBe(keyedHash(outs.hashKey, ["amp-api-key", "n3w-value"]));
    expect(next.hash).not.toBe(outs.hash);
    expect(JSON.stringify(next)).not.toContain("n3w-value");
  });

  it("sets mode 0600 again on a file whose mode was changed", async () => {
    const { id, outs } = await create();
    fs.chmodSync(id, 0o644);
    await provider.update!(id, { ...outs, mode: "0644" }, inputs());
    expect(modeOf(id)).toBe(0o600);
  });
});

describe("SecretFile refresh", () => {
  it("reports the same hash and mode for an untouched file", async () => {
    const { id, outs } = await create();
    expect(await provider.read!(id, outs)).toEqual({ id, props: outs });
  });

  it("shows content changed behind Pulumi's back as a new hash, which the next diff rewrites", async () => {
    const { id, outs } = await create();
    fs.writeFileSync(id, "edited-by-hand");
    const read = await provider.read!(id, outs);
    const props = read.props as SecretFileOutputs;
    expect(read.id).toBe(id);
    expect(props.hash).toBe(keyedHash(outs.hashKey, ["amp-api-key", "edited-by-hand"]));
    expect(props.hashKey).toBe(outs.hashKey);
    expect(JSON.stringify(props)).not.toContain("edited-by-hand");
    expect(diffSecretFile(props, inputs())).toEqual({
      changes: true,
      replaces: [],
      deleteBeforeReplace: false,
    });
  });

  it("shows a changed mode as drift, which the next diff rewrites", async () => {
    const { id, outs } = await create();
    fs.chmodSync(id, 0o644);
    const props = (await provider.read!(id, outs)).props as SecretFileOutputs;
    expect(props).toEqual({ ...outs, mode: "0644" });
    expect(diffSecretFile(props, inputs()).changes).toBe(true);
  });

  it("answers an empty id for a file that is gone, so that the next up writes it again", async () => {
    const { id, outs } = await create();
    fs.unlinkSync(id);
    expect(await provider.read!(id, outs)).toEqual({ id: "", props: {} });
    fs.rmSync(dir, { recursive: true });
    expect(await provider.read!(id, outs)).toEqual({ id: "", props: {} });
  });

  it("takes a symbolic link in the file's place for drift, without reading through it", async () => {
    const { id, outs } = await create();
    const elsewhere = join(dir, "elsewhere");
    fs.writeFileSync(elsewhere, CONTENT, { mode: 0o600 });
    fs.rmSync(id);
    fs.symlinkSync(elsewhere, id);
    const props = (await provider.read!(id, outs)).props as SecretFileOutputs;
    expect(props.hash).toBe("");
    expect(diffSecretFile(props, inputs()).changes).toBe(true);
  });
});

describe("SecretFile delete", () => {
  it("removes the file, and is fine when it or its folder is already gone", async () => {
    const { id, outs } = await create();
    await provider.delete!(id, outs);
    expect(fs.existsSync(id)).toBe(false);
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
    fs.rmSync(dir, { recursive: true });
    await expect(provider.delete!(id, outs)).resolves.toBeUndefined();
  });
});

describe("SecretFile hashes", () => {
  it("differ for the same content under two keys", async () => {
    const a = await create({ fileName: "a" });
    const b = await create({ fileName: "a", directory: fs.mkdtempSync(join(dir, "b-")) });
    expect(a.outs.hashKey).not.toBe(b.outs.hashKey);
    expect(a.outs.hash).not.toBe(b.outs.hash);
  });

  it("still compare, refresh and update state written without a key (unkeyed SHA-256)", async () => {
    const { id, outs } = await create();
    const legacy: SecretFileOutputs = {
      directory: dir,
      fileName: "amp-api-key",
      hash: keyedHash(undefined, ["amp-api-key", CONTENT]),
      mode: "0600",
    };
    expect(legacy.hash).not.toBe(outs.hash);
    expect(diffSecretFile(legacy, inputs()).changes).toBe(false);
    expect(diffSecretFile(legacy, inputs({ content: "other" })).changes).toBe(true);
    expect(await provider.read!(id, legacy)).toEqual({ id, props: legacy });
    const updated = (await provider.update!(id, legacy, inputs({ content: "other" })))
      .outs as SecretFileOutputs;
    expect(updated.hashKey).toMatch(HEX64);
    expect(updated.hash).toBe(keyedHash(updated.hashKey, ["amp-api-key", "other"]));
  });
});

describe("SecretFile messages never carry the content", () => {
  it("says which file could not be written, and not what it was to hold", async () => {
    // A non-empty folder where the file should be: the rename fails.
    fs.mkdirSync(join(dir, "amp-api-key", "inner"), { recursive: true });
    const stderr = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const message = await rejection(() => create());
    expect(message).toMatch(
      new RegExp(`^Could not write the secret file ${dir}/amp-api-key: E[A-Z]+: [^']*, rename '`),
    );
    expect(message).not.toContain(CONTENT);
    expect(JSON.stringify(stderr.mock.calls)).not.toContain(CONTENT);
    // No temporary file stays behind.
    expect(fs.readdirSync(dir)).toEqual(["amp-api-key"]);
  });

  it("replaces the content in any message that would carry it", async () => {
    // A folder named after the value: the message quotes the path, never the value.
    const named = join(dir, CONTENT);
    const message = await rejection(() => create({ directory: named }));
    expect(message).toContain("[secret]");
    expect(message).not.toContain(CONTENT);
    const updated = await rejection(() =>
      provider.update!(join(named, "x"), {} as SecretFileOutputs, inputs({ directory: named })),
    );
    expect(updated).not.toContain(CONTENT);
  });

  it("check failures never quote the content", async () => {
    const { failures } = await checkSecretFile(
      {},
      { directory: "rel", fileName: "a/b", content: CONTENT },
    );
    expect(JSON.stringify(failures)).not.toContain(CONTENT);
  });
});

describe("SecretFile check", () => {
  async function reasons(news: Record<string, unknown>) {
    const result = await checkSecretFile(
      {},
      { directory: "/s", fileName: "f", content: "x", ...news },
    );
    return result.failures ?? [];
  }

  it("accepts an absolute folder, a file name and a content, and keeps the inputs", async () => {
    const news = { directory: "/var/lib/connect-secrets", fileName: "amp.api-key_1", content: "x" };
    expect(await checkSecretFile({}, news)).toEqual({ inputs: news, failures: [] });
  });

  it("accepts values not known until apply", async () => {
    expect(await reasons({ directory: UNKNOWN, fileName: UNKNOWN, content: UNKNOWN })).toEqual([]);
  });

  it("refuses a relative folder, saying to give the absolute one", async () => {
    expect(await reasons({ directory: "secrets" })).toEqual([
      {
        property: "directory",
        reason:
          '`directory` "secrets" is relative; give the absolute path the Connect worker reads (set `connectSecretsDirectory` to it)',
      },
    ]);
  });

  it("refuses a folder spelt other than in normal form, giving the normal form", async () => {
    expect(await reasons({ directory: "/s/./t/" })).toEqual([
      {
        property: "directory",
        reason: '`directory` "/s/./t/" is not in normal form; write it as "/s/t"',
      },
    ]);
  });

  it("refuses a folder with a character that ends the reference", async () => {
    expect(await reasons({ directory: "/s:t" })).toEqual([
      {
        property: "directory",
        reason:
          '`directory` "/s:t" contains `:` or `}`, which end the worker\'s `${dir:<folder>:<file>}` reference; move the folder to a path without them',
      },
    ]);
  });

  it("requires a folder", async () => {
    expect(await reasons({ directory: "" })).toEqual([
      {
        property: "directory",
        reason:
          "`directory` is required: the absolute path of the Connect worker's secrets folder (the stack setting `connectSecretsDirectory`)",
      },
    ]);
  });

  it("refuses a file name with a slash, suggesting one name", async () => {
    expect(await reasons({ fileName: "amp/key" })).toEqual([
      {
        property: "fileName",
        reason:
          '`fileName` "amp/key" contains a path separator; give one name (the file goes in `directory`), for example "amp-key"',
      },
    ]);
  });

  it("refuses . and ..", async () => {
    expect(await reasons({ fileName: ".." })).toEqual([
      {
        property: "fileName",
        reason: '`fileName` ".." names a folder, not a file; give a name such as "amp-api-key"',
      },
    ]);
    expect((await reasons({ fileName: "." })).map((f) => f.property)).toEqual(["fileName"]);
  });

  it("refuses other characters in the file name", async () => {
    expect(await reasons({ fileName: "amp key" })).toEqual([
      {
        property: "fileName",
        reason:
          '`fileName` "amp key" must be 1 to 255 letters, digits, dots, underscores or dashes; replace the other characters',
      },
    ]);
  });

  it("refuses an empty content without quoting anything", async () => {
    expect(await reasons({ content: "" })).toEqual([
      {
        property: "content",
        reason:
          "`content` is empty; give the secret value (an empty file would hand the connector an empty credential)",
      },
    ]);
  });
});

describe("SecretFile diff", () => {
  function stored(over: Partial<SecretFileOutputs> = {}): SecretFileOutputs {
    const hashKey = "ab".repeat(32);
    return {
      directory: dir,
      fileName: "amp-api-key",
      hash: keyedHash(hashKey, ["amp-api-key", CONTENT]),
      hashKey,
      mode: "0600",
      ...over,
    };
  }
  const none = { changes: false, replaces: [], deleteBeforeReplace: false };
  const update = { changes: true, replaces: [], deleteBeforeReplace: false };

  it("finds nothing to do for the same content at the same path", () => {
    expect(diffSecretFile(stored(), inputs())).toEqual(none);
  });

  it("rewrites in place for new content, and for content not known at preview", () => {
    expect(diffSecretFile(stored(), inputs({ content: "other" }))).toEqual(update);
    expect(diffSecretFile(stored(), inputs({ content: UNKNOWN }))).toEqual(update);
  });

  it("replaces, creating the new file before deleting the old, for a new name or folder", () => {
    expect(diffSecretFile(stored(), inputs({ fileName: "other" }))).toEqual({
      changes: true,
      replaces: ["fileName"],
      deleteBeforeReplace: false,
    });
    expect(diffSecretFile(stored(), inputs({ directory: "/elsewhere" }))).toEqual({
      changes: true,
      replaces: ["directory"],
      deleteBeforeReplace: false,
    });
    expect(diffSecretFile(stored(), inputs({ directory: UNKNOWN })).replaces).toEqual([
      "directory",
    ]);
  });

  it("rewrites, not replaces, when the new folder is the old one through a symbolic link", () => {
    const link = `${dir}-link`;
    fs.symlinkSync(dir, link);
    try {
      expect(diffSecretFile(stored(), inputs({ directory: link }))).toEqual(update);
    } finally {
      fs.unlinkSync(link);
    }
  });
});
