import { existsSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { ComponentName, resolveSettings, stopPlatform } from "../../platform";

/** Stops only the components globalSetup started; reused ones keep running. */
export default async function globalTeardown(): Promise<void> {
  const file = join(resolveSettings().home, "jest-started.json");
  if (!existsSync(file)) return;
  const started = JSON.parse(readFileSync(file, "utf8")) as ComponentName[];
  rmSync(file, { force: true });
  if (process.env.TRACKING_PLATFORM_KEEP === "1") return; // keep it up for the next run
  await stopPlatform({ only: started });
}
