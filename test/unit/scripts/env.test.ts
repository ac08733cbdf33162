import { applyExportLines, exportLines } from "../../../scripts/toolchain/env";

describe("exportLines", () => {
  it("puts the CLI on PATH and names PULUMI_HOME and the local stack's backend", () => {
    expect(
      exportLines({
        binDir: "/cache/3.248.0/bin",
        pulumiHome: "/cache/3.248.0/pulumi-home",
        localBackendDir: "/home/me/.cache/tracking-pipeline/platform-state/pulumi-state",
      }),
    ).toEqual([
      'export PATH=/cache/3.248.0/bin:"$PATH"',
      "export PULUMI_HOME=/cache/3.248.0/pulumi-home",
      "export PULUMI_SKIP_UPDATE_CHECK=true",
      "export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true",
      "export PULUMI_BACKEND_URL=file:///home/me/.cache/tracking-pipeline/platform-state/pulumi-state",
    ]);
  });
});

describe("applyExportLines", () => {
  it("reads the lines back, PATH in front of the base PATH, quoted paths unquoted", () => {
    const text = exportLines({
      binDir: "/my cache/bin",
      pulumiHome: "/it's/home",
      localBackendDir: "/state",
    }).join("\n");
    const env = applyExportLines(`pulumi toolchain 3.248.0\n${text}\n`, {
      PATH: "/usr/bin",
      KEEP: "1",
    });
    expect(env).toEqual({
      PATH: "/my cache/bin:/usr/bin",
      KEEP: "1",
      PULUMI_HOME: "/it's/home",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
      PULUMI_BACKEND_URL: "file:///state",
    });
  });
});
