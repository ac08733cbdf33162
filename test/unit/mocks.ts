import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import { ConfigError, parseStackConfig } from "../../config";
import * as path from "path";
import { stackFileSettings } from "../../config/stackFile";

// The SDK's own wait for outstanding resource registrations (what it does before exiting).
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { getMonitor, waitForRPCs } = require("@pulumi/pulumi/runtime/settings") as {
  getMonitor: () => MockMonitor;
  waitForRPCs: () => Promise<void>;
};

/** The part of the SDK's mock monitor that sees each registration request as the engine would. */
interface MockMonitor {
  registerResource(
    req: {
      getType(): string;
      getName(): string;
      getProtect(): boolean;
      getDeletebeforereplace(): boolean;
    },
    callback: unknown,
  ): unknown;
}

export const PROJECT = "tracking-pipeline";
export const ROOT = path.resolve(__dirname, "..", "..");

/** One resource the program registered with the mocked engine. */
export interface Registered {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** The `protect` option of the registration request the engine would get. */
  readonly protect: boolean;
  /** The `deleteBeforeReplace` option of that request. */
  readonly deleteBeforeReplace: boolean;
}

/** Extra output properties the mocked engine returns for a registered resource. */
export type MockOutputs = (resource: Registered) => Record<string, unknown>;

// Each setMocks adds a process "exit" listener of the SDK's; a suite resets the mocks per test.
process.setMaxListeners(100);

/** Resources registered since the last {@link useMocks} call, in order. */
export const registered: Registered[] = [];

/**
 * Installs Pulumi's mocks, with the given project config (keys without the project prefix) and
 * the names of the keys that are secrets. Returns nothing: read {@link registered}.
 */
export async function useMocks(
  config: Record<string, unknown> = {},
  secretKeys: string[] = [],
  stack = "dev",
  outputs: MockOutputs = () => ({}),
): Promise<void> {
  // Let the previous program's registrations finish against its own mocks first.
  await waitForRPCs();
  registered.length = 0;
  const full: Record<string, string> = {};
  for (const [key, value] of Object.entries(config)) {
    full[`${PROJECT}:${key}`] = typeof value === "string" ? value : JSON.stringify(value);
  }
  pulumi.runtime.setAllConfig(
    full,
    secretKeys.map((k) => `${PROJECT}:${k}`),
  );
  // Mocks hand newResource no resource options: read them off the request itself.
  const options = new Map<string, { protect: boolean; deleteBeforeReplace: boolean }>();
  await pulumi.runtime.setMocks(
    {
      newResource(args: pulumi.runtime.MockResourceArgs) {
        const resource: Registered = {
          type: args.type,
          name: args.name,
          inputs: args.inputs,
          protect: options.get(`${args.type}::${args.name}`)?.protect ?? false,
          deleteBeforeReplace:
            options.get(`${args.type}::${args.name}`)?.deleteBeforeReplace ?? false,
        };
        registered.push(resource);
        return { id: `${args.name}-id`, state: { ...args.inputs, ...outputs(resource) } };
      },
      call(args: pulumi.runtime.MockCallArgs) {
        return args.inputs;
      },
    },
    PROJECT,
    stack,
    false,
  );
  const monitor = getMonitor();
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, callback) => {
    options.set(`${req.getType()}::${req.getName()}`, {
      protect: req.getProtect(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
    });
    return register(req, callback);
  };
}

/** The one way tests read an output. */
export function promiseOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply(resolve));
}

/** Whether an output is a secret. */
export function isSecret<T>(output: pulumi.Output<T>): Promise<boolean> {
  return pulumi.isSecret(output);
}

/** Waits until the component and every resource reachable from its fields are registered. */
export async function settled(root: pulumi.Resource): Promise<void> {
  const seen = new Set<pulumi.Resource>();
  const visit = (value: unknown): void => {
    if (pulumi.Resource.isInstance(value)) {
      if (seen.has(value)) return;
      seen.add(value);
      for (const field of Object.values(value)) visit(field);
    } else if (Array.isArray(value)) {
      value.forEach(visit);
    } else if (value && typeof value === "object" && !pulumi.Output.isInstance(value)) {
      Object.values(value).forEach(visit);
    }
  };
  visit(root);
  await Promise.all([...seen].map((r) => promiseOf(r.urn)));
}

export function ofType(type: string): Registered[] {
  return registered.filter((r) => r.type === type);
}

export function named(type: string, name: string): Registered {
  const found = registered.find((r) => r.type === type && r.name === name);
  if (!found) {
    const names = ofType(type).map((r) => r.name);
    throw new Error(`no ${type} named ${name}; registered: ${names.join(", ")}`);
  }
  return found;
}

/**
 * The project config of a stack file, keys without the project prefix, values as the engine
 * hands them over; `secure:` values are left out (tests set their own secrets).
 */
export function stackConfig(stack: string): Record<string, unknown> {
  return stackFileSettings(
    fs.readFileSync(path.join(ROOT, `Pulumi.${stack}.yaml`), "utf8"),
    PROJECT,
  );
}

/** The problem lines of the ConfigError that raw config values give; fails if they are valid. */
export function configProblems(raw: Record<string, unknown>): string[] {
  try {
    parseStackConfig(raw);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
  throw new Error("expected a ConfigError");
}

export const CONNECTOR_TYPE = "pulumi-nodejs:dynamic/tracking:Connector";

type Program = typeof import("../../index");

/** The secrets Pulumi.prod.yaml names, with test values. */
export const prodSecrets = {
  kafkaSaslPassword: "kafka-admin-pw-5",
  kafkaRestProxyPassword: "kafka-rest-proxy-pw-6",
  kafkaConnectPassword: "kafka-connect-pw-7",
  warehouseKafkaPassword: "kafka-warehouse-pw-8",
  connectBasicAuthPassword: "connect-pw-1",
  analyticsApiKey: "api-key-2",
  marketingPassword: "marketing-pw-3",
  warehouseClientSecret: "client-secret-4",
};

/**
 * Runs index.ts under mocks with a stack file's config, plus secrets and overrides; resolves
 * once the program's outputs (and so every resource they depend on) are registered.
 */
export async function runProgram(
  stack: string,
  secrets: Record<string, string> = {},
  override: Record<string, unknown> = {},
  outputs?: MockOutputs,
): Promise<Program> {
  await useMocks(
    { ...stackConfig(stack), ...secrets, ...override },
    Object.keys(secrets),
    stack,
    outputs,
  );
  let program: Program | undefined;
  jest.isolateModules(() => {
    // The program runs at import: a fresh copy per stack, loaded after the mocks are set.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program = require("../../index") as Program;
  });
  await Promise.all([
    promiseOf(program!.connectorNames),
    promiseOf(program!.topicNames),
    promiseOf(program!.connectEndpoint),
  ]);
  return program!;
}
