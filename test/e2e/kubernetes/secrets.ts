import { execFile } from "node:child_process";
import { ROOT } from "../../../scripts/pulumiCli";

/** `pulumi config set --secret`, the value on stdin so that it is on no command line. */
export function setSecret(
  env: NodeJS.ProcessEnv,
  stack: string,
  key: string,
  value: string,
): Promise<void> {
  return new Promise<void>((done, fail) => {
    const child = execFile(
      "pulumi",
      ["config", "set", "--secret", "--stack", stack, key, "--non-interactive"],
      { cwd: ROOT, env },
      (err) => (err ? fail(err) : done()),
    );
    child.stdin?.end(value);
  });
}
