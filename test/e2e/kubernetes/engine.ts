import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  pulumi,
  PulumiResult,
  pulumiEnvironment,
  pulumiOk,
  ROOT,
} from "../../../scripts/pulumiCli";
import { kubectl } from "../../integration/kubernetesFixtures";
import { platformEndpoints } from "../../integration/platform";
import { namespaceGone, until } from "./cluster";

/**
 * What the kubernetes-enabled e2e files share: the gate on the platform's API server (skipped,
 * with the reason printed, when it is off) and a stack under the real engine with a file backend
 * of its own.
 */

const SKIPPED =
  "skipped: the platform runs no Kubernetes API server (build it with `npm run toolchain -- " +
  "--with-kube-server --with-kubernetes`, then run with TRACKING_PLATFORM_KUBERNETES=1)";

export interface KubeGate {
  /** The platform's API server, when it runs. */
  readonly kube: ReturnType<typeof platformEndpoints>["kubernetes"];
  /** Its admin kubeconfig ("" when off). */
  readonly kubeconfig: string;
  /** `describe`, or `describe.skip` without the API server. */
  readonly describeIfKube: jest.Describe;
  /** A suite title, with the reason it is skipped when it is. */
  title(text: string): string;
}

export function kubeGate(file: string): KubeGate {
  const kube = platformEndpoints().kubernetes;
  if (!kube) process.stderr.write(`${file} ${SKIPPED}\n`);
  return {
    kube,
    kubeconfig: kube?.kubeconfig ?? "",
    describeIfKube: kube ? describe : describe.skip,
    title: (text) => `${text}${kube ? "" : ` (${SKIPPED})`}`,
  };
}

export const outputOf = (r: PulumiResult): string => `${r.stdout}\n${r.stderr}`;

/** One stack's CLI: `start()` in beforeAll, `finish()` in afterAll. */
export class EngineStack {
  env: NodeJS.ProcessEnv = {};
  /** Everything the CLI printed, for the checks that no secret appears in it. */
  readonly printed: string[] = [];
  private backend = "";

  constructor(
    readonly stack: string,
    private readonly backendPrefix: string,
  ) {}

  withStack(args: string[]): string[] {
    return [...args, "--stack", this.stack];
  }

  /** A file backend of its own, the toolchain's environment with the kubernetes plugin. */
  async start(): Promise<void> {
    this.backend = mkdtempSync(join(tmpdir(), this.backendPrefix));
    this.env = await pulumiEnvironment({
      backendDir: this.backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
      withKubernetes: true,
    });
  }

  async init(): Promise<void> {
    await pulumiOk(this.env, ["stack", "init", this.stack]);
  }

  async cli(args: string[]): Promise<PulumiResult> {
    const result = await pulumi(this.env, this.withStack(args));
    this.printed.push(outputOf(result));
    return result;
  }

  async cliOk(args: string[]): Promise<PulumiResult> {
    const result = await this.cli(args);
    if (result.code !== 0) {
      throw new Error(`pulumi ${args.join(" ")} failed:\n${outputOf(result)}`);
    }
    return result;
  }

  /** `pulumi destroy`, then whether the namespace is gone (within 90 s). */
  async destroyed(kubeconfig: string, namespace: string): Promise<boolean> {
    await this.cliOk(["destroy", "--yes"]);
    return until(
      () => namespaceGone(kubeconfig, namespace),
      (gone) => gone,
    );
  }

  /** Destroys the stack, removes it, its namespace, its stack file and its backend. */
  async finish(kubeconfig: string, namespace: string): Promise<void> {
    if (this.backend !== "") {
      await pulumi(this.env, this.withStack(["destroy", "--yes"]));
      await pulumi(this.env, this.withStack(["stack", "rm", "--yes", "--force"]));
    }
    await kubectl(kubeconfig, [
      "delete",
      "namespace",
      namespace,
      "--ignore-not-found",
      "--wait=false",
    ]);
    rmSync(join(ROOT, `Pulumi.${this.stack}.yaml`), { force: true });
    if (this.backend !== "") rmSync(this.backend, { recursive: true, force: true });
  }
}
