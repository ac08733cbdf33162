import * as fs from "fs";
import * as path from "path";
import { ConnectCluster } from "../../../components/connectCluster";
import {
  CONNECT_IMAGE_DIR,
  connectImagePlan,
  HTTP_SINK_MODULE_DIR,
  parseHttpSinkPom,
  readHttpSinkModule,
  TRACKING_HTTP_SINK_CLASS,
} from "../../../components/connectImage";
import { CONNECTOR_CLASSES } from "../../../components/httpSinkConnector";
import { HTTP_SINK_PLUGIN } from "../../../platform/fetch";
import { kafkaVersion } from "../../../platform/settings";
import {
  CONNECT_CLUSTER_TYPE,
  connectImageContainsConnector,
} from "../../../policies/kubernetes/connectImage";
import { named, ofType, ROOT, settled, useMocks } from "../mocks";
import { confluentSink } from "../policies/fixtures";
import { edit, validateStack } from "../policies/harness";

const DOCKERFILE = path.join(CONNECT_IMAGE_DIR, "Dockerfile");
const dockerfile = fs.readFileSync(DOCKERFILE, "utf8");
const sinkModule = { version: "0.4.0", kafkaVersion: "4.4.0" };
const base = { namespace: "tracking", environment: "prod", bootstrapServers: ["k:9092"] };
const registry = "registry.example.com/platform";

/** The ARG names the Dockerfile declares. */
function dockerfileArgs(): Set<string> {
  return new Set([...dockerfile.matchAll(/^ARG (\w+)/gm)].map((m) => m[1]));
}

/** The `-D<key>` properties of the Dockerfile's `mvn` command. */
function mavenProperties(): string[] {
  const run = /mvn -B[^]*?package/.exec(dockerfile)?.[0] ?? "";
  return [...run.matchAll(/-D([\w.]+)=/g)].map((m) => m[1]);
}

describe("the Connect image's connector module", () => {
  it("is read from the pom: the version the connector's README states, the platform's Kafka", () => {
    const readme = fs.readFileSync(path.join(HTTP_SINK_MODULE_DIR, "README.md"), "utf8");
    expect(readHttpSinkModule()).toEqual({
      version: /version (\d+\.\d+\.\d+)/.exec(readme)?.[1],
      kafkaVersion: kafkaVersion(),
    });
  });

  it("refuses a pom without the project version or the Kafka version", () => {
    expect(() => parseHttpSinkPom("<kafka.version>4.4.0</kafka.version>", "p.xml")).toThrow(
      "p.xml has no project version such as 0.4.0 after <artifactId>tracking-http-sink</artifactId>; the Connect image tag is made from it.",
    );
    const noKafka = "<artifactId>tracking-http-sink</artifactId><version>0.4.0</version>";
    expect(() => parseHttpSinkPom(noKafka, "p.xml")).toThrow(
      "p.xml has no <kafka.version> property such as 4.4.0; the image build compiles against it.",
    );
  });

  it("is the build context, with the connector class the stack deploys by default", () => {
    expect(fs.existsSync(path.join(HTTP_SINK_MODULE_DIR, "pom.xml"))).toBe(true);
    const source = path.join(HTTP_SINK_MODULE_DIR, "src/main/java/tracking/connect/http");
    expect(fs.existsSync(path.join(source, "HttpSinkConnector.java"))).toBe(true);
    expect(TRACKING_HTTP_SINK_CLASS).toBe(CONNECTOR_CLASSES.tracking);
    expect(path.relative(ROOT, HTTP_SINK_MODULE_DIR)).toBe(path.join("connectors", "http-sink"));
  });
});

describe("connectImagePlan", () => {
  it("builds our connector only, tagged with its version and the base image's tag", () => {
    expect(
      connectImagePlan(
        { registry, baseImage: "confluentinc/cp-kafka-connect:7.9.1" },
        readHttpSinkModule(),
      ),
    ).toEqual({
      imageName: `${registry}/tracking-connect:0.4.0-base-7.9.1-jmx-1.0.1`,
      buildArgs: {
        BASE_IMAGE: "confluentinc/cp-kafka-connect:7.9.1",
        MAVEN_IMAGE: "maven:3.9.9-eclipse-temurin-17",
        KAFKA_VERSION: "4.4.0",
        HTTP_SINK_VERSION: "0.4.0",
        CONFLUENT_HTTP_SINK_VERSION: "",
        CONNECTOR_CLASSES: "tracking.connect.http.HttpSinkConnector",
        JMX_EXPORTER_VERSION: "1.0.1",
      },
      connectorClasses: ["tracking.connect.http.HttpSinkConnector"],
    });
  });

  it("adds Confluent's HTTP Sink, a Maven mirror and a base by digest when asked", () => {
    const digest = `sha256:${"ab".repeat(32)}`;
    expect(
      connectImagePlan(
        {
          registry,
          baseImage: `mirror.example.com/confluentinc/cp-kafka-connect@${digest}`,
          confluentHttpSinkVersion: "1.7.6",
          mavenImage: "mirror.example.com/library/maven:3.9.9-eclipse-temurin-17",
          mavenMirrorUrl: "https://maven.example.com/releases",
        },
        sinkModule,
      ),
    ).toEqual({
      imageName: `${registry}/tracking-connect:0.4.0-base-sha256-abababababab-confluent-http-1.7.6-jmx-1.0.1`,
      buildArgs: {
        BASE_IMAGE: `mirror.example.com/confluentinc/cp-kafka-connect@${digest}`,
        MAVEN_IMAGE: "mirror.example.com/library/maven:3.9.9-eclipse-temurin-17",
        KAFKA_VERSION: "4.4.0",
        HTTP_SINK_VERSION: "0.4.0",
        CONFLUENT_HTTP_SINK_VERSION: "1.7.6",
        CONNECTOR_CLASSES:
          "tracking.connect.http.HttpSinkConnector,io.confluent.connect.http.HttpSinkConnector",
        JMX_EXPORTER_VERSION: "1.0.1",
        MAVEN_MIRROR_URL: "https://maven.example.com/releases",
      },
      connectorClasses: [
        "tracking.connect.http.HttpSinkConnector",
        "io.confluent.connect.http.HttpSinkConnector",
      ],
    });
  });

  it.each(["", "https://registry.example.com", "registry.example.com/"])(
    "refuses the registry %j, naming the setting",
    (bad) => {
      expect(() => connectImagePlan({ registry: bad, baseImage: "b:1" }, sinkModule)).toThrow(
        `\`build.registry\` must be a registry and repository prefix such as registry.example.com/platform, without scheme or trailing slash (got ${JSON.stringify(bad)}). Set \`connectImageRegistry\` to where the built image is pushed.`,
      );
    },
  );

  it("refuses a Confluent version that is not one", () => {
    expect(() =>
      connectImagePlan(
        { registry, baseImage: "b:1", confluentHttpSinkVersion: "latest" },
        sinkModule,
      ),
    ).toThrow(
      '`build.confluentHttpSinkVersion` must be a version such as 1.7.6 (got "latest"). Set `connectHttpSinkVersion` to a version of confluentinc/kafka-connect-http.',
    );
  });
});

describe("components/connect-image/Dockerfile", () => {
  it("declares every build argument the plan sets, and sets none the plan does not know", () => {
    const plan = connectImagePlan(
      {
        registry,
        baseImage: "b:1",
        confluentHttpSinkVersion: "1.7.6",
        mavenMirrorUrl: "https://m",
      },
      sinkModule,
    );
    expect([...dockerfileArgs()].sort()).toEqual(Object.keys(plan.buildArgs).sort());
  });

  it("runs the platform's Maven build and installs its plugin folder on the workers' plugin.path", async () => {
    // platform/fetch.ts passes the same properties, so the image and the platform load one build.
    const fetch = fs.readFileSync(path.join(ROOT, "platform", "fetch.ts"), "utf8");
    expect(mavenProperties()).toEqual([
      "kafka.version",
      "connector.build.dir",
      "connector.plugin.dir",
      "maven.test.skip",
    ]);
    for (const key of mavenProperties())
      expect([key, fetch.includes(`-D${key}=`)]).toEqual([key, true]);
    expect(dockerfile).toContain(`-Dconnector.plugin.dir=/plugins/${HTTP_SINK_PLUGIN}`);
    expect(dockerfile).toContain(
      `COPY --from=http-sink /plugins/${HTTP_SINK_PLUGIN}/ /usr/share/java/${HTTP_SINK_PLUGIN}/`,
    );

    await useMocks();
    await settled(new ConnectCluster("c", base));
    const container = (
      named("kubernetes:apps/v1:Deployment", "c-deployment").inputs as {
        spec: { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } };
      }
    ).spec.template.spec.containers[0];
    const pluginPath = container.env.find((e) => e.name === "CONNECT_PLUGIN_PATH")?.value;
    expect(pluginPath?.split(",")).toContain("/usr/share/java");
  });

  it("installs Confluent's HTTP Sink only when its version is set", () => {
    expect(dockerfile).toMatch(
      /RUN if \[ -n "\$\{CONFLUENT_HTTP_SINK_VERSION\}" \]; then \\\n\s+confluent-hub install --no-prompt "confluentinc\/kafka-connect-http:\$\{CONFLUENT_HTTP_SINK_VERSION\}"; \\\n\s+fi/,
    );
    expect(dockerfile.match(/confluent-hub install/g)).toHaveLength(1);
  });
});

describe("ConnectCluster's image", () => {
  beforeEach(() => useMocks());

  it("builds from the connector's module with the repository's Dockerfile", async () => {
    const cluster = new ConnectCluster("c", { ...base, build: { registry } });
    await settled(cluster);
    // Pushed by `pulumi up`; a preview builds nothing, so it needs no Docker engine.
    expect(named("docker:index/image:Image", "c-image").inputs).toEqual({
      imageName: `${registry}/tracking-connect:0.4.0-base-7.9.1-jmx-1.0.1`,
      skipPush: false,
      buildOnPreview: false,
      build: {
        context: HTTP_SINK_MODULE_DIR,
        dockerfile: DOCKERFILE,
        args: connectImagePlan(
          { registry, baseImage: "confluentinc/cp-kafka-connect:7.9.1" },
          readHttpSinkModule(),
        ).buildArgs,
        platform: "linux/amd64",
      },
    });
    expect(cluster.imageFacts).toEqual({
      imageBuild: true,
      baseImage: "confluentinc/cp-kafka-connect:7.9.1",
      connectorClasses: ["tracking.connect.http.HttpSinkConnector"],
    });
  });

  it("installs Confluent's sink, at the configured version, only with confluentHttpSink", async () => {
    const cluster = new ConnectCluster("c", {
      ...base,
      image: "confluentinc/cp-kafka-connect:7.9.2",
      build: { registry, httpSinkVersion: "1.7.8", confluentHttpSink: true },
    });
    await settled(cluster);
    const image = named("docker:index/image:Image", "c-image").inputs as {
      imageName: string;
      build: { args: Record<string, string> };
    };
    expect([image.imageName, image.build.args.CONFLUENT_HTTP_SINK_VERSION]).toEqual([
      `${registry}/tracking-connect:0.4.0-base-7.9.2-confluent-http-1.7.8-jmx-1.0.1`,
      "1.7.8",
    ]);
    expect(cluster.imageFacts.connectorClasses).toEqual([
      "tracking.connect.http.HttpSinkConnector",
      "io.confluent.connect.http.HttpSinkConnector",
    ]);
  });

  it("builds nothing and lists no classes for a plain image", async () => {
    const cluster = new ConnectCluster("c", base);
    await settled(cluster);
    expect(ofType("docker:index/image:Image")).toEqual([]);
    expect(cluster.imageFacts).toEqual({
      imageBuild: false,
      baseImage: "confluentinc/cp-kafka-connect:7.9.1",
      connectorClasses: [],
    });
  });

  it("refuses a registry with a scheme, naming the setting", () => {
    expect(
      () => new ConnectCluster("c", { ...base, build: { registry: "https://r.example.com" } }),
    ).toThrow("`build.registry` must be a registry and repository prefix");
  });

  it("tells the policy pack what its image contains", async () => {
    const ours = edit(
      confluentSink,
      (p) => (p.config["connector.class"] = CONNECTOR_CLASSES.tracking),
    );
    const asPolicySees = (c: ConnectCluster) => ({
      type: CONNECT_CLUSTER_TYPE,
      name: "c",
      props: { ...c.imageFacts },
    });
    const builtCluster = new ConnectCluster("c", { ...base, build: { registry } });
    const plainCluster = new ConnectCluster("c2", base);
    await settled(builtCluster);
    await settled(plainCluster);
    expect(
      await validateStack(connectImageContainsConnector, [ours, asPolicySees(builtCluster)]),
    ).toEqual([]);
    expect(
      (await validateStack(connectImageContainsConnector, [ours, asPolicySees(plainCluster)])).map(
        (v) => v.message.includes("`connectImageBuild` is false"),
      ),
    ).toEqual([true]);
  });
});
