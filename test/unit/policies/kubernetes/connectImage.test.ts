import {
  CONNECT_CLUSTER_TYPE,
  connectImageContainsConnector,
} from "../../../../policies/kubernetes/connectImage";
import { camelSink, ConnectorProps, confluentSink } from "../fixtures";
import { edit, FakeResource, UNKNOWN, validateStack } from "../harness";

const POLICY = "connect-image-contains-connector";
const OURS = "tracking.connect.http.HttpSinkConnector";
const CONFLUENTS = "io.confluent.connect.http.HttpSinkConnector";

interface ClusterProps {
  endpoint: string;
  imageName: string;
  imageBuild: boolean;
  baseImage: string;
  connectorClasses: string[];
}

/** A ConnectCluster as the engine shows its outputs after a preview: digest and URL unknown. */
function cluster(name: string, facts: Partial<ClusterProps>): FakeResource<ClusterProps> {
  return {
    type: CONNECT_CLUSTER_TYPE,
    name,
    props: {
      endpoint: UNKNOWN,
      imageName: UNKNOWN,
      imageBuild: true,
      baseImage: "confluentinc/cp-kafka-connect:7.9.1",
      connectorClasses: [OURS],
      ...facts,
    },
  };
}

/** A sink of the given class on the worker at `url` (a value of `connect.url`). */
function sink(connectorClass: string, url: string = UNKNOWN): FakeResource<ConnectorProps> {
  const s = edit(confluentSink, (p) => (p.config["connector.class"] = connectorClass));
  return { ...s, props: { ...s.props, connect: { url } } as ConnectorProps };
}

const built = cluster("tracking-connect", {});
const plain = cluster("tracking-connect", {
  imageBuild: false,
  connectorClasses: [],
  imageName: "confluentinc/cp-kafka-connect:7.9.1",
});

describe(POLICY, () => {
  it("passes our connector on the image the stack builds with it", async () => {
    expect(await validateStack(connectImageContainsConnector, [sink(OURS), built])).toEqual([]);
  });

  it("reports our connector on a plain cp-kafka-connect image, naming connectImageBuild", async () => {
    expect(await validateStack(connectImageContainsConnector, [sink(OURS), plain])).toEqual([
      {
        policy: POLICY,
        resource: "tracking-analytics-connector",
        message:
          "Connector prod-analytics-http-sink uses tracking.connect.http.HttpSinkConnector, which the image of ConnectCluster tracking-connect is not known to contain: " +
          "it runs confluentinc/cp-kafka-connect:7.9.1 as it is (`connectImageBuild` is false), and cp-kafka-connect has no HTTP sink; " +
          "set `connectImageBuild` to true (with `connectImageRegistry`) so that the stack builds an image with it, " +
          "or list the image in this policy's `knownImages`, " +
          'or the connector fails on every worker with "class not installed".',
      },
    ]);
  });

  it("reports Confluent's connector on a built image without it", async () => {
    expect(await validateStack(connectImageContainsConnector, [sink(CONFLUENTS), built])).toEqual([
      {
        policy: POLICY,
        resource: "tracking-analytics-connector",
        message:
          "Connector prod-analytics-http-sink uses io.confluent.connect.http.HttpSinkConnector, which the image ConnectCluster tracking-connect builds does not contain " +
          "(it has tracking.connect.http.HttpSinkConnector); have the build install Confluent's HTTP Sink " +
          "(ConnectCluster `build.confluentHttpSink`, on when a destination has `connectorClass: confluent`), " +
          'or the connector fails on every worker with "class not installed".',
      },
    ]);
  });

  it("passes Confluent's connector when the build installs it", async () => {
    const withConfluent = cluster("tracking-connect", { connectorClasses: [OURS, CONFLUENTS] });
    expect(
      await validateStack(connectImageContainsConnector, [sink(CONFLUENTS), withConfluent]),
    ).toEqual([]);
  });

  it("passes a plain image the policy config lists as containing the class", async () => {
    const config = { knownImages: [`confluentinc/cp-kafka-connect:7.9.1=${CONFLUENTS},${OURS}`] };
    expect(await validateStack(connectImageContainsConnector, [sink(OURS), plain], config)).toEqual(
      [],
    );
  });

  it("does not take a listed image's other tags as known", async () => {
    const config = { knownImages: [`confluentinc/cp-kafka-connect:7.9.0=${OURS}`] };
    expect(
      await validateStack(connectImageContainsConnector, [sink(OURS), plain], config),
    ).toHaveLength(1);
  });

  it("checks the cluster the connector's URL names, among several", async () => {
    const other = cluster("other-connect", { imageBuild: false, connectorClasses: [] });
    const onBuilt = sink(OURS, "http://tracking-connect.tracking.svc:8083");
    const onOther = sink(OURS, "http://other-connect.tracking.svc:8083");
    expect(await validateStack(connectImageContainsConnector, [onBuilt, built, other])).toEqual([]);
    expect(
      (await validateStack(connectImageContainsConnector, [onOther, built, other])).map(
        (v) => v.message.split(":")[0],
      ),
    ).toEqual([
      "Connector prod-analytics-http-sink uses tracking.connect.http.HttpSinkConnector, which the image of ConnectCluster other-connect is not known to contain",
    ]);
  });

  it("leaves alone connectors on a Connect the stack does not run", async () => {
    const external = sink(OURS, "https://connect.example.com");
    expect(await validateStack(connectImageContainsConnector, [external, plain])).toEqual([]);
    expect(await validateStack(connectImageContainsConnector, [sink(OURS)])).toEqual([]);
  });

  it("checks only the configured classes (ours and Confluent's by default)", async () => {
    expect(await validateStack(connectImageContainsConnector, [camelSink, plain])).toEqual([]);
    const config = { connectorClasses: [CONFLUENTS] };
    expect(await validateStack(connectImageContainsConnector, [sink(OURS), plain], config)).toEqual(
      [],
    );
  });
});
