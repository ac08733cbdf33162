import * as pulumi from "@pulumi/pulumi";
import { connectClient, SinkOffset } from "../connect/client";
import { warn } from "../connect/log";
import { safely } from "../connect/secrets";
import { failures } from "../connect/status";
import { endpointOf } from "../connect/types";
import { withKafkaAdmin } from "../kafkaAdmin";
import {
  jobIdProblem,
  jobInputs,
  JOB_SECRET_OUTPUTS,
  jobSecrets,
  OffsetJobArgs,
  OffsetJobInputs,
  oncePerId,
} from "./common";
import { redriveDone, redrivePlan } from "./plan";

/*
 * A dead-letter redrive (`destinations[].redrive`): what the destination's dead-letter topic
 * holds is sent to it once more. Create is the redrive: it reads the topic's end offsets, runs a
 * connector of ours on that topic with the destination's config and `stop.at.offsets` set to
 * them, waits until it committed every end, and removes it. Its consumer group stays, so a later
 * redrive starts where this one ended: each dead letter is sent back once. One the destination
 * refuses again stops the redrive, uncommitted, so it stays for the next. The same id never runs
 * again once it completed.
 */

export interface RedriveInputs extends OffsetJobInputs {
  /** The redrive connector's name (`<connector>-redrive`); its group is `connect-<name>`. */
  readonly connector: string;
  readonly deadLetterTopic: string;
  /** The destination connector's config, plain part (`topics` is replaced). */
  readonly config: Record<string, string>;
  /** Secret: its secret part, when the worker does not read it from files. */
  readonly secretConfig: Record<string, string>;
}

export interface RedriveOutputs extends Omit<RedriveInputs, "kafkaPassword" | "secretConfig"> {
  /** Dead letters sent to the destination again. */
  readonly redrivenEvents: number;
  /** Records the dead-letter topic gained while the redrive ran (new dead letters). */
  readonly deadLetteredDuring: number;
  readonly redrivenAt: string;
}

const POLL_MS = 500;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The redrive connector's config: the destination's, on the dead-letter topic, bounded. Connect
 * refuses a connector whose dead-letter topic is one it reads, so it has none: a batch the
 * destination refuses again fails the task (`errors.tolerance` none, `behavior.on.error` fail)
 * before its offsets are committed, and stays in the dead-letter topic for the next redrive.
 */
export function redriveConfig(inputs: RedriveInputs, stopAt: string): Record<string, string> {
  const config: Record<string, string> = {};
  for (const [key, value] of Object.entries({ ...inputs.config, ...inputs.secretConfig })) {
    if (key === "topics.regex" || key.startsWith("errors.deadletterqueue.")) continue;
    config[key] = value;
  }
  return {
    ...config,
    name: inputs.connector,
    topics: inputs.deadLetterTopic,
    "stop.at.offsets": stopAt,
    "errors.tolerance": "none",
    "behavior.on.error": "fail",
  };
}

async function redrive(inputs: RedriveInputs): Promise<RedriveOutputs> {
  const { kafkaPassword: _p, secretConfig: _s, ...visible } = inputs;
  const client = connectClient(endpointOf(inputs));
  await client.waitUntilReady(inputs.waitTimeoutSeconds * 1000);
  const group = `connect-${inputs.connector}`;
  const topic = inputs.deadLetterTopic;
  const ranges = () =>
    withKafkaAdmin(inputs.kafka, inputs.kafkaPassword, async (admin) => ({
      ranges: await admin.ranges(topic),
      committed: await admin.committed(group, topic),
    }));

  const start = await ranges();
  const plan = redrivePlan(topic, start.ranges, start.committed);
  const done = (outcome: { events: number; during: number }): RedriveOutputs => ({
    ...visible,
    redrivenEvents: outcome.events,
    deadLetteredDuring: outcome.during,
    redrivenAt: new Date().toISOString(),
  });
  if (plan.events === 0) {
    await warn(
      `\`${inputs.setting}\` "${inputs.jobId}": the dead-letter topic ${topic} holds nothing ` +
        "that was not sent back already; no redrive connector was created",
    );
    return done({ events: 0, during: 0 });
  }

  await client.putConfig(inputs.connector, redriveConfig(inputs, plan.stopAt));
  try {
    const deadline = Date.now() + inputs.waitTimeoutSeconds * 1000;
    let committed: SinkOffset[] = [];
    for (;;) {
      committed = (await client.getOffsets(inputs.connector)) ?? [];
      if (redriveDone(plan.pending, committed)) break;
      const failed = failures(await client.getStatus(inputs.connector));
      if (failed.length > 0 || Date.now() > deadline) {
        const why =
          failed.length > 0
            ? `the destination still refuses what it holds: ${failed.join("; ")}`
            : `it did not reach the end offsets within ${inputs.waitTimeoutSeconds}s`;
        throw new Error(
          `\`${inputs.setting}\` "${inputs.jobId}": the redrive of ${topic} stopped, ${why}. ` +
            "What it sent before is committed and the rest stays in the topic: fix the " +
            "destination and run `pulumi up` again, which continues from there.",
        );
      }
      await sleep(POLL_MS);
    }
  } finally {
    // Done or not, the redrive connector goes: its group keeps what it sent.
    await client.deleteConnector(inputs.connector);
  }
  const end = await ranges();
  const during = end.ranges.reduce(
    (sum, r) => sum + r.high - (start.ranges.find((s) => s.partition === r.partition)?.high ?? 0),
    0,
  );
  if (during > 0) {
    await warn(
      `\`${inputs.setting}\` "${inputs.jobId}": ${during} record(s) reached ${topic} while the ` +
        "redrive ran (new failures of the destination): a redrive with a new id sends them",
    );
  }
  return done({ events: plan.events, during });
}

export const redriveProvider: pulumi.dynamic.ResourceProvider = {
  async check(_olds: Partial<RedriveInputs>, news: Partial<RedriveInputs>) {
    const problem = jobIdProblem(news.setting ?? "redrive", news.jobId);
    return { inputs: news, failures: problem ? [{ property: "jobId", reason: problem }] : [] };
  },

  async create(inputs: RedriveInputs) {
    const outs = await safely(jobSecrets(inputs), () => redrive(inputs));
    return { id: `${inputs.connector}/${inputs.jobId}`, outs };
  },

  // The redrive connector is gone already; its group's offsets stay for the next redrive.
  ...oncePerId,
};

export interface DeadLetterRedriveArgs extends OffsetJobArgs {
  readonly connector: pulumi.Input<string>;
  readonly deadLetterTopic: pulumi.Input<string>;
  readonly config: pulumi.Input<Record<string, pulumi.Input<string>>>;
  readonly secretConfig?: pulumi.Input<Record<string, pulumi.Input<string>>>;
}

/** One redrive of a destination's dead letters, made once per id (see the top of this file). */
export class DeadLetterRedrive extends pulumi.dynamic.Resource {
  declare public readonly redrivenEvents: pulumi.Output<number>;
  declare public readonly deadLetteredDuring: pulumi.Output<number>;
  declare public readonly jobId: pulumi.Output<string>;

  constructor(name: string, args: DeadLetterRedriveArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      redriveProvider,
      name,
      {
        ...jobInputs(args),
        connector: args.connector,
        deadLetterTopic: args.deadLetterTopic,
        config: args.config,
        secretConfig: pulumi.secret(args.secretConfig ?? {}),
        redrivenEvents: undefined,
        deadLetteredDuring: undefined,
        redrivenAt: undefined,
      },
      pulumi.mergeOptions(opts, {
        additionalSecretOutputs: [...JOB_SECRET_OUTPUTS, "secretConfig"],
      }),
      "tracking",
      "DeadLetterRedrive",
    );
  }
}
