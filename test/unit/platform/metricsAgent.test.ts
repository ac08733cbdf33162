import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Component } from "../../../platform/component";
import {
  agentChanges,
  agentOption,
  agentOptions,
  metricsPortTaken,
  metricsUrl,
  rulesFile,
  withMetricsAgent,
} from "../../../platform/metricsAgent";
import { resolveSettings } from "../../../platform/settings";
import { jvmOptionChanges } from "../../../platform/workerReuse";

const jars = { root: "/cache/kafka-4.4.0-aaaa", kafkaLibs: "", restProxyLibs: "", pluginPath: "" };
const settings = resolveSettings({ home: "/tmp/h", ports: { connectMetrics: 28084 } }, {});
const agent = "/cache/kafka-4.4.0-aaaa/jmx-exporter/jmx_prometheus_javaagent-1.0.1.jar";

describe("the metrics agent option", () => {
  it("binds 127.0.0.1 on the process's metrics port with our rules file", () => {
    expect(agentOption(settings, jars, "connect")).toBe(
      `-javaagent:${agent}=127.0.0.1:28084:${rulesFile("connect")}`,
    );
    expect(rulesFile("rest-proxy")).toMatch(/observability\/jmx-exporter\/rest-proxy\.yml$/);
    expect(metricsUrl(settings, "rest-proxy")).toBe("http://127.0.0.1:18081/metrics");
  });

  it("defaults to 18084 and 18081, read from their environment variables", () => {
    const env = { TRACKING_PLATFORM_CONNECT_METRICS_PORT: "30084" };
    expect(resolveSettings({}, env).ports).toMatchObject({
      connectMetrics: 30084,
      restProxyMetrics: 18081,
    });
    expect(resolveSettings({ secure: true }, {}).ports).toMatchObject({
      connectMetrics: 18184,
      restProxyMetrics: 18181,
    });
    expect(metricsPortTaken(settings, "connect")).toBe(
      "connect: the metrics port 28084 is already taken by another process. Stop that process, " +
        "or pick another port with `TRACKING_PLATFORM_CONNECT_METRICS_PORT`.",
    );
  });

  it("goes last among the JVM options, before -cp", () => {
    const plain = {
      name: "connect",
      command: () => ({ command: "java", args: ["-Xmx1g", "-cp", "/libs/*", "Main", "w.props"] }),
    } as unknown as Component;
    expect(withMetricsAgent(plain, settings, jars, "connect").command().args).toEqual([
      "-Xmx1g",
      agentOption(settings, jars, "connect"),
      "-cp",
      "/libs/*",
      "Main",
      "w.props",
    ]);
  });
});

describe("agentChanges (the reuse check of a running JVM)", () => {
  const wanted = ["java", "-Xmx1g", agentOption(settings, jars, "connect"), "-cp", "x", "Main"];

  it("restarts a JVM started without the agent", () => {
    expect(agentChanges(["java", "-Xmx1g", "-cp", "x", "Main"], wanted)).toEqual(["-javaagent"]);
  });

  it("restarts one with another port or agent version, not one whose cache folder moved", () => {
    const other = wanted.map((a) => a.replace("28084", "28085"));
    expect(agentChanges(other, wanted)).toEqual(["-javaagent"]);
    const older = wanted.map((a) => a.replace("1.0.1", "0.20.0"));
    expect(agentChanges(older, wanted)).toEqual(["-javaagent"]);
    const moved = wanted.map((a) => a.replace("kafka-4.4.0-aaaa", "kafka-4.4.0-bbbb"));
    expect(agentChanges(moved, wanted)).toEqual([]);
    expect(agentOptions(wanted)).toEqual([
      `-javaagent:jmx_prometheus_javaagent-1.0.1.jar=127.0.0.1:28084:${rulesFile("connect")}`,
    ]);
  });

  it("reads the running command from the pid record", () => {
    const dir = mkdtempSync(join(tmpdir(), "metrics-agent-"));
    try {
      const pidFile = join(dir, "connect.pid");
      writeFileSync(pidFile, JSON.stringify({ pid: 1, command: wanted, marker: "m" }));
      expect(jvmOptionChanges(pidFile, wanted)).toEqual([]);
      writeFileSync(pidFile, JSON.stringify({ pid: 1, command: ["java", "Main"], marker: "m" }));
      expect(jvmOptionChanges(pidFile, wanted)).toEqual(["-javaagent"]);
      expect(jvmOptionChanges(join(dir, "none.pid"), wanted)).toEqual(["-javaagent"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
