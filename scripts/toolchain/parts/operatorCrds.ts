import * as fs from "node:fs";
import * as path from "node:path";
import { PartResult, layoutFor } from "../cache";
import { sha256 } from "../common";
import { Context, buildPart } from "../context";
import { goEnv, goModDownload } from "../go";

/**
 * The Prometheus Operator's CustomResourceDefinitions for the platform's API server, so that the
 * stack's PodMonitors and PrometheusRule are validated against the operator's own schemas. They
 * ship in the operator's Go module (`example/prometheus-operator-crd/`, the files its releases
 * publish as `stripped-down-crds`), fetched through the module proxy; nothing is built.
 */

export const PROMETHEUS_OPERATOR_MODULE = "github.com/prometheus-operator/prometheus-operator";
export const PROMETHEUS_OPERATOR_VERSION = "v0.85.0";
const CRD_DIR_IN_MODULE = path.join("example", "prometheus-operator-crd");
/** The kinds the stack declares (PodMonitor, PrometheusRule), and ServiceMonitor beside them. */
export const OPERATOR_CRD_FILES = [
  "monitoring.coreos.com_podmonitors.yaml",
  "monitoring.coreos.com_prometheusrules.yaml",
  "monitoring.coreos.com_servicemonitors.yaml",
] as const;

/** Where the platform finds the CRD files, without creating any folder. */
export function operatorCrdsDir(cacheRoot: string): string {
  return path.join(cacheRoot, "operator-crds", "crds");
}

export function partOperatorCrds(toolchain: Context): Promise<PartResult> {
  const ctx: Context = {
    ...toolchain,
    layout: layoutFor(path.dirname(toolchain.layout.dir), "operator-crds"),
  };
  const dir = operatorCrdsDir(path.dirname(toolchain.layout.dir));
  return buildPart(ctx, {
    part: "operator-crds",
    key: sha256("operator-crds", PROMETHEUS_OPERATOR_VERSION, ...OPERATOR_CRD_FILES),
    outputs: OPERATOR_CRD_FILES.map((f) => path.join(dir, f)),
    what: `the Prometheus Operator's CRDs from ${PROMETHEUS_OPERATOR_MODULE} ${PROMETHEUS_OPERATOR_VERSION}`,
    cold: "cold, under a minute",
    build: async () => {
      const log = path.join(ctx.layout.logs, "operator-crds.log");
      fs.mkdirSync(ctx.layout.logs, { recursive: true });
      const mod = await goModDownload(PROMETHEUS_OPERATOR_MODULE, PROMETHEUS_OPERATOR_VERSION, {
        env: goEnv(ctx.layout.home),
        log,
      });
      fs.rmSync(dir, { recursive: true, force: true });
      fs.mkdirSync(dir, { recursive: true });
      for (const file of OPERATOR_CRD_FILES) {
        // The module cache is read-only: copy, then make the copy the cache's own.
        fs.copyFileSync(path.join(mod.dir, CRD_DIR_IN_MODULE, file), path.join(dir, file));
        fs.chmodSync(path.join(dir, file), 0o644);
      }
      return dir;
    },
  });
}
