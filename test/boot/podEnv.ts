import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * What a Confluent image does with a pod's environment before it starts the JVM, so that a test
 * can start the real process from a rendered Deployment. The rule is the one of the images'
 * `ub` tool (confluentinc/common-docker, `ConvertKey`), which differs from what the Confluent
 * docs say for double and triple underscores: see platform/NOTES.md.
 */

/** A container env entry as a Deployment renders it. */
export interface EnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
    readonly fieldRef?: { readonly fieldPath: string };
  };
}

/** Secrets and ConfigMaps of the same render, by object name, then key: plain text values. */
export interface RenderedData {
  readonly secrets: Readonly<Record<string, Readonly<Record<string, string>>>>;
  readonly configMaps: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /** What the kubelet would put in a `fieldRef`, e.g. `status.podIP`. */
  readonly fields: Readonly<Record<string, string>>;
}

/**
 * An env name without its prefix to a property name: a lone `_` becomes `.`, then `___` a `-`,
 * then `__` a `_`, lower-cased. The lone-underscore match consumes a character on each side, as
 * Go's regexp `[^_]_[^_]` does in `ub`, so two one-letter segments in a row are kept as they are.
 */
export function convertKey(name: string): string {
  const single = name.replace(/[^_]_[^_]/g, (m) => m.replace("_", "."));
  return single.replaceAll("___", "-").replaceAll("__", "_").toLowerCase();
}

/** The properties an image writes from the variables that start with `prefix`. */
export function envToProperties(
  env: Readonly<Record<string, string>>,
  prefix: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (name.startsWith(prefix)) out[convertKey(name.slice(prefix.length))] = value;
  }
  return out;
}

/** Resolves every entry as the kubelet would; a reference to a missing object or key throws. */
export function resolveEnv(env: readonly EnvVar[], data: RenderedData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of env) {
    const from = e.valueFrom;
    if (e.value !== undefined) {
      out[e.name] = e.value;
    } else if (from?.secretKeyRef) {
      out[e.name] = lookup(data.secrets, "Secret", from.secretKeyRef, e.name);
    } else if (from?.configMapKeyRef) {
      out[e.name] = lookup(data.configMaps, "ConfigMap", from.configMapKeyRef, e.name);
    } else if (from?.fieldRef) {
      const value = data.fields[from.fieldRef.fieldPath];
      if (value === undefined) {
        throw new Error(`env ${e.name}: no value for fieldRef ${from.fieldRef.fieldPath}`);
      }
      out[e.name] = value;
    } else {
      throw new Error(`env ${e.name} has neither a value nor a valueFrom`);
    }
  }
  return out;
}

function lookup(
  objects: RenderedData["secrets"],
  kind: string,
  ref: { readonly name: string; readonly key: string },
  env: string,
): string {
  const value = objects[ref.name]?.[ref.key];
  if (value === undefined) {
    throw new Error(`env ${env}: ${kind} ${ref.name} has no key ${ref.key} in the render`);
  }
  return value;
}

/** A pod volume as rendered: only the kinds that carry files from the render. */
export interface Volume {
  readonly name: string;
  readonly secret?: {
    readonly secretName: string;
    readonly items?: readonly { key: string; path: string }[];
  };
  readonly configMap?: {
    readonly name: string;
    readonly items?: readonly { key: string; path: string }[];
  };
}

export interface VolumeMount {
  readonly name: string;
  readonly mountPath: string;
  readonly subPath?: string;
}

/**
 * Writes the files a container would see under `root` (its mount paths prefixed by `root`) and
 * returns the mount paths written, so that a test can rewrite paths in the properties.
 */
export function writeMountedFiles(
  volumes: readonly Volume[],
  mounts: readonly VolumeMount[],
  data: RenderedData,
  root: string,
): string[] {
  const written: string[] = [];
  for (const mount of mounts) {
    const volume = volumes.find((v) => v.name === mount.name);
    if (!volume) throw new Error(`volumeMount ${mount.name} has no volume`);
    const source = volume.secret
      ? { files: data.secrets[volume.secret.secretName], items: volume.secret.items }
      : volume.configMap
        ? { files: data.configMaps[volume.configMap.name], items: volume.configMap.items }
        : undefined;
    if (!source) continue; // emptyDir and the like hold nothing from the render
    if (!source.files) throw new Error(`volume ${volume.name}: its object is not in the render`);
    const entries = source.items
      ? source.items.map((i) => [i.path, source.files![i.key]] as const)
      : Object.entries(source.files);
    // A pod sees the mount even when the Secret or ConfigMap holds no key: an empty folder.
    if (mount.subPath === undefined) mkdirSync(join(root, mount.mountPath), { recursive: true });
    for (const [path, content] of entries) {
      if (content === undefined) throw new Error(`volume ${volume.name}: missing key for ${path}`);
      if (mount.subPath !== undefined && mount.subPath !== path) continue;
      const file = mount.subPath !== undefined ? mount.mountPath : join(mount.mountPath, path);
      const target = join(root, file);
      mkdirSync(dirname(target), { recursive: true });
      writeFileSync(target, content, { mode: 0o600 });
    }
    written.push(mount.mountPath);
  }
  return written;
}

/** Rewrites every value that points into one of the mount paths to its copy under `root`. */
export function rebase(
  props: Readonly<Record<string, string>>,
  mountPaths: readonly string[],
  root: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(props)) {
    let v = value;
    for (const mountPath of mountPaths) v = v.split(mountPath).join(join(root, mountPath));
    out[key] = v;
  }
  return out;
}

/** A Java properties file: keys escaped for `=`, `:` and spaces; backslashes and newlines in values. */
export function propertiesText(props: Readonly<Record<string, string>>): string {
  const escape = (s: string, key: boolean) =>
    s
      .replaceAll("\\", "\\\\")
      .replaceAll("\n", "\\n")
      .replace(key ? /[=: ]/g : /^ /, (c) => `\\${c}`);
  return (
    Object.keys(props)
      .sort()
      .map((k) => `${escape(k, true)}=${escape(props[k], false)}`)
      .join("\n") + "\n"
  );
}
