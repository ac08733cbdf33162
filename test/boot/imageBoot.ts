import { StartedJava } from "./javaProcess";
import { envToProperties, rebase, RenderedData, resolveEnv, writeMountedFiles } from "./podEnv";
import { RenderedPod } from "./render";

/**
 * What a Confluent image makes of a rendered pod before its JVM starts: the resolved env, the
 * mounted files, and the properties file of its prefix. Shared by the boot tests.
 */

/** What the kubelet would give the pod, from the render; the pod IP is loopback here. */
export function podData(pod: RenderedPod): RenderedData {
  return {
    secrets: pod.secrets,
    configMaps: pod.configMaps,
    // Every server on this machine binds 127.0.0.1 only: that is the pod's IP here.
    fields: { "status.podIP": "127.0.0.1" },
  };
}

/** The resolved env, and the properties of `prefix` as the image's `ub` writes them. */
export function renderedProperties(pod: RenderedPod, prefix: string) {
  const env = resolveEnv(pod.env, podData(pod));
  return { env, props: envToProperties(env, prefix) };
}

/**
 * The same, with the pod's mounted files written under `root` and every path into them
 * rewritten to the copy: what the container would read, where this machine can read it.
 */
export function imageProperties(pod: RenderedPod, prefix: string, root: string) {
  const { env, props } = renderedProperties(pod, prefix);
  const mountPaths = writeMountedFiles(pod.volumes, pod.mounts, podData(pod), root);
  return { env, mountPaths, props: rebase(props, mountPaths, root) };
}

/** JVM options an image's env var holds (KAFKA_HEAP_OPTS, KAFKA_OPTS ...), paths rebased. */
export function jvmOptions(
  value: string | undefined,
  mountPaths: readonly string[],
  root: string,
): string[] {
  if (!value) return [];
  return rebase({ v: value }, mountPaths, root).v.split(/\s+/).filter(Boolean);
}

/**
 * The platform's JVM flags (platform/java.ts) in place of the image's KAFKA_JVM_PERFORMANCE_OPTS
 * (G1, full JIT), which the render does not set: on two shared cores the serial collector and C1
 * start in a fraction of the time. They change no Kafka setting.
 */
export const PLATFORM_JVM_FLAGS: readonly string[] = [
  "-XX:+UseSerialGC",
  "-XX:TieredStopAtLevel=1",
  "-XX:+ExitOnOutOfMemoryError",
  "-Djava.awt.headless=true",
];

/** Thrown by a {@link waitFor} check to stop waiting at once (a task FAILED, say). */
export class BootFailure extends Error {}

/**
 * Polls `check` each second until it gives a value; an error counts as "not yet" (the process is
 * still starting), except a {@link BootFailure}. Fails at once when the process has exited, and
 * past the timeout, each time with the process's log tail (`secrets` scrubbed).
 */
export async function waitFor<T>(
  what: string,
  proc: StartedJava,
  secrets: readonly string[],
  timeoutMs: number,
  check: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch((err: unknown) => {
      if (err instanceof BootFailure) throw err;
      return undefined;
    });
    if (value !== undefined) return value;
    if (!proc.alive()) {
      const log = await proc.tail(secrets);
      throw new Error(`${what}: the process (pid ${proc.pid}) exited; ${proc.logFile}:\n${log}`);
    }
    if (Date.now() > deadline) {
      const log = await proc.tail(secrets);
      throw new Error(`${what} not within ${timeoutMs / 1000} s; ${proc.logFile}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}
