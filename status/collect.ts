import axios, { AxiosError } from "axios";
import { Admin, Kafka, logLevel } from "kafkajs";
import { Exposition, parsePrometheusText, samplesOf } from "../platform/prometheusText";
import { SinkTarget, StatusTarget } from "./target";

export interface TaskStatus {
  readonly id: number;
  readonly state: string;
}

/** One destination's row. A figure that could not be read is undefined; `problems` says why. */
export interface SinkStatus {
  readonly destination: string;
  readonly connector: string;
  /** Connect's connector state, `MISSING` when the worker has no such connector, `UNKNOWN` when Connect did not answer. */
  readonly state: string;
  readonly tasks: readonly TaskStatus[];
  /** Events on the connector's topics its group has not committed yet. */
  readonly lag?: number;
  /** Events delivered since its running tasks started (see {@link delivered}). */
  readonly delivered?: number;
  /** Events in its dead-letter topic (as long as the topic keeps them); undefined without one. */
  readonly deadLettered?: number;
  /** The first line of the connector's or a failed task's trace. */
  readonly lastError?: string;
}

export interface PipelineStatus {
  readonly stack: string;
  readonly at: string;
  readonly sinks: readonly SinkStatus[];
  /** What did not answer, and where to look. */
  readonly problems: readonly string[];
}

interface ConnectorStatusBody {
  connector: { state: string; trace?: string };
  tasks: { id: number; state: string; trace?: string }[];
}

const TIMEOUT_MS = 5_000;
const ERROR_WIDTH = 120;

/** The first line of a Java trace, at most {@link ERROR_WIDTH} characters. */
export function firstLine(trace: string): string {
  const line = trace.split("\n")[0].trim();
  return line.length > ERROR_WIDTH ? `${line.slice(0, ERROR_WIDTH - 1)}…` : line;
}

function reason(err: unknown): string {
  if (err instanceof AxiosError) return err.code ?? err.message;
  return err instanceof Error ? err.message : String(err);
}

async function connectorStatus(
  t: StatusTarget,
  sink: SinkTarget,
  problems: string[],
): Promise<Pick<SinkStatus, "state" | "tasks" | "lastError">> {
  const url = `${t.connectUrl}/connectors/${encodeURIComponent(sink.connector)}/status`;
  try {
    const { data } = await axios.get<ConnectorStatusBody>(url, { timeout: TIMEOUT_MS });
    const failed = [data.connector, ...data.tasks].find((s) => s.trace);
    return {
      state: data.connector.state,
      tasks: data.tasks.map((task) => ({ id: task.id, state: task.state })),
      ...(failed?.trace ? { lastError: firstLine(failed.trace) } : {}),
    };
  } catch (err) {
    if (err instanceof AxiosError && err.response?.status === 404) {
      problems.push(
        `${sink.destination}: the worker at ${t.connectUrl} has no connector ${sink.connector}; ` +
          `\`pulumi up --stack ${t.stack}\` creates it.`,
      );
      return { state: "MISSING", tasks: [] };
    }
    return { state: "UNKNOWN", tasks: [] };
  }
}

/** Sum over partitions of the high watermark minus the group's committed offset (or the low one). */
async function groupLag(admin: Admin, sink: SinkTarget): Promise<number> {
  const committed = await admin.fetchOffsets({ groupId: sink.group, topics: [...sink.topics] });
  let lag = 0;
  for (const topic of sink.topics) {
    const ends = await admin.fetchTopicOffsets(topic);
    const group = committed.find((c) => c.topic === topic)?.partitions ?? [];
    for (const p of ends) {
      const at = Number(group.find((g) => g.partition === p.partition)?.offset ?? "-1");
      // No commit yet: a sink starts at the earliest offset.
      const from = at >= 0 ? at : Number(p.low);
      lag += Math.max(0, Number(p.high) - from);
    }
  }
  return lag;
}

async function topicRecords(admin: Admin, topic: string): Promise<number> {
  const parts = await admin.fetchTopicOffsets(topic);
  return parts.reduce((n, p) => n + Math.max(0, Number(p.high) - Number(p.low)), 0);
}

function sumOf(metrics: Exposition, name: string, connector: string): number | undefined {
  const found = samplesOf(metrics, name, { connector });
  return found.length > 0 ? found.reduce((n, s) => n + s.value, 0) : undefined;
}

/**
 * Our sink's events accepted by the destination, summed over the tasks that run (a failed or
 * stopped task's counters are gone); Connect's records handed to the connector for other classes.
 */
function delivered(metrics: Exposition | undefined, sink: SinkTarget): number | undefined {
  if (!metrics) return undefined;
  return sink.deliveredMetric === "tracking"
    ? sumOf(metrics, "tracking_http_sink_events_delivered_total", sink.connector)
    : sumOf(metrics, "kafka_connect_sink_task_record_send_total", sink.connector);
}

async function scrape(t: StatusTarget, problems: string[]): Promise<Exposition | undefined> {
  if (!t.metricsUrl) {
    problems.push(
      "delivered: no metrics endpoint for this stack; pass --metrics-url with the workers' " +
        "Prometheus endpoint (the JMX exporter agent, observability/README.md).",
    );
    return undefined;
  }
  try {
    const { data } = await axios.get<string>(t.metricsUrl, {
      timeout: TIMEOUT_MS,
      responseType: "text",
    });
    return parsePrometheusText(data);
  } catch (err) {
    problems.push(
      `delivered: the metrics endpoint ${t.metricsUrl} does not answer (${reason(err)}); ` +
        "is the worker running with the metrics agent? (`npm run platform -- status`)",
    );
    return undefined;
  }
}

async function withAdmin<T>(
  t: StatusTarget,
  problems: string[],
  use: (admin: Admin) => Promise<T>,
): Promise<T | undefined> {
  if (t.kafkaUnavailable) {
    problems.push(t.kafkaUnavailable);
    return undefined;
  }
  const kafka = new Kafka({
    clientId: "tracking-status",
    brokers: [...t.kafkaBootstrap],
    connectionTimeout: TIMEOUT_MS,
    requestTimeout: TIMEOUT_MS,
    retry: { retries: 1 },
    logLevel: logLevel.NOTHING,
  });
  const admin = kafka.admin();
  try {
    await admin.connect();
    return await use(admin);
  } catch (err) {
    problems.push(
      `lag and dead letters: Kafka at ${t.kafkaBootstrap.join(",")} does not answer ` +
        `(${reason(err)}); is the broker running? (\`npm run platform -- status\`)`,
    );
    return undefined;
  } finally {
    await admin.disconnect().catch(() => undefined);
  }
}

/** Reads every sink's row from the Connect REST API, the Kafka admin API and the metrics endpoint. */
export async function collectStatus(t: StatusTarget): Promise<PipelineStatus> {
  const problems: string[] = [];
  const connect = await Promise.all(t.sinks.map((s) => connectorStatus(t, s, problems)));
  if (connect.some((c) => c.state === "UNKNOWN")) {
    problems.push(
      `state: the Connect REST API at ${t.connectUrl} does not answer; is the worker running? ` +
        "(`npm run platform -- status`, or --connect-url)",
    );
  }
  const metrics = await scrape(t, problems);
  const kafka = await withAdmin(t, problems, async (admin) => {
    const existing = new Set(await admin.listTopics());
    return Promise.all(
      t.sinks.map(async (s) => ({
        lag: s.topics.every((topic) => existing.has(topic)) ? await groupLag(admin, s) : undefined,
        deadLettered:
          s.deadLetterTopic && existing.has(s.deadLetterTopic)
            ? await topicRecords(admin, s.deadLetterTopic)
            : undefined,
      })),
    );
  });
  return {
    stack: t.stack,
    at: new Date().toISOString(),
    sinks: t.sinks.map((s, i) => ({
      destination: s.destination,
      connector: s.connector,
      ...connect[i],
      lag: kafka?.[i].lag,
      delivered: delivered(metrics, s),
      deadLettered: kafka?.[i].deadLettered,
    })),
    problems,
  };
}
