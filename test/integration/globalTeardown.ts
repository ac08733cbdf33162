import { existsSync, readFileSync, rmSync } from "node:fs";
import { ComponentName, PlatformOptions, stopPlatform } from "../../platform";
import { secureProfileOptions } from "../../platform/secure/endpoints";
import { jestStartedFile } from "./globalSetup";

/** Stops only the components globalSetup started, in both profiles; reused ones keep running. */
export default async function globalTeardown(): Promise<void> {
  const profiles: PlatformOptions[] = [{ secure: false }, secureProfileOptions()];
  await Promise.all(
    profiles.map(async (options) => {
      const file = jestStartedFile(options);
      if (!existsSync(file)) return;
      const started = JSON.parse(readFileSync(file, "utf8")) as ComponentName[];
      rmSync(file, { force: true });
      if (process.env.TRACKING_PLATFORM_KEEP === "1") return; // keep it up for the next run
      await stopPlatform({ ...options, only: started });
    }),
  );
}
