/**
 * A reader of the Prometheus text exposition format (0.0.4), what the JMX exporter agent serves
 * at `/metrics`: `# HELP` and `# TYPE` lines, then `name{label="value",...} value [timestamp]`.
 * Small and strict on purpose: a line it cannot read is an error naming the line, so a change in
 * the agent's output shows up as a failing test rather than as missing figures.
 */

export interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  /** NaN, +Inf and -Inf are read as the JavaScript numbers. */
  readonly value: number;
}

export interface Exposition {
  readonly samples: readonly Sample[];
  /** `# TYPE` of each family (counter, gauge, untyped, ...), by family name. */
  readonly types: ReadonlyMap<string, string>;
  readonly help: ReadonlyMap<string, string>;
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseValue(raw: string, lineNo: number): number {
  if (raw === "NaN") return NaN;
  if (raw === "+Inf" || raw === "Inf") return Infinity;
  if (raw === "-Inf") return -Infinity;
  const value = Number(raw);
  if (raw === "" || Number.isNaN(value)) {
    throw new Error(`Line ${lineNo}: "${raw}" is not a sample value.`);
  }
  return value;
}

/** Reads `{a="x",b="y"}` from the start of `text`; returns the labels and what follows. */
function parseLabels(
  text: string,
  lineNo: number,
): { labels: Record<string, string>; rest: string } {
  const labels: Record<string, string> = {};
  let i = 1; // past "{"
  for (;;) {
    while (text[i] === " ") i++;
    if (text[i] === "}") return { labels, rest: text.slice(i + 1) };
    const name = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!name) throw new Error(`Line ${lineNo}: expected a label name at column ${i + 1}.`);
    i += name.length;
    if (text[i] !== "=" || text[i + 1] !== '"') {
      throw new Error(`Line ${lineNo}: expected ="..." after label ${name}.`);
    }
    i += 2;
    let value = "";
    for (;;) {
      const c = text[i];
      if (c === undefined) throw new Error(`Line ${lineNo}: unterminated value of label ${name}.`);
      if (c === '"') break;
      if (c === "\\") {
        const next = text[i + 1];
        value += next === "n" ? "\n" : next;
        i += 2;
      } else {
        value += c;
        i += 1;
      }
    }
    if (name in labels) throw new Error(`Line ${lineNo}: label ${name} appears twice.`);
    labels[name] = value;
    i += 1; // past the closing quote
    while (text[i] === " ") i++;
    if (text[i] === ",") i += 1;
    else if (text[i] !== "}")
      throw new Error(`Line ${lineNo}: expected , or } after label ${name}.`);
  }
}

export function parsePrometheusText(text: string): Exposition {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  const help = new Map<string, string>();
  text.split("\n").forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.trim();
    if (line === "") return;
    if (line.startsWith("#")) {
      const m = /^#\s+(HELP|TYPE)\s+(\S+)\s*(.*)$/.exec(line);
      if (m?.[1] === "TYPE") types.set(m[2], m[3]);
      else if (m?.[1] === "HELP") help.set(m[2], m[3].replace(/\\n/g, "\n").replace(/\\\\/g, "\\"));
      return; // other comments are allowed and carry nothing
    }
    const name = NAME.exec(line)?.[0];
    if (!name) throw new Error(`Line ${lineNo}: expected a metric name: ${line}`);
    let rest = line.slice(name.length);
    let labels: Record<string, string> = {};
    if (rest.startsWith("{")) ({ labels, rest } = parseLabels(rest, lineNo));
    const fields = rest.trim().split(/\s+/);
    if (fields.length < 1 || fields.length > 2) {
      throw new Error(`Line ${lineNo}: expected a value and an optional timestamp: ${line}`);
    }
    samples.push({ name, labels, value: parseValue(fields[0], lineNo) });
  });
  return { samples, types, help };
}

/** The samples of a metric whose labels include every label of `match`. */
export function samplesOf(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): Sample[] {
  return exposition.samples.filter(
    (s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v),
  );
}

/** The one sample of a metric with these labels; undefined when none, an error when several. */
export function sampleValue(
  exposition: Exposition,
  name: string,
  match: Readonly<Record<string, string>> = {},
): number | undefined {
  const found = samplesOf(exposition, name, match);
  if (found.length > 1) {
    throw new Error(
      `${found.length} samples of ${name} match ${JSON.stringify(match)}; narrow the labels.`,
    );
  }
  return found[0]?.value;
}
