import { spawn } from "node:child_process";
import { Command, InvalidArgumentError, Option } from "commander";
import { connectSecretsDirectory } from "./connectSecrets";
import { fetchInfo } from "./fetch";
import {
  CLUSTER_COMPONENTS,
  COMPONENTS,
  EVERY_COMPONENT,
  KUBERNETES_COMPONENTS,
  ComponentName,
  PlatformOptions,
  PlatformPorts,
  ensureFetched,
  logFile,
  platformStatus,
  resetPlatform,
  resolveSettings,
  startPlatform,
  stopPlatform,
} from "./index";
import { tail } from "./processes";
import { DEFAULT_PORTS, PORT_ENV, parsePort, versionKey } from "./settings";

interface GlobalFlags {
  kafkaPort?: number;
  controllerPort?: number;
  connectPort?: number;
  restProxyPort?: number;
  receiverPort?: number;
  connectMetricsPort?: number;
  restProxyMetricsPort?: number;
  etcdPort?: number;
  etcdPeerPort?: number;
  kubeApiserverPort?: number;
  kubeControllerManagerPort?: number;
  withKubernetes?: boolean;
  secure?: boolean;
  cluster?: boolean;
  home?: string;
  cache?: string;
}

const say = (line: string): void => console.log(line);

// `npm run platform -- status | head` closes the pipe early; that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(0);
  throw err;
});

function portOption(flag: string, key: keyof PlatformPorts, what: string): Option {
  return new Option(
    `${flag} <port>`,
    `${what} (env ${PORT_ENV[key]}, default ${DEFAULT_PORTS[key]})`,
  ).argParser((raw: string) => {
    try {
      return parsePort(raw, flag);
    } catch (err) {
      throw new InvalidArgumentError((err as Error).message);
    }
  });
}

const program = new Command()
  .name("npm run platform --")
  .description(
    "Local platform for integration tests and benchmarks: Kafka (KRaft), Kafka Connect with an " +
      "HTTP sink, a REST proxy and an analytics receiver, all on 127.0.0.1.",
  )
  .addOption(portOption("--kafka-port", "kafka", "broker listener"))
  .addOption(portOption("--controller-port", "controller", "KRaft controller listener"))
  .addOption(portOption("--connect-port", "connect", "Connect REST API"))
  .addOption(portOption("--rest-proxy-port", "restProxy", "REST proxy"))
  .addOption(portOption("--receiver-port", "receiver", "analytics receiver"))
  .addOption(portOption("--connect-metrics-port", "connectMetrics", "Connect worker's /metrics"))
  .addOption(portOption("--rest-proxy-metrics-port", "restProxyMetrics", "REST proxy's /metrics"))
  .option(
    "--with-kubernetes",
    "also run etcd, kube-apiserver and kube-controller-manager (env TRACKING_PLATFORM_KUBERNETES=1; " +
      "build them first with `npm run toolchain -- --with-kube-server`)",
  )
  .addOption(portOption("--etcd-port", "etcd", "etcd client URL"))
  .addOption(portOption("--etcd-peer-port", "etcdPeer", "etcd peer URL"))
  .addOption(portOption("--kube-apiserver-port", "kubeApiserver", "Kubernetes API server (HTTPS)"))
  .addOption(
    portOption(
      "--kube-controller-manager-port",
      "kubeControllerManager",
      "controller manager health",
    ),
  )
  .option(
    "--secure",
    "the secured profile: SASL_SSL + SCRAM-SHA-512 + ACLs, its own home and ports (kafka 19192, " +
      "controller 19193, connect 18183, rest proxy 18180, receiver 18190, metrics 18184 and " +
      "18181), alongside the plain " +
      "one (env TRACKING_PLATFORM_SECURE=1)",
  )
  .option(
    "--cluster",
    "the cluster profile: three KRaft nodes (replication 3, min ISR 2) and three Connect workers " +
      "in one group, 256m heaps, its own home and ports (kafka 19292/19302/19312, connect " +
      "18283/18293/18303, rest proxy 18280, receiver 18290), for the failure drills " +
      "(env TRACKING_PLATFORM_CLUSTER=1)",
  )
  .option("--home <dir>", "state folder (env TRACKING_PLATFORM_HOME)")
  .option("--cache <dir>", "jar cache (env TRACKING_PLATFORM_CACHE)")
  .showHelpAfterError();

function options(): PlatformOptions {
  const f = program.opts<GlobalFlags>();
  return {
    home: f.home,
    cacheRoot: f.cache,
    ports: {
      kafka: f.kafkaPort,
      controller: f.controllerPort,
      connect: f.connectPort,
      restProxy: f.restProxyPort,
      receiver: f.receiverPort,
      connectMetrics: f.connectMetricsPort,
      restProxyMetrics: f.restProxyMetricsPort,
      etcd: f.etcdPort,
      etcdPeer: f.etcdPeerPort,
      kubeApiserver: f.kubeApiserverPort,
      kubeControllerManager: f.kubeControllerManagerPort,
    },
    kubernetes: f.withKubernetes,
    secure: f.secure,
    cluster: f.cluster,
  };
}

const ALL_COMPONENTS = EVERY_COMPONENT;

function parseComponent(raw: string): ComponentName {
  if (!(ALL_COMPONENTS as readonly string[]).includes(raw)) {
    throw new InvalidArgumentError(`expected one of ${ALL_COMPONENTS.join(", ")}`);
  }
  return raw as ComponentName;
}

program
  .command("fetch")
  .description("download the pinned jars into the cache (up does this when needed)")
  .action(() => {
    const settings = resolveSettings(options());
    const jars = ensureFetched(settings, say);
    say(`Jars of ${versionKey()} in ${jars.root}`);
  });

program
  .command("up")
  .description("start every component, reusing those already running, and wait until ready")
  .action(async () => {
    const result = await startPlatform({ ...options(), log: say });
    const e = result.endpoints;
    say(`\nPlatform ready in ${result.seconds.toFixed(1)} s (Kafka ${e.kafkaVersion}).`);
    say(`  Kafka bootstrap   ${e.kafkaBootstrap}   (cluster id ${e.clusterId})`);
    say(`  Connect REST API  ${e.connectUrl}   (HTTP sink: ${e.httpSinkConnectorClass})`);
    say(`  REST proxy        ${e.restProxyUrl}`);
    say(
      e.cluster
        ? `  Metrics           ${e.restProxyMetricsUrl} (REST proxy; the cluster's workers carry no agent)`
        : `  Metrics           ${e.connectMetricsUrl} (Connect), ${e.restProxyMetricsUrl} (REST proxy)`,
    );
    say(`  Receiver          ${e.receiverUrl}`);
    if (e.cluster) {
      say(`  Cluster           ${e.cluster.nodes.length} KRaft nodes (replication 3, min ISR 2)`);
      say(`                    Connect workers ${e.cluster.workers.map((w) => w.url).join(", ")}`);
    }
    if (e.kubernetes)
      say(`  Kubernetes API    ${e.kubernetes.apiUrl}   (kubeconfig ${e.kubernetes.kubeconfig})`);
    if (e.security) {
      say(
        `  Security          ${e.security.protocol} ${e.security.mechanism}, CA ${e.security.caFile}`,
      );
      say(
        `  Credentials       ${e.security.credentialsFile} (mode 0600: admin, connect, rest-proxy)`,
      );
    }
  });

program
  .command("down")
  .description("stop the processes that up started (by recorded pid)")
  .action(async () => {
    await stopPlatform({ ...options(), log: say });
    say("Platform stopped.");
  });

program
  .command("status")
  .description("show each component, running or stopped, and its endpoint")
  .action(() => {
    const settings = resolveSettings(options());
    const statuses = platformStatus(options());
    const width = Math.max(...statuses.map((s) => s.name.length));
    for (const s of statuses) {
      const state = s.running ? `running (pid ${s.pid})` : "stopped";
      const metrics = s.metricsUrl ? `   metrics ${s.metricsUrl}` : "";
      say(`${s.name.padEnd(width)} ${state.padEnd(22)} ${s.endpoint}${metrics}`);
    }
    const info = fetchInfo(settings);
    say(`\nstate:   ${settings.home}`);
    say(
      `secrets: ${connectSecretsDirectory(settings)} (Connect reads \${dir:<this folder>:<file>})`,
    );
    say(`jars:    ${info ? `${settings.cacheRoot}/${info.key}` : "not fetched yet"}`);
  });

program
  .command("reset")
  .description(
    "down, then delete the state folder: data, configs, logs and the local stack's Pulumi state",
  )
  .action(async () => {
    await resetPlatform({ ...options(), log: say });
    say(
      `Platform stopped and ${resolveSettings(options()).home} removed (with the local stack's state).`,
    );
  });

program
  .command("logs")
  .description("print the end of the logs (all components, or one)")
  .argument("[component]", `one of ${ALL_COMPONENTS.join(", ")}`, parseComponent)
  .option("-n, --lines <n>", "lines per log", "40")
  .option("-f, --follow", "keep printing new lines (one component)")
  .action(
    async (component: ComponentName | undefined, flags: { lines: string; follow?: boolean }) => {
      const lines = Number(flags.lines);
      if (flags.follow) {
        if (!component) throw new InvalidArgumentError("--follow needs a component");
        const child = spawn("tail", ["-n", String(lines), "-F", logFile(component, options())], {
          stdio: "inherit",
        });
        await new Promise((r) => child.on("exit", r));
        return;
      }
      const settings = resolveSettings(options());
      const all = settings.cluster
        ? CLUSTER_COMPONENTS
        : settings.kubernetes
          ? [...COMPONENTS, ...KUBERNETES_COMPONENTS]
          : COMPONENTS;
      for (const name of component ? [component] : all) {
        say(`==> ${logFile(name, options())} <==`);
        say(await tail(logFile(name, options()), lines));
      }
    },
  );

program.parseAsync(process.argv).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
