import axios from "axios";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { stackFileSettings } from "../../config/stackFile";
import { PRESETS, PresetName } from "../../config/presets";
import { extractEventIds, ReceiverClient } from "../../platform/receiverClient";
import type { RecordedRequest } from "../../platform/receiverClient";
import { idOf, presetShapes } from "../integration/presetShapes";
import {
  policyFlags,
  pulumi,
  PulumiResult,
  pulumiEnvironment,
  pulumiOk,
  ROOT,
} from "../../scripts/pulumiCli";
import { platformEndpoints } from "../integration/platform";
import { setSecret } from "./kubernetes/secrets";

/**
 * `destinations[].replay` and `destinations[].redrive` under the real engine, on the local
 * platform's real worker, with the receiver counting what each destination accepted. Two
 * destinations read the same topic; only the one that declares a job may receive anything again.
 */
const STACK = "offset-jobs";
const run = Date.now().toString(36);
/** Topic, connector and consumer group names of this run only. */
const ENVIRONMENT = `jobs${run.slice(-6)}`;
const PROJECT = "tracking-pipeline";
const CONFIG_FILE = join(ROOT, `Pulumi.${STACK}.yaml`);
const e = platformEndpoints();
const receiver = new ReceiverClient(e.receiverUrl);
const pathOf = (destination: string) => `/jobs-${run}/${destination}`;
/** The receiver refuses (400) the requests holding an event of this kind, while told to. */
const BAD_KIND = `bad-${run}`;

let env: NodeJS.ProcessEnv;
let backend = "";
const common = {
  connectorClass: "tracking",
  topics: ["tracking"],
  tasksMax: 1,
  batching: { maxSize: 50 },
  retries: { maxRetries: 3, backoffMs: 500 },
};
/** A destination per preset (b to f), each pointed at a path of the receiver. */
const PRESET_DESTINATIONS: Record<string, PresetName> = {
  b: "amplitude",
  c: "mixpanel",
  d: "segment",
  e: "posthog",
  f: "webhook",
};
const keyOf = (preset: PresetName) => `key-${preset}-${run}-${Math.random().toString(36).slice(2)}`;
const API_KEYS = new Map<PresetName, string>(
  Object.values(PRESET_DESTINATIONS)
    .filter((p) => p !== "webhook")
    .map((p) => [p, keyOf(p)]),
);
const secretNameOf = (preset: PresetName) => `jobs${preset[0].toUpperCase()}${preset.slice(1)}Key`;
const destinations: Record<string, unknown>[] = [
  { name: "a", url: `${e.receiverUrl}${pathOf("a")}`, ...common },
  // The presets under the real engine, their endpoints pointed at the receiver.
  ...Object.entries(PRESET_DESTINATIONS).map(([name, preset]) => ({
    name,
    preset,
    ...(API_KEYS.has(preset) ? { apiKeySecret: secretNameOf(preset) } : {}),
    url: `${e.receiverUrl}${pathOf(name)}`,
    ...common,
  })),
];

function writeStackConfig(): void {
  const local = readFileSync(join(ROOT, "Pulumi.local.yaml"), "utf8");
  const config = {
    ...stackFileSettings(local, PROJECT),
    environment: ENVIRONMENT,
    kafkaBootstrapServers: [e.kafkaBootstrap],
    connectUrl: e.connectUrl,
    connectSecretsDirectory: e.connectSecretsDirectory,
    restProxyUrl: e.restProxyUrl,
    destinations,
  };
  // The keys, once `pulumi config set --secret` put them there, are kept as their ciphertext.
  const previous = existsSync(CONFIG_FILE)
    ? ((parse(readFileSync(CONFIG_FILE, "utf8")) as { config?: Record<string, unknown> }).config ??
      {})
    : {};
  const secrets = Object.entries(previous).filter(([k]) =>
    /^tracking-pipeline:jobs\w+Key$/.test(k),
  );
  const file = {
    config: {
      ...Object.fromEntries(Object.entries(config).map(([k, v]) => [`${PROJECT}:${k}`, v])),
      ...Object.fromEntries(secrets),
    },
    encryptionsalt: (parse(local) as { encryptionsalt: string }).encryptionsalt,
  };
  writeFileSync(CONFIG_FILE, stringify(file));
}

const withStack = (args: string[]) => [...args, "--stack", STACK];

const text = (r: PulumiResult) => `${r.stdout}\n${r.stderr}`;
/** What every `up` printed, for the check that the key never shows. */
const printed: string[] = [];
async function up(): Promise<string> {
  const out = text(
    await pulumiOk(env, withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")])),
  );
  printed.push(out);
  return out;
}

async function send(ids: readonly string[], kind = "page_view"): Promise<void> {
  for (let i = 0; i < ids.length; i += 25) {
    await axios.post(
      `${e.restProxyUrl}/topics/${ENVIRONMENT}.tracking`,
      { records: ids.slice(i, i + 25).map((id) => ({ value: { id, kind } })) },
      { headers: { "Content-Type": "application/vnd.kafka.json.v2+json" } },
    );
  }
}

const idsOf = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);

/** How often each id was accepted (2xx) at `destination`'s path; with `refused`, answered 4xx. */
async function counts(destination: string, refused = false): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  for (const r of await receiver.requests()) {
    if (r.path !== pathOf(destination) || (refused ? r.status < 400 : r.status >= 300)) continue;
    for (const id of extractEventIds(r.json)) out.set(id, (out.get(id) ?? 0) + 1);
  }
  return out;
}

/** Polls until `check` holds (throws with what was last seen after `ms`). */
async function until<T>(
  what: string,
  ms: number,
  read: () => Promise<T>,
  check: (v: T) => boolean,
) {
  const deadline = Date.now() + ms;
  let seen: T;
  for (;;) {
    seen = await read();
    if (check(seen)) return seen;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

const all = (ids: readonly string[], n: number) => (m: Map<string, number>) =>
  ids.every((id) => m.get(id) === n);
const tally = (m: Map<string, number>, ids: readonly string[]) => ids.map((id) => m.get(id) ?? 0);

async function connectors(): Promise<string[]> {
  return (await axios.get<string[]>(`${e.connectUrl}/connectors`)).data.sort();
}

/** The outputs the state holds for resources of `type` (`tracking:ConnectorReplay`, ...). */
async function stateOf(type: string): Promise<Record<string, unknown>[]> {
  const exported = JSON.parse((await pulumiOk(env, withStack(["stack", "export"]))).stdout) as {
    deployment: { resources?: { type: string; outputs?: Record<string, unknown> }[] };
  };
  return (exported.deployment.resources ?? [])
    .filter((r) => r.type === `pulumi-nodejs:dynamic/${type}`)
    .map((r) => r.outputs ?? {});
}

const before = { first: idsOf(`first-${run}`, 30), second: idsOf(`second-${run}`, 40) };
const refused = idsOf(`refused-${run}`, 20);
const later = idsOf(`later-${run}`, 10);

describe("replay and dead-letter redrive (real engine, real worker, real receiver)", () => {
  beforeAll(async () => {
    backend = mkdtempSync(join(tmpdir(), "tracking-jobs-state-"));
    env = await pulumiEnvironment({
      backendDir: backend,
      log: (line) => process.stderr.write(`[toolchain] ${line}\n`),
    });
    writeStackConfig();
    await pulumiOk(env, ["stack", "init", STACK]);
    for (const [preset, key] of API_KEYS) await setSecret(env, STACK, secretNameOf(preset), key);
    await up();
  });

  afterAll(async () => {
    await receiver.reject(null).catch(() => undefined);
    if (backend !== "") {
      await pulumi(env, withStack(["destroy", "--yes"]));
      await pulumi(env, withStack(["stack", "rm", "--yes", "--force"]));
      rmSync(backend, { recursive: true, force: true });
    }
    rmSync(CONFIG_FILE, { force: true });
  });

  it.each(Object.entries(PRESET_DESTINATIONS))(
    "sends %s's events as its preset (%s) says: key only in the request, limits kept, id set",
    async (name, preset) => {
      const key = API_KEYS.get(preset) ?? "";
      const ids = idsOf(`${preset}-${run}`, 60);
      const since = (await receiver.stats()).lastSeq;
      await send(ids);
      const deadline = Date.now() + 60_000;
      let requests: RecordedRequest[] = [];
      let events: { id: string }[] = [];
      while (events.length < ids.length && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 500));
        requests = (await receiver.requests(since)).filter(
          (r) => r.path === pathOf(name) && r.status < 300,
        );
        events = requests.flatMap((r) => presetShapes[preset](r, key).events as { id: string }[]);
      }
      expect(events.map((ev) => ev.id).sort()).toEqual([...ids].sort());
      expect(requests.length).toBeGreaterThanOrEqual(2);
      const target = (PRESETS[preset] as { idTarget?: string }).idTarget;
      for (const r of requests) {
        expect(presetShapes[preset](r, key).events.length).toBeLessThanOrEqual(50);
      }
      for (const event of events) if (target) expect(idOf(event, target)).toBe(event.id);
      const { data: config } = await axios.get<Record<string, string>>(
        `${e.connectUrl}/connectors/${ENVIRONMENT}-${name}-http-sink/config`,
      );
      expect(config["http.api.url"]).toBe(`${e.receiverUrl}${pathOf(name)}`);
      if (key !== "") {
        expect(JSON.stringify(config)).not.toContain(key);
        expect((await pulumiOk(env, withStack(["stack", "export"]))).stdout).not.toContain(key);
      }
    },
  );

  it("replays from a time to that destination only, once per id", async () => {
    await send(before.first);
    for (const d of ["a", "b"])
      await until(`first at ${d}`, 60_000, () => counts(d), all(before.first, 1));
    // Record times are the producer's: a margin either side of `from` keeps the batches apart.
    await new Promise((r) => setTimeout(r, 2000));
    const from = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 2000));
    await send(before.second);
    for (const d of ["a", "b"])
      await until(`second at ${d}`, 60_000, () => counts(d), all(before.second, 1));

    destinations[0].replay = { from, id: `outage-${run}` };
    writeStackConfig();
    const preview = text(await pulumiOk(env, withStack(["preview", ...policyFlags("local")])));
    expect(preview).toMatch(/tracking:ConnectorReplay\s+tracking-a-replay\s+create/);
    const output = await up();
    expect(output).toMatch(/1 created/);

    await until("the second batch again at a", 90_000, () => counts("a"), all(before.second, 2));
    // Settle, then: only what came after `from`, only at a; b saw each event once.
    await new Promise((r) => setTimeout(r, 5000));
    const a = await counts("a");
    const b = await counts("b");
    expect(tally(a, before.first)).toEqual(before.first.map(() => 1));
    expect(tally(a, before.second)).toEqual(before.second.map(() => 2));
    expect(tally(b, [...before.first, ...before.second])).toEqual(
      [...before.first, ...before.second].map(() => 1),
    );
    const [replay] = await stateOf("tracking:ConnectorReplay");
    expect(replay).toMatchObject({ jobId: `outage-${run}`, from, replayedEvents: 40 });
    expect(JSON.stringify(replay)).not.toMatch(/kafkaPassword":"[^"]/);
    // The connector is back RUNNING.
    const status = await axios.get<{ connector: { state: string } }>(
      `${e.connectUrl}/connectors/${ENVIRONMENT}-a-http-sink/status`,
    );
    expect(status.data.connector.state).toBe("RUNNING");

    // The same id again: no change planned, nothing sent.
    const again = await up();
    expect(again).not.toMatch(/ConnectorReplay|created|replaced/);
    await pulumiOk(env, withStack(["preview", "--expect-no-changes", ...policyFlags("local")]));
    await new Promise((r) => setTimeout(r, 5000));
    expect(tally(await counts("a"), before.second)).toEqual(before.second.map(() => 2));
  });

  it("sends events dead-lettered under 400 once the destination is fixed, then removes its connector", async () => {
    await receiver.reject({ status: 400, field: "kind", value: BAD_KIND });
    await send(refused, BAD_KIND);
    // Refused (400 is not retried) at both destinations, so both dead-letter them.
    for (const d of ["a", "b"])
      await until(`400s at ${d}`, 60_000, () => counts(d, true), all(refused, 1));

    // Declared while the destination still refuses them: up fails saying so, and nothing is
    // lost or left behind (no redrive connector, no job in the state, the events still queued).
    destinations[0].redrive = { id: `fixed-${run}` };
    writeStackConfig();
    const early = await pulumi(
      env,
      withStack(["up", "--yes", "--skip-preview", ...policyFlags("local")]),
    );
    printed.push(text(early));
    expect(early.code).not.toBe(0);
    expect(text(early)).toMatch(/the\s+destination\s+still\s+refuses\s+what\s+it\s+holds/);
    expect(await connectors()).not.toContain(`${ENVIRONMENT}-a-http-sink-redrive`);
    expect(await stateOf("tracking:DeadLetterRedrive")).toEqual([]);
    await receiver.reject(null);
    await send(later);
    for (const d of ["a", "b"])
      await until(`later at ${d}`, 60_000, () => counts(d), all(later, 1));
    expect(tally(await counts("a"), refused)).toEqual(refused.map(() => 0));

    // Fixed: the same declaration, run again by the next up.
    const output = await up();
    expect(output).toMatch(/1 created/);
    // up returns once the redrive committed its end: every refused event has arrived, once.
    const a = await counts("a");
    expect(tally(a, refused)).toEqual(refused.map(() => 1));
    expect(tally(a, later)).toEqual(later.map(() => 1));
    expect(tally(await counts("b"), refused)).toEqual(refused.map(() => 0));
    expect(await connectors()).not.toContain(`${ENVIRONMENT}-a-http-sink-redrive`);
    expect(await connectors()).toEqual(
      expect.arrayContaining([`${ENVIRONMENT}-a-http-sink`, `${ENVIRONMENT}-b-http-sink`]),
    );
    const [redrive] = await stateOf("tracking:DeadLetterRedrive");
    expect(redrive).toMatchObject({
      jobId: `fixed-${run}`,
      redrivenEvents: 20,
      deadLetteredDuring: 0,
    });

    // The same id again: nothing happens; a new id finds nothing left to send.
    const again = await up();
    expect(again).not.toMatch(/DeadLetterRedrive|created|replaced/);
    destinations[0].redrive = { id: `second-${run}` };
    writeStackConfig();
    const second = await up();
    // The CLI may wrap a warning at any space.
    expect(second).toMatch(/holds\s+nothing\s+that\s+was\s+not\s+sent\s+back\s+already/);
    await new Promise((r) => setTimeout(r, 3000));
    expect(tally(await counts("a"), refused)).toEqual(refused.map(() => 1));
    expect(await connectors()).not.toContain(`${ENVIRONMENT}-a-http-sink-redrive`);
    // The jobs are past events: refresh reads nothing back that could drift.
    await pulumiOk(env, withStack(["refresh", "--yes", "--expect-no-changes"]));
    for (const key of API_KEYS.values()) for (const out of printed) expect(out).not.toContain(key);
  });
});
