import axios from "axios";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { policyFlags } from "../../scripts/pulumiCli";
import { kubectl, kubectlOk } from "../integration/kubernetesFixtures";
import { idsFromBody, ReceiverClient } from "../../platform/receiverClient";
import { platformEndpoints, V2_JSON } from "../integration/platform";
import {
  containerOf,
  CONTROLLED_KINDS,
  DECLARED_KINDS,
  getObjects,
  holdersOf,
  KubeObject,
  objectRef,
  podsOf,
  selectorProblems,
  until,
} from "./kubernetes/cluster";
import { EngineStack, kubeGate, outputOf } from "./kubernetes/engine";
import { kubeStackSettings, StackSettings, writeStackFile } from "./kubernetes/stack";
import { setSecret } from "./kubernetes/secrets";
import { memoryCeiling } from "./kubernetes/admission";
import { basicHeader, headerOf } from "./secretsStack";

/**
 * A kubernetes-enabled stack under the real engine, its workloads applied to the platform's real
 * API server (etcd, kube-apiserver, kube-controller-manager; no kubelet, so pods stay Pending),
 * Kafka on the platform's broker and the connectors on its Connect worker. Opt-in like
 * test/integration/kubernetes.test.ts: skipped, with the reason printed, when the platform runs
 * no API server. Run with
 *   npm run toolchain -- --with-kube-server --with-kubernetes
 *   TRACKING_PLATFORM_KUBERNETES=1 npx jest --selectProjects e2e --runInBand test/e2e/kubernetes.test.ts
 */
const e = platformEndpoints();
const { describeIfKube, kubeconfig: KUBECONFIG, title } = kubeGate("test/e2e/kubernetes.test.ts");

const STACK = "e2e-kubernetes";
const ENV = "e2ek";
const BASIC_AUTH_PASSWORD = `basic-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
/** The cluster's own rule in the last-but-one step, invisible to the stack's config. */
const CEILING = "e2ek-memory-ceiling";
/** The receiver path of this run, the same in every config the test writes. */
const RECEIVER_PATH = `/${ENV}-${Date.now().toString(36)}`;

const REST = "tracking-rest-proxy";
const CONNECT = "tracking-connect";
/** The Secret the Connect pods mount: one key per connector secret of the stack. */
const CONNECTOR_SECRETS = `${CONNECT}-connector-secrets`;
const CONNECTOR = `${ENV}-receiver-http-sink`;
/** The receiver destination's basic auth: its password is the stack's one connector secret. */
const RECEIVER_USER = `${ENV}-writer`;
const RECEIVER_PASSWORD_KEY = "receiverPassword";
const RECEIVER_PASSWORD = `rcv-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
const ROTATED_PASSWORD = `${RECEIVER_PASSWORD}-rotated`;
const PASSWORD_FILE = `${CONNECTOR}.connection.password`;

/** What cp-kafka-connect's start script (`ub ensure`) requires before it starts the worker. */
const CONNECT_REQUIRED_ENV = [
  "CONNECT_BOOTSTRAP_SERVERS",
  "CONNECT_GROUP_ID",
  "CONNECT_CONFIG_STORAGE_TOPIC",
  "CONNECT_OFFSET_STORAGE_TOPIC",
  "CONNECT_STATUS_STORAGE_TOPIC",
  "CONNECT_KEY_CONVERTER",
  "CONNECT_VALUE_CONVERTER",
  "CONNECT_REST_ADVERTISED_HOST_NAME",
];

const engine = new EngineStack(STACK, "tracking-e2e-kube-state-");
const printed = engine.printed;
const text = outputOf;
const cli = (args: string[]) => engine.cli(args);
const cliOk = (args: string[]) => engine.cliOk(args);

function settings(changes: (s: StackSettings) => void = () => undefined): void {
  const s = kubeStackSettings(ENV, e, KUBECONFIG, RECEIVER_PATH);
  (s.destinations as Record<string, unknown>[])[0].auth = {
    type: "basic",
    username: RECEIVER_USER,
    passwordSecret: RECEIVER_PASSWORD_KEY,
  };
  changes(s);
  writeStackFile(STACK, s);
}

const up = () => cliOk(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
const declared = () => getObjects(KUBECONFIG, DECLARED_KINDS, ENV);
const everything = async () => [
  ...(await declared()),
  ...(await getObjects(KUBECONFIG, CONTROLLED_KINDS, ENV)),
];

/** Top-level input keys whose values differ between two states. */
function changedInputs(before: Record<string, unknown> = {}, after: Record<string, unknown> = {}) {
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  return [...keys].filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
}

/**
 * The steps of `pulumi preview --json` that change something: name and the changed properties
 * (detailed diff keys for resources; changed inputs for components, which have no detailed diff).
 */
async function plannedChanges(): Promise<string[]> {
  const result = await cliOk(["preview", "--json"]);
  const plan = JSON.parse(result.stdout) as {
    steps: {
      op: string;
      urn: string;
      detailedDiff?: Record<string, unknown>;
      oldState?: { inputs?: Record<string, unknown> };
      newState?: { inputs?: Record<string, unknown> };
    }[];
  };
  return plan.steps
    .filter((s) => s.op !== "same")
    .map((s) => {
      const detailed = Object.keys(s.detailedDiff ?? {});
      const keys =
        detailed.length > 0 ? detailed : changedInputs(s.oldState?.inputs, s.newState?.inputs);
      return `${s.op} ${s.urn.split("::").pop()} ${keys.sort().join(" ")}`;
    })
    .sort();
}

describeIfKube(title("a kubernetes-enabled stack on the platform's API server"), () => {
  beforeAll(async () => {
    await engine.start();
    settings();
    await engine.init();
    await setSecret(engine.env, STACK, "connectBasicAuthPassword", BASIC_AUTH_PASSWORD);
    await setSecret(engine.env, STACK, RECEIVER_PASSWORD_KEY, RECEIVER_PASSWORD);
  });

  afterAll(async () => {
    await kubectl(KUBECONFIG, [
      "delete",
      "validatingadmissionpolicybinding,validatingadmissionpolicy",
      CEILING,
      "--ignore-not-found",
    ]);
    await engine.finish(KUBECONFIG, ENV);
  });

  it("previews with the policy pack (every policy mandatory, local relaxations)", async () => {
    const result = await cliOk(["preview", ...policyFlags("local")]);
    expect(text(result)).toMatch(/tracking-pipeline@v0\.1\.0/);
    expect(text(result)).toMatch(/\+ 27 to create/);
  });

  it("creates every object it declares on the API server, read back by kubectl", async () => {
    const result = await up();
    expect(text(result)).toMatch(/\+ 27 created/);
    const names = (await declared())
      .filter((o) => o.kind !== "ConfigMap" || o.metadata.name !== "kube-root-ca.crt")
      .map(objectRef)
      .sort();
    expect(names).toEqual(
      [
        `Deployment/${CONNECT}`,
        `Deployment/${REST}`,
        `HorizontalPodAutoscaler/${REST}`,
        `Ingress/${REST}`,
        `NetworkPolicy/${CONNECT}`,
        `PodDisruptionBudget/${CONNECT}`,
        `PodDisruptionBudget/${REST}`,
        `Secret/${CONNECT}-rest-auth`,
        `Secret/${CONNECTOR_SECRETS}`,
        `Service/${CONNECT}`,
        `Service/${REST}`,
      ].sort(),
    );
    const ns = JSON.parse(
      await kubectlOk(KUBECONFIG, ["get", "namespace", ENV, "-o", "json"]),
    ) as KubeObject;
    expect(ns.metadata.labels).toMatchObject({ "app.kubernetes.io/managed-by": "pulumi" });
  });

  it("rolls both Deployments out to ReplicaSets whose pods stay Pending (controller manager)", async () => {
    const items = await until(everything, (all) => all.filter((i) => i.kind === "Pod").length >= 4);
    const pods = items.filter((i) => i.kind === "Pod");
    for (const [deployment, replicas] of [
      [REST, 2],
      [CONNECT, 2],
    ] as const) {
      const owned = podsOf(deployment, items, pods);
      expect({ deployment, pods: owned.length }).toEqual({ deployment, pods: replicas });
      for (const p of owned) {
        expect([p.status?.phase, p.spec?.nodeName]).toEqual(["Pending", undefined]);
      }
    }
  });

  it("selects with each Service, PDB and the NetworkPolicy exactly its Deployment's pods", async () => {
    const items = await everything();
    const pods = items.filter((i) => i.kind === "Pod");
    expect(
      selectorProblems(items, pods, {
        [`Service/${REST}`]: REST,
        [`Service/${CONNECT}`]: CONNECT,
        [`PodDisruptionBudget/${REST}`]: REST,
        [`PodDisruptionBudget/${CONNECT}`]: CONNECT,
        [`NetworkPolicy/${CONNECT}`]: CONNECT,
      }),
    ).toEqual([]);
  });

  it("points the autoscaler at the REST proxy Deployment, and the Ingress at its Service", async () => {
    const items = await declared();
    const hpa = items.find((i) => i.kind === "HorizontalPodAutoscaler")!;
    expect(hpa.spec?.scaleTargetRef).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      name: REST,
    });
    const ingress = JSON.stringify(items.find((i) => i.kind === "Ingress"));
    expect(ingress).toContain(`"service":{"name":"${REST}","port":{"name":"http"}}`);
    const service = JSON.stringify(items.find((i) => objectRef(i) === `Service/${REST}`));
    expect(service).toContain('"name":"http"');
  });

  it("gives the Connect pods every variable the image requires", async () => {
    const container = containerOf(await declared(), CONNECT);
    const names = (container.env ?? []).map((v) => v.name);
    expect(CONNECT_REQUIRED_ENV.filter((n) => !names.includes(n))).toEqual([]);
    const value = (n: string) => container.env?.find((v) => v.name === n)?.value;
    expect(value("CONNECT_BOOTSTRAP_SERVERS")).toBe(e.kafkaBootstrap);
    expect(value("CONNECT_GROUP_ID")).toBe(`${ENV}-tracking-connect`);
  });

  it("keeps the basic-auth password in its Secret only: not in another object, the state or the output", async () => {
    const items = await everything();
    expect(holdersOf(items, BASIC_AUTH_PASSWORD)).toEqual([`Secret/${CONNECT}-rest-auth`]);
    const probe = containerOf(items, CONNECT).env?.find((v) => v.name === "CONNECT_PROBE_PASSWORD");
    expect(probe?.valueFrom?.secretKeyRef?.name).toBe(`${CONNECT}-rest-auth`);
    const exported = (await cliOk(["stack", "export"])).stdout;
    expect(exported).not.toContain(BASIC_AUTH_PASSWORD);
    for (const out of printed) expect(out).not.toContain(BASIC_AUTH_PASSWORD);
  });

  it("keeps the connector secrets in their Secret, mounted read-only where the workers' config provider reads", async () => {
    const items = await everything();
    const secret = items.find((i) => objectRef(i) === `Secret/${CONNECTOR_SECRETS}`)!;
    // One key per connector secret of the stack: the receiver's basic-auth password.
    expect(Object.keys(secret.data ?? {})).toEqual([PASSWORD_FILE]);
    expect(Buffer.from(secret.data![PASSWORD_FILE], "base64").toString()).toBe(RECEIVER_PASSWORD);
    const deployment = items.find((i) => objectRef(i) === `Deployment/${CONNECT}`)!;
    const pod = deployment.spec!.template!;
    const volumes = (pod.spec.volumes ?? []).filter(
      (v) => v.secret?.secretName === CONNECTOR_SECRETS,
    );
    expect(volumes).toHaveLength(1);
    const container = containerOf(items, CONNECT);
    const mounts = (container.volumeMounts ?? []).filter((m) => m.name === volumes[0].name);
    const value = (n: string) => container.env?.find((v) => v.name === n)?.value;
    const allowed = value("CONNECT_CONFIG_PROVIDERS_DIR_PARAM_ALLOWED_PATHS");
    expect(allowed).toMatch(/^\//);
    expect(mounts).toEqual([expect.objectContaining({ mountPath: allowed, readOnly: true })]);
    expect(value("CONNECT_CONFIG_PROVIDERS")).toBe("dir");
    expect(value("CONNECT_CONFIG_PROVIDERS_DIR_CLASS")).toBe(
      "org.apache.kafka.common.config.provider.DirectoryConfigProvider",
    );
    // The value is in that Secret only: no env var, ConfigMap, ReplicaSet or pod holds it.
    expect(holdersOf(items, RECEIVER_PASSWORD)).toEqual([`Secret/${CONNECTOR_SECRETS}`]);
    const envValues = items
      .flatMap((i) => [...(i.spec?.template?.spec.containers ?? []), ...(i.spec?.containers ?? [])])
      .flatMap((c) => c.env ?? [])
      .filter((v) => v.value?.includes(RECEIVER_PASSWORD));
    expect(envValues).toEqual([]);
    // A new resourceVersion of the Secret rolls the workers.
    expect(pod.metadata.annotations?.["tracking-pipeline/connector-secrets-version"]).toBe(
      secret.metadata.resourceVersion,
    );
    const exported = (await cliOk(["stack", "export"])).stdout;
    expect(exported).not.toContain(RECEIVER_PASSWORD);
    for (const out of printed) expect(out).not.toContain(RECEIVER_PASSWORD);
  });

  it("delivers through the platform's worker, its connector reading the password from the worker's folder", async () => {
    const { data: config } = await axios.get<Record<string, string>>(
      `${e.connectUrl}/connectors/${CONNECTOR}/config`,
    );
    expect(config["connection.password"]).toBe(
      `\${dir:${e.connectSecretsDirectory}:${PASSWORD_FILE}}`,
    );
    const receiver = new ReceiverClient(e.receiverUrl);
    const since = (await receiver.requests()).reduce((m, r) => Math.max(m, r.seq), 0);
    const ids = Array.from({ length: 50 }, (_, i) => `${RECEIVER_PATH}-${i}`);
    await axios.post(
      `${e.restProxyUrl}/topics/${ENV}.tracking`,
      { records: ids.map((id) => ({ value: { id, type: "page_view" } })) },
      { headers: { "Content-Type": V2_JSON } },
    );
    const onPath = (r: { path: string }) => r.path.startsWith(RECEIVER_PATH);
    const report = await receiver.waitForIds(ids, {
      extract: (r) => (onPath(r) ? idsFromBody()(r) : []),
    });
    expect(report.missing).toEqual([]);
    const accepted = (await receiver.requests(since)).filter((r) => onPath(r) && r.status === 200);
    expect(accepted.length).toBeGreaterThan(0);
    for (const r of accepted) {
      expect(headerOf(r, "Authorization")).toBe(basicHeader(RECEIVER_USER, RECEIVER_PASSWORD));
    }
  });

  it("finds no change on a second preview", async () => {
    await cliOk(["preview", "--expect-no-changes"]);
  });

  it("changes an image tag, replicas and a rate limit in place, with exactly those diffs", async () => {
    settings((s) => {
      s.connectImage = "confluentinc/cp-kafka-connect:7.9.2";
      s.connectReplicas = 3;
      s.restProxyRateLimitPermitsPerSecond = 80;
    });
    expect(await plannedChanges()).toEqual([
      // The component's own inputs: it records the image it runs.
      "update tracking-connect baseImage",
      "update tracking-connect-deployment spec.replicas spec.template.spec.containers[0].image",
      "update tracking-rest-proxy-deployment spec.template.spec.containers[0].env[5].value",
      'update tracking-rest-proxy-ingress metadata.annotations["nginx.ingress.kubernetes.io/limit-rps"]',
    ]);
    const result = await up();
    // The three objects, and the ConnectCluster component that records its image.
    expect(text(result)).toMatch(/~ 4 updated/);
    expect(text(result)).not.toMatch(/created|deleted|replaced/);
    const items = await declared();
    const connect = items.find((i) => objectRef(i) === `Deployment/${CONNECT}`)!;
    expect([connect.spec?.replicas, containerOf(items, CONNECT).image]).toEqual([
      3,
      "confluentinc/cp-kafka-connect:7.9.2",
    ]);
    const rate = containerOf(items, REST).env?.find(
      (v) => v.name === "KAFKA_REST_RATE_LIMIT_PERMITS_PER_SEC",
    );
    expect(rate?.value).toBe("80");
    const ingress = items.find((i) => i.kind === "Ingress")!;
    expect(ingress.metadata.annotations?.["nginx.ingress.kubernetes.io/limit-rps"]).toBe("80");
  });

  it("finds no change after refresh", async () => {
    await cliOk(["refresh", "--yes"]);
    await cliOk(["preview", "--expect-no-changes"]);
  });

  // The stack's kubernetes provider sets `enableSecretMutable`: without it the plugin replaced
  // the Secret (a fixed name: delete first) and, as its dependent, the Connect Deployment, so
  // every worker went at once. Now both are updated in place: the workers roll.
  it("rotates the connector password: a new Secret version in the pod template, the new value in the worker's file", async () => {
    const before = await declared();
    const oldVersion = before.find((i) => objectRef(i) === `Secret/${CONNECTOR_SECRETS}`)!.metadata
      .resourceVersion;
    await setSecret(engine.env, STACK, RECEIVER_PASSWORD_KEY, ROTATED_PASSWORD);
    const result = await up();
    expect(text(result)).not.toMatch(/created|deleted|replaced/);
    const items = await declared();
    const secret = items.find((i) => objectRef(i) === `Secret/${CONNECTOR_SECRETS}`)!;
    expect(secret.metadata.resourceVersion).not.toBe(oldVersion);
    expect(Buffer.from(secret.data![PASSWORD_FILE], "base64").toString()).toBe(ROTATED_PASSWORD);
    const pod = items.find((i) => objectRef(i) === `Deployment/${CONNECT}`)!.spec!.template!;
    expect(pod.metadata.annotations?.["tracking-pipeline/connector-secrets-version"]).toBe(
      secret.metadata.resourceVersion,
    );
    expect(holdersOf(items, ROTATED_PASSWORD)).toEqual([`Secret/${CONNECTOR_SECRETS}`]);
    expect(readFileSync(join(e.connectSecretsDirectory!, PASSWORD_FILE), "utf8")).toBe(
      ROTATED_PASSWORD,
    );
    await cliOk(["preview", "--expect-no-changes"]);
    const exported = (await cliOk(["stack", "export"])).stdout;
    expect(exported).not.toContain(RECEIVER_PASSWORD);
    for (const out of printed) expect(out).not.toContain(RECEIVER_PASSWORD);
  });

  // A hand edit of the mounted Secret (kubectl patch, a controller, a restore from backup) is
  // drift: refresh reports it without printing either value, the next preview plans the Secret
  // back and the workers' roll, and `up` restores the stack's value.
  it("shows a value changed in the mounted Secret behind Pulumi's back as drift, and up puts the stack's value back", async () => {
    const tampered = `${ROTATED_PASSWORD}-edited-by-hand`;
    const patch = JSON.stringify({
      data: { [PASSWORD_FILE]: Buffer.from(tampered).toString("base64") },
    });
    // The patch in a 0600 file of a private folder: no value on a command line.
    const patchDir = mkdtempSync(join(tmpdir(), "tracking-e2e-kube-patch-"));
    const patchFile = join(patchDir, "patch.json");
    writeFileSync(patchFile, patch, { mode: 0o600 });
    try {
      await kubectlOk(KUBECONFIG, [
        "patch",
        "secret",
        CONNECTOR_SECRETS,
        "-n",
        ENV,
        "--type",
        "merge",
        "--patch-file",
        patchFile,
      ]);
    } finally {
      rmSync(patchDir, { recursive: true, force: true });
    }
    const live = (await declared()).find((i) => objectRef(i) === `Secret/${CONNECTOR_SECRETS}`)!;
    expect(Buffer.from(live.data![PASSWORD_FILE], "base64").toString()).toBe(tampered);

    const refreshed = await cli(["refresh", "--yes", "--expect-no-changes"]);
    expect(refreshed.code).not.toBe(0);
    expect(text(refreshed)).toMatch(
      /~\s+kubernetes:core\/v1:Secret\s+tracking-connect-connector-secrets\s+update/,
    );
    expect(text(refreshed)).toMatch(/no changes were expected for refresh/);

    expect(await plannedChanges()).toEqual([
      `update tracking-connect-connector-secrets data["${PASSWORD_FILE}"]`,
      "update tracking-connect-deployment spec.template.metadata.annotations.tracking-pipeline/connector-secrets-version",
    ]);
    const result = await up();
    expect(text(result)).not.toMatch(/created|deleted|replaced/);
    const items = await declared();
    const secret = items.find((i) => objectRef(i) === `Secret/${CONNECTOR_SECRETS}`)!;
    expect(Buffer.from(secret.data![PASSWORD_FILE], "base64").toString()).toBe(ROTATED_PASSWORD);
    const pod = items.find((i) => objectRef(i) === `Deployment/${CONNECT}`)!.spec!.template!;
    expect(pod.metadata.annotations?.["tracking-pipeline/connector-secrets-version"]).toBe(
      secret.metadata.resourceVersion,
    );
    await cliOk(["preview", "--expect-no-changes"]);
    for (const out of printed) {
      expect(out).not.toContain(tampered);
      expect(out).not.toContain(ROTATED_PASSWORD);
    }
    expect((await cliOk(["stack", "export"])).stdout).not.toContain(tampered);
  });

  it("stops a memory request above its limit at preview, naming the setting", async () => {
    settings((s) => {
      s.connectImage = "confluentinc/cp-kafka-connect:7.9.2";
      s.connectReplicas = 3;
      s.restProxyRateLimitPermitsPerSecond = 80;
      s.connectMemoryRequest = "2Gi";
    });
    const result = await cli(["preview", ...policyFlags("local")]);
    expect(result.code).not.toBe(0);
    expect(text(result)).toContain(
      "tracking-pipeline:connectMemoryRequest: must not exceed `connectMemoryLimit` (1536Mi)",
    );
  });

  it("surfaces what the API server rejects, naming the object and the field", async () => {
    // The cluster's own admission rule (a platform team's ceiling): no config can know it.
    await kubectlOk(KUBECONFIG, ["apply", "-f", "-"], JSON.stringify(memoryCeiling(CEILING, ENV)));
    try {
      await until(
        async () =>
          (await kubectl(KUBECONFIG, ["get", "validatingadmissionpolicybinding", CEILING])).ok,
        (ok) => ok,
      );
      // Admission policies take effect a moment after they are stored.
      await new Promise((r) => setTimeout(r, 2000));
      settings((s) => {
        s.connectImage = "confluentinc/cp-kafka-connect:7.9.2";
        s.connectReplicas = 3;
        s.restProxyRateLimitPermitsPerSecond = 80;
        s.connectMemoryLimit = "2Gi";
      });
      const result = await cli(["up", "--yes", "--skip-preview", ...policyFlags("local")]);
      expect(result.code).not.toBe(0);
      const output = text(result);
      expect(output).toMatch(/tracking-connect-deployment/);
      expect(output).toMatch(/deployments(\.apps)? "tracking-connect"/);
      expect(output).toContain("spec.template.spec.containers[*].resources.limits.memory");
      expect(output).toContain(`ValidatingAdmissionPolicy '${CEILING}'`);
      // Nothing changed on the server.
      expect(containerOf(await declared(), CONNECT).resources?.limits?.memory).toBe("1536Mi");
    } finally {
      await kubectlOk(KUBECONFIG, [
        "delete",
        "validatingadmissionpolicybinding,validatingadmissionpolicy",
        CEILING,
      ]);
    }
    settings((s) => {
      s.connectImage = "confluentinc/cp-kafka-connect:7.9.2";
      s.connectReplicas = 3;
      s.restProxyRateLimitPermitsPerSecond = 80;
    });
    // The failed update left the rejected inputs in the state: one `up` with the config restored
    // applies the Deployment as it is on the server (no create, delete or replace), then nothing.
    const converged = await up();
    expect(text(converged)).not.toMatch(/created|deleted|replaced/);
    await cliOk(["preview", "--expect-no-changes"]);
  });

  it("destroys everything: the namespace and every object in it are gone", async () => {
    expect(await engine.destroyed(KUBECONFIG, ENV)).toBe(true);
    const left = await getObjects(KUBECONFIG, `${DECLARED_KINDS},${CONTROLLED_KINDS}`);
    expect(left.filter((i) => i.metadata.namespace === ENV).map(objectRef)).toEqual([]);
  });
});
