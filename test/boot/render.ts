import * as pulumi from "@pulumi/pulumi";
import { Registered, registered, settled, useMocks } from "../unit/mocks";
import { EnvVar, RenderedData, Volume, VolumeMount } from "./podEnv";

/**
 * A component rendered under Pulumi's mocks, reduced to what a kubelet would hand one container:
 * its env, its volumes and mounts, and the Secrets and ConfigMaps of the same render (plain text,
 * as the API server would store them). Nothing here is written by hand: it is what the component
 * registered.
 */
export interface RenderedPod {
  readonly env: readonly EnvVar[];
  readonly volumes: readonly Volume[];
  readonly mounts: readonly VolumeMount[];
  /** Secrets and ConfigMaps by name; `fields` is left to the caller (what the pod would be given). */
  readonly secrets: RenderedData["secrets"];
  readonly configMaps: RenderedData["configMaps"];
  /** The Deployment's container, as registered (for checks on the whole spec). */
  readonly container: Readonly<Record<string, unknown>>;
  /** Every resource of the render, in registration order. */
  readonly resources: readonly Registered[];
}

/** The mocks hand secret inputs over wrapped in Pulumi's secret signature: unwrap them. */
const SECRET_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_VALUE = "1b47061264138c4ac30d75fd1eb44270";

export function unwrapSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value && typeof value === "object") {
    const record = value as Record<string, unknown>;
    if (record[SECRET_SIG] === SECRET_VALUE) return unwrapSecrets(record.value);
    return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrapSecrets(v)]));
  }
  return value;
}

interface ObjectInputs {
  readonly metadata?: { readonly name?: string };
  readonly data?: Record<string, string>;
  readonly stringData?: Record<string, string>;
}

function byName(type: string, resources: readonly Registered[], field: "data" | "stringData") {
  const out: Record<string, Record<string, string>> = {};
  for (const r of resources.filter((x) => x.type === type)) {
    const inputs = unwrapSecrets(r.inputs) as ObjectInputs;
    const name = inputs.metadata?.name;
    if (!name) throw new Error(`${type} ${r.name} has no metadata.name in the render`);
    const base64 =
      field === "stringData" && inputs.data
        ? Object.fromEntries(
            Object.entries(inputs.data).map(([k, v]) => [k, Buffer.from(v, "base64").toString()]),
          )
        : {};
    out[name] = { ...base64, ...(inputs[field] ?? {}) };
  }
  return out;
}

/**
 * Renders `build()` under fresh mocks and returns the pod of its Deployment `deployment` (the
 * resource name) and container `container`.
 */
export async function renderPod(
  build: () => pulumi.ComponentResource,
  deployment: string,
  container: string,
): Promise<RenderedPod> {
  await useMocks();
  await settled(build());
  const resources = [...registered];
  const dep = resources.find(
    (r) => r.type === "kubernetes:apps/v1:Deployment" && r.name === deployment,
  );
  if (!dep) throw new Error(`the render has no Deployment ${deployment}`);
  const pod = (
    dep.inputs as {
      spec: {
        template: {
          spec: { volumes?: Volume[]; containers: (Record<string, unknown> & { name: string })[] };
        };
      };
    }
  ).spec.template.spec;
  const c = pod.containers.find((x) => x.name === container);
  if (!c) throw new Error(`Deployment ${deployment} has no container ${container}`);
  return {
    env: (c.env ?? []) as EnvVar[],
    volumes: pod.volumes ?? [],
    mounts: (c.volumeMounts ?? []) as VolumeMount[],
    secrets: byName("kubernetes:core/v1:Secret", resources, "stringData"),
    configMaps: byName("kubernetes:core/v1:ConfigMap", resources, "data"),
    container: c,
    resources,
  };
}
