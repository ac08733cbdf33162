import { execFile } from "node:child_process";
import { join } from "node:path";
import { testSupportProgram } from "./testSupport";

/**
 * Reads MBeans of a running JVM (a Connect worker): test support's
 * ReadMetrics attaches to the JVM by pid (the JDK attach API, no JMX port or flag) and prints
 * the MBeans that match an ObjectName pattern, one JSON object per line.
 */
const READ_METRICS = testSupportProgram("ReadMetrics.java");

export interface MBean {
  readonly name: string;
  readonly attributes: Readonly<Record<string, number | string | null>>;
}

export function readMBeans(pid: number, pattern: string): Promise<MBean[]> {
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = ["-Xmx64m", "-XX:TieredStopAtLevel=1", READ_METRICS, String(pid), pattern];
  return new Promise((done, fail) => {
    execFile(java, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) {
        fail(
          new Error(`Reading MBeans ${pattern} of pid ${pid} failed: ${err.message}\n${stderr}`),
        );
        return;
      }
      done(
        stdout
          .split("\n")
          .filter((line) => line.startsWith("{"))
          .map((line) => JSON.parse(line) as MBean),
      );
    });
  });
}

/** The MBean a task's metrics are published under, on a 4.1+ worker and by our fallback alike. */
export const taskMBean = (connector: string, task = 0) =>
  `kafka.connect:type=plugins,connector=${connector},task=${task}`;

/**
 * The MBeans once two reads in a row agree. ReadMetrics reads attribute by attribute while the
 * task may still be counting, so one read can mix counts from before and after a request (an
 * answer counted in one attribute, not yet in another); a test that compares attributes with
 * each other reads them settled.
 */
export async function readSettledMBeans(
  pid: number,
  pattern: string,
  tries = 20,
): Promise<MBean[]> {
  let last = JSON.stringify(await readMBeans(pid, pattern));
  for (let i = 0; i < tries; i++) {
    await new Promise((r) => setTimeout(r, 250));
    const next = await readMBeans(pid, pattern);
    const text = JSON.stringify(next);
    if (text === last) return next;
    last = text;
  }
  throw new Error(`The MBeans ${pattern} of pid ${pid} kept changing over ${tries} reads`);
}
