import {
  CONNECTOR_TYPE,
  connectorOf,
  HTTP_SINK_CLASSES,
  httpSinkOf,
} from "../../../../policies/connectors/connector";
import { CONNECTOR_CLASSES } from "../../../../components/httpSinkConnector";
import { CONNECTOR_TYPE_TOKEN } from "../../../../providers/connect/connector";
import { camelSink, confluentSink, trackingTopic } from "../fixtures";
import { FakeResource, resourceArgs } from "../harness";

// The pack keeps copies of the program's constants (importing them would load provider SDKs and
// the program's resources into the pack); these tests keep the copies equal.

function read<T>(reader: typeof connectorOf | typeof httpSinkOf, r: FakeResource): T | undefined {
  const args = resourceArgs(r);
  return reader(args.type, args.props, args.name) as T | undefined;
}

describe("recognising connectors", () => {
  it("matches connectors by the provider's type token", () => {
    expect(CONNECTOR_TYPE).toBe(CONNECTOR_TYPE_TOKEN);
  });

  it("knows every HTTP sink class the component can deploy, and no other", () => {
    expect(HTTP_SINK_CLASSES).toEqual(CONNECTOR_CLASSES);
  });

  it.each(Object.entries(CONNECTOR_CLASSES))(
    "recognises the %s class as an HTTP sink by its class alone",
    (_, connectorClass) => {
      const sink = {
        type: "kafka-connect:index/connector:Connector",
        name: "sink",
        props: { config: { "connector.class": connectorClass } },
      };
      expect(read(httpSinkOf, sink)).toMatchObject({ name: "sink", connectorClass });
    },
  );

  it("reads Confluent's keys on the local platform's sink, Camel's on Camel's", () => {
    const sink = (connectorClass: string) => ({
      ...confluentSink,
      props: { ...confluentSink.props, config: { "connector.class": connectorClass } },
    });
    expect(read(httpSinkOf, sink(CONNECTOR_CLASSES.local))).toMatchObject({ flavour: "confluent" });
    expect(read(httpSinkOf, sink(CONNECTOR_CLASSES.camel))).toMatchObject({ flavour: "camel" });
  });

  it("recognises a sink of another class by the key of its destination URL", () => {
    const config = (url: Record<string, string>) => ({
      ...camelSink,
      props: { ...camelSink.props, config: { "connector.class": "x.Sink", ...url } },
    });
    expect(read(httpSinkOf, config({ "http.api.url": "https://a" }))).toMatchObject({
      flavour: "confluent",
    });
    expect(read(httpSinkOf, config({ "camel.kamelet.http-sink.url": "https://a" }))).toMatchObject({
      flavour: "camel",
    });
    expect(read(httpSinkOf, config({}))).toBeUndefined();
    expect(read(connectorOf, config({}))).toMatchObject({ connectorClass: "x.Sink" });
  });

  it("leaves other resources alone", () => {
    expect(read(connectorOf, trackingTopic)).toBeUndefined();
    expect(read(httpSinkOf, trackingTopic)).toBeUndefined();
  });
});
