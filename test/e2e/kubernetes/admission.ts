/**
 * A ValidatingAdmissionPolicy and its binding, both named `name`: at most 1536Mi of memory limit
 * per container of a Deployment in `namespace`. A platform team's own rule, which no stack config
 * can know: the e2e test checks that the engine names what the API server refused.
 */
export function memoryCeiling(name: string, namespace: string): object {
  return {
    apiVersion: "v1",
    kind: "List",
    items: [
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicy",
        metadata: { name: name },
        spec: {
          failurePolicy: "Fail",
          matchConstraints: {
            resourceRules: [
              {
                apiGroups: ["apps"],
                apiVersions: ["v1"],
                operations: ["CREATE", "UPDATE"],
                resources: ["deployments"],
              },
            ],
          },
          validations: [
            {
              expression:
                "object.spec.template.spec.containers.all(c, !has(c.resources.limits) || " +
                "!('memory' in c.resources.limits) || " +
                "quantity(c.resources.limits.memory).compareTo(quantity('1536Mi')) <= 0)",
              message:
                "spec.template.spec.containers[*].resources.limits.memory: this cluster admits at most 1536Mi per container",
            },
          ],
        },
      },
      {
        apiVersion: "admissionregistration.k8s.io/v1",
        kind: "ValidatingAdmissionPolicyBinding",
        metadata: { name: name },
        spec: {
          policyName: name,
          validationActions: ["Deny"],
          matchResources: {
            namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": namespace } },
          },
        },
      },
    ],
  };
}
