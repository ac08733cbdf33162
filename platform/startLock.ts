import { closeSync, mkdirSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { join } from "node:path";

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Runs `fn` while holding `<home>/start.lock`, so two `up`s of one home (two jest runs, a CLI and
 * a jest run) never start the same component twice and overwrite each other's pid files: the
 * second waits, then reuses what the first started. A lock whose pid is gone is taken over.
 */
export async function withStartLock<T>(
  home: string,
  log: (line: string) => void,
  fn: () => Promise<T>,
  timeoutMs = 600_000,
): Promise<T> {
  mkdirSync(home, { recursive: true });
  const file = join(home, "start.lock");
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      const fd = openSync(file, "wx");
      writeSync(fd, `${JSON.stringify({ pid: process.pid, at: new Date().toISOString() })}\n`);
      closeSync(fd);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    }
    let holder: number | undefined;
    try {
      holder = (JSON.parse(readFileSync(file, "utf8")) as { pid: number }).pid;
    } catch {
      holder = undefined; // being written, or just removed: look again
    }
    if (holder !== undefined && !alive(holder)) {
      rmSync(file, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Another start of the platform in ${home} (pid ${holder}) still holds ${file} after ` +
          `${timeoutMs / 1000} s. Wait for it, or remove that file if no such process runs.`,
      );
    }
    if (!announced && holder !== undefined) {
      log(`Waiting for another start of this platform (pid ${holder}) to finish ...`);
      announced = true;
    }
    await sleep(300);
  }
  try {
    return await fn();
  } finally {
    try {
      const holder = (JSON.parse(readFileSync(file, "utf8")) as { pid: number }).pid;
      if (holder === process.pid) rmSync(file, { force: true });
    } catch {
      // removed meanwhile (reset): nothing to release
    }
  }
}
