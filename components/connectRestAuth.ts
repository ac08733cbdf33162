import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { stackSecret } from "./stackSecret";

/**
 * Basic auth on the Connect REST API: Connect's own BasicAuthSecurityRestExtension with a JAAS
 * file and a users file, both in the Secret `<name>-rest-auth`, and a readiness probe that logs in
 * (an httpGet probe would need the password in the pod spec; curl reads it from the env).
 */
export interface ConnectRestAuth {
  readonly secret: k8s.core.v1.Secret;
  readonly volume: k8s.types.input.core.v1.Volume;
  readonly mount: k8s.types.input.core.v1.VolumeMount;
  readonly env: k8s.types.input.core.v1.EnvVar[];
  /** For the workers' KAFKA_OPTS. */
  readonly javaOption: string;
  readonly readinessProbe: k8s.types.input.core.v1.Probe;
}

const AUTH_DIR = "/etc/kafka-connect-auth";

export function connectRestAuth(
  name: string,
  metadata: { readonly namespace: pulumi.Input<string>; readonly labels: Record<string, string> },
  auth: { readonly username: string; readonly password: pulumi.Input<string> },
  restPort: number,
  parent: pulumi.Resource,
): ConnectRestAuth {
  const secretName = `${name}-rest-auth`;
  const secret = stackSecret(
    secretName,
    metadata,
    {
      "jaas.conf": [
        "KafkaConnect {",
        "  org.apache.kafka.connect.rest.basic.auth.extension.PropertyFileLoginModule required",
        `  file="${AUTH_DIR}/users.properties";`,
        "};",
      ].join("\n"),
      "users.properties": pulumi.interpolate`${auth.username}: ${auth.password}\n`,
      password: auth.password,
    },
    parent,
  );
  return {
    secret,
    volume: { name: "rest-auth", secret: { secretName } },
    mount: { name: "rest-auth", mountPath: AUTH_DIR, readOnly: true },
    env: [
      {
        name: "CONNECT_REST_EXTENSION_CLASSES",
        value: "org.apache.kafka.connect.rest.basic.auth.extension.BasicAuthSecurityRestExtension",
      },
      { name: "CONNECT_PROBE_USER", value: auth.username },
      {
        name: "CONNECT_PROBE_PASSWORD",
        valueFrom: { secretKeyRef: { name: secretName, key: "password" } },
      },
    ],
    javaOption: `-Djava.security.auth.login.config=${AUTH_DIR}/jaas.conf`,
    readinessProbe: {
      exec: {
        command: [
          "sh",
          "-c",
          `curl -fsS -u "$CONNECT_PROBE_USER:$CONNECT_PROBE_PASSWORD" http://localhost:${restPort}/ >/dev/null`,
        ],
      },
      periodSeconds: 10,
      failureThreshold: 3,
    },
  };
}
