import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pipelineDashboard } from "../../../observability/dashboard";
import { documentedMetrics } from "./jmxRules";

const readme = readFileSync(
  join(__dirname, "..", "..", "..", "observability", "README.md"),
  "utf8",
);
const destinations = [
  { name: "amp", connector: "prod-amp-http-sink" },
  { name: "crm", connector: "prod-crm-http-sink" },
];
const dashboard = pipelineDashboard({ environment: "prod", namespace: "tracking", destinations });
const exprs = dashboard.panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr));

describe("the Grafana dashboard", () => {
  it("has the REST proxy's row, then one row per destination in the stack's order", () => {
    expect(dashboard.panels.filter((p) => p.type === "row").map((p) => p.title)).toEqual([
      "REST proxy",
      "amp (prod-amp-http-sink)",
      "crm (prod-crm-http-sink)",
    ]);
  });

  it("queries only metrics that observability/README.md documents", () => {
    const documented = documentedMetrics(readme);
    const names = new Set(
      exprs.flatMap((e) => e.match(/\b(?:tracking|kafka|rest)_[a-z0-9_]+/g) ?? []),
    );
    expect(names.size).toBeGreaterThan(5);
    expect([...names].filter((n) => !documented.has(n))).toEqual([]);
  });

  it("keeps each destination's queries to its connector, and the proxy's to its namespace", () => {
    const rows = dashboard.panels;
    const crmRow = rows.findIndex((p) => p.title.startsWith("crm"));
    for (const p of rows.slice(crmRow + 1)) {
      for (const t of p.targets ?? []) expect(t.expr).toContain('connector="prod-crm-http-sink"');
    }
    const ampRow = rows.findIndex((p) => p.title.startsWith("amp"));
    for (const p of rows.slice(1, ampRow)) {
      for (const t of p.targets ?? []) expect(t.expr).toContain('namespace="tracking"');
    }
  });

  it("lays panels out without overlap, with unique ids", () => {
    const ids = dashboard.panels.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    const cells = new Set<string>();
    for (const { gridPos: g } of dashboard.panels) {
      expect(g.x + g.w).toBeLessThanOrEqual(24);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          expect(cells.has(`${x},${y}`)).toBe(false);
          cells.add(`${x},${y}`);
        }
      }
    }
  });

  it("uses the data source chosen in its variable", () => {
    for (const p of dashboard.panels.filter((p) => p.type !== "row")) {
      expect(p.datasource).toEqual({ type: "prometheus", uid: "${datasource}" });
    }
  });
});
