import { z } from "zod";
import { RATE_LIMITED_CLASSES } from "../components/sinkRateLimit";
import { JOB_ID_PATTERN } from "../providers/offsetJobs/common";

/*
 * A destination's offset jobs: `replay` (send again what its topics received since a time) and
 * `redrive` (send its dead letters back once). Each carries an id: the next `up` runs a job whose
 * id is new, and never one whose id it ran already (providers/offsetJobs/).
 */

const jobId = z
  .string()
  .regex(
    JOB_ID_PATTERN,
    'must be 1 to 63 letters, digits, ".", "_" or "-", starting with a letter or digit, for example "2026-12-02-outage"',
  );

/**
 * Go's text of a time (`2026-12-01 09:30:00 +0000 UTC`): what an unquoted YAML timestamp in a
 * stack file reaches the program as, because the CLI's YAML parser reads it as a time.
 */
const GO_TIME = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d(?:\.\d+)?) ([+-]\d\d)(\d\d)(?: \S+)?$/;

/** An instant, whether written as ISO 8601 or as the CLI passes an unquoted YAML one, as UTC ISO. */
function canonicalTime(value: unknown): unknown {
  if (typeof value !== "string") return value;
  const go = GO_TIME.exec(value.trim());
  const text = go ? `${go[1]}T${go[2]}${go[3]}:${go[4]}` : value.trim();
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/i.test(text)) return value;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? value : new Date(ms).toISOString();
}

const isoTime = z.preprocess(
  canonicalTime,
  z.string().regex(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, {
    error: 'must be an ISO 8601 time with a zone, for example "2026-12-01T09:30:00Z"',
  }),
);

export const replayShape = z.object({ from: isoTime, id: jobId }).strict();
export const redriveShape = z.object({ id: jobId }).strict();

interface JobsOfDestination {
  readonly connectorClass: string;
  readonly errors: { readonly deadLetterTopic: boolean };
  readonly replay?: z.output<typeof replayShape>;
  readonly redrive?: z.output<typeof redriveShape>;
}

/** What a destination's jobs need of the rest of it; issues at the setting that must change. */
export function checkOffsetJobs(d: JobsOfDestination, ctx: z.RefinementCtx, now = new Date()) {
  if (d.redrive && !d.errors.deadLetterTopic) {
    ctx.addIssue({
      code: "custom",
      path: ["redrive"],
      input: d.redrive,
      message:
        "needs a dead-letter topic to send back, but `errors.deadLetterTopic` is false: remove the redrive, or turn the dead-letter topic on",
    });
  }
  if (d.redrive && !RATE_LIMITED_CLASSES.includes(d.connectorClass)) {
    ctx.addIssue({
      code: "custom",
      path: ["redrive"],
      input: d.redrive,
      message: `runs our connector on the dead-letter topic (it stops at the offsets it saw at start, which "${d.connectorClass}" cannot): set connectorClass "tracking" for this destination, or remove the redrive`,
    });
  }
  if (d.replay && Date.parse(d.replay.from) > now.getTime()) {
    ctx.addIssue({
      code: "custom",
      path: ["replay", "from"],
      input: d.replay.from,
      message:
        "is in the future: a replay sends again what arrived since a past time; give the time the destination started to lose events",
    });
  }
}
