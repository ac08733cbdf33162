import { PolicyResource } from "@pulumi/policy";
import { asArray, asString, at } from "../read";
import { metadataName, metadataNamespace, sameNamespace, selects } from "./selection";
import { K8S_TYPES, Workload } from "./workload";

// Which Ingresses send traffic to a workload, and through which of their paths.

/** One path of an Ingress rule, as policies read it. */
export interface IngressPath {
  /** The rule's `host`; undefined for a rule that matches every host. */
  readonly host: string | undefined;
  readonly path: string | undefined;
  readonly pathType: string | undefined;
  /** `backend.service.name`. */
  readonly service: string | undefined;
}

export function ingressPaths(ingress: PolicyResource): IngressPath[] {
  return asArray(at(ingress.props, ["spec", "rules"])).flatMap((rule) =>
    asArray(at(rule, ["http", "paths"])).map((p) => ({
      host: asString(at(rule, ["host"])),
      path: asString(at(p, ["path"])),
      pathType: asString(at(p, ["pathType"])),
      service: asString(at(p, ["backend", "service", "name"])),
    })),
  );
}

/**
 * Whether a Service of this name, in the Ingress's namespace, reaches the workload's pods: it
 * selects them, or (no such Service in the stack) it is named like the workload.
 */
export function serviceReaches(
  workload: Workload,
  resources: readonly PolicyResource[],
  ingress: PolicyResource,
  serviceName: string | undefined,
): boolean {
  if (serviceName === undefined) return false;
  const service = resources.find(
    (s) =>
      s.type === K8S_TYPES.service &&
      metadataName(s) === serviceName &&
      sameNamespace(metadataNamespace(s), metadataNamespace(ingress)),
  );
  return service
    ? selects({ matchLabels: at(service.props, ["spec", "selector"]) }, workload.podLabels)
    : serviceName === workload.name;
}

/** The Ingresses that send traffic to a workload, through a Service that selects its pods. */
export function ingressesRoutingTo(
  workload: Workload,
  resources: readonly PolicyResource[],
): PolicyResource[] {
  return resources.filter((r) => {
    if (r.type !== K8S_TYPES.ingress || !sameNamespace(metadataNamespace(r), workload.namespace)) {
      return false;
    }
    const backends = [
      asString(at(r.props, ["spec", "defaultBackend", "service", "name"])),
      ...ingressPaths(r).map((p) => p.service),
    ];
    return backends.some((name) => serviceReaches(workload, resources, r, name));
  });
}
