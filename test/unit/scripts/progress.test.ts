import {
  ProgressReporter,
  formatElapsed,
  goActivity,
  progressLine,
} from "../../../scripts/toolchain/progress";

describe("goActivity", () => {
  it("names the package `go build -v` printed", () => {
    expect(goActivity("github.com/pulumi/pulumi/pkg/v3/backend/httpstate")).toBe(
      "compiling github.com/pulumi/pulumi/pkg/v3/backend/httpstate",
    );
    expect(goActivity("net/http\n")).toBe("compiling net/http");
    expect(goActivity("runtime")).toBe("compiling runtime");
  });

  it("names the module go downloads or resolves", () => {
    expect(goActivity("go: downloading github.com/twmb/franz-go v1.22.3")).toBe(
      "downloading github.com/twmb/franz-go v1.22.3",
    );
    expect(goActivity("go: finding module for package golang.org/x/sys/unix")).toBe(
      "resolving golang.org/x/sys/unix",
    );
  });

  it("ignores commands, errors and blank lines", () => {
    expect(goActivity("")).toBeUndefined();
    expect(goActivity("# github.com/x/y")).toBeUndefined();
    expect(goActivity("./main.go:12:3: undefined: foo")).toBeUndefined();
    expect(goActivity("$ go build -v -o /tmp/x .   (in /tmp)")).toBeUndefined();
  });
});

describe("formatElapsed", () => {
  it("writes seconds, minutes with seconds, or hours with minutes", () => {
    expect(formatElapsed(0)).toBe("0s");
    expect(formatElapsed(45_900)).toBe("45s");
    expect(formatElapsed(125_000)).toBe("2m05s");
    expect(formatElapsed(3_720_000)).toBe("1h02m");
  });
});

describe("progressLine", () => {
  it("says the label, the time so far and the last activity", () => {
    expect(progressLine("pulumi CLI", 135_000, "compiling net/http")).toBe(
      "    pulumi CLI: 2m15s, compiling net/http",
    );
    expect(progressLine("kafka plugin", 15_000)).toBe("    kafka plugin: 15s, starting");
  });
});

describe("ProgressReporter", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("says one line per interval with the latest package, lines split across chunks", () => {
    let clock = 1_000;
    const lines: string[] = [];
    const reporter = new ProgressReporter({
      label: "pulumi CLI",
      say: (l) => lines.push(l),
      intervalMs: 15_000,
      now: () => clock,
    }).start();
    reporter.observe("go: downloading github.com/a/b v1.0.0\ngithub.com/a/");
    clock += 15_000;
    jest.advanceTimersByTime(15_000);
    reporter.observe("b\ngithub.com/a/c\n");
    clock += 15_000;
    jest.advanceTimersByTime(15_000);
    reporter.stop();
    clock += 15_000;
    jest.advanceTimersByTime(60_000);
    expect(lines).toEqual([
      "    pulumi CLI: 15s, downloading github.com/a/b v1.0.0",
      "    pulumi CLI: 30s, compiling github.com/a/c",
    ]);
  });

  it("says nothing before the first interval ends", () => {
    const lines: string[] = [];
    const reporter = new ProgressReporter({ label: "x", say: (l) => lines.push(l) }).start();
    jest.advanceTimersByTime(14_999);
    reporter.stop();
    expect(lines).toEqual([]);
  });
});
