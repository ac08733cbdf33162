import { writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  PlatformOptions,
  StartResult,
  ensureFetched,
  resolveSettings,
  startPlatform,
  stopPlatform,
} from "../../platform";
import { SECURE_ENDPOINTS_ENV, secureProfileOptions } from "../../platform/secure/endpoints";

/** The plain platform, whatever TRACKING_PLATFORM_SECURE says, and the secured one beside it. */
const PROFILES: readonly { readonly label: string; readonly options: PlatformOptions }[] = [
  { label: "platform", options: { secure: false } },
  { label: "secure platform", options: secureProfileOptions() },
];

/** Where globalSetup writes down what it started in a profile's home (globalTeardown reads it). */
export function jestStartedFile(options: PlatformOptions): string {
  return join(resolveSettings(options).home, "jest-started.json");
}

/**
 * Starts the local platform and the secured platform for the integration project, or reuses the
 * components already running (a developer's `npm run platform -- up [--secure]`). What this run
 * started is written down in each home, so that globalTeardown stops exactly that and leaves a
 * developer's platform alone.
 */
export default async function globalSetup(): Promise<void> {
  // Once, before both start: the two profiles share the jar cache.
  ensureFetched(resolveSettings(PROFILES[0].options), (line) =>
    process.stderr.write(`[platform] ${line}\n`),
  );
  const results = await Promise.allSettled(
    PROFILES.map((p) =>
      startPlatform({
        ...p.options,
        log: (line) => process.stderr.write(`[${p.label}] ${line}\n`),
        // Jest skips globalTeardown when globalSetup throws: clean up here instead.
        stopStartedOnFailure: true,
      }),
    ),
  );
  const failed = results.flatMap((r) => (r.status === "rejected" ? [r.reason as unknown] : []));
  if (failed.length > 0) {
    // Stop what the profile that did start brought up, then report every failure.
    await Promise.all(
      results.map((r, i) =>
        r.status === "fulfilled"
          ? stopPlatform({ ...PROFILES[i].options, only: r.value.started })
          : undefined,
      ),
    );
    throw new Error(failed.map((e) => (e instanceof Error ? e.message : String(e))).join("\n\n"));
  }
  const [plain, secure] = results.map((r) => (r as PromiseFulfilledResult<StartResult>).value);
  PROFILES.forEach((p, i) => {
    const started = [plain, secure][i].started;
    writeFileSync(jestStartedFile(p.options), `${JSON.stringify(started)}\n`);
  });
  // Workers inherit the environment; platform.ts and secureEndpoints() read it before falling
  // back to endpoints.json. Neither holds a password (those stay in credentials.json).
  process.env.TRACKING_PLATFORM_ENDPOINTS = JSON.stringify(plain.endpoints);
  process.env[SECURE_ENDPOINTS_ENV] = JSON.stringify(secure.endpoints);
  for (const [label, r] of [
    ["platform", plain],
    ["secure platform", secure],
  ] as const) {
    process.stderr.write(
      `[${label}] ready in ${r.seconds.toFixed(1)} s; started: ${r.started.join(", ") || "none"}` +
        `; reused: ${r.reused.join(", ") || "none"}\n`,
    );
  }
}
