import { PolicyResource } from "@pulumi/policy";
import { list, shown, stackPolicyFor } from "../policy";
import { asArray, asString, at } from "../read";
import { flag, pattern, settings, text } from "../settings";
import { ingressesRoutingTo, ingressPaths, serviceReaches } from "./ingress";
import { metadataName } from "./selection";
import { appliesTo, appNamesSetting, Workload, workloadOf } from "./workload";

// The REST proxy's public edge: browsers reach it over TLS, and only on the produce paths of the
// tracking topics. Everything else the REST proxy serves (topic listing, the v3 admin API,
// consumers, any other topic) stays inside the cluster.

const REST_PROXY_APPS = appNamesSetting(
  ["rest-proxy"],
  "`app.kubernetes.io/name` of the REST Proxy workloads.",
);

interface IngressTlsConfig {
  appNames: string[];
  requireTls: boolean;
}

const ingressTlsSettings = settings<IngressTlsConfig>({
  appNames: REST_PROXY_APPS,
  requireTls: flag(
    true,
    "Whether every Ingress to the REST Proxy must terminate TLS for each of its hosts.",
  ),
});

/** Whether a TLS host entry covers a host: equal, or a `*.` wildcard for exactly one label. */
function covers(tlsHost: string, host: string): boolean {
  if (tlsHost.toLowerCase() === host.toLowerCase()) return true;
  if (!tlsHost.startsWith("*.")) return false;
  const dot = host.indexOf(".");
  return dot > 0 && host.slice(dot + 1).toLowerCase() === tlsHost.slice(2).toLowerCase();
}

const TLS_FIX =
  "set `restProxyIngressTlsSecret` (a kubernetes.io/tls Secret) or `restProxyIngressCertManagerIssuer`";
const CLEAR_TEXT = "or browsers send events, and the proxy its answers, in clear text.";

function label(ingress: PolicyResource, workload: Workload): string {
  return `Ingress ${metadataName(ingress)}, which routes to ${workload.label}`;
}

export const restProxyIngressTls = stackPolicyFor({
  name: "rest-proxy-ingress-tls",
  description:
    "Checks that every Ingress to the REST Proxy terminates TLS, with a certificate Secret, for each host it serves.",
  settings: ingressTlsSettings,
  recognise: workloadOf,
  applies: (workload, c) => c.requireTls && appliesTo(workload, c.appNames),
  validate: ({ found: workload, resources }, reportViolation) => {
    for (const ingress of ingressesRoutingTo(workload, resources)) {
      const where = label(ingress, workload);
      const tls = asArray(at(ingress.props, ["spec", "tls"]));
      if (tls.length === 0) {
        reportViolation(
          `\`spec.tls\` is unset on ${where}; ${TLS_FIX}, ${CLEAR_TEXT}`,
          ingress.urn,
        );
        continue;
      }
      tls.forEach((entry, i) => {
        if (!asString(at(entry, ["secretName"]))) {
          reportViolation(
            `\`spec.tls[${i}].secretName\` is unset on ${where}; name the certificate Secret (${TLS_FIX}), ` +
              `or the controller serves its own default certificate, which browsers refuse.`,
            ingress.urn,
          );
        }
      });
      const tlsHosts = tls.flatMap((entry) =>
        asArray(at(entry, ["hosts"])).flatMap((h) => asString(h) ?? []),
      );
      const hosts = [...new Set(ingressPaths(ingress).map((p) => p.host))];
      for (const host of hosts) {
        if (host === undefined) {
          reportViolation(
            `A rule of ${where} has no \`host\`, which no certificate can cover; set \`restProxyIngressHost\`, ${CLEAR_TEXT}`,
            ingress.urn,
          );
        } else if (!tlsHosts.some((t) => covers(t, host))) {
          reportViolation(
            `\`spec.tls\` of ${where} does not cover host ${host} (it covers ${list(tlsHosts)}); add it to \`spec.tls[].hosts\`, ${CLEAR_TEXT}`,
            ingress.urn,
          );
        }
      }
    }
  },
});

interface ExactPathsConfig {
  appNames: string[];
  pathPattern: string;
}

const exactPathsSettings = settings<ExactPathsConfig>({
  appNames: REST_PROXY_APPS,
  pathPattern: text(
    "^/topics/[A-Za-z0-9._-]+$",
    "Paths an Ingress may route to the REST Proxy (case-insensitive regular expression): the produce path of one topic.",
  ),
});

const EXPOSED =
  "or the internet reaches every REST Proxy path below it (topic listing, the v3 admin API, consumers, and writes to any topic, Connect's config topic included).";

export const restProxyIngressExactPaths = stackPolicyFor({
  name: "rest-proxy-ingress-exact-paths",
  description:
    "Checks that Ingresses route to the REST Proxy only `Exact` paths to the produce endpoints of single topics, never a prefix or a default backend.",
  settings: exactPathsSettings,
  recognise: workloadOf,
  applies: (workload, c) => appliesTo(workload, c.appNames),
  validate: ({ found: workload, resources, config: c }, reportViolation) => {
    const allowed = pattern(c.pathPattern, "pathPattern");
    for (const ingress of ingressesRoutingTo(workload, resources)) {
      const where = label(ingress, workload);
      const fallback = asString(at(ingress.props, ["spec", "defaultBackend", "service", "name"]));
      if (serviceReaches(workload, resources, ingress, fallback)) {
        reportViolation(
          `\`spec.defaultBackend\` of ${where} is the REST Proxy's Service ${fallback}; remove it and route only Exact topic paths, ${EXPOSED}`,
          ingress.urn,
        );
      }
      for (const p of ingressPaths(ingress)) {
        if (!serviceReaches(workload, resources, ingress, p.service)) continue;
        if (p.pathType !== "Exact") {
          reportViolation(
            `\`pathType\` is ${shown(p.pathType)} for path ${shown(p.path)} of ${where}; it must be "Exact", ${EXPOSED}`,
            ingress.urn,
          );
        } else if (!allowed.test(p.path ?? "")) {
          reportViolation(
            `Path ${shown(p.path)} of ${where} is not the produce path of one topic (\`pathPattern\` ${c.pathPattern}); ` +
              `route only \`/topics/<topic>\` of the tracking topics, ${EXPOSED}`,
            ingress.urn,
          );
        }
      }
    }
  },
});
