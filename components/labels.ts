/** The recommended `app.kubernetes.io/*` labels every Kubernetes object of the stack carries. */
export function standardLabels(
  name: string,
  instance: string,
  component: string,
): Record<string, string> {
  return {
    "app.kubernetes.io/name": name,
    "app.kubernetes.io/instance": instance,
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/part-of": "tracking-pipeline",
    "app.kubernetes.io/managed-by": "pulumi",
  };
}

/** The subset of labels that selects a workload's pods (stable across label additions). */
export function selectorLabels(labels: Record<string, string>): Record<string, string> {
  return {
    "app.kubernetes.io/name": labels["app.kubernetes.io/name"],
    "app.kubernetes.io/instance": labels["app.kubernetes.io/instance"],
  };
}
