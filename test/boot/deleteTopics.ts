import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { properties } from "../../platform/component";
import { AdminTarget } from "../../platform/secure/admin";
import { clientSecurity } from "../../platform/secure/config";
import { ScramUser } from "../../platform/secure/credentials";

/**
 * Deletes topics as `user` (the admin) with test/boot/DeleteTopics.java on Kafka's own client
 * jars: the client settings go through a 0600 file in `dir`, removed afterwards. Rejects with
 * the password scrubbed when the program fails.
 */
export function deleteTopics(
  target: AdminTarget,
  kafkaLibs: string,
  user: ScramUser,
  dir: string,
  topics: readonly string[],
): Promise<string> {
  const file = join(dir, `delete-${randomBytes(6).toString("hex")}.properties`);
  writeFileSync(
    file,
    properties({ "bootstrap.servers": target.bootstrap, ...clientSecurity(user, target.caFile) }),
    { mode: 0o600 },
  );
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, "bin", "java") : "java";
  const args = [
    "-Xmx128m",
    "-XX:+UseSerialGC",
    "-cp",
    `${kafkaLibs}/*`,
    join(__dirname, "DeleteTopics.java"),
    file,
    ...topics,
  ];
  return new Promise((done, fail) => {
    execFile(java, args, { timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      rmSync(file, { force: true });
      if (!err) {
        done(stdout);
        return;
      }
      const text = `${err.message}\n${stderr}`.split(user.password).join("***");
      fail(new Error(`Deleting topics ${topics.join(", ")} failed: ${text.slice(-2000)}`));
    });
  });
}
