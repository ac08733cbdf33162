import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { resolveSettings, startPlatform } from "../../platform";

/**
 * Starts the local platform for the integration project, or reuses the components already
 * running (a developer's `npm run platform -- up`). What this run started is written down so that
 * globalTeardown stops exactly that and leaves a developer's platform alone.
 */
export default async function globalSetup(): Promise<void> {
  const result = await startPlatform({
    log: (line) => process.stderr.write(`[platform] ${line}\n`),
    // Jest skips globalTeardown when globalSetup throws: clean up here instead.
    stopStartedOnFailure: true,
  });
  const { home } = resolveSettings();
  writeFileSync(join(home, "jest-started.json"), `${JSON.stringify(result.started)}\n`);
  // Workers inherit the environment; platform.ts reads it before falling back to endpoints.json.
  process.env.TRACKING_PLATFORM_ENDPOINTS = JSON.stringify(result.endpoints);
  process.stderr.write(
    `[platform] ready in ${result.seconds.toFixed(1)} s; started: ${result.started.join(", ") || "none"}` +
      `; reused: ${result.reused.join(", ") || "none"}\n`,
  );
}
