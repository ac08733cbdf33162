import type * as EngineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import type * as EnginePb from "@pulumi/pulumi/proto/engine_pb";

/*
 * How a dynamic provider can warn. `pulumi.log.warn` reaches the engine only when the SDK knows
 * the engine's address, which it reads from PULUMI_NODEJS_ENGINE. The language host sets that for
 * the program, not for the dynamic provider process (`@pulumi/pulumi/cmd/dynamic-provider`),
 * which receives the address as its first argument and ignores it; there `log.warn` falls back to
 * `console.warn`, i.e. plugin stderr, which the engine shows as an unattributed info line.
 * So we send the engine's `Log` RPC ourselves, with severity WARNING, over the SDK's own gRPC
 * stubs; without an engine (tests, tools) the message goes to stderr.
 */

/** The engine's address: the program's env, or the dynamic provider process' first argument. */
export function engineAddress(
  argv: readonly string[] = process.argv,
  env: NodeJS.ProcessEnv = process.env,
): string | undefined {
  if (env.PULUMI_NODEJS_ENGINE) return env.PULUMI_NODEJS_ENGINE;
  const script = argv[1] ?? "";
  const address = argv[2] ?? "";
  if (/dynamic-provider/.test(script) && /^[\w.[\]:-]+:\d+$/.test(address)) return address;
  return undefined;
}

/* eslint-disable @typescript-eslint/no-require-imports */
function engineStubs() {
  const path = require("path") as typeof import("path");
  // The SDK's stubs check credentials by instanceof: take grpc-js from where the SDK finds it.
  const sdkDir = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
  const grpc = require(
    require.resolve("@grpc/grpc-js", { paths: [sdkDir] }),
  ) as typeof import("@grpc/grpc-js");
  return {
    grpc,
    services: require("@pulumi/pulumi/proto/engine_grpc_pb") as typeof EngineGrpc,
    messages: require("@pulumi/pulumi/proto/engine_pb") as typeof EnginePb,
  };
}
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * Shows a warning in `pulumi preview`/`up` output. Never throws: a warning that cannot be sent is
 * written to stderr instead. Callers must not put secret values in `message`.
 */
export async function warn(message: string, address = engineAddress()): Promise<void> {
  if (address) {
    try {
      const { grpc, services, messages } = engineStubs();
      const client = new services.EngineClient(address, grpc.credentials.createInsecure());
      const request = new messages.LogRequest();
      request.setSeverity(messages.LogSeverity.WARNING);
      request.setMessage(message);
      request.setUrn("");
      await new Promise<void>((resolve, reject) => {
        const deadline = new Date(Date.now() + 5_000);
        client.log(request, new grpc.Metadata(), { deadline }, (err) =>
          err ? reject(err) : resolve(),
        );
      });
      client.close();
      return;
    } catch {
      // fall through to stderr
    }
  }
  console.error(`warning: ${message}`);
}
