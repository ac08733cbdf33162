/**
 * Progress of a long `go` command: a line every interval with the time spent so far and what go
 * last said it was doing, so that a cold build (minutes) is never silent.
 */

/** Fifteen seconds: often enough to show life, rare enough not to flood a CI log. */
export const DEFAULT_PROGRESS_INTERVAL_MS = 15_000;

const DOWNLOADING = /^go: downloading (\S+) (\S+)$/;
const FINDING = /^go: finding module for package (\S+)$/;
/** `go build -v` prints each package's import path as it compiles it, alone on its line. */
const IMPORT_PATH = /^[A-Za-z0-9_.~-]+(\/[A-Za-z0-9_.~+-]+)+$|^[a-z0-9]+$/;

/** What one line of `go` output says go is doing, or undefined when it says nothing of the kind. */
export function goActivity(line: string): string | undefined {
  const text = line.trim();
  const download = DOWNLOADING.exec(text);
  if (download) return `downloading ${download[1]} ${download[2]}`;
  const finding = FINDING.exec(text);
  if (finding) return `resolving ${finding[1]}`;
  if (IMPORT_PATH.test(text)) return `compiling ${text}`;
  return undefined;
}

/** `45s`, `2m05s`, `1h02m`. */
export function formatElapsed(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h${String(m).padStart(2, "0")}m`;
  if (m > 0) return `${m}m${String(s).padStart(2, "0")}s`;
  return `${s}s`;
}

/** `    pulumi CLI: 2m05s, compiling github.com/pulumi/pulumi/pkg/v3/backend` */
export function progressLine(label: string, elapsedMs: number, activity?: string): string {
  return `    ${label}: ${formatElapsed(elapsedMs)}, ${activity ?? "starting"}`;
}

export interface ProgressOptions {
  /** What runs, as the user knows it: "pulumi CLI", "kafka plugin". */
  readonly label: string;
  readonly say: (line: string) => void;
  /** Defaults to {@link DEFAULT_PROGRESS_INTERVAL_MS}. */
  readonly intervalMs?: number;
  /** Milliseconds since some fixed point. Defaults to `Date.now`. */
  readonly now?: () => number;
}

/** Fed with a command's output; says a progress line every interval until stopped. */
export class ProgressReporter {
  private readonly started: number;
  private readonly now: () => number;
  private activity?: string;
  private partial = "";
  private timer?: NodeJS.Timeout;

  constructor(private readonly options: ProgressOptions) {
    this.now = options.now ?? Date.now;
    this.started = this.now();
  }

  start(): this {
    this.timer = setInterval(
      () => this.tick(),
      this.options.intervalMs ?? DEFAULT_PROGRESS_INTERVAL_MS,
    );
    // A forgotten reporter must not keep the process alive.
    this.timer.unref();
    return this;
  }

  /** Takes a chunk of output (any size, lines may be split across chunks). */
  observe(chunk: string): void {
    const lines = (this.partial + chunk).split("\n");
    this.partial = lines.pop() ?? "";
    for (const line of lines) this.activity = goActivity(line) ?? this.activity;
  }

  tick(): void {
    this.options.say(progressLine(this.options.label, this.now() - this.started, this.activity));
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
