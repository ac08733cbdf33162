import { asString, ifKnown, Props, stringMap } from "../read";

// Recognising the stack's connectors and, among them, its HTTP sinks.

/**
 * Type token of the project's connectors, a copy of `CONNECTOR_TYPE_TOKEN` in
 * providers/connect/connector.ts: importing it would load the program's resources into the pack.
 * A unit test keeps the two equal.
 */
export const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/tracking:Connector";

/**
 * The HTTP sink connector classes, a copy of `CONNECTOR_CLASSES` in components/httpSinkConnector.ts
 * (which loads provider SDKs and the program's resources); a unit test keeps the two equal.
 */
export const HTTP_SINK_CLASSES = {
  tracking: "tracking.connect.http.HttpSinkConnector",
  confluent: "io.confluent.connect.http.HttpSinkConnector",
  camel: "org.apache.camel.kafkaconnector.httpsink.CamelHttpsinkSinkConnector",
  local: "tracking.connect.http.HttpSinkConnector",
} as const;

/** Whose config keys and defaults a sink has: Confluent's HTTP Sink or Camel's http-sink kamelet. */
export type HttpSinkFlavour = "confluent" | "camel";

/** The flavour of each class; our own connector (and its alias `local`) reads Confluent's keys and defaults. */
const FLAVOUR_OF_CLASS: Record<keyof typeof HTTP_SINK_CLASSES, HttpSinkFlavour> = {
  tracking: "confluent",
  confluent: "confluent",
  camel: "camel",
  local: "confluent",
};

/** The key of each flavour's destination URL, which tells the flavour when the class does not. */
const URL_KEY: Record<HttpSinkFlavour, string> = {
  confluent: "http.api.url",
  camel: "camel.kamelet.http-sink.url",
};

export interface Connector {
  /** The connector's name on the Connect worker. */
  readonly name: string;
  readonly connectorClass: string;
  /** The plain config map. */
  readonly config: Record<string, string>;
  /** The secret config map (plain text here: the engine hands policies decrypted values). */
  readonly secretConfig: Record<string, string>;
}

export interface HttpSink extends Connector {
  readonly flavour: HttpSinkFlavour;
}

/** A connector, recognised by its type token or, failing that, by a `connector.class` in config. */
export function connectorOf(
  type: string,
  props: Props,
  resourceName: string,
): Connector | undefined {
  const config = stringMap(props.config);
  const connectorClass = config["connector.class"];
  if (type !== CONNECTOR_TYPE && connectorClass === undefined) return undefined;
  return {
    name: asString(props.name) ?? resourceName,
    connectorClass: connectorClass ?? "",
    config,
    // Only needed to tell the connector class; may be unknown during preview.
    secretConfig: ifKnown(() => stringMap(props.secretConfig)) ?? {},
  };
}

/** An HTTP sink connector, recognised by its class or by the key of its destination URL. */
export function httpSinkOf(type: string, props: Props, resourceName: string): HttpSink | undefined {
  const connector = connectorOf(type, props, resourceName);
  if (!connector) return undefined;
  const all = { ...connector.config, ...connector.secretConfig };
  const byClass = (Object.keys(HTTP_SINK_CLASSES) as (keyof typeof HTTP_SINK_CLASSES)[]).find(
    (name) => HTTP_SINK_CLASSES[name] === connector.connectorClass,
  );
  // Confluent first: a config with Confluent's URL key is read with Confluent's defaults.
  const flavour = (["confluent", "camel"] as const).find(
    (f) => (byClass && FLAVOUR_OF_CLASS[byClass] === f) || URL_KEY[f] in all,
  );
  return flavour ? { ...connector, flavour } : undefined;
}
