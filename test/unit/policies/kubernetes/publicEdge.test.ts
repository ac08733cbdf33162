import {
  restProxyIngressExactPaths,
  restProxyIngressTls,
} from "../../../../policies/kubernetes/publicEdge";
import { restProxyIngress, safeStack, stackWith } from "../fixtures";
import { edit, validateStack } from "../harness";

type IngressEdit = Parameters<typeof edit<typeof restProxyIngress.props>>[1];

/** The one violation (or none) a policy finds when the REST proxy's Ingress is changed. */
async function found(
  policy: typeof restProxyIngressTls,
  change: IngressEdit,
  config: Record<string, unknown> = {},
): Promise<string[]> {
  const changed = edit(restProxyIngress, change);
  const violations = await validateStack(policy, stackWith(restProxyIngress, changed), config);
  for (const v of violations) expect(v.resource).toBe("tracking-rest-proxy-ingress");
  return violations.map((v) => v.message);
}

const WHERE = "Ingress tracking-rest-proxy, which routes to Deployment tracking-rest-proxy";
const CLEAR = "or browsers send events, and the proxy its answers, in clear text.";
const EXPOSED =
  "or the internet reaches every REST Proxy path below it (topic listing, the v3 admin API, consumers, and writes to any topic, Connect's config topic included).";

describe("rest-proxy-ingress-tls", () => {
  it("passes an Ingress whose TLS entry covers its host with a certificate Secret", async () => {
    expect(await validateStack(restProxyIngressTls, safeStack)).toEqual([]);
  });

  it("passes a wildcard certificate for one label", async () => {
    expect(
      await found(restProxyIngressTls, (i) => (i.spec!.tls![0].hosts = ["*.example.com"])),
    ).toEqual([]);
  });

  it.each<[string, IngressEdit, string]>([
    [
      "an Ingress without TLS",
      (i) => delete i.spec!.tls,
      `\`spec.tls\` is unset on ${WHERE}; set \`restProxyIngressTlsSecret\` (a kubernetes.io/tls Secret) or \`restProxyIngressCertManagerIssuer\`, ${CLEAR}`,
    ],
    [
      "a TLS entry without a Secret",
      (i) => delete i.spec!.tls![0].secretName,
      `\`spec.tls[0].secretName\` is unset on ${WHERE}; name the certificate Secret (set \`restProxyIngressTlsSecret\` (a kubernetes.io/tls Secret) or \`restProxyIngressCertManagerIssuer\`), or the controller serves its own default certificate, which browsers refuse.`,
    ],
    [
      "a host the TLS entry does not cover",
      (i) => (i.spec!.tls![0].hosts = ["*.a.example.com"]),
      `\`spec.tls\` of ${WHERE} does not cover host events.example.com (it covers *.a.example.com); add it to \`spec.tls[].hosts\`, ${CLEAR}`,
    ],
    [
      "a rule without a host",
      (i) => delete i.spec!.rules![0].host,
      `A rule of ${WHERE} has no \`host\`, which no certificate can cover; set \`restProxyIngressHost\`, ${CLEAR}`,
    ],
  ])("reports %s", async (_, change, message) => {
    expect(await found(restProxyIngressTls, change)).toEqual([message]);
  });

  it("asks nothing where the config does not require TLS", async () => {
    expect(
      await found(restProxyIngressTls, (i) => delete i.spec!.tls, { requireTls: false }),
    ).toEqual([]);
  });
});

describe("rest-proxy-ingress-exact-paths", () => {
  it("passes Exact produce paths of single topics", async () => {
    expect(await validateStack(restProxyIngressExactPaths, safeStack)).toEqual([]);
  });

  it.each<[string, IngressEdit, string]>([
    [
      "a Prefix route",
      (i) => {
        const path = i.spec!.rules![0].http!.paths[0];
        path.path = "/topics";
        path.pathType = "Prefix";
      },
      `\`pathType\` is "Prefix" for path "/topics" of ${WHERE}; it must be "Exact", ${EXPOSED}`,
    ],
    [
      "an ImplementationSpecific route",
      (i) => (i.spec!.rules![0].http!.paths[0].pathType = "ImplementationSpecific"),
      `\`pathType\` is "ImplementationSpecific" for path "/topics/prod.tracking" of ${WHERE}; it must be "Exact", ${EXPOSED}`,
    ],
    [
      "an Exact path that is not a topic's produce path",
      (i) => (i.spec!.rules![0].http!.paths[0].path = "/v3/clusters"),
      `Path "/v3/clusters" of ${WHERE} is not the produce path of one topic (\`pathPattern\` ^/topics/[A-Za-z0-9._-]+$); route only \`/topics/<topic>\` of the tracking topics, ${EXPOSED}`,
    ],
    [
      "a default backend to the REST proxy",
      (i) =>
        (i.spec!.defaultBackend = {
          service: { name: "tracking-rest-proxy", port: { name: "http" } },
        }),
      `\`spec.defaultBackend\` of ${WHERE} is the REST Proxy's Service tracking-rest-proxy; remove it and route only Exact topic paths, ${EXPOSED}`,
    ],
  ])("reports %s", async (_, change, message) => {
    expect(await found(restProxyIngressExactPaths, change)).toEqual([message]);
  });

  it("leaves paths to other Services of the same Ingress alone", async () => {
    expect(
      await found(restProxyIngressExactPaths, (i) =>
        i.spec!.rules![0].http!.paths.push({
          path: "/",
          pathType: "Prefix",
          backend: { service: { name: "shop-frontend", port: { number: 80 } } },
        }),
      ),
    ).toEqual([]);
  });
});
