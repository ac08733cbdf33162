import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ToolchainError } from "../../../scripts/toolchain/common";
import {
  Upstream,
  resolveSource,
  sourceKey,
  thirdPartyRootFor,
  treeHash,
  writableCopy,
} from "../../../scripts/toolchain/sources";

const UP: Upstream = {
  module: "example.com/provider/v3",
  version: "v3.1.0",
  tree: "upstream/provider",
};
const refused = () => Promise.reject(new ToolchainError("could not download it: 403 Forbidden"));

describe("upstream sources of the toolchain", () => {
  let root: string;
  let tree: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "toolchain-sources-"));
    tree = join(root, "upstream", "provider");
    mkdirSync(join(tree, "cmd"), { recursive: true });
    writeFileSync(join(tree, "go.mod"), "module example.com/provider/v3\n");
    writeFileSync(join(tree, "cmd", "main.go"), "package main\n");
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it("reads the folder from the flag, else the variable, else ../shared/third_party", () => {
    expect(thirdPartyRootFor("/x/flag", { TRACKING_THIRD_PARTY: "/x/env" })).toBe("/x/flag");
    expect(thirdPartyRootFor(undefined, { TRACKING_THIRD_PARTY: "/x/env" })).toBe("/x/env");
    expect(thirdPartyRootFor(undefined, {})).toBe(
      resolve(__dirname, "..", "..", "..", "..", "shared", "third_party"),
    );
  });

  it("takes the module from the proxy when it is served", async () => {
    const source = await resolveSource(UP, root, () => Promise.resolve("/mod/cache/dir"));
    expect(source).toEqual({ dir: "/mod/cache/dir", from: "the Go module proxy" });
  });

  it("falls back to the source tree when the proxy refuses the module", async () => {
    expect(await resolveSource(UP, root, refused)).toEqual({ dir: tree, from: tree });
  });

  it("names the setting when neither the proxy nor the tree has the source", async () => {
    const missing = join(root, "nowhere");
    await expect(resolveSource(UP, missing, refused)).rejects.toThrow(
      new ToolchainError(
        `example.com/provider/v3 v3.1.0: the Go module proxy does not serve it (403 Forbidden) ` +
          `and its source tree is not in ${join(missing, UP.tree)}. Point --third-party <dir> or ` +
          `TRACKING_THIRD_PARTY at the folder that holds upstream/ (the third-party folder with ` +
          `ORIGIN.md; default ../shared/third_party beside the repository).`,
      ),
    );
  });

  it("keys the cache on the tree's content, so an edited tree rebuilds", () => {
    const before = sourceKey(UP, root);
    expect(sourceKey(UP, root)).toBe(before);
    writeFileSync(join(tree, "cmd", "main.go"), "package main // edited\n");
    expect(sourceKey(UP, root)).not.toBe(before);
    expect(sourceKey(UP, join(root, "nowhere"))).toBe("module example.com/provider/v3@v3.1.0");
  });

  it("builds in a writable copy with the same content", () => {
    const copy = join(root, "build");
    writableCopy(tree, copy);
    expect(treeHash(copy)).toBe(treeHash(tree));
    expect(statSync(join(copy, "cmd", "main.go")).mode & 0o200).toBe(0o200);
  });
});
