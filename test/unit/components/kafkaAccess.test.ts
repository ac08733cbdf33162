import * as pulumi from "@pulumi/pulumi";
import {
  AccessPlanArgs,
  AclGrant,
  accessPlan,
  accessProblems,
  aclResourceName,
  KafkaAccess,
  KafkaAccessArgs,
  SCRAM_ITERATIONS,
} from "../../../components/kafkaAccess";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";
import { isSecret, named, ofType, promiseOf, registered, settled, useMocks } from "../mocks";

const USER = "kafka:index/userScramCredential:UserScramCredential";
const ACL = "kafka:index/acl:Acl";

type Named = { readonly username: string };

const internalTopics = ["prod.connect-configs", "prod.connect-offsets", "prod.connect-status"];

/** A prod-like stack: REST proxy, workers, a sink on the workers' principal, one on its own. */
function planArgs(): AccessPlanArgs<Named> {
  return {
    restProxy: { principal: { username: "rest-proxy" }, topics: ["prod.tracking"] },
    connect: { principal: { username: "connect" }, groupId: "prod-connect", internalTopics },
    workerPrincipal: { username: "connect" },
    sinks: [
      {
        name: "analytics",
        principal: { username: "connect" },
        topics: ["prod.tracking"],
        groupId: "connect-prod-analytics-http-sink",
        deadLetterTopic: "prod.analytics.dlq",
      },
      {
        name: "warehouse",
        principal: { username: "sink-warehouse" },
        topics: ["prod.tracking"],
        groupId: "connect-prod-warehouse-http-sink",
      },
    ],
    adminUsername: "admin",
  };
}

/** `User:x Topic:name Operation` lines, for readable expectations. */
function lines(grants: readonly AclGrant[]): string[] {
  return grants.map((g) => `${g.principal} ${g.resourceType}:${g.resourceName} ${g.operation}`);
}

describe("accessPlan", () => {
  it("grants each role exactly what it needs, literal names only, sorted", () => {
    expect(lines(accessPlan(planArgs()))).toEqual([
      "User:connect Topic:prod.analytics.dlq Write",
      "User:connect Topic:prod.analytics.dlq Describe",
      "User:connect Topic:prod.connect-configs Read",
      "User:connect Topic:prod.connect-configs Write",
      "User:connect Topic:prod.connect-configs Describe",
      "User:connect Topic:prod.connect-configs DescribeConfigs",
      "User:connect Topic:prod.connect-offsets Read",
      "User:connect Topic:prod.connect-offsets Write",
      "User:connect Topic:prod.connect-offsets Describe",
      "User:connect Topic:prod.connect-offsets DescribeConfigs",
      "User:connect Topic:prod.connect-status Read",
      "User:connect Topic:prod.connect-status Write",
      "User:connect Topic:prod.connect-status Describe",
      "User:connect Topic:prod.connect-status DescribeConfigs",
      "User:connect Topic:prod.tracking Read",
      "User:connect Topic:prod.tracking Describe",
      "User:connect Group:connect-prod-analytics-http-sink Read",
      "User:connect Group:prod-connect Read",
      "User:rest-proxy Topic:prod.tracking Write",
      "User:rest-proxy Topic:prod.tracking Describe",
      "User:sink-warehouse Topic:prod.tracking Read",
      "User:sink-warehouse Topic:prod.tracking Describe",
      "User:sink-warehouse Group:connect-prod-warehouse-http-sink Read",
    ]);
  });

  it("uses Allow, host * and the Literal pattern for every grant, and never a wildcard or the cluster", () => {
    const grants = accessPlan(planArgs());
    for (const g of grants) {
      expect([g.patternType, g.permission, g.host]).toEqual(["Literal", "Allow", "*"]);
      expect(g.resourceName).not.toBe("*");
      expect(g.principal).not.toBe("User:*");
      expect(["Topic", "Group"]).toContain(g.resourceType);
      expect(["Read", "Write", "Describe", "DescribeConfigs"]).toContain(g.operation);
    }
  });

  it("gives the REST proxy Write and Describe on the tracking topics and nothing else", () => {
    const proxy = accessPlan(planArgs()).filter((g) => g.principal === "User:rest-proxy");
    expect(lines(proxy)).toEqual([
      "User:rest-proxy Topic:prod.tracking Write",
      "User:rest-proxy Topic:prod.tracking Describe",
    ]);
  });

  it("lists a grant that sinks on the workers' principal share once", () => {
    const args = planArgs();
    const second = { ...args.sinks[0], name: "marketing", deadLetterTopic: undefined };
    const grants = accessPlan({ ...args, sinks: [...args.sinks, second] });
    const reads = lines(grants).filter((l) => l === "User:connect Topic:prod.tracking Read");
    expect(reads).toEqual(["User:connect Topic:prod.tracking Read"]);
    // Its own group is still its own grant.
    expect(lines(grants)).toContain("User:connect Group:connect-prod-analytics-http-sink Read");
    expect(new Set(grants.map((g) => JSON.stringify(g))).size).toBe(grants.length);
  });

  it("gives a Confluent-class sink Read, Write and Describe on its licence and reporter topics", () => {
    const args = planArgs();
    const sink = { ...args.sinks[1], confluentTopics: ["_confluent-command", "prod.w.success"] };
    const own = accessPlan({ ...args, sinks: [sink] }).filter(
      (g) => g.principal === "User:sink-warehouse",
    );
    expect(lines(own)).toEqual([
      "User:sink-warehouse Topic:_confluent-command Read",
      "User:sink-warehouse Topic:_confluent-command Write",
      "User:sink-warehouse Topic:_confluent-command Describe",
      "User:sink-warehouse Topic:prod.tracking Read",
      "User:sink-warehouse Topic:prod.tracking Describe",
      "User:sink-warehouse Topic:prod.w.success Read",
      "User:sink-warehouse Topic:prod.w.success Write",
      "User:sink-warehouse Topic:prod.w.success Describe",
      "User:sink-warehouse Group:connect-prod-warehouse-http-sink Read",
    ]);
  });

  it("grants nothing for the Connect cluster when the stack does not declare it", () => {
    const { connect: _connect, ...args } = planArgs();
    expect(
      lines(accessPlan(args)).filter((l) =>
        /prod-connect|connect-(configs|offsets|status)/.test(l),
      ),
    ).toEqual([]);
  });

  it("refuses a wildcard username, an empty topic and a role on the admin principal", () => {
    const args = planArgs();
    expect(() =>
      accessPlan({
        ...args,
        restProxy: { principal: { username: "admin" }, topics: ["*"] },
        sinks: [{ ...args.sinks[1], principal: { username: "*" }, topics: [""] }],
      }),
    ).toThrow(
      [
        '`restProxy.principal.username` (stack setting `kafkaRestProxyUsername`) is "admin", the admin principal (`kafkaSaslUsername`); give the role a principal of its own, or it can do anything on the cluster.',
        '`sinks[warehouse].principal.username` (stack setting `destinations[].kafkaPrincipal.username` of warehouse, else `kafkaConnectUsername`) is "*", which Kafka reads as every user (`User:*`); set the role\'s own username.',
        '`restProxy.topics` holds "*"; every ACL names one topic or group literally, never an empty name or "*".',
        '`sinks[warehouse].topics` holds ""; every ACL names one topic or group literally, never an empty name or "*".',
      ].join("\n"),
    );
  });

  it("reports an empty Connect username once, not for the workers again", () => {
    const args = planArgs();
    const nobody = { username: "" };
    expect(
      accessProblems({
        ...args,
        connect: { ...args.connect!, principal: nobody },
        workerPrincipal: nobody,
        sinks: [],
      }),
    ).toEqual([
      "`connect.principal.username` (stack setting `kafkaConnectUsername`) is empty; set the username the broker knows for this role.",
    ]);
  });
});

describe("aclResourceName", () => {
  it("derives the child name from principal, resource and operation only", () => {
    const [grant] = accessPlan(planArgs());
    expect(aclResourceName("t-access", grant)).toBe(
      "t-access-acl-connect-topic-prod.analytics.dlq-write",
    );
  });
});

function componentArgs(overrides: Partial<KafkaAccessArgs> = {}): KafkaAccessArgs {
  const connect = { username: "connect", password: pulumi.secret("connect-pw-1") };
  const plan = planArgs();
  return {
    mechanism: "scram-sha512",
    manageUsers: true,
    manageAcls: true,
    restProxy: {
      principal: { username: "rest-proxy", password: pulumi.secret("proxy-pw-2") },
      topics: plan.restProxy.topics,
    },
    connect: { principal: connect, groupId: "prod-connect", internalTopics },
    workerPrincipal: connect,
    sinks: [
      { ...plan.sinks[0], principal: connect },
      {
        ...plan.sinks[1],
        principal: { username: "sink-warehouse", password: pulumi.secret("warehouse-pw-3") },
      },
    ],
    adminUsername: "admin",
    ...overrides,
  };
}

const PASSWORDS = ["connect-pw-1", "proxy-pw-2", "warehouse-pw-3"];

describe("KafkaAccess", () => {
  beforeEach(() => useMocks());

  it("creates one SCRAM credential per distinct non-admin username, its password a secret", async () => {
    const access = new KafkaAccess("t-access", componentArgs());
    await settled(access);
    expect(
      ofType(USER)
        .map((u) => u.name)
        .sort(),
    ).toEqual([
      "t-access-user-connect",
      "t-access-user-rest-proxy",
      "t-access-user-sink-warehouse",
    ]);
    expect(named(USER, "t-access-user-connect").inputs).toEqual({
      username: "connect",
      scramMechanism: "SCRAM-SHA-512",
      scramIterations: SCRAM_ITERATIONS,
      password: secretValue("connect-pw-1"),
    });
    expect(SCRAM_ITERATIONS).toBe(8192);
    for (const user of access.users) expect(await isSecret(user.password)).toBe(true);
  });

  it("names the SCRAM-SHA-256 mechanism as the kafka plugin spells it", async () => {
    await settled(new KafkaAccess("t-access", componentArgs({ mechanism: "scram-sha256" })));
    expect(ofType(USER).map((u) => u.inputs.scramMechanism)).toEqual([
      "SCRAM-SHA-256",
      "SCRAM-SHA-256",
      "SCRAM-SHA-256",
    ]);
  });

  it("declares one kafka.Acl per grant with the plugin's input names", async () => {
    const access = new KafkaAccess("t-access", componentArgs());
    await settled(access);
    expect(ofType(ACL)).toHaveLength(accessPlan(componentArgs()).length);
    expect(named(ACL, "t-access-acl-rest-proxy-topic-prod.tracking-write").inputs).toEqual({
      aclPrincipal: "User:rest-proxy",
      aclHost: "*",
      aclOperation: "Write",
      aclPermissionType: "Allow",
      aclResourceType: "Topic",
      aclResourceName: "prod.tracking",
      resourcePatternTypeFilter: "Literal",
    });
    expect(access.grants).toEqual(accessPlan(componentArgs()));
  });

  it("makes each ACL depend on its principal's credential", async () => {
    const dependencies = recordDependencies();
    const access = new KafkaAccess("t-access", componentArgs());
    await settled(access);
    const urns = new Map(
      await Promise.all(
        access.users.map(async (u) => [await promiseOf(u.urn), nameOf(u)] as const),
      ),
    );
    const acls = ofType(ACL).map((a) => a.name);
    expect(acls.length).toBeGreaterThan(0);
    for (const acl of acls) {
      const username = /^t-access-acl-(rest-proxy|connect|sink-warehouse)-/.exec(acl)![1];
      const on = (dependencies.get(acl) ?? []).map((urn) => urns.get(urn));
      expect([acl, on]).toEqual([acl, [`t-access-user-${username}`]]);
    }
  });

  it("keeps the ACL names of the other principals when a sink is added", async () => {
    await settled(new KafkaAccess("t-access", componentArgs()));
    const before = ofType(ACL).map((a) => a.name);
    await useMocks();
    const args = componentArgs();
    const extra = {
      name: "marketing",
      principal: { username: "sink-marketing", password: pulumi.secret("m-pw-4") },
      topics: ["prod.tracking"],
      groupId: "connect-prod-marketing-http-sink",
    };
    await settled(new KafkaAccess("t-access", { ...args, sinks: [...args.sinks, extra] }));
    const after = ofType(ACL).map((a) => a.name);
    expect(after.filter((n) => !before.includes(n)).sort()).toEqual([
      "t-access-acl-sink-marketing-group-connect-prod-marketing-http-sink-read",
      "t-access-acl-sink-marketing-topic-prod.tracking-describe",
      "t-access-acl-sink-marketing-topic-prod.tracking-read",
    ]);
    expect(before.filter((n) => !after.includes(n))).toEqual([]);
  });

  it("creates nothing when users and ACLs are managed elsewhere", async () => {
    const access = new KafkaAccess(
      "t-access",
      componentArgs({ manageUsers: false, manageAcls: false }),
    );
    await settled(access);
    expect([ofType(USER), ofType(ACL)]).toEqual([[], []]);
    expect(access.grants.length).toBeGreaterThan(0);
  });

  it("refuses managed users with the PLAIN mechanism, naming the settings", () => {
    expect(() => new KafkaAccess("t-access", componentArgs({ mechanism: "plain" }))).toThrow(
      "Kafka access of t-access:\n  - `manageUsers` (stack setting `kafkaManageUsers`) needs a SCRAM mechanism, and `mechanism` (`kafkaSaslMechanism`) is plain; " +
        "set scram-sha256 or scram-sha512, or turn `kafkaManageUsers` off: PLAIN users live in the brokers' JAAS config, not in Kafka.",
    );
  });

  it("puts no password in any input but the credentials' secret password", async () => {
    await settled(new KafkaAccess("t-access", componentArgs()));
    expect(registered.length).toBeGreaterThan(10);
    for (const r of registered) {
      let inputs = r.inputs;
      if (r.type === USER) {
        const { password, ...rest } = r.inputs;
        expect(PASSWORDS.map(secretValue)).toContainEqual(password);
        inputs = rest;
      }
      const text = JSON.stringify(inputs);
      for (const password of PASSWORDS)
        expect([r.name, text.includes(password)]).toEqual([r.name, false]);
    }
  });

  it("gives a username shared by several roles the password of its first role", async () => {
    const args = componentArgs();
    const sinks = [
      { ...args.sinks[0], principal: { username: "connect", password: pulumi.secret("other-pw") } },
    ];
    await settled(new KafkaAccess("t-access", { ...args, sinks }));
    expect(named(USER, "t-access-user-connect").inputs.password).toEqual(
      secretValue("connect-pw-1"),
    );
  });
});

/** A secret input value as the engine receives it. */
function secretValue(value: string): Record<string, unknown> {
  return { [specialSigKey]: specialSecretSig, value };
}

function nameOf(resource: pulumi.CustomResource): string {
  return (resource as unknown as { __name: string }).__name;
}

/**
 * The dependencies each registration request names, by resource name, as the engine would get
 * them: the mocks' monitor is wrapped once more to read them off the request.
 */
function recordDependencies(): Map<string, string[]> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { getMonitor } = require("@pulumi/pulumi/runtime/settings") as {
    getMonitor: () => {
      registerResource(
        req: { getName(): string; getDependenciesList(): string[] },
        callback: unknown,
      ): unknown;
    };
  };
  const seen = new Map<string, string[]>();
  const monitor = getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    seen.set(req.getName(), req.getDependenciesList());
    return register(req, callback);
  };
  return seen;
}
