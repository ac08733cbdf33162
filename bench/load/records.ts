/**
 * The run's events as JSON text, built cheaply: the load generator shares the machine with the
 * pipeline it measures, so it must not spend much CPU. The bench's business event (bench/events.ts)
 * is serialized once for each of `DISTINCT` variants; an event is then its variant's text with its
 * own `id`, `step` and `sentAt` put in front.
 */
import { event } from "../events";

const DISTINCT = 1000;

export interface RecordTexts {
  /** The v2 produce record `{"key":...,"value":{...}}` of event `n`. */
  record(n: number, sentAt: number, step: number): string;
  /** The key's JSON text (as the proxy writes it to Kafka). */
  key(n: number): string;
  /** The value's JSON text. */
  value(n: number, sentAt: number, step: number): string;
}

export function recordTexts(run: string): RecordTexts {
  const variants = Array.from({ length: DISTINCT }, (_, i) => {
    const { id: _id, ...rest } = event(i);
    return {
      key: JSON.stringify(String(rest.anonymous_id)),
      // The object's text without its opening brace: fields follow the stamped ones.
      tail: JSON.stringify(rest).slice(1),
    };
  });
  const value = (n: number, sentAt: number, step: number) =>
    `{"id":"load-${run}-${n}","step":${step},"sentAt":${sentAt},${variants[n % DISTINCT].tail}`;
  return {
    record: (n, sentAt, step) =>
      `{"key":${variants[n % DISTINCT].key},"value":${value(n, sentAt, step)}}`,
    key: (n) => variants[n % DISTINCT].key,
    value,
  };
}
