import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import {
  JAAS_SECRET_KEY,
  KAFKA_CA_FILE,
  KAFKA_CA_PATH,
  KAFKA_TLS_MOUNT_PATH,
} from "../../components/kafkaSecurity";
import { runKafkaAdmin } from "../../platform/secure/admin";
import { secureAdminTarget, secureEndpoints } from "../../platform/secure/endpoints";
import type { ScramUser } from "../../platform/secure/credentials";
import { policyFlags } from "../../scripts/pulumiCli";
import {
  Container,
  containerOf,
  CONTROLLED_KINDS,
  DECLARED_KINDS,
  getObjects,
  holdersOf,
  KubeObject,
  objectRef,
} from "./kubernetes/cluster";
import { setSecret } from "./kubernetes/secrets";
import { EngineStack, kubeGate } from "./kubernetes/engine";
import { kubeStackSettings, writeStackFile } from "./kubernetes/stack";

/**
 * The secured stack (TLS and SCRAM-SHA-512, users and ACLs managed by the stack, as
 * test/e2e/secure.test.ts) with Kubernetes on: its Secrets, ConfigMaps, mounts and env applied to
 * the plain platform's API server and read back as the pods would receive them, while Kafka is
 * the secured platform. Skipped, with the reason printed, without the API server.
 */
const {
  kube,
  describeIfKube,
  kubeconfig: KUBECONFIG,
  title,
} = kubeGate("test/e2e/kubernetesSecure.test.ts");

const STACK = "e2e-kubernetes-secure";
const ENV = "e2eks";
const REST = "tracking-rest-proxy";
const CONNECT = "tracking-connect";

const engine = new EngineStack(STACK, "tracking-e2e-kube-secure-state-");
const printed = engine.printed;
const cliOk = (args: string[]) => engine.cliOk(args);

const value = (c: Container, name: string) => c.env?.find((v) => v.name === name);

describeIfKube(title("a secured kubernetes-enabled stack"), () => {
  const e = kube ? secureEndpoints() : undefined;
  const { admin, connect, restProxy } =
    e?.credentials ?? ({} as NonNullable<typeof e>["credentials"]);
  const sinkUser: ScramUser = {
    username: `${ENV}-receiver`,
    password: randomBytes(18).toString("base64url"),
  };
  const passwords = () => ({
    admin: admin.password,
    connect: connect.password,
    restProxy: restProxy.password,
    sink: sinkUser.password,
  });
  let items: KubeObject[] = [];

  beforeAll(async () => {
    await engine.start();
    const s = kubeStackSettings(ENV, e!, KUBECONFIG, `/${ENV}-${Date.now().toString(36)}`);
    delete s.connectBasicAuthUsername;
    writeStackFile(STACK, {
      ...s,
      kafkaTls: true,
      kafkaTlsCaCertificate: readFileSync(e!.security.caFile, "utf8"),
      kafkaSaslMechanism: "scram-sha512",
      kafkaSaslUsername: admin.username,
      kafkaRestProxyUsername: restProxy.username,
      kafkaConnectUsername: connect.username,
      kafkaManageUsers: true,
      kafkaManageAcls: true,
      destinations: [
        {
          ...(s.destinations as Record<string, unknown>[])[0],
          kafkaPrincipal: { username: sinkUser.username, passwordSecret: "receiverKafkaPassword" },
        },
      ],
    });
    await engine.init();
    await setSecret(engine.env, STACK, "kafkaSaslPassword", admin.password);
    await setSecret(engine.env, STACK, "kafkaRestProxyPassword", restProxy.password);
    await setSecret(engine.env, STACK, "kafkaConnectPassword", connect.password);
    await setSecret(engine.env, STACK, "receiverKafkaPassword", sinkUser.password);
  });

  afterAll(async () => {
    await engine.finish(KUBECONFIG, ENV);
    // The stack managed the platform's own `connect` and `rest-proxy` users and its destroy
    // removed them: give the platform its users back.
    if (e) {
      await runKafkaAdmin(secureAdminTarget(e), admin, [
        { op: "scramUser", name: connect.username, password: connect.password },
        { op: "scramUser", name: restProxy.username, password: restProxy.password },
      ]);
    }
  });

  it("previews and applies with the policy pack; the connector runs on the secured worker", async () => {
    await cliOk(["preview", ...policyFlags("local")]);
    await cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
    const outputs = JSON.parse((await cliOk(["stack", "output", "--json"])).stdout) as {
      connectors: Record<string, { state: string }>;
    };
    expect(outputs.connectors.receiver.state).toBe("RUNNING");
    items = [
      ...(await getObjects(KUBECONFIG, DECLARED_KINDS, ENV)),
      ...(await getObjects(KUBECONFIG, CONTROLLED_KINDS, ENV)),
    ];
    const secured = items
      .filter(
        (i) =>
          i.kind === "Secret" || (i.kind === "ConfigMap" && i.metadata.name !== "kube-root-ca.crt"),
      )
      .map(objectRef)
      .sort();
    expect(secured).toEqual(
      [
        `ConfigMap/${CONNECT}-kafka-tls`,
        `ConfigMap/${REST}-kafka-tls`,
        // The connectors' secrets (the sink's own JAAS line among them), mounted in the workers.
        `Secret/${CONNECT}-connector-secrets`,
        `Secret/${CONNECT}-kafka-credentials`,
        `Secret/${REST}-kafka-credentials`,
      ].sort(),
    );
  });

  it("gives each workload its own login in its own Secret, and the platform's CA in a ConfigMap", () => {
    const ca = readFileSync(e!.security.caFile, "utf8");
    for (const [workload, user] of [
      [CONNECT, connect],
      [REST, restProxy],
    ] as const) {
      const secret = items.find((i) => objectRef(i) === `Secret/${workload}-kafka-credentials`)!;
      const jaas = Buffer.from(secret.data?.[JAAS_SECRET_KEY] ?? "", "base64").toString();
      expect(jaas).toContain("org.apache.kafka.common.security.scram.ScramLoginModule required");
      expect(jaas).toContain(`username="${user.username}"`);
      expect(jaas).toContain(`password="${user.password}"`);
      const map = items.find((i) => objectRef(i) === `ConfigMap/${workload}-kafka-tls`)!;
      expect(map.data?.[KAFKA_CA_FILE]).toBe(ca);
    }
  });

  it("mounts the CA where the clients' truststore points, and takes every JAAS line from its Secret", () => {
    for (const [workload, prefix] of [
      [CONNECT, "CONNECT_"],
      [REST, "KAFKA_REST_CLIENT_"],
    ] as const) {
      const deployment = items.find((i) => objectRef(i) === `Deployment/${workload}`)!;
      const pod = deployment.spec!.template!.spec;
      const c = containerOf(items, workload);
      const volume = pod.volumes?.find((v) => v.configMap?.name === `${workload}-kafka-tls`);
      expect(volume).toBeDefined();
      const mount = c.volumeMounts?.find((m) => m.name === volume?.name);
      expect(mount?.mountPath).toBe(KAFKA_TLS_MOUNT_PATH);
      expect(KAFKA_CA_PATH.startsWith(`${mount?.mountPath}/`)).toBe(true);
      expect(value(c, `${prefix}SECURITY_PROTOCOL`)?.value).toBe("SASL_SSL");
      expect(value(c, `${prefix}SASL_MECHANISM`)?.value).toBe("SCRAM-SHA-512");
      expect(value(c, `${prefix}SSL_TRUSTSTORE_LOCATION`)?.value).toBe(KAFKA_CA_PATH);
      const jaas = (c.env ?? []).filter((v) => v.name.endsWith("SASL_JAAS_CONFIG"));
      expect(jaas.length).toBeGreaterThan(0);
      for (const v of jaas) {
        expect({ name: v.name, value: v.value, ref: v.valueFrom?.secretKeyRef }).toEqual({
          name: v.name,
          value: undefined,
          ref: { name: `${workload}-kafka-credentials`, key: JAAS_SECRET_KEY },
        });
      }
    }
    // The worker's producer, consumer and admin clients log in too, not only the worker.
    const names = (containerOf(items, CONNECT).env ?? []).map((v) => v.name);
    for (const set of ["", "PRODUCER_", "CONSUMER_", "ADMIN_"]) {
      expect(names).toContain(`CONNECT_${set}SASL_JAAS_CONFIG`);
    }
  });

  it("keeps every password in its own Secret only, and out of the state and the output", async () => {
    const p = passwords();
    expect(holdersOf(items, p.admin)).toEqual([]);
    // The sink's own principal: its JAAS line is a connector secret, in the workers' mounted
    // Secret only (its connector config holds a reference).
    expect(holdersOf(items, p.sink)).toEqual([`Secret/${CONNECT}-connector-secrets`]);
    expect(holdersOf(items, p.connect)).toEqual([`Secret/${CONNECT}-kafka-credentials`]);
    expect(holdersOf(items, p.restProxy)).toEqual([`Secret/${REST}-kafka-credentials`]);
    const exported = (await cliOk(["stack", "export"])).stdout;
    for (const password of Object.values(p)) {
      expect(exported).not.toContain(password);
      for (const out of printed) expect(out).not.toContain(password);
    }
  });

  it("finds no change on refresh, and destroy leaves nothing in the namespace", async () => {
    await cliOk(["refresh", "--yes"]);
    await cliOk(["preview", "--expect-no-changes"]);
    expect(await engine.destroyed(KUBECONFIG, ENV)).toBe(true);
    const left = await getObjects(KUBECONFIG, `${DECLARED_KINDS},${CONTROLLED_KINDS}`);
    expect(left.filter((i) => i.metadata.namespace === ENV).map(objectRef)).toEqual([]);
  });
});
