import { randomBytes } from "node:crypto";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as pulumi from "@pulumi/pulumi";
import axios from "axios";
import { parseStackConfig } from "../../config";
import { PRESETS, PresetName } from "../../config/presets";
import { externalise } from "../../components/connectorSecrets";
import { httpSinkConfig } from "../../components/httpSinkConfig";
import { sinkSettingsOf } from "../../components/sinkSettings";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idOf, presetShapes as shapes } from "./presetShapes";
import {
  createTopic,
  deleteConnector,
  platformEndpoints,
  produce,
  putConnector,
  receiver,
  uniqueName,
} from "./platform";

/**
 * Each destination preset on the real worker with our HTTP sink: the request the receiver
 * captures has the provider's documented shape, the API key is in the request and nowhere in the
 * connector's config (a `${dir:...}` reference to a file the worker reads), batches keep to the
 * preset's limits, and the provider's id member carries the event's id.
 */
const e = platformEndpoints();
const client = receiver();
const EVENTS = 45;

interface Sent {
  readonly id: string;
  readonly event_type: string;
  readonly properties: { readonly page: string; readonly padding: string };
}

describe("destination presets on the real worker", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups.reverse()) await c();
  });

  it.each(Object.keys(PRESETS) as PresetName[])(
    "%s: the provider's body, the key only in the request, limits kept, ids set",
    async (preset) => {
      const name = uniqueName(`preset-${preset}`);
      const topic = uniqueName("preset");
      const path = `/presets/${name}`;
      const key = `key-${randomBytes(12).toString("hex")}`;
      await createTopic(topic);
      await createTopic(`${topic}.dlq`);
      const config = parseStackConfig({
        kafkaBootstrapServers: JSON.stringify([e.kafkaBootstrap]),
        ...(preset === "webhook" ? {} : { presetKey: key }),
        destinations: JSON.stringify([
          {
            name: "a",
            preset,
            topics: ["tracking"],
            url: `${e.receiverUrl}${path}`,
            tasksMax: 1,
            // Small enough that 45 events of about 300 bytes take several requests.
            batching: { maxSize: 20, maxBytes: 4000 },
            ...(preset === "webhook" ? {} : { apiKeySecret: "presetKey" }),
          },
        ]),
      });
      const destination = config.destinations[0];
      const settings = sinkSettingsOf("it", config, destination, 0, () => key);
      const mapped = httpSinkConfig({
        ...settings,
        connectorName: name,
        topics: [topic],
        replicationFactor: 1,
        errors: { ...settings.errors, deadLetterTopic: `${topic}.dlq` },
      });
      // As the stack writes them: each secret in a 0600 file, the config holding its reference.
      const dir = e.connectSecretsDirectory;
      const secrets = externalise(name, mapped.secretConfig, dir);
      for (const [file, value] of Object.entries(secrets.files)) {
        const text = await new Promise<string>((r) => pulumi.output(value).apply(r));
        writeFileSync(join(dir, file), text, { mode: 0o600 });
        chmodSync(join(dir, file), 0o600);
        cleanups.push(() => rmSync(join(dir, file), { force: true }));
      }
      cleanups.push(() => deleteConnector(name));
      await putConnector(name, { ...mapped.config, ...secrets.references });

      const since = (await client.stats()).lastSeq;
      const sent: Sent[] = Array.from({ length: EVENTS }, (_, i) => ({
        id: `${name}-${i}`,
        event_type: "page_view",
        properties: { page: `/p/${i}`, padding: "x".repeat(200) },
      }));
      await produce(topic, sent);
      const deadline = Date.now() + 90_000;
      let requests: RecordedRequest[];
      let events: unknown[];
      for (;;) {
        requests = (await client.requests(since)).filter((r) => r.path === path);
        events = requests.flatMap((r) => shapes[preset](r, key).events);
        if (events.length >= EVENTS || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(events).toHaveLength(EVENTS);
      const target = destination.eventId.target;
      const published = PRESETS[preset] as {
        maxEventsPerRequest?: { value: number };
        maxBytesPerRequest?: { value: number };
      };
      for (const r of requests) {
        const bytes = Buffer.byteLength(r.body, "utf8");
        expect(bytes).toBeLessThanOrEqual(4000);
        if (published.maxBytesPerRequest) {
          expect(bytes).toBeLessThanOrEqual(published.maxBytesPerRequest.value);
        }
        const count = shapes[preset](r, key).events.length;
        expect(count).toBeLessThanOrEqual(20);
      }
      // 45 events of about 300 bytes: the byte limit, not the count, closed the batches.
      expect(requests.length).toBeGreaterThan(Math.ceil(EVENTS / 20));
      events.forEach((event, i) => {
        const own = event as Sent;
        expect(own.id).toBe(sent[i].id);
        if (target) expect(idOf(event, target)).toBe(sent[i].id);
      });
      // The key is in the requests, and nowhere in what Connect holds for the connector.
      const stored = await axios.get<Record<string, string>>(
        `${e.connectUrl}/connectors/${name}/config`,
      );
      expect(JSON.stringify(stored.data)).not.toContain(key);
      if (preset !== "webhook") {
        expect(Object.values(secrets.references).join("")).toContain("${dir:");
      }
    },
  );
});
