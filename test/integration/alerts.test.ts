import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse } from "yaml";
import {
  ALERTS_FILE,
  alertGroups,
  alertRulesYaml,
  DEFAULT_ALERT_THRESHOLDS,
} from "../../observability/alerts";
import { cacheRootFor } from "../../scripts/toolchain/cache";
import { promtoolBinary } from "../../scripts/toolchain/parts/promtool";
import { ROOT, runToolchain } from "../../scripts/pulumiCli";

/**
 * The alerting rules under Prometheus's own promtool (built by `npm run toolchain --
 * --with-promtool`, and here when missing): `check rules`, then `test rules` with a case per
 * alert that fires and one that must not.
 */
const RULES = join(ROOT, ALERTS_FILE);
const TESTS = join(ROOT, "observability", "prometheus", "tracking-alerts.test.yml");
let promtool = "";

function promtoolRun(args: string[], cwd = ROOT) {
  const r = spawnSync(promtool, args, { cwd, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

interface RuleTest {
  input_series: { series: string }[];
  alert_rule_test: { alertname: string; exp_alerts: { exp_labels: Record<string, string> }[] }[];
}

describe("the alerting rules under promtool", () => {
  beforeAll(async () => {
    await runToolchain(["--with-promtool", "--print-env"], (line) =>
      process.stderr.write(`[toolchain] ${line}\n`),
    );
    promtool = promtoolBinary(cacheRootFor(undefined));
  }, 45 * 60_000);

  it("are the committed file, generated from observability/alerts.ts", () => {
    expect(readFileSync(RULES, "utf8")).toBe(alertRulesYaml());
  });

  it("pass promtool check rules", () => {
    const r = promtoolRun(["check", "rules", RULES]);
    expect(r.out).toContain(`SUCCESS: ${alertGroups()[0].rules.length} rules found`);
    expect(r.code).toBe(0);
  });

  it("pass promtool test rules, each alert with a case that fires and one that must not", () => {
    const doc = parse(readFileSync(TESTS, "utf8")) as { tests: RuleTest[] };
    for (const { alert } of alertGroups()[0].rules) {
      const cases = doc.tests.flatMap((t) =>
        t.alert_rule_test.filter((c) => c.alertname === alert).map((c) => ({ t, c })),
      );
      const fires = cases.filter(({ c }) => c.exp_alerts.length > 0);
      expect([alert, fires.length > 0]).toEqual([alert, true]);
      // Must not fire: an evaluation expecting none, or a series of another connector beside it.
      const quiet = cases.some(({ t, c }) => {
        if (c.exp_alerts.length === 0) return true;
        const firing = new Set(c.exp_alerts.map((a) => a.exp_labels.connector));
        return t.input_series.some((s) => {
          const connector = /connector="([^"]+)"/.exec(s.series)?.[1];
          return connector !== undefined && !firing.has(connector);
        });
      });
      expect([alert, quiet]).toEqual([alert, true]);
    }
    const r = promtoolRun(["test", "rules", TESTS]);
    expect(r.out).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  it("fail promtool test rules when a threshold moves", () => {
    const dir = mkdtempSync(join(tmpdir(), "alerts-"));
    try {
      writeFileSync(
        join(dir, "tracking-alerts.yml"),
        alertRulesYaml({ ...DEFAULT_ALERT_THRESHOLDS, serverErrorRatio: 0.2 }),
      );
      copyFileSync(TESTS, join(dir, "tracking-alerts.test.yml"));
      const r = promtoolRun(["test", "rules", "tracking-alerts.test.yml"], dir);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain("TrackingDestinationServerErrors");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
