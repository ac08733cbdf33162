import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { cacheRootFor } from "../../scripts/toolchain/cache";
import {
  OPERATOR_CRD_FILES,
  PROMETHEUS_OPERATOR_VERSION,
  operatorCrdsDir,
} from "../../scripts/toolchain/parts/operatorCrds";
import { PlatformSettings } from "../settings";
import { kubernetesFiles } from "./components";

/**
 * The Prometheus Operator's CRDs (PodMonitor, PrometheusRule, ServiceMonitor) on the platform's
 * API server, as on a cluster where the operator is installed: the stack's monitoring objects are
 * then checked against the operator's schemas, not stored unchecked. Applied server-side (their
 * size is above the client-side apply annotation's limit) on every `up`; a no-op when unchanged.
 */

/** The CRD files, or an error that says how to fetch them. */
export function operatorCrdFiles(env = process.env): string[] {
  const dir = operatorCrdsDir(cacheRootFor(undefined, env));
  const files = OPERATOR_CRD_FILES.map((f) => join(dir, f));
  const missing = files.find((f) => !existsSync(f));
  if (missing) {
    throw new Error(
      `The Prometheus Operator's CRDs (${PROMETHEUS_OPERATOR_VERSION}) are not fetched (no ${missing}). ` +
        "Fetch them with `npm run toolchain -- --with-kube-server`.",
    );
  }
  return files;
}

function kubectl(settings: PlatformSettings, args: string[]): string {
  const result = spawnSync(
    "kubectl",
    ["--kubeconfig", kubernetesFiles(settings).kubeconfig, ...args],
    { encoding: "utf8", timeout: 120_000 },
  );
  if (result.error) throw new Error(`kubectl ${args[0]} could not run: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`kubectl ${args.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  }
  return result.stdout;
}

/** Applies the CRDs and waits until the API server serves their kinds. */
export function applyOperatorCrds(settings: PlatformSettings, log: (line: string) => void): void {
  const files = operatorCrdFiles();
  const began = Date.now();
  kubectl(settings, [
    "apply",
    "--server-side",
    "--force-conflicts",
    "--field-manager=tracking-platform",
    ...files.flatMap((f) => ["-f", f]),
  ]);
  const names = OPERATOR_CRD_FILES.map(
    (f) =>
      `crd/${f.replace(/^monitoring\.coreos\.com_/, "").replace(/\.yaml$/, "")}.monitoring.coreos.com`,
  );
  kubectl(settings, ["wait", "--for=condition=Established", "--timeout=60s", ...names]);
  log(
    `Prometheus Operator CRDs ${PROMETHEUS_OPERATOR_VERSION} established ` +
      `(${((Date.now() - began) / 1000).toFixed(1)} s): PodMonitor, PrometheusRule, ServiceMonitor`,
  );
}
