import * as fs from "node:fs";
import * as path from "node:path";
import {
  KUBE_SERVER_SOURCES,
  fillTemplate,
  godebugLines,
  pinnedLocalReplaces,
  readTemplate,
  stagingVersion,
  versionLdflags,
  wrapperGoMod,
} from "../../../scripts/toolchain/kubeServer";

/** The shape of k8s.io/kubernetes's go.mod: a require block, godebug, local staging replaces. */
const KUBERNETES_GO_MOD = `// This is a generated file. Do not edit directly.
module k8s.io/kubernetes

go 1.26.0

godebug default=go1.26

require (
\tgithub.com/spf13/cobra v1.10.2
\tk8s.io/api v0.0.0
\tk8s.io/apimachinery v0.0.0
)

replace (
\tk8s.io/api => ./staging/src/k8s.io/api
\tk8s.io/apimachinery => ./staging/src/k8s.io/apimachinery // a comment
\tgithub.com/some/fork => github.com/other/fork v1.2.3
)

replace k8s.io/kms => ./staging/src/k8s.io/kms
`;

describe("pinnedLocalReplaces", () => {
  it("pins every local-path replace to the module's release and leaves module replaces out", () => {
    expect(pinnedLocalReplaces(KUBERNETES_GO_MOD, "v0.37.2")).toEqual([
      "k8s.io/api => k8s.io/api v0.37.2",
      "k8s.io/apimachinery => k8s.io/apimachinery v0.37.2",
      "k8s.io/kms => k8s.io/kms v0.37.2",
    ]);
  });

  it("reads etcd's parent-folder replaces too", () => {
    const etcd =
      "module go.etcd.io/etcd/server/v3\n\nreplace (\n\tgo.etcd.io/etcd/api/v3 => ../api\n)\n";
    expect(pinnedLocalReplaces(etcd, "v3.7.3")).toEqual([
      "go.etcd.io/etcd/api/v3 => go.etcd.io/etcd/api/v3 v3.7.3",
    ]);
  });
});

describe("stagingVersion", () => {
  it("maps a Kubernetes release to its staging modules' v0 release", () => {
    expect(stagingVersion("v1.37.2")).toBe("v0.37.2");
  });

  it("refuses what is not a release version", () => {
    expect(() => stagingVersion("v1.37.2-rc.0")).toThrow(
      "not a Kubernetes release version: v1.37.2-rc.0",
    );
  });
});

describe("versionLdflags", () => {
  it("stamps version, major, minor and a clean tree into both version packages", () => {
    expect(versionLdflags("v1.37.2").split(" -X ")).toEqual([
      "-X k8s.io/component-base/version.gitVersion=v1.37.2",
      "k8s.io/component-base/version.gitMajor=1",
      "k8s.io/component-base/version.gitMinor=37",
      "k8s.io/component-base/version.gitTreeState=clean",
      "k8s.io/client-go/pkg/version.gitVersion=v1.37.2",
      "k8s.io/client-go/pkg/version.gitMajor=1",
      "k8s.io/client-go/pkg/version.gitMinor=37",
      "k8s.io/client-go/pkg/version.gitTreeState=clean",
    ]);
  });
});

describe("fillTemplate", () => {
  it("refuses a placeholder it has no value for", () => {
    expect(() => fillTemplate("go {{go}} {{other}}", { go: "1.26" })).toThrow(
      "the template has an unknown {{other}}",
    );
  });

  it("refuses a value the template never uses", () => {
    expect(() => fillTemplate("go {{go}}", { go: "1.26", version: "v1" })).toThrow(
      "the template has no {{version}}",
    );
  });
});

describe("wrapperGoMod", () => {
  it("writes the kubernetes wrapper from our template: go line, godebug, require, pins, tools", () => {
    const text = wrapperGoMod(readTemplate("kubernetes"), KUBERNETES_GO_MOD, "v1.37.2", "v0.37.2");
    const body = text.split("\n").filter((l) => !l.startsWith("//"));
    expect(body.join("\n")).toBe(
      [
        "module tracking-pipeline.local/toolchain/kube-server",
        "",
        "go 1.26.0",
        "",
        "godebug default=go1.26",
        "",
        "require k8s.io/kubernetes v1.37.2",
        "",
        "replace (",
        "\tk8s.io/api => k8s.io/api v0.37.2",
        "\tk8s.io/apimachinery => k8s.io/apimachinery v0.37.2",
        "\tk8s.io/kms => k8s.io/kms v0.37.2",
        ")",
        "",
        "tool (",
        "\tk8s.io/kubernetes/cmd/kube-apiserver",
        "\tk8s.io/kubernetes/cmd/kube-controller-manager",
        ")",
        "",
      ].join("\n"),
    );
  });

  it("fails when the upstream go.mod has nothing to pin (its layout changed)", () => {
    expect(() =>
      wrapperGoMod(readTemplate("etcd"), "module x\n\ngo 1.26\n", "v3.7.3", "v3.7.3"),
    ).toThrow("the upstream go.mod has no local replace to pin");
  });

  it("pins the etcd wrapper's replaces from etcd's own go.mod as downloaded", () => {
    const etcdMod =
      "module go.etcd.io/etcd/server/v3\n\ngo 1.26.0\n\ntoolchain go1.26.10\n\nreplace (\n\tgo.etcd.io/etcd/pkg/v3 => ../pkg\n)\n";
    const text = wrapperGoMod(readTemplate("etcd"), etcdMod, "v3.7.3", "v3.7.3");
    expect(text).toContain("require go.etcd.io/etcd/server/v3 v3.7.3\n");
    expect(text).toContain("\tgo.etcd.io/etcd/pkg/v3 => go.etcd.io/etcd/pkg/v3 v3.7.3\n");
    expect(text).not.toMatch(/^toolchain/m);
  });
});

describe("godebugLines", () => {
  it("keeps the main module's godebug settings", () => {
    expect(godebugLines(KUBERNETES_GO_MOD)).toEqual(["godebug default=go1.26"]);
  });
});

describe("the kube-server sources", () => {
  it("etcd's main calls etcdmain.Main with the process arguments", () => {
    const main = fs.readFileSync(path.join(KUBE_SERVER_SOURCES, "etcd", "main.go"), "utf8");
    expect(main).toContain("etcdmain.Main(os.Args)");
  });
});
