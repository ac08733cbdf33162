import { execFile } from "node:child_process";

/** What kubectl said, and whether it succeeded (a rejected apply is an expected outcome here). */
export interface KubectlResult {
  readonly ok: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the machine's kubectl against the platform's API server, with the admin kubeconfig. */
export function kubectl(
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<KubectlResult> {
  return new Promise((resolve) => {
    const child = execFile(
      "kubectl",
      ["--kubeconfig", kubeconfig, ...args],
      { maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => resolve({ ok: !err, stdout, stderr }),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** Like {@link kubectl}, but a failure throws with kubectl's own message. */
export async function kubectlOk(
  kubeconfig: string,
  args: string[],
  input?: string,
): Promise<string> {
  const r = await kubectl(kubeconfig, args, input);
  if (!r.ok) throw new Error(`kubectl ${args.join(" ")} failed:\n${r.stderr}`);
  return r.stdout;
}

/** A `kubectl apply -f -` input: a v1 List of the objects. */
export function list(items: readonly object[]): string {
  return JSON.stringify({ apiVersion: "v1", kind: "List", items });
}

const APP = "rest-proxy";

/** The pod labels every selector below must match. */
export const POD_LABELS = {
  "app.kubernetes.io/name": APP,
  "app.kubernetes.io/instance": "kube-test",
};

export function deployment(namespace: string, name: string, containerPort: number): object {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace, labels: POD_LABELS },
    spec: {
      replicas: 2,
      selector: { matchLabels: POD_LABELS },
      template: {
        metadata: { labels: POD_LABELS },
        spec: {
          containers: [
            {
              name: APP,
              image: "confluentinc/cp-kafka-rest:7.9.0",
              ports: [{ name: "http", containerPort }],
              resources: { requests: { cpu: "100m", memory: "256Mi" } },
            },
          ],
        },
      },
    },
  };
}

/** Everything the stack declares for a workload: the kinds the API server must accept. */
export function workload(namespace: string): object[] {
  const meta = (name: string) => ({ name, namespace, labels: POD_LABELS });
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: namespace } },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: meta("credentials"),
      type: "Opaque",
      stringData: { password: "not-a-real-password" },
    },
    deployment(namespace, APP, 8082),
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: meta(APP),
      spec: { selector: POD_LABELS, ports: [{ name: "http", port: 80, targetPort: "http" }] },
    },
    {
      apiVersion: "policy/v1",
      kind: "PodDisruptionBudget",
      metadata: meta(APP),
      spec: { minAvailable: 1, selector: { matchLabels: POD_LABELS } },
    },
    {
      apiVersion: "autoscaling/v2",
      kind: "HorizontalPodAutoscaler",
      metadata: meta(APP),
      spec: {
        scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: APP },
        minReplicas: 2,
        maxReplicas: 4,
        metrics: [
          {
            type: "Resource",
            resource: { name: "cpu", target: { type: "Utilization", averageUtilization: 70 } },
          },
        ],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "NetworkPolicy",
      metadata: meta(APP),
      spec: {
        podSelector: { matchLabels: POD_LABELS },
        policyTypes: ["Ingress"],
        ingress: [{ ports: [{ protocol: "TCP", port: 8082 }] }],
      },
    },
    {
      apiVersion: "networking.k8s.io/v1",
      kind: "Ingress",
      metadata: meta(APP),
      spec: {
        rules: [
          {
            host: "events.example.com",
            http: {
              paths: [
                {
                  path: "/",
                  pathType: "Prefix",
                  backend: { service: { name: APP, port: { name: "http" } } },
                },
              ],
            },
          },
        ],
      },
    },
  ];
}
