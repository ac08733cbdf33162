import {
  jaasUsername,
  kafkaAclLeastPrivilege,
  kafkaAclsManaged,
} from "../../../../policies/kafka/acls";
import {
  acls,
  confluentSink,
  connectGroupAcl,
  connectUser,
  kafkaProvider,
  restProxyUser,
  restProxyWriteAcl,
  safeStack,
  stackWith,
} from "../fixtures";
import { edit, FakeResource, messages, reportsEach, UNKNOWN, validateStack } from "../harness";

describe("kafka-acl-least-privilege", () => {
  it("passes literal Allow grants on topics and groups", async () => {
    for (const acl of acls) expect(await messages(kafkaAclLeastPrivilege, acl)).toEqual([]);
  });

  reportsEach(kafkaAclLeastPrivilege, [
    [
      "a grant to every user",
      restProxyWriteAcl,
      (p) => (p.aclPrincipal = "User:*"),
      '`aclPrincipal` is "User:*" on ACL tracking-access-acl-rest-proxy-topic-prod.tracking-write; it must name one principal (`User:<name>`), or every client of the cluster gets the grant.',
    ],
    [
      "a grant on every topic",
      restProxyWriteAcl,
      (p) => (p.aclResourceName = "*"),
      '`aclResourceName` is "*" on ACL tracking-access-acl-rest-proxy-topic-prod.tracking-write; it must name one Topic, or the grant covers every one of the cluster, Connect\'s config topic and every dead-letter topic included.',
    ],
    [
      "a short prefix",
      restProxyWriteAcl,
      (p) => {
        p.aclResourceName = "prod.";
        p.resourcePatternTypeFilter = "Prefixed";
      },
      '`aclResourceName` is "prod." with `resourcePatternTypeFilter` Prefixed on ACL tracking-access-acl-rest-proxy-topic-prod.tracking-write; a prefix must be at least 10 characters, or use Literal names, or the grant reaches every Topic whose name starts with it.',
    ],
    [
      "an empty prefix",
      connectGroupAcl,
      (p) => {
        p.aclResourceName = "";
        p.resourcePatternTypeFilter = "Prefixed";
      },
      '`aclResourceName` is "" with `resourcePatternTypeFilter` Prefixed on ACL tracking-access-acl-connect-group-connect-prod-analytics-http-sink-read; a prefix must be at least 10 characters, or use Literal names, or the grant reaches every Group whose name starts with it.',
    ],
    [
      "a pattern type Kafka does not store",
      restProxyWriteAcl,
      (p) => (p.resourcePatternTypeFilter = "Match"),
      '`resourcePatternTypeFilter` is "Match" on ACL tracking-access-acl-rest-proxy-topic-prod.tracking-write; it must be Literal (or Prefixed), the only patterns Kafka stores, or the ACL cannot be created as declared.',
    ],
    [
      "a cluster grant",
      restProxyWriteAcl,
      (p) => {
        p.aclResourceType = "Cluster";
        p.aclResourceName = "kafka-cluster";
      },
      '`aclResourceType` is "Cluster" on ACL tracking-access-acl-rest-proxy-topic-prod.tracking-write; it must be one of Topic, Group, or the principal gets rights beyond the topics and groups it uses.',
    ],
    [
      "operation All",
      connectGroupAcl,
      (p) => (p.aclOperation = "All"),
      '`aclOperation` is "All" on ACL tracking-access-acl-connect-group-connect-prod-analytics-http-sink-read; it must be one of Read, Write, Describe, DescribeConfigs, or the principal can do more than read and write its own Group (delete it, alter its config).',
    ],
  ]);

  it("passes a long Prefixed name, and leaves Deny ACLs alone", async () => {
    const prefixed = edit(restProxyWriteAcl, (p) => {
      p.aclResourceName = "prod.tracking.";
      p.resourcePatternTypeFilter = "Prefixed";
    });
    expect(await messages(kafkaAclLeastPrivilege, prefixed)).toEqual([]);
    const deny = edit(restProxyWriteAcl, (p) => {
      p.aclPermissionType = "Deny";
      p.aclPrincipal = "User:*";
      p.aclResourceName = "*";
      p.aclOperation = "All";
    });
    expect(await messages(kafkaAclLeastPrivilege, deny)).toEqual([]);
  });
});

describe("kafka-acls-managed", () => {
  const noAcls = safeStack.filter((r) => !acls.includes(r as never));

  it("passes a SASL stack whose principals all have ACLs", async () => {
    expect(await validateStack(kafkaAclsManaged, safeStack)).toEqual([]);
  });

  it("reports a SASL stack that declares no ACL, on its kafka provider", async () => {
    expect(await validateStack(kafkaAclsManaged, noAcls)).toEqual([
      {
        policy: "kafka-acls-managed",
        resource: "tracking-kafka",
        message:
          'kafka provider tracking-kafka authenticates as "admin" with SASL, but the stack declares no kafka Acl; turn on `kafkaManageAcls`, or the principals of the stack have either no access or grants nobody reviews.',
      },
    ]);
  });

  it("reports a SCRAM user without any Allow ACL", async () => {
    const sinkUser: FakeResource = {
      ...restProxyUser,
      name: "tracking-access-user-sink-warehouse",
      props: { ...restProxyUser.props, username: "sink-warehouse" },
    };
    expect(await validateStack(kafkaAclsManaged, [...safeStack, sinkUser])).toEqual([
      {
        policy: "kafka-acls-managed",
        resource: "tracking-access-user-sink-warehouse",
        message:
          "SCRAM user sink-warehouse (UserScramCredential tracking-access-user-sink-warehouse) has no Allow ACL in the stack; declare its grants (`kafkaManageAcls`) or list User:sink-warehouse in `principalsManagedElsewhere`, or its clients are refused by the brokers' authorizer.",
      },
    ]);
    expect(
      await validateStack(kafkaAclsManaged, [...safeStack, sinkUser], {
        principalsManagedElsewhere: ["User:sink-warehouse"],
      }),
    ).toEqual([]);
  });

  it("reports a connector whose own principal (consumer.override.sasl.jaas.config) has no ACL", async () => {
    const own = edit(confluentSink, (p) => {
      p.secretConfig["consumer.override.sasl.jaas.config"] =
        'org.apache.kafka.common.security.scram.ScramLoginModule required username="sink-analytics" password="pw\\"x";';
    });
    expect(await validateStack(kafkaAclsManaged, stackWith(confluentSink, own))).toEqual([
      {
        policy: "kafka-acls-managed",
        resource: "tracking-analytics-connector",
        message:
          "`consumer.override.sasl.jaas.config` of tracking-analytics-connector (user sink-analytics) has no Allow ACL in the stack; declare its grants (`kafkaManageAcls`) or list User:sink-analytics in `principalsManagedElsewhere`, or its clients are refused by the brokers' authorizer.",
      },
    ]);
  });

  it("judges during preview, when an ACL's resource name is not known yet", async () => {
    const unknownName = edit(restProxyWriteAcl, (p) => (p.aclResourceName = UNKNOWN));
    expect(
      await validateStack(kafkaAclsManaged, stackWith(restProxyWriteAcl, unknownName)),
    ).toEqual([]);
  });

  it("asks nothing of a stack without SASL, or where the config does not require ACLs", async () => {
    const plain = edit(kafkaProvider, (p) => {
      delete p.saslUsername;
      delete p.saslPassword;
    });
    const withoutSasl = noAcls.map((r) => (r === kafkaProvider ? plain : r));
    expect(await validateStack(kafkaAclsManaged, withoutSasl)).toEqual([]);
    expect(await validateStack(kafkaAclsManaged, noAcls, { requireAcls: false })).toEqual([]);
    // The admin principal is a super user: it needs no ACL of its own.
    const adminUser = { ...connectUser, props: { ...connectUser.props, username: "admin" } };
    expect(await validateStack(kafkaAclsManaged, [...safeStack, adminUser])).toEqual([]);
  });
});

describe("jaasUsername", () => {
  it("reads the quoted username of a JAAS line, unescaped", () => {
    expect(jaasUsername('x.ScramLoginModule required username="a\\"b" password="p";')).toBe('a"b');
    expect(jaasUsername("x.OAuthBearerLoginModule required;")).toBeUndefined();
  });
});
