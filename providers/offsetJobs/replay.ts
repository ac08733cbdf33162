import * as pulumi from "@pulumi/pulumi";
import { connectClient, kafkaVersionOf, SinkOffset } from "../connect/client";
import { warn } from "../connect/log";
import { safely } from "../connect/secrets";
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
  waitForState,
} from "./common";
import { replayPlan } from "./plan";

/*
 * A replay (`destinations[].replay`): the destination's connector sends again what its topics
 * received since a time. Create is the replay: stop the connector (its tasks commit what they
 * delivered), find each partition's first offset at or after the time (ListOffsets), move the
 * committed offsets back there (`PATCH .../offsets`, Kafka 3.6+ workers) and put the connector
 * back in the state it was in. The id is the resource's identity: the same id is no change, so a
 * later `up` does nothing; a new id replaces it, which replays again.
 */

export interface ReplayInputs extends OffsetJobInputs {
  /** The connector to replay. */
  readonly connector: string;
  /** Its topics, as Kafka names them. */
  readonly topics: readonly string[];
  /** ISO 8601 time: events from then on are sent again. */
  readonly from: string;
}

export interface ReplayOutputs extends Omit<ReplayInputs, "kafkaPassword"> {
  /** Events the connector was set to send again. */
  readonly replayedEvents: number;
  /** The offsets written, per partition. */
  readonly offsets: SinkOffset[];
  /** ISO time the replay was made. */
  readonly replayedAt: string;
}

/** What check refuses, as messages naming the setting; [] when the inputs are fine. */
export function replayProblems(
  olds: Partial<ReplayInputs> | undefined,
  news: Partial<ReplayInputs>,
  now: Date,
): string[] {
  const setting = news.setting ?? "replay";
  const problems: string[] = [];
  const idProblem = jobIdProblem(setting, news.jobId);
  if (idProblem) problems.push(idProblem);
  const from = typeof news.from === "string" ? Date.parse(news.from) : NaN;
  if (Number.isNaN(from)) {
    problems.push(
      `\`${setting}.from\` must be an ISO 8601 time such as "2026-12-01T09:30:00Z" (got ` +
        `${JSON.stringify(news.from)})`,
    );
  } else if (from > now.getTime() && olds?.jobId !== news.jobId) {
    problems.push(
      `\`${setting}.from\` (${news.from}) is in the future: a replay sends again what was ` +
        "delivered since a past time; give the time the destination started to lose events",
    );
  }
  if (olds?.jobId && olds.jobId === news.jobId && olds.from !== news.from) {
    problems.push(
      `\`${setting}.from\` changed from ${olds.from} to ${news.from}, but the replay ` +
        `"${news.jobId}" was made already and is never made twice: give \`${setting}.id\` a ` +
        `new value to replay from ${news.from}, or put the old time back`,
    );
  }
  return problems;
}

async function replay(inputs: ReplayInputs): Promise<ReplayOutputs> {
  const { kafkaPassword: _password, ...visible } = inputs;
  const client = connectClient(endpointOf(inputs));
  const info = await client.waitUntilReady(inputs.waitTimeoutSeconds * 1000);
  if (kafkaVersionOf(info.version) < 3006) {
    throw new Error(
      `\`${inputs.setting}\`: the Connect worker runs ${info.version}; a replay moves the ` +
        "connector's offsets through the offsets API, which needs Kafka 3.6+ workers",
    );
  }
  const status = await client.getStatus(inputs.connector);
  if (!status) {
    throw new Error(
      `\`${inputs.setting}\`: connector "${inputs.connector}" does not exist on ` +
        `${inputs.connect.url}; nothing was replayed`,
    );
  }
  const timeMs = Date.parse(inputs.from);
  const atTime = await withKafkaAdmin(inputs.kafka, inputs.kafkaPassword, async (admin) => {
    const out = new Map<string, Awaited<ReturnType<typeof admin.offsetsAt>>>();
    for (const topic of inputs.topics) out.set(topic, await admin.offsetsAt(topic, timeMs));
    return out;
  });

  const before = status.connector.state;
  const wait = inputs.waitTimeoutSeconds;
  let offsets: SinkOffset[] = [];
  let events = 0;
  try {
    await client.stop(inputs.connector);
    await waitForState(client, inputs.connector, "STOPPED", wait, "to replay");
    const committed = (await client.getOffsets(inputs.connector)) ?? [];
    for (const [topic, partitions] of atTime) {
      const plan = replayPlan(topic, partitions, committed);
      offsets = [...offsets, ...plan.offsets];
      events += plan.events;
    }
    if (offsets.length > 0) await client.patchOffsets(inputs.connector, offsets);
  } finally {
    // Whatever happened, the connector goes back to the state it was in: never left stopped.
    if (before === "PAUSED") await client.pause(inputs.connector);
    else if (before !== "STOPPED") await client.resume(inputs.connector);
  }
  const after = before === "PAUSED" || before === "STOPPED" ? before : "RUNNING";
  await waitForState(client, inputs.connector, after, wait, "after the replay");
  if (events === 0) {
    await warn(
      `\`${inputs.setting}\` "${inputs.jobId}": connector "${inputs.connector}" had nothing to ` +
        `send again from ${inputs.from} (no event since then, or none delivered yet)`,
    );
  }
  return { ...visible, replayedEvents: events, offsets, replayedAt: new Date().toISOString() };
}

export const replayProvider: pulumi.dynamic.ResourceProvider = {
  async check(olds: Partial<ReplayInputs>, news: Partial<ReplayInputs>) {
    const failures = replayProblems(olds, news, new Date()).map((reason) => ({
      property: "from",
      reason,
    }));
    return { inputs: news, failures };
  },

  async create(inputs: ReplayInputs) {
    const outs = await safely(jobSecrets(inputs), () => replay(inputs));
    return { id: `${inputs.connector}/replay/${inputs.jobId}`, outs };
  },

  // Removing the setting forgets the replay; the offsets stay where the connector is now.
  ...oncePerId,
};

export interface ConnectorReplayArgs extends OffsetJobArgs {
  readonly connector: pulumi.Input<string>;
  readonly topics: pulumi.Input<pulumi.Input<string>[]>;
  readonly from: pulumi.Input<string>;
}

/** One replay of a connector from a time, made once per id (see the top of this file). */
export class ConnectorReplay extends pulumi.dynamic.Resource {
  declare public readonly replayedEvents: pulumi.Output<number>;
  declare public readonly replayedAt: pulumi.Output<string>;
  declare public readonly jobId: pulumi.Output<string>;

  constructor(name: string, args: ConnectorReplayArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      replayProvider,
      name,
      {
        ...jobInputs(args),
        connector: args.connector,
        topics: args.topics,
        from: args.from,
        replayedEvents: undefined,
        offsets: undefined,
        replayedAt: undefined,
      },
      pulumi.mergeOptions(opts, { additionalSecretOutputs: JOB_SECRET_OUTPUTS }),
      "tracking",
      "ConnectorReplay",
    );
  }
}
