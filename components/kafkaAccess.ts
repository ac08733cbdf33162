import * as kafka from "@pulumi/kafka";
import * as pulumi from "@pulumi/pulumi";

// The Kafka principals of a tracking pipeline and their least-privilege ACLs, as code: the REST
// proxy writes the tracking topics, the Connect workers own their internal topics and group, and
// each sink reads its topics and group and writes its dead-letter topic. Nothing else: no `*`,
// no prefixes, nothing on the cluster.

/** A SASL principal: its username and its password (a secret). */
export interface KafkaPrincipal {
  readonly username: string;
  readonly password: pulumi.Input<string>;
}

/** The SASL mechanisms the stack's clients use. */
export type KafkaSaslMechanism = "scram-sha256" | "scram-sha512" | "plain";

/** One sink (HTTP sink connector) as far as Kafka authorisation is concerned. */
export interface KafkaSinkAccess<P extends { readonly username: string } = KafkaPrincipal> {
  /** The destination name, for resource names and messages. */
  readonly name: string;
  /** The sink's own principal, or the workers'. */
  readonly principal: P;
  /** Full names of the topics it reads. */
  readonly topics: readonly string[];
  /** Its consumer group, `connect-<connector name>`. */
  readonly groupId: string;
  /** Its dead-letter topic, written by the sink's producer. Defaults to none. */
  readonly deadLetterTopic?: string;
  /** The consumer group of its dead-letter redrives, when one is declared: reads that topic. */
  readonly redriveGroupId?: string;
  /** Confluent class only: the licence topic and reporter topics its own clients use. Defaults to none. */
  readonly confluentTopics?: readonly string[];
}

/** What {@link accessPlan} needs: the principals by role and what each role touches. */
export interface AccessPlanArgs<P extends { readonly username: string } = KafkaPrincipal> {
  /** The REST proxy's principal and the full names of the tracking topics it produces to. */
  readonly restProxy: { readonly principal: P; readonly topics: readonly string[] };
  /** Present when the stack declares the Connect cluster: its group and internal topics. Defaults to none. */
  readonly connect?: {
    readonly principal: P;
    readonly groupId: string;
    readonly internalTopics: readonly string[];
  };
  /** The workers' principal (sinks default to it). */
  readonly workerPrincipal: P;
  readonly sinks: readonly KafkaSinkAccess<P>[];
  /**
   * The stack's admin principal (the kafka provider's `saslUsername`), which no role may share
   * and which gets neither a credential nor ACLs here. Defaults to none (not checked).
   */
  readonly adminUsername?: string;
}

export interface KafkaAccessArgs extends AccessPlanArgs<KafkaPrincipal> {
  readonly mechanism: KafkaSaslMechanism;
  /** Create a `kafka.UserScramCredential` per distinct non-admin username (SCRAM only). */
  readonly manageUsers: boolean;
  /** Create a `kafka.Acl` per grant of {@link accessPlan}. */
  readonly manageAcls: boolean;
}

export type AclResourceType = "Topic" | "Group";
export type AclOperation = "Read" | "Write" | "Describe" | "DescribeConfigs";

/** One ACL entry, with the values the kafka plugin's `Acl` takes. */
export interface AclGrant {
  /** `User:<username>`. */
  readonly principal: string;
  readonly resourceType: AclResourceType;
  readonly resourceName: string;
  readonly patternType: "Literal";
  readonly operation: AclOperation;
  readonly permission: "Allow";
  readonly host: "*";
}

/**
 * SCRAM iterations of the credentials the stack creates. Kafka accepts 4096 to 16384 and its own
 * tools default to 4096; twice that doubles the cost of guessing a password from a leaked
 * credential, while clients pay it only when they open a connection (brokers store the derived
 * keys and do no iterations at all).
 */
export const SCRAM_ITERATIONS = 8192;

/** The kafka plugin's names of the SCRAM mechanisms (`scramMechanism`). */
export const SCRAM_MECHANISMS = {
  "scram-sha256": "SCRAM-SHA-256",
  "scram-sha512": "SCRAM-SHA-512",
} as const;

const TYPE_ORDER: readonly AclResourceType[] = ["Topic", "Group"];
const OPERATION_ORDER: readonly AclOperation[] = ["Read", "Write", "Describe", "DescribeConfigs"];

export function principalOf(username: string): string {
  return `User:${username}`;
}

/** A role's username and where it comes from, for messages. */
interface RoleName {
  readonly username: string;
  /** The argument, and the stack setting behind it. */
  readonly setting: string;
}

function rolesOf(args: AccessPlanArgs<{ readonly username: string }>): RoleName[] {
  return [
    {
      username: args.restProxy.principal.username,
      setting: "`restProxy.principal.username` (stack setting `kafkaRestProxyUsername`)",
    },
    ...(args.connect
      ? [
          {
            username: args.connect.principal.username,
            setting: "`connect.principal.username` (stack setting `kafkaConnectUsername`)",
          },
        ]
      : []),
    // Usually the same principal as Connect's: judged once.
    ...(args.connect?.principal.username === args.workerPrincipal.username
      ? []
      : [
          {
            username: args.workerPrincipal.username,
            setting: "`workerPrincipal.username` (stack setting `kafkaConnectUsername`)",
          },
        ]),
    ...args.sinks.map((s) => ({
      username: s.principal.username,
      setting: `\`sinks[${s.name}].principal.username\` (stack setting \`destinations[].kafkaPrincipal.username\` of ${s.name}, else \`kafkaConnectUsername\`)`,
    })),
  ];
}

/**
 * What is wrong with the access arguments, one line each (empty when nothing is): names that
 * would become wildcards or empty ACLs, a role that shares the admin principal.
 */
export function accessProblems(args: AccessPlanArgs<{ readonly username: string }>): string[] {
  const problems: string[] = [];
  for (const role of rolesOf(args)) {
    if (role.username.trim() === "") {
      problems.push(`${role.setting} is empty; set the username the broker knows for this role.`);
    } else if (role.username === "*") {
      problems.push(
        `${role.setting} is "*", which Kafka reads as every user (\`User:*\`); set the role's own username.`,
      );
    } else if (args.adminUsername !== undefined && role.username === args.adminUsername) {
      problems.push(
        `${role.setting} is "${role.username}", the admin principal (\`kafkaSaslUsername\`); give the role a principal of its own, or it can do anything on the cluster.`,
      );
    }
  }
  const names: [string, string][] = [
    ...args.restProxy.topics.map((t): [string, string] => ["`restProxy.topics`", t]),
    ...(args.connect
      ? [
          ["`connect.groupId`", args.connect.groupId] as [string, string],
          ...args.connect.internalTopics.map((t): [string, string] => [
            "`connect.internalTopics`",
            t,
          ]),
        ]
      : []),
    ...args.sinks.flatMap((s): [string, string][] => [
      ...s.topics.map((t): [string, string] => [`\`sinks[${s.name}].topics\``, t]),
      [`\`sinks[${s.name}].groupId\``, s.groupId],
      ...(s.deadLetterTopic !== undefined
        ? [[`\`sinks[${s.name}].deadLetterTopic\``, s.deadLetterTopic] as [string, string]]
        : []),
      ...(s.confluentTopics ?? []).map((t): [string, string] => [
        `\`sinks[${s.name}].confluentTopics\``,
        t,
      ]),
    ]),
  ];
  for (const [setting, value] of names) {
    if (value.trim() === "" || value === "*") {
      problems.push(
        `${setting} holds ${JSON.stringify(value)}; every ACL names one topic or group literally, never an empty name or "*".`,
      );
    }
  }
  return problems;
}

function grantKey(g: AclGrant): string {
  return [g.principal, g.resourceType, g.resourceName, g.operation].join("\u0000");
}

function compareGrants(a: AclGrant, b: AclGrant): number {
  const by = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return (
    by(a.principal, b.principal) ||
    TYPE_ORDER.indexOf(a.resourceType) - TYPE_ORDER.indexOf(b.resourceType) ||
    by(a.resourceName, b.resourceName) ||
    OPERATION_ORDER.indexOf(a.operation) - OPERATION_ORDER.indexOf(b.operation)
  );
}

/**
 * Every ACL the stack's principals need, least privilege: literal names only, never `*`, never
 * the cluster. Grants that several roles share (sinks on the workers' principal reading the same
 * topic) appear once; the order is by principal, resource type, resource name and operation, so
 * that the same arguments always give the same list. Throws on {@link accessProblems}.
 */
export function accessPlan(args: AccessPlanArgs<{ readonly username: string }>): AclGrant[] {
  const problems = accessProblems(args);
  if (problems.length > 0) throw new Error(problems.join("\n"));

  const grants = new Map<string, AclGrant>();
  const allow = (
    username: string,
    resourceType: AclResourceType,
    names: readonly string[],
    operations: readonly AclOperation[],
  ) => {
    for (const resourceName of names) {
      for (const operation of operations) {
        const grant: AclGrant = {
          principal: principalOf(username),
          resourceType,
          resourceName,
          patternType: "Literal",
          operation,
          permission: "Allow",
          host: "*",
        };
        grants.set(grantKey(grant), grant);
      }
    }
  };

  allow(args.restProxy.principal.username, "Topic", args.restProxy.topics, ["Write", "Describe"]);
  if (args.connect) {
    const worker = args.connect.principal.username;
    // DescribeConfigs lets a worker check at start that its internal topics are compacted (it
    // logs that it cannot, and goes on unchecked, without it: seen on the real worker).
    allow(worker, "Topic", args.connect.internalTopics, [
      "Read",
      "Write",
      "Describe",
      "DescribeConfigs",
    ]);
    allow(worker, "Group", [args.connect.groupId], ["Read"]);
  }
  for (const sink of args.sinks) {
    const user = sink.principal.username;
    allow(user, "Topic", sink.topics, ["Read", "Describe"]);
    allow(user, "Group", [sink.groupId], ["Read"]);
    if (sink.deadLetterTopic !== undefined) {
      allow(user, "Topic", [sink.deadLetterTopic], ["Write", "Describe"]);
      if (sink.redriveGroupId !== undefined) {
        allow(user, "Topic", [sink.deadLetterTopic], ["Read"]);
        allow(user, "Group", [sink.redriveGroupId], ["Read"]);
      }
    }
    allow(user, "Topic", sink.confluentTopics ?? [], ["Read", "Write", "Describe"]);
  }
  return [...grants.values()].sort(compareGrants);
}

/**
 * The child name of a grant's `kafka.Acl`: from its principal, resource and operation only, so
 * that adding or removing a sink never renames (and so replaces) the ACLs of the others.
 */
export function aclResourceName(component: string, grant: AclGrant): string {
  const username = grant.principal.slice("User:".length);
  return [
    component,
    "acl",
    username,
    grant.resourceType.toLowerCase(),
    grant.resourceName,
    grant.operation.toLowerCase(),
  ].join("-");
}

/** The distinct non-admin usernames of the roles, in the order the roles are given. */
export function usernamesOf(args: AccessPlanArgs<{ readonly username: string }>): string[] {
  const names = rolesOf(args).map((r) => r.username);
  return [...new Set(names)].filter((n) => n !== args.adminUsername);
}

/**
 * The SASL users and ACLs of a tracking pipeline's Kafka clients: one `kafka.UserScramCredential`
 * per role username (when `manageUsers`) and one `kafka.Acl` per grant of {@link accessPlan}
 * (when `manageAcls`). Created through the parent's kafka provider, that is the admin principal.
 */
export class KafkaAccess extends pulumi.ComponentResource {
  public readonly users: kafka.UserScramCredential[];
  public readonly acls: kafka.Acl[];
  /** What the ACLs grant (also when `manageAcls` is off: what the cluster's ACLs must allow). */
  public readonly grants: readonly AclGrant[];

  constructor(name: string, args: KafkaAccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("tracking:kafka:KafkaAccess", name, {}, opts);
    const problems = accessProblems(args);
    if (args.manageUsers && args.mechanism === "plain") {
      problems.push(
        "`manageUsers` (stack setting `kafkaManageUsers`) needs a SCRAM mechanism, and `mechanism` (`kafkaSaslMechanism`) is plain; " +
          "set scram-sha256 or scram-sha512, or turn `kafkaManageUsers` off: PLAIN users live in the brokers' JAAS config, not in Kafka.",
      );
    }
    if (problems.length > 0) {
      throw new pulumi.ResourceError(
        `Kafka access of ${name}:\n  - ${problems.join("\n  - ")}`,
        this,
      );
    }
    this.grants = accessPlan(args);

    const byUser = new Map<string, kafka.UserScramCredential>();
    if (args.manageUsers && args.mechanism !== "plain") {
      const scramMechanism = SCRAM_MECHANISMS[args.mechanism];
      for (const username of usernamesOf(args)) {
        const credential = new kafka.UserScramCredential(
          `${name}-user-${username}`,
          {
            username,
            scramMechanism,
            scramIterations: SCRAM_ITERATIONS,
            password: pulumi.secret(passwordOf(args, username)),
          },
          { parent: this, additionalSecretOutputs: ["password"] },
        );
        byUser.set(username, credential);
      }
    }
    this.users = [...byUser.values()];

    this.acls = [];
    if (args.manageAcls) {
      const seen = new Set<string>();
      for (const grant of this.grants) {
        const childName = aclResourceName(name, grant);
        if (seen.has(childName)) {
          throw new pulumi.ResourceError(
            `Two ACLs of ${name} would both be named ${childName}; rename the principal or the resource so that their names differ.`,
            this,
          );
        }
        seen.add(childName);
        // The ACL goes after the user it names: on destroy, the grants go before the credential.
        const user = byUser.get(grant.principal.slice("User:".length));
        this.acls.push(
          new kafka.Acl(
            childName,
            {
              aclPrincipal: grant.principal,
              aclHost: grant.host,
              aclOperation: grant.operation,
              aclPermissionType: grant.permission,
              aclResourceType: grant.resourceType,
              aclResourceName: grant.resourceName,
              resourcePatternTypeFilter: grant.patternType,
            },
            { parent: this, dependsOn: user ? [user] : [] },
          ),
        );
      }
    }
    this.registerOutputs({});
  }
}

/**
 * The password of a username: that of its first role (REST proxy, Connect, workers, then sinks in
 * order). Roles that share a username share its one credential, so a sink on the workers'
 * username uses the workers' password; the stack gives such a sink the workers' principal itself.
 */
function passwordOf(args: KafkaAccessArgs, username: string): pulumi.Input<string> {
  const principals = [
    args.restProxy.principal,
    ...(args.connect ? [args.connect.principal] : []),
    args.workerPrincipal,
    ...args.sinks.map((s) => s.principal),
  ];
  return principals.find((p) => p.username === username)!.password;
}
