import {
  Policies,
  PolicyPackConfig,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
  unknownCheckingProxy,
  UnknownValueError,
} from "@pulumi/policy";
import type { Resource } from "@pulumi/pulumi";
import { specialSecretSig, specialSigKey } from "@pulumi/pulumi/runtime/rpc";

// The engine's side of a policy run, faked: the validation args it builds for each resource and
// for the stack, and the violations it collects. No test helpers ship with @pulumi/policy.

/** A resource as a policy sees it: type token, name and (deserialized) props. */
export interface FakeResource<P extends object = object> {
  readonly type: string;
  readonly name: string;
  readonly props: P;
}

export interface Violation {
  readonly policy: string;
  readonly message: string;
  /** The resource the violation names: the one validated, or the one a stack policy passed. */
  readonly resource?: string;
}

export type PolicyConfig = Record<string, unknown>;

/** The string the engine sends for a value not known until the update (`unknownStringValue`). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

export function urnOf(r: FakeResource): string {
  return `urn:pulumi:test::tracking-pipeline::${r.type}::${r.name}`;
}

/** `urn:...::<name>` back to `<name>`, so that tests read resource names, not URNs. */
function nameOf(urn: string | undefined): string | undefined {
  return urn === undefined ? undefined : urn.slice(urn.lastIndexOf("::") + 2);
}

const noOptions: PolicyResourceOptions = {
  protect: false,
  ignoreChanges: [],
  aliases: [],
  customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
  additionalSecretOutputs: [],
};

class NotApplicable extends Error {}

function isTypeOf(type: string, resourceClass: { new (...rest: never[]): Resource }): boolean {
  return (resourceClass as unknown as { __pulumiType?: string }).__pulumiType === type;
}

/**
 * Props as the engine hands them to policies: secrets unwrapped, a deep copy (a policy cannot
 * change the fixture), behind the same proxy that throws on values unknown during preview.
 */
function engineProps(props: object): Record<string, unknown> {
  const unwrap = (value: unknown): unknown => {
    // Array.from, not map: jest's structuredClone gives arrays of another realm, which `map`
    // keeps and the proxy (an `instanceof Object` check) would then leave unchecked.
    if (Array.isArray(value)) return Array.from(value, unwrap);
    if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      if (record[specialSigKey] === specialSecretSig) return unwrap(record.value);
      return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, unwrap(v)]));
    }
    return value;
  };
  return unknownCheckingProxy(unwrap(props)) as Record<string, unknown>;
}

function getConfigOf(config: PolicyConfig) {
  // The engine passes a policy's config without its enforcement level.
  const { enforcementLevel: _level, ...properties } = config;
  return <T extends object>() => properties as T;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

/** What the engine tells about a resource, to resource and stack policies alike. */
function described(r: FakeResource) {
  return {
    type: r.type,
    props: engineProps(r.props),
    urn: urnOf(r),
    name: r.name,
    opts: noOptions,
    isType: (cls: { new (...rest: never[]): Resource }) => isTypeOf(r.type, cls),
  };
}

export function resourceArgs(r: FakeResource, config: PolicyConfig = {}): ResourceValidationArgs {
  const resource = described(r);
  return {
    ...resource,
    stackTags: new Map(),
    asType: <TResource extends Resource, TArgs>(cls: {
      new (name: string, args: TArgs, ...rest: never[]): TResource;
    }) => (isTypeOf(r.type, cls) ? (resource.props as never) : undefined),
    getConfig: getConfigOf(config),
    notApplicable,
  };
}

export function stackArgs(
  resources: readonly FakeResource[],
  config: PolicyConfig = {},
): StackValidationArgs {
  return {
    resources: resources.map((r): PolicyResource => ({
      ...described(r),
      dependencies: [],
      propertyDependencies: {},
      asType: () => undefined,
    })),
    stackTags: new Map(),
    getConfig: getConfigOf(config),
    notApplicable,
  };
}

async function collect(
  policy: string,
  defaultUrn: string | undefined,
  run: (report: (message: string, urn?: string) => void) => Promise<void> | void,
): Promise<Violation[]> {
  const found: Violation[] = [];
  try {
    await run((message, urn) =>
      found.push({ policy, message, resource: nameOf(urn ?? defaultUrn) }),
    );
  } catch (err) {
    if (err instanceof UnknownValueError) {
      // What the engine reports, as an advisory note, when a policy reads an unknown value.
      found.push({ policy, message: `can't run during preview: ${(err as Error).message}` });
    } else if (!(err instanceof NotApplicable)) {
      throw err;
    }
  }
  return found;
}

/** Runs a resource policy's validations on one resource, as the engine does. */
export async function validateResource(
  policy: ResourceValidationPolicy,
  resource: FakeResource,
  config: PolicyConfig = {},
): Promise<Violation[]> {
  const validations = [policy.validateResource ?? []].flat();
  const found: Violation[] = [];
  for (const validate of validations) {
    // Resource policies report against the resource validated, whatever URN they pass.
    found.push(
      ...(await collect(policy.name, urnOf(resource), (report) =>
        validate(resourceArgs(resource, config), (message) => report(message)),
      )),
    );
  }
  return found;
}

/** Runs a stack policy on a whole stack, as the engine does. */
export function validateStack(
  policy: StackValidationPolicy,
  resources: readonly FakeResource[],
  config: PolicyConfig = {},
): Promise<Violation[]> {
  return collect(policy.name, undefined, (report) =>
    policy.validateStack(stackArgs(resources, config), report),
  );
}

/** The messages of a resource policy's violations on one resource. */
export async function messages(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: FakeResource | readonly FakeResource[],
  config: PolicyConfig = {},
): Promise<string[]> {
  const found =
    "validateStack" in policy
      ? await validateStack(policy, [resources].flat(), config)
      : await validateResource(policy, resources as FakeResource, config);
  return found.map((v) => v.message);
}

/**
 * Runs a whole pack over a stack with a policy-pack config file's content: each resource policy
 * on each resource, each stack policy once, skipping disabled ones as the engine does.
 */
export async function runPack(
  policies: Policies,
  resources: readonly FakeResource[],
  packConfig: PolicyPackConfig = {},
): Promise<Violation[]> {
  const found: Violation[] = [];
  for (const policy of policies) {
    const entry = packConfig[policy.name];
    const config: PolicyConfig = typeof entry === "object" ? entry : {};
    const level = typeof entry === "string" ? entry : entry?.enforcementLevel;
    if (level === "disabled") continue;
    if ("validateStack" in policy) {
      found.push(...(await validateStack(policy as StackValidationPolicy, resources, config)));
    } else {
      for (const resource of resources) {
        found.push(
          ...(await validateResource(policy as ResourceValidationPolicy, resource, config)),
        );
      }
    }
  }
  return found;
}

/** A deep copy of a fixture with its props edited, for the one change a test makes. */
export function edit<P extends object>(
  resource: FakeResource<P>,
  change: (props: P) => void,
): FakeResource<P> {
  const props = structuredClone(resource.props);
  change(props);
  return { ...resource, props };
}

/** A case for `reportsEach`: what it reports, the fixture, the one change, the one message. */
export type Case<P extends object> = [
  title: string,
  resource: FakeResource<P>,
  change: (props: P) => void,
  message: string,
];

/** One test per case: the policy reports exactly the case's message on the changed fixture. */
export function reportsEach<P extends object>(
  policy: ResourceValidationPolicy,
  cases: readonly Case<P>[],
): void {
  it.each(cases)("reports %s", async (_, resource, change, message) => {
    expect(await messages(policy, edit(resource, change))).toEqual([message]);
  });
}
