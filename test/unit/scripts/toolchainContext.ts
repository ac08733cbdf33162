import { join } from "node:path";
import { layoutFor } from "../../../scripts/toolchain/cache";
import { Context } from "../../../scripts/toolchain/context";

/** A toolchain context whose cache is `root` (a temporary folder), Go marked ready. */
export function testContext(root: string): Context {
  return {
    layout: layoutFor(root, "3.248.0"),
    versions: { cli: "3.248.0", kafka: "3.13.2", kubernetes: "4.34.2" },
    force: false,
    thirdParty: join(root, "third_party"),
    cli: "pulumi",
    cliReplaces: [],
    cliGoVersion: "1.25",
    goReady: true,
  };
}
