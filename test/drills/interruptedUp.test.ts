import { connectorNameOf } from "../../components/sinkSettings";
import { ReceiverClient } from "../../platform/receiverClient";
import type { PulumiResult } from "../../scripts/pulumiCli";
import { outputOf } from "../e2e/kubernetes/engine";
import { clusterEndpoints, sleep, waitFor } from "./cluster";
import { arrivalsAt, drillDestinations, stackSink } from "./destinations";
import {
  DrillStack,
  connectorsOn,
  formatCounts,
  retriedAnswers,
  retryNotices,
  topicExists,
} from "./engine";
import { printDrill, seconds } from "./report";
import { EventStream } from "./traffic";

/**
 * `pulumi up` interrupted while it creates ten connectors, twice, each on a stack of its own:
 * - SIGINT to the CLI once a few connectors exist on the worker (as a runner cancelling a job
 *   does), and SIGKILL to its process group if it is still there a few seconds later;
 * - SIGKILL to its process group at once (a runner killed hard).
 * The CLI gives each plugin a process group of its own, so a plugin can outlive a killed CLI (the
 * dynamic provider did, for good): the drill records the CLI's process tree while it runs and
 * kills what is left of it by pid, and prints what was left.
 * Then what a team does next must converge, and the drill does what the CLI says: `pulumi up
 * --refresh`. After SIGINT the CLI mostly stopped by itself within 1 to 4 s (exit 1, the
 * connectors it had finished in its state, nothing pending) and that `up` converged. After a
 * SIGKILL the file backend keeps the lock and the creates the CLI never saw finish are pending:
 * `up` refuses ("the stack is currently locked ... delete the lock file with `pulumi cancel`"),
 * and after `pulumi cancel` the `up --refresh` converged, pending creates included: the provider's
 * create adopts a connector of the same name (PUT of its config), so what the killed run made is
 * taken over, not duplicated. The steps are printed. No connector of the stack may be left
 * outside its state (or the other way round), a refresh finds nothing to change, no event is lost,
 * and destroy removes every connector.
 */
const DESTINATIONS = 10;
const SIGKILL_AFTER_MS = 5_000;

describe("drill: pulumi up interrupted while it creates connectors", () => {
  const e = clusterEndpoints();
  const receiver = new ReceiverClient(e.receiverUrl);
  const stamp = Date.now().toString(36);
  const stacks: DrillStack[] = [];
  let stream: EventStream | undefined;

  afterAll(async () => {
    await stream?.stop().catch(() => undefined);
    for (const stack of stacks) await stack.finish();
  });

  it("after SIGINT (then SIGKILL if still alive), the next up converges with no orphan connector", async () => {
    await interruptAndRecover("drill-interrupted", "SIGINT");
  });

  it("after SIGKILL of the CLI's process group, the next up converges with no orphan connector", async () => {
    await interruptAndRecover("drill-killed", "SIGKILL");
  });

  async function interruptAndRecover(name: string, signal: "SIGINT" | "SIGKILL"): Promise<void> {
    const stack = new DrillStack(`${name}-${stamp}`, name);
    stacks.push(stack);
    const destinations = drillDestinations(e, `/${name}/${stamp}`, DESTINATIONS);
    const expected = destinations.map((d) => connectorNameOf(stack.environment, d.name)).sort();
    await stack.start(e, destinations);

    const upArgs = ["up", "--yes", "--skip-preview", ...stack.policy()];
    const first = stack.background(upArgs);
    await first.until(`the stack's topic ${stack.topic}`, 300_000, () =>
      topicExists(e, stack.topic),
    );
    stream = new EventStream(e.restProxyUrl, stack.topic, `${name}-${stamp}`, {
      eventsPerSecond: 50,
    }).start();
    await first.until("3 of the stack's connectors on the worker", 300_000, async () => {
      return (await connectorsOn(e.connectUrl, stack.connectorPrefix)).length >= 3;
    });

    const atSignal = (await connectorsOn(e.connectUrl, stack.connectorPrefix)).length;
    first.recordTree();
    const signalledAt = Date.now();
    let exitedOnSigint = false;
    if (signal === "SIGINT") {
      first.signal("SIGINT");
      exitedOnSigint = await Promise.race([
        first.done.then(() => true),
        sleep(SIGKILL_AFTER_MS).then(() => false),
      ]);
    }
    if (!exitedOnSigint) first.killGroup("SIGKILL");
    const interrupted = await first.exit(60_000);
    const endedMs = (first.endedAt ?? Date.now()) - signalledAt;
    // Nothing of the first run may go on creating connectors behind the drill's back: a plugin
    // that outlived its CLI's group is killed by its recorded pid.
    await sleep(2_000);
    const pluginsLeft = first.leftRunning.map((p) => `${p.pid} ${p.command.slice(0, 80)}`);
    first.killTree("SIGKILL");
    const leftBehind = {
      worker: await connectorsOn(e.connectUrl, stack.connectorPrefix),
      state: await stack.state(),
    };

    const steps: string[] = [];
    const run = async (label: string, args: string[]): Promise<PulumiResult> => {
      const result = await stack.engine.cli(args);
      // What the CLI said of the interrupted update: its refusal, or its pending creates.
      const said = outputOf(result)
        .split("\n")
        .find((line) => /locked|pending/i.test(line));
      steps.push(
        `pulumi ${label} → exit ${result.code}${said ? ` ("${said.trim().slice(0, 160)}")` : ""}`,
      );
      return result;
    };
    const recovering = Date.now();
    let next = await run("up --refresh", [...upArgs, "--refresh"]);
    if (next.code !== 0 && /currently locked/.test(outputOf(next))) {
      await run("cancel", ["cancel", "--yes"]);
      next = await run("up --refresh", [...upArgs, "--refresh"]);
    }
    const recoverMs = Date.now() - recovering;
    const retried = retriedAnswers([
      ...retryNotices(interrupted.stdout),
      ...retryNotices(next.stdout),
    ]);

    const onWorker = await connectorsOn(e.connectUrl, stack.connectorPrefix);
    const inState = (await stack.state()).connectors;
    const refresh = await stack.engine.cli(["refresh", "--yes", "--expect-no-changes"]);

    const traffic = await stream.stop();
    stream = undefined;
    const sinks = await Promise.all(
      destinations.map((d) =>
        stackSink(e, d, connectorNameOf(stack.environment, d.name), stack.topic),
      ),
    );
    const { each, total } = await arrivalsAt(receiver, sinks, traffic.ids, 300_000);

    const destroy = await stack.engine.cli(["destroy", "--yes"]);
    const afterDestroy = await waitFor(
      "the stack's connectors gone after destroy",
      120_000,
      async () => {
        const left = await connectorsOn(e.connectUrl, stack.connectorPrefix);
        return left.length === 0 ? left : undefined;
      },
    ).catch(async () => connectorsOn(e.connectUrl, stack.connectorPrefix));

    const how =
      signal === "SIGKILL"
        ? "SIGKILL of its process group"
        : exitedOnSigint
          ? "exited by itself after SIGINT"
          : `SIGKILL of its process group ${seconds(SIGKILL_AFTER_MS)} after SIGINT`;
    printDrill(`pulumi up interrupted (${signal}) while creating connectors`, traffic, total, {
      [`connectors on the worker at ${signal}`]: `${atSignal} of ${DESTINATIONS}`,
      "first up ended":
        `${how} (exit ${interrupted.code}, signal ${interrupted.signal ?? "none"}), ` +
        `${seconds(endedMs)} after ${signal}; its processes still running 2 s later (then killed ` +
        `by pid): ` +
        `${pluginsLeft.join("; ") || "none"}`,
      "left behind":
        `${leftBehind.worker.length} connectors on the worker, ` +
        `${leftBehind.state.connectors.length} in state, pending operations: ` +
        `${leftBehind.state.pending.join(", ") || "none"}`,
      "recovery steps": steps.join("; "),
      "recovery took": seconds(recoverMs),
      "answers the provider retried (both ups)": formatCounts(retried),
      "after: on the worker / in state": `${onWorker.length} / ${inState.length}`,
      "refresh --expect-no-changes": refresh.code === 0 ? "no changes" : `exit ${refresh.code}`,
      "per destination (distinct/duplicates/lost)": [...each.values()]
        .map((a, i) => `d${i} ${a.distinct}/${a.duplicates}/${a.missing.length}`)
        .join(", "),
      destroy: `exit ${destroy.code}, connectors left ${afterDestroy.length}`,
    });

    expect({ code: next.code, output: next.code === 0 ? "" : outputOf(next) }).toEqual({
      code: 0,
      output: "",
    });
    expect(onWorker).toEqual(expected);
    expect(inState).toEqual(expected);
    expect({ code: refresh.code, output: refresh.code === 0 ? "" : outputOf(refresh) }).toEqual({
      code: 0,
      output: "",
    });
    expect(traffic.acked).toBe(traffic.ids.length);
    expect(total.missing).toEqual([]);
    expect(total.distinct).toBe(traffic.ids.length * DESTINATIONS);
    expect(destroy.code).toBe(0);
    expect(afterDestroy).toEqual([]);
  }
});
