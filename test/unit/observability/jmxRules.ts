import { readFileSync } from "node:fs";
import { parse } from "yaml";

/** One rule of a JMX exporter rules file, as far as these tests read it. */
export interface JmxRule {
  readonly pattern: string;
  readonly name: string;
  readonly type?: "GAUGE" | "COUNTER" | "UNTYPED";
  readonly value?: number | string;
  readonly valueFactor?: number;
  readonly labels?: Readonly<Record<string, string>>;
  readonly help?: string;
}

export interface JmxRules {
  readonly includeObjectNames?: readonly string[];
  readonly rules: readonly JmxRule[];
}

/** Loads a rules file, failing with the rule's index when a field the agent needs is missing. */
export function loadRules(file: string): JmxRules {
  const doc = parse(readFileSync(file, "utf8")) as Partial<JmxRules> | null;
  if (!doc || !Array.isArray(doc.rules) || doc.rules.length === 0) {
    throw new Error(`${file}: no \`rules\` list.`);
  }
  doc.rules.forEach((rule: Partial<JmxRule>, i) => {
    if (typeof rule.pattern !== "string") throw new Error(`${file}: rules[${i}] has no pattern.`);
    if (typeof rule.name !== "string") throw new Error(`${file}: rules[${i}] has no name.`);
    if (!["GAUGE", "COUNTER"].includes(rule.type ?? "")) {
      throw new Error(`${file}: rules[${i}] (${rule.name}) must say type GAUGE or COUNTER.`);
    }
  });
  return doc as JmxRules;
}

export interface Exported {
  readonly name: string;
  readonly type: "gauge" | "counter";
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * What the agent exports for one attribute, following its matching: the pattern is tried as
 * `^.*(?:<pattern>).*$` against `<domain><key=value, ...><>attribute: value`, the first rule that
 * matches wins, `$n` takes capture n, and characters a metric name cannot hold become `_`.
 */
export function exportedBy(rules: JmxRules, input: string): Exported | undefined {
  for (const rule of rules.rules) {
    const m = new RegExp(`^.*(?:${rule.pattern}).*$`).exec(input);
    if (!m) continue;
    const sub = (s: string) => s.replace(/\$(\d+)/g, (_, n: string) => m[Number(n)] ?? "");
    const labels = Object.fromEntries(
      Object.entries(rule.labels ?? {}).map(([k, v]) => [k, sub(v)]),
    );
    return {
      name: sub(rule.name).replace(/[^a-zA-Z0-9_:]/g, "_"),
      type: rule.type === "COUNTER" ? "counter" : "gauge",
      labels,
    };
  }
  return undefined;
}

export interface DocumentedMetric {
  readonly name: string;
  readonly type: string;
  /** Label names; `[task]` (present for some clients only) is read as optional. */
  readonly labels: readonly string[];
  readonly optional: readonly string[];
}

/** The rows of every metrics table of observability/README.md, by metric name. */
export function documentedMetrics(readme: string): Map<string, DocumentedMetric> {
  const rows = new Map<string, DocumentedMetric>();
  for (const line of readme.split("\n")) {
    const m = /^\|\s*`([a-z_:0-9]+)`\s*\|\s*(counter|gauge)\s*\|([^|]*)\|/.exec(line);
    if (!m) continue;
    const cells = m[3]
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== "");
    rows.set(m[1], {
      name: m[1],
      type: m[2],
      labels: cells.map((c) => c.replace(/^\[(.*)\]$/, "$1")),
      optional: cells.filter((c) => c.startsWith("[")).map((c) => c.slice(1, -1)),
    });
  }
  return rows;
}
