import * as pulumi from "@pulumi/pulumi";
import type { ConnectEndpoint } from "./client";
import type { EndpointSecrets } from "./types";

/**
 * A Connect endpoint as a dynamic resource's inputs: the URL and user readable in state and
 * previews, the password, client key and headers a Pulumi secret.
 */
export function splitEndpoint(input: pulumi.Input<ConnectEndpoint>): {
  connect: pulumi.Output<Omit<ConnectEndpoint, keyof EndpointSecrets>>;
  connectSecrets: pulumi.Output<EndpointSecrets>;
} {
  const endpoint = pulumi.output(input);
  return {
    connect: pulumi.unsecret(
      endpoint.apply(({ password: _p, keyPem: _k, headers: _h, ...visible }) => visible),
    ),
    connectSecrets: pulumi.secret(
      endpoint.apply(({ password, keyPem, headers }) => ({ password, keyPem, headers })),
    ),
  };
}
