import { spawn } from "node:child_process";
import { once } from "node:events";
import { isAlive } from "../../../platform/processes";

const record = (pid: number, marker: string) => ({
  pid,
  marker,
  command: [],
  startedAt: new Date().toISOString(),
});

describe("isAlive", () => {
  it("knows a running process by the marker in its command line, and only by it", async () => {
    const child = spawn("sleep", ["30"], { stdio: "ignore" });
    try {
      expect(isAlive(record(child.pid!, "sleep"))).toBe(true);
      expect(isAlive(record(child.pid!, "some-other-marker"))).toBe(false);
    } finally {
      child.kill("SIGKILL");
      await once(child, "exit");
    }
  });

  it("takes a zombie for dead", async () => {
    // The shell's background child exits at once; the shell then execs `sleep`, which never
    // reaps it: a zombie whose pid still answers signal 0, with an empty command line.
    const parent = spawn("sh", ["-c", "sleep 0 & echo $!; exec sleep 5"], {
      stdio: ["ignore", "pipe", "ignore"],
    });
    try {
      const [chunk] = (await once(parent.stdout!, "data")) as [Buffer];
      const zombie = Number(chunk.toString().trim());
      await new Promise((r) => setTimeout(r, 300));
      expect(() => process.kill(zombie, 0)).not.toThrow();
      expect(isAlive(record(zombie, "sleep"))).toBe(false);
    } finally {
      parent.kill("SIGKILL");
      await once(parent, "exit");
    }
  });

  it("takes a pid no process has for dead", () => {
    expect(isAlive(record(2 ** 22 - 1, "x"))).toBe(false);
  });
});
