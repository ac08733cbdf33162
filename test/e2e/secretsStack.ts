import axios from "axios";
import { createHash } from "node:crypto";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { CONNECT_TOPICS } from "../../platform/components";
import type { RecordedRequest } from "../../platform/receiverClient";
import { V2_JSON } from "../integration/platform";
import { readTopic } from "../integration/topicReader";

/*
 * Helpers of the connector-secrets e2e test: what it reads back to look for a leaked value, and
 * the steady stream of events it keeps up while a secret rotates.
 */

/** Every file under a folder (the platform's logs), as text. */
export function textsUnder(dir: string): { file: string; text: string }[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) return textsUnder(p);
    if (!entry.isFile() || statSync(p).size > 64 * 1024 * 1024) return [];
    return [{ file: p, text: readFileSync(p, "utf8") }];
  });
}

/** Every record of Connect's config topic, key and value, as text. */
export async function configTopicTexts(): Promise<string[]> {
  // ReadTopic stops at `min` records or the timeout: ask for more than there are.
  const records = await readTopic(CONNECT_TOPICS.config, 2_147_483_647, 8_000);
  return records.map((r) => `${r.key ?? ""}\n${r.value ?? ""}`);
}

/**
 * The unkeyed SHA-256 the providers stored before keyed hashes (NUL-joined parts): a state that
 * holds it lets anyone test candidate passwords offline.
 */
export function unkeyedHash(parts: readonly string[]): string {
  return createHash("sha256").update(parts.join("\u0000")).digest("hex");
}

export const basicHeader = (user: string, password: string): string =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

/** A header of a recorded request, the first when repeated. */
export function headerOf(r: RecordedRequest, name: string): string | undefined {
  const v = r.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * POSTs `{id, type}` events to a topic through the REST proxy's v2 API, `perTick` every
 * `tickMs`, until {@link stop}; remembers the ids the proxy acknowledged.
 */
export class SteadyProducer {
  /** Ids the REST proxy acknowledged (offset given, no error). */
  readonly acknowledged: string[] = [];
  private running = true;
  private readonly loop: Promise<void>;
  private sent = 0;

  constructor(
    private readonly restProxyUrl: string,
    private readonly topic: string,
    private readonly prefix: string,
    private readonly perTick = 5,
    private readonly tickMs = 250,
  ) {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    while (this.running) {
      const started = Date.now();
      const batch = Array.from({ length: this.perTick }, () => ({
        id: `${this.prefix}-${this.sent++}`,
        type: "page_view",
      }));
      const answer = await axios.post<{ offsets: { error_code: number | null }[] }>(
        `${this.restProxyUrl}/topics/${this.topic}`,
        { records: batch.map((value) => ({ value })) },
        { headers: { "Content-Type": V2_JSON }, validateStatus: () => true, timeout: 10_000 },
      );
      if (answer.status === 200) {
        answer.data.offsets.forEach((o, i) => {
          if (o.error_code === null) this.acknowledged.push(batch[i].id);
        });
      }
      await new Promise((r) => setTimeout(r, Math.max(0, this.tickMs - (Date.now() - started))));
    }
  }

  /** Stops after the request in flight; returns how many ids were sent in all. */
  async stop(): Promise<number> {
    this.running = false;
    await this.loop;
    return this.sent;
  }
}
