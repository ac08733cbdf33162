import { PolicyResource } from "@pulumi/policy";
import { connectorOf, HTTP_SINK_CLASSES } from "../connectors/connector";
import { list, stackPolicyFor } from "../policy";
import { asArray, asString, at, ifKnown } from "../read";
import { settings, strings } from "../settings";

// connect-image-contains-connector: a connector's class is in the image its Connect workers run,
// or it fails on the worker with "class not installed".

/**
 * Type token of ConnectCluster (components/connectCluster.ts), whose outputs say what its image
 * contains: `imageBuild`, `baseImage`, `connectorClasses` (see `ConnectImageFacts` in
 * components/connectImage.ts; policies see a component's outputs, not the image's labels).
 */
export const CONNECT_CLUSTER_TYPE = "tracking:k8s:ConnectCluster";

interface ConnectImageConfig {
  connectorClasses: string[];
  knownImages: string[];
}

const connectImageSettings = settings<ConnectImageConfig>({
  connectorClasses: strings(
    [HTTP_SINK_CLASSES.tracking, HTTP_SINK_CLASSES.confluent],
    "Connector classes whose presence in the image is checked.",
  ),
  knownImages: strings(
    [],
    "Images the stack runs without building them, known to contain connector classes: `<image reference>=<class>[,<class>...]`, the reference exactly as `connectImage` sets it.",
    { pattern: "^[^=\\s]+=[^=\\s]+$" },
  ),
});

/** What a ConnectCluster's outputs say about its image. */
interface ClusterImage {
  readonly name: string;
  readonly imageBuild: boolean;
  readonly baseImage: string;
  readonly connectorClasses: readonly string[];
}

function clusterImageOf(r: PolicyResource): ClusterImage | undefined {
  if (r.type !== CONNECT_CLUSTER_TYPE) return undefined;
  // Each read on its own: other outputs (the image digest, the endpoint) are unknown in preview.
  const props = r.props;
  return {
    name: r.name,
    imageBuild: ifKnown(() => props.imageBuild) === true,
    baseImage: ifKnown(() => asString(props.baseImage)) ?? "unknown",
    connectorClasses: (ifKnown(() => asArray(props.connectorClasses).map(asString)) ?? []).filter(
      (c): c is string => c !== undefined,
    ),
  };
}

/** `image=class,class` entries of the policy config, by image reference. */
function knownImagesOf(entries: readonly string[]): Map<string, string[]> {
  const known = new Map<string, string[]>();
  for (const entry of entries) {
    const [image, classes = ""] = entry.split("=");
    known.set(
      image.trim(),
      classes.split(",").map((c) => c.trim()),
    );
  }
  return known;
}

/**
 * The cluster a connector runs on: the one whose Service its `connect.url` names
 * (`http://<cluster>.<namespace>.svc:8083`). A URL not known yet (preview) means the stack's only
 * cluster, if it has one; a known URL that names none is a Connect the stack does not run.
 */
function clusterOf(
  connector: PolicyResource,
  clusters: readonly ClusterImage[],
): ClusterImage | undefined {
  const url = ifKnown(() => asString(at(connector.props, ["connect", "url"])));
  if (url === undefined) return clusters.length === 1 ? clusters[0] : undefined;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return clusters.find((c) => host === c.name || host.startsWith(`${c.name}.`));
}

interface Stack {
  readonly clusters: readonly ClusterImage[];
  readonly knownImages: Map<string, string[]>;
}

const CONSEQUENCE = 'or the connector fails on every worker with "class not installed".';

export const connectImageContainsConnector = stackPolicyFor({
  name: "connect-image-contains-connector",
  description:
    "Checks that the image of the ConnectCluster a connector runs on contains the connector's class: built by the stack with it, or listed as known to contain it.",
  settings: connectImageSettings,
  recognise: connectorOf,
  applies: (connector, c) => c.connectorClasses.includes(connector.connectorClass),
  prepare: (resources, c): Stack => ({
    clusters: resources.flatMap((r) => clusterImageOf(r) ?? []),
    knownImages: knownImagesOf(c.knownImages),
  }),
  validate: ({ found: connector, resource, stack }, reportViolation) => {
    const cluster = clusterOf(resource, stack.clusters);
    if (!cluster) return;
    const cls = connector.connectorClass;
    if (!cluster.imageBuild) {
      const known = stack.knownImages.get(cluster.baseImage);
      if (known?.includes(cls)) return;
      reportViolation(
        `Connector ${connector.name} uses ${cls}, which the image of ConnectCluster ${cluster.name} is not known to contain: ` +
          `it runs ${cluster.baseImage} as it is (\`connectImageBuild\` is false), and cp-kafka-connect has no HTTP sink; ` +
          "set `connectImageBuild` to true (with `connectImageRegistry`) so that the stack builds an image with it, " +
          `or list the image in this policy's \`knownImages\`, ${CONSEQUENCE}`,
        resource.urn,
      );
      return;
    }
    if (cluster.connectorClasses.includes(cls)) return;
    const fix =
      cls === HTTP_SINK_CLASSES.confluent
        ? "have the build install Confluent's HTTP Sink (ConnectCluster `build.confluentHttpSink`, on when a destination has `connectorClass: confluent`)"
        : "add its plugin to components/connect-image/Dockerfile and to the classes ConnectCluster lists";
    reportViolation(
      `Connector ${connector.name} uses ${cls}, which the image ConnectCluster ${cluster.name} builds does not contain ` +
        `(it has ${list([...cluster.connectorClasses])}); ${fix}, ${CONSEQUENCE}`,
      resource.urn,
    );
  },
});
