import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { JMX_EXPORTER_VERSION } from "./metricsAgent";

// The Connect image the stack builds: our HTTP sink connector compiled from the repository's
// sources in the Dockerfile's Maven stage, on the pinned cp-kafka-connect base, with Confluent's
// HTTP Sink only when a destination uses it.

/** The Dockerfile's folder. */
export const CONNECT_IMAGE_DIR = path.join(__dirname, "connect-image");
/** Our connector's Maven module: the build context, so the image compiles exactly these sources. */
export const HTTP_SINK_MODULE_DIR = path.join(__dirname, "..", "connectors", "http-sink");

/** Our connector's class (`connectorClass: tracking`). */
export const TRACKING_HTTP_SINK_CLASS = "tracking.connect.http.HttpSinkConnector";
/** Confluent's HTTP Sink class (`connectorClass: confluent`), installed from Confluent Hub. */
export const CONFLUENT_HTTP_SINK_CLASS = "io.confluent.connect.http.HttpSinkConnector";

/** The image label (and ConnectCluster output) listing the connector classes the image contains. */
export const CONNECTOR_CLASSES_LABEL = "tracking-pipeline.connector-classes";

/**
 * The JDK 17 Maven image of the build stage, pinned. Defaults the `build.mavenImage` argument of
 * ConnectCluster.
 */
export const DEFAULT_MAVEN_IMAGE = "maven:3.9.9-eclipse-temurin-17";

/** What the image build needs to know of our connector's module, read from its pom. */
export interface HttpSinkModule {
  /** The project's version, for example `0.4.0`: the image tag starts with it. */
  readonly version: string;
  /** `<kafka.version>`: the Connect API it is compiled against, passed to the build. */
  readonly kafkaVersion: string;
}

/** Reads the module's version and Kafka version from the text of its pom.xml. */
export function parseHttpSinkPom(pomXml: string, file = "pom.xml"): HttpSinkModule {
  // The project's own version follows its artifactId; dependencies' versions come later.
  const version = /<artifactId>tracking-http-sink<\/artifactId>\s*<version>([^<]+)<\/version>/.exec(
    pomXml,
  )?.[1];
  const kafkaVersion = /<kafka\.version>([^<]+)<\/kafka\.version>/.exec(pomXml)?.[1];
  if (!version || !/^\d+\.\d+\.\d+$/.test(version.trim())) {
    throw new Error(
      `${file} has no project version such as 0.4.0 after <artifactId>tracking-http-sink</artifactId>; ` +
        "the Connect image tag is made from it.",
    );
  }
  if (!kafkaVersion || !/^\d+\.\d+\.\d+$/.test(kafkaVersion.trim())) {
    throw new Error(
      `${file} has no <kafka.version> property such as 4.4.0; the image build compiles against it.`,
    );
  }
  return { version: version.trim(), kafkaVersion: kafkaVersion.trim() };
}

/** Our connector's module as the repository has it now. */
export function readHttpSinkModule(dir = HTTP_SINK_MODULE_DIR): HttpSinkModule {
  const file = path.join(dir, "pom.xml");
  return parseHttpSinkPom(fs.readFileSync(file, "utf8"), file);
}

/** What the image contains and how it is built: everything but the build itself. */
export interface ConnectImagePlan {
  /** `<registry>/tracking-connect:<tag>`. */
  readonly imageName: string;
  /** The Dockerfile's build arguments. */
  readonly buildArgs: Record<string, string>;
  /** The connector classes in the image, ours first. */
  readonly connectorClasses: string[];
}

export interface ConnectImageSettings {
  /** Registry and repository prefix, for example `registry.example.com/platform`. */
  readonly registry: string;
  /** The cp-kafka-connect image the workers run, with our plugin added. */
  readonly baseImage: string;
  /** Version of Confluent's HTTP Sink to install; undefined installs none. */
  readonly confluentHttpSinkVersion?: string;
  /** The build stage's Maven image. Defaults to `maven:3.9.9-eclipse-temurin-17`. */
  readonly mavenImage?: string;
  /** A Maven repository mirror for the build stage, without credentials. Defaults to none. */
  readonly mavenMirrorUrl?: string;
}

/** The connector classes the build puts in the image, ours first. */
function connectorClassesOf(withConfluent: boolean): string[] {
  return [TRACKING_HTTP_SINK_CLASS, ...(withConfluent ? [CONFLUENT_HTTP_SINK_CLASS] : [])];
}

/** The base image's tag (or digest) as it can appear in a Docker tag. */
function baseTagOf(baseImage: string): string {
  const [name, digest] = baseImage.split("@");
  const lastPart = name.slice(name.lastIndexOf("/") + 1);
  const tag = lastPart.includes(":") ? lastPart.slice(lastPart.indexOf(":") + 1) : undefined;
  const text = digest ? digest.replace(":", "-").slice(0, 19) : (tag ?? "latest");
  return text.replace(/[^A-Za-z0-9_.-]/g, "-");
}

/**
 * The image's name, build arguments and contents. The tag says what is inside, so that a new
 * connector version, base image or Confluent version never overwrites an image a stack runs:
 * `0.4.0-base-7.9.1-jmx-1.0.1`, or `0.4.0-base-7.9.1-confluent-http-1.7.6-jmx-1.0.1` (the
 * JMX exporter agent's version last).
 */
export function connectImagePlan(
  settings: ConnectImageSettings,
  module: HttpSinkModule,
): ConnectImagePlan {
  const registry = settings.registry.trim();
  if (registry === "" || registry.includes("://") || registry.endsWith("/")) {
    throw new Error(
      `\`build.registry\` must be a registry and repository prefix such as registry.example.com/platform, ` +
        `without scheme or trailing slash (got ${JSON.stringify(settings.registry)}). ` +
        "Set `connectImageRegistry` to where the built image is pushed.",
    );
  }
  const confluent = settings.confluentHttpSinkVersion;
  if (confluent !== undefined && !/^\d+\.\d+\.\d+$/.test(confluent)) {
    throw new Error(
      `\`build.confluentHttpSinkVersion\` must be a version such as 1.7.6 (got ${JSON.stringify(confluent)}). ` +
        "Set `connectHttpSinkVersion` to a version of confluentinc/kafka-connect-http.",
    );
  }
  const connectorClasses = connectorClassesOf(confluent !== undefined);
  const tag = [
    module.version,
    `base-${baseTagOf(settings.baseImage)}`,
    ...(confluent !== undefined ? [`confluent-http-${confluent}`] : []),
    `jmx-${JMX_EXPORTER_VERSION}`,
  ].join("-");
  return {
    imageName: `${registry}/tracking-connect:${tag}`,
    buildArgs: {
      BASE_IMAGE: settings.baseImage,
      MAVEN_IMAGE: settings.mavenImage ?? DEFAULT_MAVEN_IMAGE,
      KAFKA_VERSION: module.kafkaVersion,
      HTTP_SINK_VERSION: module.version,
      CONFLUENT_HTTP_SINK_VERSION: confluent ?? "",
      CONNECTOR_CLASSES: connectorClasses.join(","),
      JMX_EXPORTER_VERSION,
      ...(settings.mavenMirrorUrl ? { MAVEN_MIRROR_URL: settings.mavenMirrorUrl } : {}),
    },
    connectorClasses,
  };
}

/**
 * Builds and pushes the image (`<name>-image`, a child of `parent`). The build context is our
 * connector's module and the Dockerfile is components/connect-image/Dockerfile.
 */
export function buildConnectImage(
  name: string,
  plan: ConnectImagePlan,
  parent: pulumi.Resource,
): docker.Image {
  return new docker.Image(
    `${name}-image`,
    {
      imageName: plan.imageName,
      build: {
        context: HTTP_SINK_MODULE_DIR,
        dockerfile: path.join(CONNECT_IMAGE_DIR, "Dockerfile"),
        args: plan.buildArgs,
        platform: "linux/amd64",
      },
    },
    { parent },
  );
}

/** How ConnectCluster is asked to build its image (its `build` argument). */
export interface ConnectImageBuildArgs {
  /** Registry and repository prefix, for example `registry.example.com/platform`. */
  readonly registry: string;
  /**
   * Also install Confluent's HTTP Sink from Confluent Hub, for destinations with
   * `connectorClass: confluent` (the build then reaches Confluent Hub). Defaults to false.
   */
  readonly confluentHttpSink?: boolean;
  /**
   * Version of Confluent's `confluentinc/kafka-connect-http`, installed when `confluentHttpSink`
   * is true. Defaults to `1.7.6`.
   */
  readonly httpSinkVersion?: string;
  /** The JDK 17 Maven image of the build stage. Defaults to `maven:3.9.9-eclipse-temurin-17`. */
  readonly mavenImage?: string;
  /**
   * A Maven repository for the build stage instead of the default one, as a URL without
   * credentials (build arguments are kept in the state). Defaults to the default repository.
   */
  readonly mavenMirrorUrl?: string;
}

export const DEFAULT_CONFLUENT_HTTP_SINK_VERSION = "1.7.6";

/** The image settings of a ConnectCluster's `build` argument, defaults applied. */
export function imageSettingsOf(
  build: ConnectImageBuildArgs,
  baseImage: string,
): ConnectImageSettings {
  return {
    registry: build.registry,
    baseImage,
    confluentHttpSinkVersion: build.confluentHttpSink
      ? (build.httpSinkVersion ?? DEFAULT_CONFLUENT_HTTP_SINK_VERSION)
      : undefined,
    mavenImage: build.mavenImage,
    mavenMirrorUrl: build.mavenMirrorUrl,
  };
}

/**
 * What a ConnectCluster tells the policy pack about its image, as the component's inputs and
 * outputs (policies see no docker.Image build arguments once it is built): whether the stack
 * builds it, from which base, and which connector classes the build puts in. A cluster that runs
 * a plain image lists no classes: the stack cannot know what such an image contains.
 */
export interface ConnectImageFacts {
  readonly imageBuild: boolean;
  /** The image run when not built, else the base image of the build. */
  readonly baseImage: string;
  readonly connectorClasses: string[];
}

export function connectImageFacts(
  baseImage: string,
  build: ConnectImageBuildArgs | undefined,
): ConnectImageFacts {
  return {
    imageBuild: build !== undefined,
    baseImage,
    connectorClasses: build ? connectorClassesOf(build.confluentHttpSink ?? false) : [],
  };
}
