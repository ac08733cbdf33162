import { PolicyResource } from "@pulumi/policy";
import { list, resourcePolicy, shown, stackPolicy } from "../policy";
import { asString, ifKnown, Props, recognised, stringMap } from "../read";
import { flag, integer, settings, strings } from "../settings";
import { connectorOf } from "../connectors/connector";
import { KAFKA_TYPES } from "./resources";
import { kafkaProviderOf, usesSasl } from "./security";

// The stack's Kafka principals and their ACLs: each principal of the stack has grants declared as
// code, and no grant reaches beyond literal topics and groups.

export interface Acl {
  readonly name: string;
  readonly principal: string | undefined;
  readonly host: string | undefined;
  readonly operation: string | undefined;
  readonly permission: string | undefined;
  readonly resourceType: string | undefined;
  readonly resourceName: string | undefined;
  /** `resourcePatternTypeFilter` as declared; the plugin's default is Literal. */
  readonly patternType: string | undefined;
}

export function aclOf(type: string, props: Props, resourceName: string): Acl | undefined {
  if (type !== KAFKA_TYPES.acl) return undefined;
  return {
    name: resourceName,
    principal: asString(props.aclPrincipal),
    host: asString(props.aclHost),
    operation: asString(props.aclOperation),
    permission: asString(props.aclPermissionType),
    resourceType: asString(props.aclResourceType),
    resourceName: asString(props.aclResourceName),
    patternType: asString(props.resourcePatternTypeFilter),
  };
}

interface LeastPrivilegeConfig {
  allowedOperations: string[];
  allowedResourceTypes: string[];
  minPrefixLength: number;
}

const leastPrivilegeSettings = settings<LeastPrivilegeConfig>({
  allowedOperations: strings(
    ["Read", "Write", "Describe", "DescribeConfigs"],
    "Operations an Allow ACL may grant (never All: it includes Delete, Alter and AlterConfigs).",
  ),
  allowedResourceTypes: strings(
    ["Topic", "Group"],
    "Resource types an Allow ACL may name (Cluster grants reach every topic and the cluster's config).",
  ),
  minPrefixLength: integer(
    10,
    1,
    "Shortest `aclResourceName` of a Prefixed ACL: shorter prefixes, such as `prod.`, cover a whole environment.",
  ),
});

export const kafkaAclLeastPrivilege = resourcePolicy({
  name: "kafka-acl-least-privilege",
  description:
    "Checks that Kafka Allow ACLs name one principal and literal topics or groups, never a wildcard, a short prefix, the cluster or every operation.",
  settings: leastPrivilegeSettings,
  recognise: aclOf,
  validate: (acl, c, reportViolation) => {
    // A Deny ACL only takes rights away, whatever it names.
    if (acl.permission !== "Allow") return;
    const where = `ACL ${acl.name}`;
    if (acl.principal === undefined || acl.principal.endsWith(":*")) {
      reportViolation(
        `\`aclPrincipal\` is ${shown(acl.principal)} on ${where}; it must name one principal (\`User:<name>\`), or every client of the cluster gets the grant.`,
      );
    }
    const type = acl.resourceType ?? "";
    if (!c.allowedResourceTypes.includes(type)) {
      reportViolation(
        `\`aclResourceType\` is ${shown(acl.resourceType)} on ${where}; it must be one of ${list(c.allowedResourceTypes)}, ` +
          `or the principal gets rights beyond the topics and groups it uses.`,
      );
    }
    if (!c.allowedOperations.includes(acl.operation ?? "")) {
      reportViolation(
        `\`aclOperation\` is ${shown(acl.operation)} on ${where}; it must be one of ${list(c.allowedOperations)}, ` +
          `or the principal can do more than read and write its own ${type || "resource"} (delete it, alter its config).`,
      );
    }
    const pattern = acl.patternType ?? "Literal";
    if (pattern === "Literal") {
      if (acl.resourceName === undefined || acl.resourceName === "*" || acl.resourceName === "") {
        reportViolation(
          `\`aclResourceName\` is ${shown(acl.resourceName)} on ${where}; it must name one ${type || "resource"}, ` +
            `or the grant covers every one of the cluster, Connect's config topic and every dead-letter topic included.`,
        );
      }
    } else if (pattern === "Prefixed") {
      const prefix = acl.resourceName ?? "";
      if (prefix.length < c.minPrefixLength) {
        reportViolation(
          `\`aclResourceName\` is ${shown(acl.resourceName)} with \`resourcePatternTypeFilter\` Prefixed on ${where}; ` +
            `a prefix must be at least ${c.minPrefixLength} characters, or use Literal names, or the grant reaches every ${type || "resource"} whose name starts with it.`,
        );
      }
    } else {
      reportViolation(
        `\`resourcePatternTypeFilter\` is ${shown(acl.patternType)} on ${where}; it must be Literal (or Prefixed), ` +
          `the only patterns Kafka stores, or the ACL cannot be created as declared.`,
      );
    }
  },
});

/** A principal the stack's clients use, and where the policy found it. */
interface StackPrincipal {
  readonly principal: string;
  readonly resource: PolicyResource;
  /** For messages: `SCRAM user rest-proxy (UserScramCredential x)`. */
  readonly label: string;
}

const K8S_SECRET = "kubernetes:core/v1:Secret";
const JAAS_USERNAME = /\busername\s*=\s*"((?:[^"\\]|\\.)*)"/;

/** The username of a `sasl.jaas.config` value, if it names one. */
export function jaasUsername(jaas: string): string | undefined {
  const match = JAAS_USERNAME.exec(jaas);
  return match ? match[1].replace(/\\(.)/g, "$1") : undefined;
}

/**
 * The principals the stack's clients authenticate as: its SCRAM users, and the usernames in the
 * `sasl.jaas.config` values of connectors (`*.override.sasl.jaas.config`) and Kubernetes Secrets.
 * Values not known during preview are skipped.
 */
function stackPrincipals(resources: readonly PolicyResource[]): StackPrincipal[] {
  const found: StackPrincipal[] = [];
  for (const r of resources) {
    if (r.type === KAFKA_TYPES.userScramCredential) {
      const username = ifKnown(() => asString(r.props.username));
      if (username) {
        found.push({
          principal: `User:${username}`,
          resource: r,
          label: `SCRAM user ${username} (UserScramCredential ${r.name})`,
        });
      }
      continue;
    }
    const connector = ifKnown(() => connectorOf(r.type, r.props, r.name));
    const maps = connector
      ? [connector.config, connector.secretConfig]
      : r.type === K8S_SECRET
        ? [ifKnown(() => stringMap(r.props.stringData)) ?? {}]
        : [];
    for (const map of maps) {
      for (const [key, value] of Object.entries(map)) {
        if (!key.endsWith("sasl.jaas.config")) continue;
        const username = jaasUsername(value);
        if (username) {
          found.push({
            principal: `User:${username}`,
            resource: r,
            label: `\`${key}\` of ${r.name} (user ${username})`,
          });
        }
      }
    }
  }
  return found;
}

interface AclsManagedConfig {
  requireAcls: boolean;
  principalsManagedElsewhere: string[];
}

const aclsManagedSettings = settings<AclsManagedConfig>({
  requireAcls: flag(
    true,
    "Whether a stack whose kafka provider uses SASL must declare the ACLs of its principals.",
  ),
  principalsManagedElsewhere: strings(
    [],
    "Principals (`User:<name>`) whose ACLs another stack or team manages.",
  ),
});

export const kafkaAclsManaged = stackPolicy({
  name: "kafka-acls-managed",
  description:
    "Checks that a stack on a SASL-secured Kafka declares ACLs as code, at least one Allow ACL for each principal its clients use.",
  settings: aclsManagedSettings,
  validate: (resources, c, reportViolation) => {
    if (!c.requireAcls) return;
    const providers = recognised(resources, kafkaProviderOf).filter(([p]) => usesSasl(p));
    if (providers.length === 0) return;
    const admins = new Set(providers.map(([p]) => `User:${p.saslUsername ?? ""}`));
    // Only principal and permission are read: a resource name may be unknown during preview.
    const acls = resources
      .filter((r) => r.type === KAFKA_TYPES.acl)
      .map((r) => ({
        principal: ifKnown(() => asString(r.props.aclPrincipal)),
        permission: ifKnown(() => asString(r.props.aclPermissionType)),
      }));
    if (acls.length === 0) {
      for (const [provider, resource] of providers) {
        reportViolation(
          `kafka provider ${provider.name} authenticates as ${shown(provider.saslUsername)} with SASL, but the stack declares no kafka Acl; ` +
            `turn on \`kafkaManageAcls\`, or the principals of the stack have either no access or grants nobody reviews.`,
          resource.urn,
        );
      }
      return;
    }
    const granted = new Set(acls.filter((a) => a.permission === "Allow").map((a) => a.principal));
    const reported = new Set<string>();
    for (const p of stackPrincipals(resources)) {
      if (admins.has(p.principal) || granted.has(p.principal)) continue;
      if (c.principalsManagedElsewhere.includes(p.principal) || reported.has(p.principal)) continue;
      reported.add(p.principal);
      reportViolation(
        `${p.label} has no Allow ACL in the stack; declare its grants (\`kafkaManageAcls\`) or list ${p.principal} in \`principalsManagedElsewhere\`, ` +
          `or its clients are refused by the brokers' authorizer.`,
        p.resource.urn,
      );
    }
  },
});
