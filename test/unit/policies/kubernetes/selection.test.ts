import { selectingPods, selects } from "../../../../policies/kubernetes/selection";
import { workloadOf } from "../../../../policies/kubernetes/workload";
import { connect, connectNetworkPolicy, connectPdb, restProxyPdb } from "../fixtures";
import { edit, FakeResource, stackArgs, UNKNOWN } from "../harness";

const PDB = { type: "kubernetes:policy/v1:PodDisruptionBudget", selector: ["spec", "selector"] };

function budgetsOf(workload: FakeResource, others: FakeResource[]): string[] {
  const resources = stackArgs([workload, ...others]).resources;
  const w = workloadOf(resources[0].type, resources[0].props, resources[0].name)!;
  return selectingPods(resources, w, PDB).map((r) => r.name);
}

describe("selectingPods", () => {
  it("finds the objects of the type whose selector selects the workload's pods", () => {
    expect(budgetsOf(connect, [connectPdb, restProxyPdb, connectNetworkPolicy])).toEqual([
      "tracking-connect-pdb",
    ]);
  });

  it("leaves out objects in another namespace, unless either namespace is unknown", () => {
    const elsewhere = edit(connectPdb, (p) => (p.metadata!.namespace = "other"));
    const unknown = edit(connectPdb, (p) => (p.metadata!.namespace = UNKNOWN));
    expect(budgetsOf(connect, [elsewhere])).toEqual([]);
    expect(budgetsOf(connect, [unknown])).toEqual(["tracking-connect-pdb"]);
  });

  it("asks `where` only about objects of the type, and keeps only those it accepts", () => {
    const resources = stackArgs([connect, connectPdb]).resources;
    const w = workloadOf(resources[0].type, resources[0].props, resources[0].name)!;
    const read: string[] = [];
    const where = (r: { name: string }) => (read.push(r.name), false);
    expect(selectingPods(resources, w, { ...PDB, where })).toEqual([]);
    expect(read).toEqual(["tracking-connect-pdb"]);
  });
});

describe("selects", () => {
  const labels = { app: "connect", tier: "backend" };

  it("treats an empty selector as everything and a missing one as nothing", () => {
    expect(selects({}, labels)).toBe(true);
    expect(selects(undefined, labels)).toBe(false);
  });

  it.each<[string, Record<string, unknown>, boolean]>([
    ["matchLabels that match", { matchLabels: { app: "connect" } }, true],
    ["matchLabels that differ", { matchLabels: { app: "proxy" } }, false],
    ["In", { matchExpressions: [{ key: "tier", operator: "In", values: ["backend"] }] }, true],
    [
      "NotIn",
      { matchExpressions: [{ key: "tier", operator: "NotIn", values: ["backend"] }] },
      false,
    ],
    ["Exists", { matchExpressions: [{ key: "app", operator: "Exists" }] }, true],
    ["DoesNotExist", { matchExpressions: [{ key: "app", operator: "DoesNotExist" }] }, false],
    ["an unknown operator", { matchExpressions: [{ key: "app", operator: "Near" }] }, false],
  ])("reads %s", (_, selector, expected) => {
    expect(selects(selector, labels)).toBe(expected);
  });
});
