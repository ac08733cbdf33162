import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RestProxyArgs } from "./restProxy";

/** The annotation cert-manager's ingress-shim reads to issue an Ingress's certificate. */
export const CERT_MANAGER_ISSUER_ANNOTATION = "cert-manager.io/cluster-issuer";

/** The path of a topic's produce endpoint, identical on cp-kafka-rest (v2) and the bridge. */
export function topicPath(topic: string): string {
  return `/topics/${topic}`;
}

/**
 * The public edge of the REST proxy: one `Exact` path per tracking topic and nothing else, so
 * that listing, v3 admin, consumers and every other topic (Connect's internal ones, dead-letter
 * queues) stay unreachable from the internet. A standard Ingress cannot match methods: what a
 * path admits beyond POST (and the CORS preflight) is what the proxy answers on it.
 */
export function restProxyIngress(
  name: string,
  metadata: { readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> },
  args: RestProxyArgs,
  parent: pulumi.Resource & { readonly service: k8s.core.v1.Service },
): k8s.networking.v1.Ingress {
  const rate = args.rateLimit ?? {};
  const tls = args.ingressTls;
  const annotations: Record<string, string> = {
    // A per-client limit at the edge as well: the Strimzi bridge has no limiter of its own.
    ...((rate.enabled ?? true)
      ? { "nginx.ingress.kubernetes.io/limit-rps": String(rate.permitsPerSecond ?? 50) }
      : {}),
    ...(tls && "clusterIssuer" in tls
      ? { [CERT_MANAGER_ISSUER_ANNOTATION]: tls.clusterIssuer }
      : {}),
  };
  const secretName = tls ? ("secretName" in tls ? tls.secretName : `${name}-tls`) : undefined;
  const topics = [...new Set(args.ingressTopics ?? [])].sort();
  return new k8s.networking.v1.Ingress(
    `${name}-ingress`,
    {
      metadata: { ...metadata, annotations },
      spec: {
        ingressClassName: args.ingressClassName ?? "nginx",
        ...(secretName ? { tls: [{ hosts: [args.ingressHost!], secretName }] } : {}),
        rules: [
          {
            host: args.ingressHost,
            http: {
              paths: topics.map((topic) => ({
                path: topicPath(topic),
                pathType: "Exact",
                backend: { service: { name, port: { name: "http" } } },
              })),
            },
          },
        ],
      },
    },
    { parent, dependsOn: [parent.service] },
  );
}
