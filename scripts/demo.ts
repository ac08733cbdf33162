/**
 * `npm run demo`: the main job on the embedded local default, in one command. Starts the local
 * platform, runs `pulumi up` on the `local` stack with the policy pack, sends sample tracking
 * events through the REST proxy, and shows them arriving at the analytics receiver. The platform
 * is left running; the last lines say how to stop it. The stack's state lives in the platform's
 * home (see localStack.ts), so a second clone finds the stack the first one deployed.
 */
import axios from "axios";
import { startPlatform } from "../platform";
import { resolveSettings } from "../platform/settings";
import { ReceiverClient } from "../platform/receiverClient";
import {
  LOCAL_STACK,
  adoptCloneState,
  destroyCommand,
  localBackendDir,
  localConfigFile,
} from "./localStack";
import { ROOT, policyFlags, pulumiEnvironment, pulumiOk } from "./pulumiCli";
import { collectStatus } from "../status/collect";
import { renderStatus } from "../status/render";
import { targetFromStack } from "../status/target";

const EVENTS = 500;
const say = (line: string) => console.log(line);

interface StackOutputs {
  restProxyEndpoint: string;
  topicNames: string[];
  connectorNames: string[];
  connectEndpoint: string;
}

async function main() {
  say("1/4 starting the local platform (Kafka, Connect, REST proxy, receiver on 127.0.0.1)");
  const platform = await startPlatform({ log: (line) => say(`    ${line}`) });

  say("2/4 preparing the Pulumi toolchain (built once into ~/.cache/tracking-pipeline)");
  const backendDir = localBackendDir();
  const env = await pulumiEnvironment({ backendDir, log: (line) => say(`    ${line}`) });
  const moved = adoptCloneState(ROOT, backendDir);
  if (moved) say(`    ${moved}`);
  say(`    the local stack's state: ${backendDir}`);
  await pulumiOk(env, ["stack", "select", "--create", LOCAL_STACK]);
  // Pulumi.local.yaml names the default ports; a platform on other ports gets a copy with its own.
  const configFile = localConfigFile(ROOT, resolveSettings());
  const configFlags = configFile ? ["--config-file", configFile] : [];

  say(`3/4 pulumi up --stack ${LOCAL_STACK}, with the policy pack`);
  await pulumiOk(env, ["up", "--yes", "--skip-preview", ...configFlags, ...policyFlags("local")], {
    echo: true,
  });
  const outputs = JSON.parse(
    (await pulumiOk(env, ["stack", "output", "--json", "--show-secrets"])).stdout,
  ) as StackOutputs;

  say(`4/4 sending ${EVENTS} tracking events to ${outputs.restProxyEndpoint}`);
  const receiver = new ReceiverClient(platform.endpoints.receiverUrl);
  const run = Date.now().toString(36);
  const events = Array.from({ length: EVENTS }, (_, i) => ({
    id: `demo-${run}-${i}`,
    type: ["page_view", "add_to_cart", "checkout"][i % 3],
    sku: `SKU-${(i % 40) + 1}`,
    at: new Date().toISOString(),
  }));
  const [topic] = outputs.topicNames;
  for (let i = 0; i < events.length; i += 50) {
    await axios.post(
      `${outputs.restProxyEndpoint}/topics/${topic}`,
      { records: events.slice(i, i + 50).map((value) => ({ key: value.sku, value })) },
      { headers: { "Content-Type": "application/vnd.kafka.json.v2+json" } },
    );
  }
  const report = await receiver.waitForIds(
    events.map((e) => e.id),
    { timeoutMs: 120_000 },
  );
  const mine = new Set(events.map((e) => e.id));
  const requests = (await receiver.requests()).filter(
    (r) => r.status < 300 && JSON.stringify(r.json ?? "").includes(`demo-${run}-`),
  );
  say("");
  say(`connector ${outputs.connectorNames.join(", ")} on ${outputs.connectEndpoint}`);
  say(
    `received ${EVENTS - report.missing.length} of ${EVENTS} events in ${requests.length} batched ` +
      `requests, ${report.duplicates.filter((id) => mine.has(id)).length} duplicates`,
  );
  if (requests.length > 0) {
    const sample = requests[0];
    say(
      `sample request: ${sample.method} ${sample.path} (${sample.headers["content-type"] ?? ""})`,
    );
    say(`  ${sample.body.slice(0, 300)}${sample.body.length > 300 ? " ..." : ""}`);
  }
  say("");
  say(`npm run status (the stack's pipeline now; \`-- --watch\` refreshes it):`);
  const status = await collectStatus(targetFromStack(ROOT, LOCAL_STACK));
  for (const line of renderStatus(status).trimEnd().split("\n")) say(`  ${line}`);
  say("");
  say("The platform keeps running. To stop it: npm run platform -- down");
  say(`The local stack's state is in ${backendDir} (npm run platform -- reset wipes it too).`);
  say(`To remove what the demo deployed first: ${destroyCommand(backendDir, configFile)}`);
  if (report.missing.length > 0) {
    throw new Error(`${report.missing.length} events did not arrive, e.g. ${report.missing[0]}`);
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
