import * as grpc from "@grpc/grpc-js";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { engineAddress, warn } from "../../../../providers/connect/log";

describe("warnings from the dynamic provider process", () => {
  it("finds the engine in the program's env or the dynamic provider's first argument", () => {
    expect(engineAddress(["node", "x"], { PULUMI_NODEJS_ENGINE: "127.0.0.1:1" })).toBe(
      "127.0.0.1:1",
    );
    const script = "/p/node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js";
    expect(engineAddress(["node", script, "127.0.0.1:45678"], {})).toBe("127.0.0.1:45678");
    expect(engineAddress(["node", "jest", "--runInBand"], {})).toBeUndefined();
  });

  it("sends a WARNING to the engine's Log RPC", async () => {
    const logged: { severity: number; message: string }[] = [];
    const server = new grpc.Server();
    server.addService(engineGrpc.EngineService, {
      log: (
        call: grpc.ServerUnaryCall<enginePb.LogRequest, unknown>,
        callback: grpc.sendUnaryData<unknown>,
      ) => {
        logged.push({ severity: call.request.getSeverity(), message: call.request.getMessage() });
        callback(null, new Empty());
      },
    } as unknown as grpc.UntypedServiceImplementation);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
        err ? reject(err) : resolve(p),
      ),
    );
    try {
      await warn("worker unreachable", `127.0.0.1:${port}`);
      expect(logged).toEqual([
        { severity: enginePb.LogSeverity.WARNING, message: "worker unreachable" },
      ]);
    } finally {
      server.forceShutdown();
    }
  });

  it("writes to stderr when no engine answers", async () => {
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    try {
      await warn("no engine here", undefined);
      expect(spy).toHaveBeenCalledWith("warning: no engine here");
    } finally {
      spy.mockRestore();
    }
  });
});
