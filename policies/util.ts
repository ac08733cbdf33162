import { PolicyConfigSchema, PolicyResource, UnknownValueError } from "@pulumi/policy";
import type { PolicyConfigJSONSchema } from "@pulumi/policy/schema";

// ---------------------------------------------------------------------------------------------
// Resource types. Matched on the type token, never by class: connectors are dynamic resources
// (which `isType` cannot match), and the pack stays free of provider SDKs.
// ---------------------------------------------------------------------------------------------

/**
 * Type token of the project's connectors, a copy of `CONNECTOR_TYPE_TOKEN` in
 * providers/connect/connector.ts: importing it would load the program's resources into the pack.
 * A unit test keeps the two equal.
 */
export const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/tracking:Connector";

export const TYPES = {
  topic: "kafka:index/topic:Topic",
  quota: "kafka:index/quota:Quota",
  deployment: "kubernetes:apps/v1:Deployment",
  service: "kubernetes:core/v1:Service",
  podDisruptionBudget: "kubernetes:policy/v1:PodDisruptionBudget",
  ingress: "kubernetes:networking.k8s.io/v1:Ingress",
  networkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
} as const;

/** Where each workload type keeps its pod template. */
const POD_SPEC_PATHS: Record<string, readonly string[]> = {
  "kubernetes:apps/v1:Deployment": ["spec", "template"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template"],
  "kubernetes:batch/v1:Job": ["spec", "template"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template"],
  "kubernetes:core/v1:Pod": [],
};

// ---------------------------------------------------------------------------------------------
// Reading untyped props.
// ---------------------------------------------------------------------------------------------

export type Props = Record<string, unknown>;

export function asRecord(value: unknown): Props | undefined {
  return value !== null && typeof value === "object" && !Array.isArray(value)
    ? (value as Props)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Strings as they are; numbers and booleans as their text (Connect and Kubernetes take both). */
export function asString(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** A map of string values; entries of other types are left out. */
export function stringMap(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, v] of Object.entries(asRecord(value) ?? {})) {
    const text = asString(v);
    if (text !== undefined) out[key] = text;
  }
  return out;
}

export function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = asRecord(current)?.[key];
  return current;
}

/** Parses a whole number; undefined for anything else (including "", "1.5" and "10k"). */
export function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^\s*-?\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

/**
 * Reads a value that may be unknown during preview (an output of a resource not yet created),
 * for checks that can do without it; anything other than an unknown value is rethrown.
 */
export function ifKnown<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch (err) {
    if (err instanceof UnknownValueError) return undefined;
    throw err;
  }
}

/** A value as violation messages show it: `"x"`, `3`, or `unset (<fallback>)` when missing. */
export function shown(value: unknown, fallback?: string): string {
  // Connect and Kubernetes pass numbers as strings; shown bare, they read as the numbers they are.
  if (typeof value === "string" && /^-?\d+$/.test(value)) return value;
  if (value !== undefined && value !== null) return JSON.stringify(value);
  return fallback === undefined ? "unset" : `unset (${fallback})`;
}

export function list(values: readonly string[]): string {
  return values.length === 0 ? "none" : values.join(", ");
}

// ---------------------------------------------------------------------------------------------
// Policy configuration: one schema per policy, whose defaults are the values the code uses.
// ---------------------------------------------------------------------------------------------

type Property<V> = Omit<PolicyConfigJSONSchema, "default" | "description"> & {
  readonly default: V;
  readonly description: string;
};

/** A policy's config schema (for the engine) and a reader of its typed values (for the policy). */
export interface PolicySettings<T extends object> {
  readonly schema: PolicyConfigSchema;
  /**
   * The policy's config: what the policy-pack config file sets, else the schema's default. The
   * defaults are applied here too, so that a policy behaves the same whether or not the engine
   * has filled them in.
   */
  read(args: { getConfig<C extends object>(): C }): T;
}

/** Declares a policy's settings once: type, default and description of each. */
export function settings<T extends object>(properties: {
  readonly [K in keyof T]: Property<T[K]>;
}): PolicySettings<T> {
  return {
    schema: { properties: properties as unknown as Record<string, PolicyConfigJSONSchema> },
    read(args) {
      const given = args.getConfig<Partial<T>>();
      const out = {} as T;
      for (const key of Object.keys(properties) as (keyof T)[]) {
        const value = given[key];
        out[key] = value === undefined ? properties[key].default : (value as T[keyof T]);
      }
      return out;
    },
  };
}

/** Compiles a case-insensitive pattern from policy config, naming the key if it is invalid. */
export function pattern(source: string, key: string): RegExp {
  try {
    return new RegExp(source, "i");
  } catch (err) {
    throw new Error(`policy config \`${key}\` is not a valid regular expression: ${String(err)}`, {
      cause: err,
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Connectors.
// ---------------------------------------------------------------------------------------------

export const HTTP_SINK_CLASSES = {
  confluent: "io.confluent.connect.http.HttpSinkConnector",
  camel: "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
} as const;

export type HttpSinkFlavour = keyof typeof HTTP_SINK_CLASSES;

export interface Connector {
  /** The connector's name on the Connect worker. */
  readonly name: string;
  readonly connectorClass: string;
  /** The plain config map. */
  readonly config: Record<string, string>;
  /** The secret config map (plain text here: the engine hands policies decrypted values). */
  readonly secretConfig: Record<string, string>;
}

export interface HttpSink extends Connector {
  readonly flavour: HttpSinkFlavour;
}

/** A connector, recognised by its type token or, failing that, by a `connector.class` in config. */
export function connectorOf(
  type: string,
  props: Props,
  resourceName: string,
): Connector | undefined {
  const config = stringMap(props.config);
  const connectorClass = config["connector.class"];
  if (type !== CONNECTOR_TYPE && connectorClass === undefined) return undefined;
  return {
    name: asString(props.name) ?? resourceName,
    connectorClass: connectorClass ?? "",
    config,
    // Only needed to tell the connector class; may be unknown during preview.
    secretConfig: ifKnown(() => stringMap(props.secretConfig)) ?? {},
  };
}

/** An HTTP sink connector, recognised by its class or by the key of its destination URL. */
export function httpSinkOf(type: string, props: Props, resourceName: string): HttpSink | undefined {
  const connector = connectorOf(type, props, resourceName);
  if (!connector) return undefined;
  const all = { ...connector.config, ...connector.secretConfig };
  let flavour: HttpSinkFlavour | undefined;
  if (connector.connectorClass === HTTP_SINK_CLASSES.confluent || "http.api.url" in all) {
    flavour = "confluent";
  } else if (
    connector.connectorClass === HTTP_SINK_CLASSES.camel ||
    "camel.kamelet.http-sink.url" in all
  ) {
    flavour = "camel";
  }
  return flavour ? { ...connector, flavour } : undefined;
}

/** The resources a reader (`connectorOf`, `httpSinkOf`, `workloadOf`) recognises, with what it read. */
export function recognised<T>(
  resources: readonly PolicyResource[],
  read: (type: string, props: Props, resourceName: string) => T | undefined,
): [T, PolicyResource][] {
  return resources.flatMap((r): [T, PolicyResource][] => {
    const found = read(r.type, r.props, r.name);
    return found === undefined ? [] : [[found, r]];
  });
}

/** Every topic the stack declares, by topic name (the resource name when `name` is not set). */
export function declaredTopics(resources: readonly PolicyResource[]): Map<string, PolicyResource> {
  const topics = new Map<string, PolicyResource>();
  for (const r of resources) {
    if (r.type === TYPES.topic) topics.set(asString(r.props.name) ?? r.name, r);
  }
  return topics;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes workloads.
// ---------------------------------------------------------------------------------------------

export interface Container {
  readonly name: string;
  readonly init: boolean;
  readonly props: Props;
  /**
   * Env values by name; undefined for a variable whose value cannot be read here (set from a
   * reference, or unknown during preview), which checks then leave alone.
   */
  readonly env: Record<string, string | undefined>;
  /** The image, `""` when unset, undefined when unknown during preview (a fresh build's digest). */
  readonly image: string | undefined;
}

export interface Workload {
  /** The kind and name, for messages: `Deployment tracking-connect`. */
  readonly label: string;
  readonly name: string;
  readonly namespace: string | undefined;
  /** `app.kubernetes.io/name` of the object, else of its pods. */
  readonly appName: string | undefined;
  readonly podLabels: Record<string, string>;
  /** `spec.replicas` as declared; undefined when unset. */
  readonly replicas: unknown;
  readonly podSpec: Props;
  readonly containers: Container[];
}

export function workloadOf(type: string, props: Props, resourceName: string): Workload | undefined {
  const path = POD_SPEC_PATHS[type];
  if (!path) return undefined;
  const template = path.length === 0 ? props : asRecord(at(props, path));
  const podSpec = asRecord(template?.spec) ?? {};
  const podLabels = stringMap(at(template, ["metadata", "labels"]));
  const name = asString(at(props, ["metadata", "name"])) ?? resourceName;
  const kind = type.slice(type.lastIndexOf(":") + 1);
  const containers = [
    ...asArray(podSpec.initContainers).map((c) => [c, true] as const),
    ...asArray(podSpec.containers).map((c) => [c, false] as const),
  ].map(([c, init]): Container => {
    const container = asRecord(c) ?? {};
    const env: Record<string, string | undefined> = {};
    for (const variable of asArray(container.env)) {
      const v = asRecord(variable);
      const n = asString(v?.name);
      if (n !== undefined) env[n] = ifKnown(() => asString(v?.value));
    }
    return {
      name: asString(container.name) ?? "(unnamed)",
      init,
      props: container,
      env,
      image: ifKnown(() => asString(container.image) ?? ""),
    };
  });
  return {
    label: `${kind} ${name}`,
    name,
    namespace: ifKnown(() => asString(at(props, ["metadata", "namespace"]))),
    appName:
      asString(at(props, ["metadata", "labels", "app.kubernetes.io/name"])) ??
      podLabels["app.kubernetes.io/name"],
    podLabels,
    replicas: at(props, ["spec", "replicas"]),
    podSpec,
    containers,
  };
}

/** Whether a workload is one a policy is configured for; an empty list means every workload. */
export function appliesTo(workload: Workload, appNames: readonly string[]): boolean {
  return appNames.length === 0 || appNames.includes(workload.appName ?? "");
}

/**
 * Whether a Kubernetes label selector selects these labels. An empty selector selects everything
 * (as for PodDisruptionBudgets and NetworkPolicies); a missing one selects nothing.
 */
export function selects(selector: unknown, labels: Record<string, string>): boolean {
  const s = asRecord(selector);
  if (!s) return false;
  for (const [key, value] of Object.entries(stringMap(s.matchLabels))) {
    if (labels[key] !== value) return false;
  }
  for (const expression of asArray(s.matchExpressions)) {
    const e = asRecord(expression) ?? {};
    const key = asString(e.key) ?? "";
    const values = asArray(e.values).map(asString);
    const has = key in labels;
    switch (asString(e.operator)) {
      case "In":
        if (!has || !values.includes(labels[key])) return false;
        break;
      case "NotIn":
        if (has && values.includes(labels[key])) return false;
        break;
      case "Exists":
        if (!has) return false;
        break;
      case "DoesNotExist":
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Same namespace, or unknown on either side (an output not known during preview). */
export function sameNamespace(a: string | undefined, b: string | undefined): boolean {
  return a === undefined || b === undefined || a === b;
}

export function metadataName(r: PolicyResource): string {
  return asString(at(r.props, ["metadata", "name"])) ?? r.name;
}

export function metadataNamespace(r: PolicyResource): string | undefined {
  return ifKnown(() => asString(at(r.props, ["metadata", "namespace"])));
}
