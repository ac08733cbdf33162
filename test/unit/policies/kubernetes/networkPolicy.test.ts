import { connectRestNetworkPolicy } from "../../../../policies/kubernetes/networkPolicy";
import { connectNetworkPolicy, stackWith } from "../fixtures";
import { edit, validateStack } from "../harness";

describe("connect-rest-network-policy", () => {
  it("reports Connect without a NetworkPolicy", async () => {
    expect(await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy))).toEqual([
      {
        policy: "connect-rest-network-policy",
        resource: "tracking-connect-deployment",
        message:
          "No NetworkPolicy restricts ingress to the pods of Deployment tracking-connect; declare one that admits only the workers and the deployer, or anything in the cluster can create connectors and read their config through the Connect REST API.",
      },
    ]);
  });

  it.each<[string, Record<string, unknown>[] | undefined, string]>([
    ["a rule without from", undefined, "an ingress rule without `from`"],
    ["0.0.0.0/0", [{ ipBlock: { cidr: "0.0.0.0/0" } }], "`ipBlock` 0.0.0.0/0"],
    [
      "an empty namespaceSelector",
      [{ namespaceSelector: {} }],
      "an empty `namespaceSelector` (every pod of every namespace)",
    ],
  ])("reports a NetworkPolicy that admits everyone through %s", async (_, from, why) => {
    const open = edit(connectNetworkPolicy, (n) => {
      n.spec!.ingress = [{ ...(from ? { from } : {}), ports: [{ protocol: "TCP", port: 8083 }] }];
    });
    expect(
      await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, open)),
    ).toEqual([
      {
        policy: "connect-rest-network-policy",
        resource: "tracking-connect-rest-access",
        message: `NetworkPolicy tracking-connect admits every source to the pods of Deployment tracking-connect (${why}); it must admit only the workers and the deployer, or anything can reach the Connect REST API.`,
      },
    ]);
  });

  it("allows a rule open to all for the metrics port only, and reports one open to all ports", async () => {
    const withMetrics = (ports?: Record<string, unknown>[]) =>
      edit(connectNetworkPolicy, (n) => {
        n.spec!.ingress = [...(n.spec!.ingress ?? []), ...(ports ? [{ ports }] : [{}])];
      });
    const metricsOnly = withMetrics([{ protocol: "TCP", port: 9404 }]);
    expect(
      await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, metricsOnly)),
    ).toEqual([]);
    for (const open of [
      withMetrics(),
      withMetrics([
        { protocol: "TCP", port: 9404 },
        { protocol: "TCP", port: 8083 },
      ]),
      withMetrics([{ protocol: "TCP", port: "rest" }]),
    ]) {
      expect(
        (await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, open))).map(
          (v) => v.resource,
        ),
      ).toEqual(["tracking-connect-rest-access"]);
    }
  });

  it("does not count a policy that governs only egress", async () => {
    const egress = edit(connectNetworkPolicy, (n) => (n.spec!.policyTypes = ["Egress"]));
    expect(
      await validateStack(connectRestNetworkPolicy, stackWith(connectNetworkPolicy, egress)),
    ).toHaveLength(1);
  });
});
