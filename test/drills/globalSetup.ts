import { writeFileSync } from "node:fs";
import { startPlatform } from "../../platform";
import { CLUSTER, DRILL_ENDPOINTS_ENV, startedFile } from "./cluster";

/**
 * Starts the cluster profile (three KRaft nodes, three Connect workers, the REST proxy and the
 * receiver) for the drills, or reuses a developer's `npm run platform -- up --cluster`. What this
 * run started is written down so that globalTeardown stops exactly that.
 */
export default async function globalSetup(): Promise<void> {
  const result = await startPlatform({
    ...CLUSTER,
    log: (line) => process.stderr.write(`[cluster] ${line}\n`),
    stopStartedOnFailure: true,
  });
  writeFileSync(startedFile(), `${JSON.stringify(result.started)}\n`);
  process.env[DRILL_ENDPOINTS_ENV] = JSON.stringify(result.endpoints);
  process.stderr.write(
    `[cluster] ready in ${result.seconds.toFixed(1)} s; started: ` +
      `${result.started.join(", ") || "none"}; reused: ${result.reused.join(", ") || "none"}\n`,
  );
}
