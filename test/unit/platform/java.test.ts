import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PlatformJars } from "../../../platform/fetch";
import { connectComponent, restProxyComponent } from "../../../platform/components";
import { javaComponent } from "../../../platform/java";
import { resolveSettings } from "../../../platform/settings";

describe("javaComponent", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "platform-java-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  const settings = () => resolveSettings({ home, extraJvmOpts: ["-Xmx1g"] }, {});
  const jars: PlatformJars = {
    root: "/jars",
    kafkaLibs: "/jars/kafka",
    restProxyLibs: "/jars/rest-proxy",
    pluginPath: "/jars/plugins",
  };

  it("starts the main class with the shared JVM options, its classpath and its config file", () => {
    const component = javaComponent(settings(), {
      name: "rest-proxy",
      port: 28080,
      endpoint: "http://127.0.0.1:28080",
      readyTimeoutMs: 1000,
      dir: join(home, "thing"),
      configFileName: "thing.properties",
      config: () => ({ listeners: "http://127.0.0.1:28080", "producer.acks": "all" }),
      classpath: "/libs/*",
      mainClass: "tracking.Thing",
      heap: "128m",
      ready: () => Promise.resolve(true),
    });
    component.prepare();
    const { args } = component.command();
    expect(args).toEqual([
      "-Xms64m",
      "-Xmx128m",
      "-XX:+UseSerialGC",
      "-XX:TieredStopAtLevel=1",
      "-XX:+ExitOnOutOfMemoryError",
      "-Djava.awt.headless=true",
      `-Dlog4j2.configurationFile=${join(home, "log4j2.properties")}`,
      `-Dtracking.platform.process=${home}/rest-proxy`,
      "-Xmx1g",
      "-cp",
      "/libs/*",
      "tracking.Thing",
      join(home, "thing", "thing.properties"),
    ]);
    expect(readFileSync(join(home, "thing", "thing.properties"), "utf8")).toBe(
      "listeners=http://127.0.0.1:28080\nproducer.acks=all\n",
    );
    expect(readFileSync(join(home, "log4j2.properties"), "utf8")).toContain(
      "rootLogger.level=INFO",
    );
  });

  it("declares Connect and the REST proxy through it, each with its own heap, class and config", () => {
    const connect = connectComponent(settings(), jars);
    const proxy = restProxyComponent(settings(), jars);
    connect.prepare();
    proxy.prepare();
    const tail = (c: { command(): { args: string[] } }) =>
      c.command().args.slice(1, 2).concat(c.command().args.slice(-3));
    expect(tail(connect)).toEqual([
      "-Xmx768m",
      "/jars/kafka/*",
      "org.apache.kafka.connect.cli.ConnectDistributed",
      join(home, "connect", "worker.properties"),
    ]);
    expect(tail(proxy)).toEqual([
      "-Xmx256m",
      "/jars/rest-proxy/*",
      "tracking.platform.restproxy.RestProxy",
      join(home, "rest-proxy", "rest-proxy.properties"),
    ]);
    expect(readFileSync(join(home, "connect", "worker.properties"), "utf8")).toContain(
      "plugin.path=/jars/plugins\n",
    );
  });

  it("writes a REST proxy's extra Confluent keys into its config; the platform's has none", () => {
    const file = join(home, "rest-proxy", "rest-proxy.properties");
    restProxyComponent(settings(), jars).prepare();
    expect(readFileSync(file, "utf8")).not.toContain("rate.limit");
    const limited = { "rate.limit.enable": "true", "rate.limit.permits.per.sec": 1 };
    restProxyComponent(settings(), jars, limited).prepare();
    const text = readFileSync(file, "utf8");
    expect(text).toContain("\nrate.limit.enable=true\nrate.limit.permits.per.sec=1\n");
    expect(text).toContain("\nbootstrap.servers=127.0.0.1:19092\n");
  });
});
