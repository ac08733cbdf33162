import * as fs from "node:fs";
import { ToolchainError, isRecord } from "./common";
import { RunOptions, run, which } from "./run";

/** Go's environment for every build: no cgo, no other Go toolchain, our PULUMI_HOME. */
export function goEnv(pulumiHome: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    CGO_ENABLED: "0",
    // Never fetch another Go toolchain: build with the one installed, or fail and say so.
    GOTOOLCHAIN: "local",
    GOFLAGS: [process.env.GOFLAGS, "-buildvcs=false"].filter(Boolean).join(" "),
    // Keep the plugins' own `pulumi` look-ups inside the cache.
    PULUMI_HOME: pulumiHome,
  };
}

export async function requireGo(): Promise<string> {
  if (!which("go"))
    throw new ToolchainError("Go is needed to build the toolchain and is not on PATH");
  return (await run("go", ["version"])).trim();
}

/** Downloads a module (through the module proxy) and returns its folder and go.mod file. */
export async function goModDownload(
  mod: string,
  version: string,
  opts: RunOptions & { log: string },
): Promise<{ dir: string; goMod: string }> {
  let out: string;
  try {
    out = await run("go", ["mod", "download", "-json", `${mod}@${version}`], {
      ...opts,
      log: undefined,
    });
  } catch (err) {
    // `go mod download -json` exits 1 with the reason in the JSON's Error field.
    const text = err instanceof Error ? err.message : String(err);
    const why = /"Error": "([^"\\]*)/.exec(text)?.[1] ?? text;
    fs.appendFileSync(opts.log, `${text}\n`);
    throw new ToolchainError(`could not download ${mod}@${version}: ${why}`);
  }
  fs.appendFileSync(opts.log, out);
  const info = JSON.parse(out) as unknown;
  if (!isRecord(info) || typeof info.Dir !== "string" || typeof info.GoMod !== "string") {
    const err = isRecord(info) && typeof info.Error === "string" ? info.Error : out;
    throw new ToolchainError(`could not download ${mod}@${version}: ${err}`);
  }
  return { dir: info.Dir, goMod: info.GoMod };
}

/** The `replace` directives of a go.mod whose target is a module (not a local path). */
export function moduleReplaces(goModText: string): string[] {
  const lines: string[] = [];
  let inBlock = false;
  for (const raw of goModText.split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    if (inBlock) {
      if (line === ")") inBlock = false;
      else if (line) lines.push(line);
    } else if (line === "replace (") inBlock = true;
    else if (line.startsWith("replace ")) lines.push(line.slice("replace ".length).trim());
  }
  return lines.filter((r) => {
    const target = r.split("=>")[1]?.trim() ?? "";
    return target !== "" && !target.startsWith(".") && !target.startsWith("/");
  });
}

export interface GoModule {
  name: string;
  requires: Record<string, string>;
  replaces: string[];
  tool?: string;
}

export function goModText(m: GoModule, goVersion: string): string {
  const req = Object.entries(m.requires).map(([k, v]) => `\t${k} ${v}`);
  return [
    `// Written by scripts/toolchain; do not edit.`,
    `module ${m.name}`,
    ``,
    `go ${goVersion}`,
    ``,
    `require (`,
    ...req,
    `)`,
    ``,
    ...m.replaces.map((r) => `replace ${r}`),
    ...(m.tool ? [``, `tool ${m.tool}`] : []),
    ``,
  ].join("\n");
}

/** The `go` line of a go.mod (the wrapper must not ask for less than its dependencies). */
export function goDirective(goModText: string): string {
  return /^go\s+(\S+)/m.exec(goModText)?.[1] ?? "1.25";
}
