import { k8sHighAvailability } from "../../../../policies/kubernetes/availability";
import {
  connect,
  connectPdb,
  restProxy,
  restProxyAutoscaler,
  restProxyPdb,
  stackWith,
} from "../fixtures";
import { edit, validateStack } from "../harness";

describe("k8s-high-availability", () => {
  it("reports too few replicas", async () => {
    const proxy = edit(restProxy, (d) => (d.spec!.replicas = 1));
    expect(await validateStack(k8sHighAvailability, stackWith(restProxy, proxy))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-rest-proxy-deployment",
        message:
          "`spec.replicas` is 1 on Deployment tracking-rest-proxy; it must be at least 2, or a node drain or one crash takes it offline.",
      },
    ]);
  });

  it("reports replicas left at the Kubernetes default", async () => {
    const proxy = edit(connect, (d) => delete d.spec!.replicas);
    expect(
      (await validateStack(k8sHighAvailability, stackWith(connect, proxy))).map((v) => v.message),
    ).toEqual([
      "`spec.replicas` is unset (Kubernetes default 1) on Deployment tracking-connect; it must be at least 2, or a node drain or one crash takes it offline.",
    ]);
  });

  it("accepts one replica with the dev threshold", async () => {
    const proxy = edit(restProxy, (d) => (d.spec!.replicas = 1));
    const stack = stackWith(restProxy, proxy);
    expect(await validateStack(k8sHighAvailability, stack, { minReplicas: 1 })).toEqual([]);
  });

  describe("with a HorizontalPodAutoscaler", () => {
    const autoscaled = edit(restProxy, (d) => delete d.spec!.replicas);
    const stack = (autoscaler = restProxyAutoscaler) => [
      ...stackWith(restProxy, autoscaled),
      autoscaler,
    ];

    it("judges the autoscaler's minReplicas, not the unset spec.replicas", async () => {
      expect(await validateStack(k8sHighAvailability, stack())).toEqual([]);
    });

    it("reports a minReplicas below the floor, against the autoscaler", async () => {
      const low = edit(restProxyAutoscaler, (h) => (h.spec!.minReplicas = 1));
      expect(await validateStack(k8sHighAvailability, stack(low))).toEqual([
        {
          policy: "k8s-high-availability",
          resource: "tracking-rest-proxy-hpa",
          message:
            "`minReplicas` is 1 on HorizontalPodAutoscaler tracking-rest-proxy, which scales Deployment tracking-rest-proxy; it must be at least 2, or a node drain or one crash takes it offline.",
        },
      ]);
    });

    it("judges the autoscaler's floor against the PodDisruptionBudget", async () => {
      const two = edit(restProxyAutoscaler, (h) => (h.spec!.minReplicas = 2));
      const budget = edit(
        restProxyPdb,
        (p) => (p.spec = { ...p.spec, maxUnavailable: undefined, minAvailable: 2 }),
      );
      const found = await validateStack(
        k8sHighAvailability,
        stack(two).map((r) => (r === restProxyPdb ? budget : r)),
      );
      expect(found.map((v) => v.resource)).toEqual(["tracking-rest-proxy-pdb"]);
    });

    it.each<[string, (h: typeof restProxyAutoscaler.props) => void]>([
      ["in another namespace", (h) => (h.metadata!.namespace = "other")],
      ["of another workload", (h) => (h.spec!.scaleTargetRef.name = "tracking-connect")],
      ["of another kind", (h) => (h.spec!.scaleTargetRef.kind = "StatefulSet")],
    ])("does not count an autoscaler %s", async (_, change) => {
      const found = await validateStack(
        k8sHighAvailability,
        stack(edit(restProxyAutoscaler, change)),
      );
      expect(found.map((v) => v.message)).toEqual([
        "`spec.replicas` is unset (Kubernetes default 1) on Deployment tracking-rest-proxy; it must be at least 2, or a node drain or one crash takes it offline.",
      ]);
    });
  });

  it("reports a workload no PodDisruptionBudget selects", async () => {
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-connect-deployment",
        message:
          "No PodDisruptionBudget selects the pods of Deployment tracking-connect; declare one (for example `maxUnavailable: 1`), or a node drain can evict every replica at once.",
      },
    ]);
  });

  it("does not count a PodDisruptionBudget in another namespace", async () => {
    const elsewhere = edit(connectPdb, (p) => (p.metadata!.namespace = "other"));
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb, elsewhere))).toHaveLength(
      1,
    );
  });

  it("reports a PodDisruptionBudget that blocks every eviction, against the budget", async () => {
    const blocking = edit(
      restProxyPdb,
      (p) => (p.spec = { ...p.spec, maxUnavailable: undefined, minAvailable: 3 }),
    );
    expect(await validateStack(k8sHighAvailability, stackWith(restProxyPdb, blocking))).toEqual([
      {
        policy: "k8s-high-availability",
        resource: "tracking-rest-proxy-pdb",
        message:
          "PodDisruptionBudget tracking-rest-proxy allows no voluntary eviction of the pods of Deployment tracking-rest-proxy (`minAvailable` 3 with 3 replicas); it must allow at least one, or node drains and cluster upgrades hang.",
      },
    ]);
  });

  it("matches PodDisruptionBudget selectors with expressions", async () => {
    const byExpression = edit(connectPdb, (p) => {
      p.spec!.selector = {
        matchExpressions: [
          { key: "app.kubernetes.io/name", operator: "In", values: ["kafka-connect"] },
        ],
      };
    });
    expect(await validateStack(k8sHighAvailability, stackWith(connectPdb, byExpression))).toEqual(
      [],
    );
  });
});
