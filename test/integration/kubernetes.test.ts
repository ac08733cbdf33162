import { platformEndpoints, uniqueName } from "./platform";
import { deployment, kubectl, kubectlOk, list, workload } from "./kubernetesFixtures";

/**
 * The platform's real Kubernetes API server (etcd, kube-apiserver, kube-controller-manager):
 * opt-in, because building it takes about 15 minutes cold. Run with
 *   npm run toolchain -- --with-kube-server
 *   TRACKING_PLATFORM_KUBERNETES=1 npx jest --selectProjects integration --runInBand test/integration/kubernetes.test.ts
 */
const kube = platformEndpoints().kubernetes;
const SKIPPED =
  "skipped: the platform runs no Kubernetes API server (build it with `npm run toolchain -- " +
  "--with-kube-server`, then run with TRACKING_PLATFORM_KUBERNETES=1)";
if (!kube) process.stderr.write(`test/integration/kubernetes.test.ts ${SKIPPED}\n`);
const describeIfKube = kube ? describe : describe.skip;

interface Item {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    ownerReferences?: { kind: string; name: string }[];
  };
  spec?: { nodeName?: string };
  status?: { phase?: string };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describeIfKube(`the platform's Kubernetes API server${kube ? "" : ` (${SKIPPED})`}`, () => {
  const config = kube?.kubeconfig ?? "";
  const namespace = uniqueName("kube-test");
  const get = async (args: string[]): Promise<Item[]> =>
    (JSON.parse(await kubectlOk(config, ["get", "-o", "json", ...args])) as { items: Item[] })
      .items;
  /** Polls a listing until `done` holds or 90 s have passed; returns the last listing. */
  const until = async (args: string[], done: (items: Item[]) => boolean): Promise<Item[]> => {
    const deadline = Date.now() + 90_000;
    for (;;) {
      const items = await get(args);
      if (done(items) || Date.now() > deadline) return items;
      await sleep(500);
    }
  };

  beforeAll(async () => {
    await kubectlOk(config, ["apply", "-f", "-"], list(workload(namespace)));
  });

  afterAll(async () => {
    await kubectl(config, ["delete", "namespace", namespace, "--ignore-not-found", "--wait=false"]);
  });

  it("reports the release it was built as", async () => {
    const version = JSON.parse(await kubectlOk(config, ["version", "-o", "json"])) as {
      serverVersion: { gitVersion: string };
    };
    expect(version.serverVersion.gitVersion).toBe(kube?.version);
  });

  it("accepts and stores every kind the stack declares", async () => {
    const kinds =
      "deployment,service,poddisruptionbudget,horizontalpodautoscaler,networkpolicy,ingress,secret";
    const items = await get(["-n", namespace, kinds]);
    expect(items.map((i) => `${i.kind}/${i.metadata.name}`).sort()).toEqual([
      "Deployment/rest-proxy",
      "HorizontalPodAutoscaler/rest-proxy",
      "Ingress/rest-proxy",
      "NetworkPolicy/rest-proxy",
      "PodDisruptionBudget/rest-proxy",
      "Secret/credentials",
      "Service/rest-proxy",
    ]);
  });

  it("gives the new namespace its default ServiceAccount (controller manager)", async () => {
    const accounts = await until(["-n", namespace, "serviceaccounts"], (items) =>
      items.some((i) => i.metadata.name === "default"),
    );
    expect(accounts.map((i) => i.metadata.name)).toContain("default");
  });

  it("rolls the Deployment out to a ReplicaSet whose pods stay Pending, unscheduled", async () => {
    const sets = await until(["-n", namespace, "replicasets"], (items) => items.length > 0);
    expect(sets.map((s) => s.metadata.ownerReferences?.[0])).toEqual([
      expect.objectContaining({ kind: "Deployment", name: "rest-proxy" }),
    ]);
    const pods = await until(["-n", namespace, "pods"], (items) => items.length === 2);
    expect(pods.map((p) => [p.status?.phase, p.spec?.nodeName])).toEqual([
      ["Pending", undefined],
      ["Pending", undefined],
    ]);
    expect(pods.map((p) => p.metadata.ownerReferences?.[0]?.name)).toEqual([
      sets[0].metadata.name,
      sets[0].metadata.name,
    ]);
  });

  it("rejects a containerPort out of range, naming the field", async () => {
    const bad = deployment(namespace, "bad-port", 99999);
    const r = await kubectl(config, ["apply", "-f", "-"], JSON.stringify(bad));
    expect(r.ok).toBe(false);
    expect(r.stderr).toContain("spec.template.spec.containers[0].ports[0].containerPort");
    expect(r.stderr).toContain("must be between 1 and 65535, inclusive");
    const names = (await get(["-n", namespace, "deployments"])).map((d) => d.metadata.name);
    expect(names).toEqual(["rest-proxy"]);
  });

  it("deletes everything in a namespace when the namespace is deleted", async () => {
    const other = uniqueName("kube-cascade");
    await kubectlOk(config, ["apply", "-f", "-"], list(workload(other)));
    await until(["-n", other, "pods"], (items) => items.length > 0);
    await kubectlOk(config, ["delete", "namespace", other, "--wait=true", "--timeout=120s"]);
    const gone = await kubectl(config, ["get", "namespace", other]);
    expect(gone.ok).toBe(false);
    expect(gone.stderr).toContain(`namespaces "${other}" not found`);
    const left = await get(["-A", "pods,replicasets,deployments,services,secrets"]);
    expect(left.filter((i) => i.metadata.namespace === other)).toEqual([]);
    // The first namespace's pods are untouched.
    expect(await get(["-n", namespace, "pods"])).toHaveLength(2);
  });
});
