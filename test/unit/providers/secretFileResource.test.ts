import * as pulumi from "@pulumi/pulumi";
import { SecretFile, SECRET_FILE_TYPE_TOKEN } from "../../../providers/secretFile";
import { isSecret, named, promiseOf, settled, useMocks } from "../mocks";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getMonitor } = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor: () => {
    registerResource(
      req: { getName(): string; getAdditionalsecretoutputsList(): string[] },
      callback: unknown,
    ): unknown;
  };
};

/** The engine's marker of a secret in serialized properties. */
const SECRET_SIG = { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270" };

describe("SecretFile: the resource keeps the content and its hash secret", () => {
  const secretOutputs = new Map<string, string[]>();
  beforeEach(async () => {
    await useMocks();
    const monitor = getMonitor();
    const register = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      secretOutputs.set(req.getName(), req.getAdditionalsecretoutputsList());
      return register(req, callback);
    };
  });

  it("sends the content as a secret and asks the engine to keep content, hash and hashKey secret", async () => {
    const file = new SecretFile("amp-key", {
      directory: "/var/lib/connect-secrets",
      fileName: "amp-api-key",
      content: "plain-from-config",
    });
    await settled(file);
    const registered = named(SECRET_FILE_TYPE_TOKEN, "amp-key");
    expect(registered.inputs.content).toEqual({ ...SECRET_SIG, value: "plain-from-config" });
    expect(registered.inputs.directory).toBe("/var/lib/connect-secrets");
    expect(registered.inputs.fileName).toBe("amp-api-key");
    // The engine marks these outputs secret on this request's word (mocks do not apply it).
    expect(secretOutputs.get("amp-key")).toEqual(["content", "hash", "hashKey"]);
  });

  it("answers the reference a connector config holds, plain and after the file", async () => {
    const file = new SecretFile("amp-key", {
      directory: pulumi.output("/var/lib/connect-secrets"),
      fileName: "amp-api-key",
      content: pulumi.secret("s"),
    });
    expect(await promiseOf(file.reference)).toBe("${dir:/var/lib/connect-secrets:amp-api-key}");
    expect(await isSecret(file.reference)).toBe(false);
    // Built from the resource's outputs: whatever uses it depends on the file.
    // (`resources()` is the SDK's own record of that, not in its typings.)
    const from = (file.reference as unknown as { resources(): Set<pulumi.Resource> }).resources();
    expect([...from]).toContain(file);
  });
});
