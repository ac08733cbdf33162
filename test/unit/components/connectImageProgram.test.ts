import { PolicyPackConfig } from "@pulumi/policy";
import * as fs from "fs";
import * as path from "path";
import { policies } from "../../../policies/pack";
import { prodSecrets, registered, ROOT, runProgram } from "../mocks";
import { runPack } from "../policies/harness";

// The programs (index.ts under mocks, with a stack file) against their environment's policy
// config, as far as the Connect image goes: with the image build off, as the stack files have it
// today, every sink of ours runs on an image without it; with the build on, none does.

const POLICY = "connect-image-contains-connector";
const METRICS_OFF = {
  metricsEnabled: false,
  metricsPrometheusOperator: false,
  metricsMonitorLabels: "[]",
  metricsGrafanaDashboard: false,
};
const STACKS = {
  prod: { secrets: prodSecrets, sinks: ["analytics", "marketing", "warehouse"] },
  dev: { secrets: { analyticsApiKey: "dev-key" }, sinks: ["analytics"] },
};

async function imageViolations(stack: keyof typeof STACKS, override: Record<string, unknown>) {
  const file = path.join(ROOT, "policies", "config", `${stack}.json`);
  const packConfig = JSON.parse(fs.readFileSync(file, "utf8")) as PolicyPackConfig;
  await runProgram(stack, STACKS[stack].secrets, override);
  const resources = registered.map((r) => ({ type: r.type, name: r.name, props: r.inputs }));
  const found = await runPack(policies, resources, packConfig);
  return found.filter((v) => v.policy === POLICY).map((v) => v.resource);
}

describe.each(["prod", "dev"] as const)("the %s program's Connect image", (stack) => {
  it("is refused by the policy for each sink while connectImageBuild is false", async () => {
    // Metrics need the built image's agent: off with the build.
    const noBuild = { connectImageBuild: false, ...METRICS_OFF };
    expect(await imageViolations(stack, noBuild)).toEqual(
      STACKS[stack].sinks.map((s) => `tracking-${s}-connector`),
    );
  });

  it("passes the policy once the stack builds the image", async () => {
    const build = {
      connectImageBuild: true,
      connectImageRegistry: "registry.example.com/platform",
    };
    expect(await imageViolations(stack, build)).toEqual([]);
    const image = registered.find((r) => r.type === "docker:index/image:Image");
    expect(image?.inputs.imageName).toBe(
      "registry.example.com/platform/tracking-connect:0.4.0-base-7.9.1-jmx-1.0.1",
    );
  });
});
