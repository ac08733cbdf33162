import { existsSync, readFileSync, rmSync } from "node:fs";
import { ComponentName, stopPlatform } from "../../platform";
import { CLUSTER, startedFile } from "./cluster";

/**
 * Stops what globalSetup started (a node or worker a drill killed and started again has the same
 * name); a cluster that was already running is left running, drills' restarts included.
 */
export default async function globalTeardown(): Promise<void> {
  const file = startedFile();
  if (!existsSync(file)) return;
  const started = JSON.parse(readFileSync(file, "utf8")) as ComponentName[];
  rmSync(file, { force: true });
  if (process.env.TRACKING_PLATFORM_KEEP === "1") return;
  await stopPlatform({ ...CLUSTER, only: started });
}
