/**
 * The Pulumi toolchain of this project, without internet: finds a `pulumi` CLI of the version that
 * node_modules/@pulumi/pulumi asks for, or builds one with Go from the Go module proxy, together
 * with what the engine needs to run this program (Node.js language host, the dynamic-provider and
 * policy shims, the kafka plugin, and on request the kubernetes plugin). Everything goes into a
 * cache outside the repository; a second run finds it there and neither builds nor downloads.
 *
 *   tsx scripts/toolchain/index.ts                 build or reuse, then print the environment
 *   tsx scripts/toolchain/index.ts --print-env     only the `export` lines (for `eval "$(...)"`)
 *   tsx scripts/toolchain/index.ts --with-kubernetes   also build the kubernetes plugin (long)
 *   tsx scripts/toolchain/index.ts --with-kube-server  also build etcd and kube-apiserver (long), and fetch the Prometheus Operator CRDs
 *   tsx scripts/toolchain/index.ts --with-promtool     also build Prometheus's promtool
 *
 *   tsx scripts/toolchain/index.ts --third-party <dir>   where the upstream source trees are
 *
 * Each part has its own file in parts/. The language host and the kafka plugin are the upstream
 * ones: from the Go module proxy where it serves them, else from the source trees in the
 * third-party folder (sources.ts). See scripts/TOOLCHAIN.md.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command } from "commander";
import { pulumiStateDir, resolveSettings } from "../../platform/settings";
import { PartResult, cacheRootFor, layoutFor } from "./cache";
import { ToolchainError, say } from "./common";
import { Context, Versions, packageVersion } from "./context";
import { exportLines } from "./env";
import { partCli } from "./parts/cli";
import { partKafka } from "./parts/kafka";
import { partKubernetes } from "./parts/kubernetes";
import { partEtcd, partKubeServer } from "./parts/kubeServer";
import { partOperatorCrds } from "./parts/operatorCrds";
import { partPromtool } from "./parts/promtool";
import { partLanguageHost } from "./parts/languageHost";
import { partShims } from "./parts/shims";
import { reportedVersion, which } from "./run";
import { THIRD_PARTY_ENV, thirdPartyRootFor } from "./sources";

interface Flags {
  cache?: string;
  thirdParty?: string;
  force: boolean;
  withKubernetes: boolean;
  withKubeServer: boolean;
  withPromtool: boolean;
  printEnv: boolean;
}

/** A `pulumi` on PATH (not ours) whose version is the one wanted, if any. */
async function fittingPulumi(bin: string, wanted: string): Promise<string | undefined> {
  const found = which("pulumi", bin);
  if (!found) return undefined;
  const v = await reportedVersion(found);
  if (v === `v${wanted}`) return found;
  say(`  ignoring ${found}: it reports ${v ?? "no version"}, this project needs v${wanted}`);
  return undefined;
}

async function main(flags: Flags): Promise<void> {
  const versions: Versions = {
    cli: packageVersion("@pulumi/pulumi", false),
    kafka: packageVersion("@pulumi/kafka", true),
    kubernetes: packageVersion("@pulumi/kubernetes", true),
  };
  const layout = layoutFor(cacheRootFor(flags.cache), versions.cli);
  say(`pulumi toolchain ${versions.cli} in ${layout.dir}`);

  const ctx: Context = {
    layout,
    versions,
    force: flags.force,
    thirdParty: thirdPartyRootFor(flags.thirdParty),
    cli: path.join(layout.bin, "pulumi"),
    cliReplaces: [],
    cliGoVersion: "1.25",
    goReady: false,
  };
  const results: PartResult[] = [];
  const step = async (p: Promise<PartResult> | PartResult): Promise<void> => {
    const r = await p;
    results.push(r);
    const time = r.outcome === "built" ? ` in ${r.seconds.toFixed(1)}s` : "";
    say(`  ${r.part.padEnd(16)} ${r.outcome}${time}  (${r.detail})`);
  };

  const external = await fittingPulumi(layout.bin, versions.cli);
  let binDir = layout.bin;
  if (external && fs.existsSync(path.join(path.dirname(external), "pulumi-language-nodejs"))) {
    // A release install of the right version: its language host and shims come with it.
    ctx.cli = external;
    binDir = path.dirname(external);
    results.push({ part: "pulumi", outcome: "found", seconds: 0, detail: external });
    say(`  pulumi           found ${external} (with its language host and shims)`);
  } else {
    if (external) {
      ctx.cli = external;
      say(`  pulumi           found ${external}; building the language host and shims beside ours`);
    } else {
      await step(partCli(ctx));
    }
    await step(partLanguageHost(ctx));
    await step(partShims(ctx));
  }
  await step(partKafka(ctx));
  if (flags.withKubernetes) await step(partKubernetes(ctx));
  if (flags.withKubeServer) {
    await step(partEtcd(ctx));
    await step(partKubeServer(ctx));
    await step(partOperatorCrds(ctx));
  }
  if (flags.withPromtool) await step(partPromtool(ctx));

  const exports = exportLines({
    binDir,
    pulumiHome: layout.home,
    localBackendDir: pulumiStateDir(resolveSettings()),
  });
  if (flags.printEnv) {
    console.log(exports.join("\n"));
    return;
  }
  const built = results.filter((r) => r.outcome === "built");
  if (built.length)
    say(
      `built: ${built.map((r) => `${r.part} ${r.seconds.toFixed(0)}s`).join(", ")}; logs in ${layout.logs}`,
    );
  if (!flags.withKubernetes) say("  kubernetes       skipped  (pass --with-kubernetes)");
  console.log(`bin: ${binDir}`);
  console.log("environment (the backend is the local stack's, in the platform's home):");
  for (const line of exports) console.log(`  ${line}`);
}

const program = new Command()
  .name("toolchain")
  .description(
    "Find or build the Pulumi CLI, language host and plugins this project needs, in a cache outside the repo.",
  )
  .option(
    "--cache <dir>",
    "cache folder (default $TRACKING_TOOLCHAIN_CACHE or ~/.cache/tracking-pipeline/toolchain)",
  )
  .option(
    "--third-party <dir>",
    `folder of the upstream source trees, see its ORIGIN.md (default $${THIRD_PARTY_ENV} or ../shared/third_party beside the repository)`,
  )
  .option("--force", "rebuild every part even when the cache has it", false)
  .option("--with-kubernetes", "also build the kubernetes resource plugin (long build)", false)
  .option(
    "--with-kube-server",
    "also build etcd, kube-apiserver and kube-controller-manager for the platform (long build), and fetch the Prometheus Operator's CRDs for it",
    false,
  )
  .option("--with-promtool", "also build Prometheus's promtool (the alert rules' tests)", false)
  .option("--print-env", "print only the export lines, for eval", false)
  .action(async (opts: Flags) => {
    try {
      await main(opts);
    } catch (err) {
      if (err instanceof ToolchainError) {
        say(`toolchain: ${err.message}`);
        process.exitCode = 1;
      } else {
        throw err;
      }
    }
  });

void program.parseAsync(process.argv);
