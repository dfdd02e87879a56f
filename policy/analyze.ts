// In-process runner for the policy pack: runs every policy over a list of resources without the
// Pulumi CLI or the analyzer's gRPC server (the offline plan calls this).
//
// Arguments are built the way @pulumi/policy 1.21.0's server builds them (server.js,
// makeAnalyzeRpcFun / makeAnalyzeStackRpcFun): the same isType/asType (type token, then
// isInstance), getConfig returning the policy's config without enforcementLevel, the effective
// enforcement level = policy config ?? the policy's own ?? the pack's ("advisory"), "disabled"
// skips, "remediate" reports as "mandatory". Like the CLI, configSchema defaults are filled in
// before config reaches a policy, and an "all" entry sets every policy's enforcement level.
// Unknown values (a preview) are handled by the server's own code: props go through
// @pulumi/policy's unknownCheckingProxy, and a policy that reads an unknown value is reported as
// the server reports it, advisory "can't run policy '<name>' from policy pack '<pack>@v<version>'
// during preview: ...". Differences: reported messages are the policy's own message (the server
// prefixes the description), and resource options are empty.
import type {
  EnforcementLevel,
  PolicyResource,
  PolicyResourceOptions,
  ReportViolation,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";
import * as fs from "fs";
import { isUnknown } from "@pulumi/pulumi";
import { packFile } from "./pack-files";
import { POLICY_PACK_NAME, policies as packPolicies } from "./policies";
import { isRecord, schemaDefaults } from "./policies/util";

// The analyzer's unknown handling, which @pulumi/policy marks @internal and strips from its .d.ts
// (proxy.d.ts is `export {}`), so typed here. Pinned with @pulumi/policy; the gRPC test checks
// the server's side of the same behaviour.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const analyzerProxy = require("@pulumi/policy/proxy") as {
  unknownCheckingProxy<T>(value: T): T;
  UnknownValueError: new (...args: never[]) => Error;
  /** What the engine sends for an unknown string (sdk/go/common/resource/plugin/rpc.go). */
  unknownStringValue: string;
};

export interface AnalyzedResource {
  type: string;
  name: string;
  urn: string;
  props: Record<string, unknown>;
  /** The parent's URN. */
  parent?: string;
  /** URNs of the resources this one depends on (stack policies see them as `dependencies`). */
  dependencies?: string[];
  /**
   * URNs per property (stack policies see them as `propertyDependencies`): what links resources
   * in a preview, when the values that reference them are still unknown.
   */
  propertyDependencies?: Record<string, string[]>;
}

export interface Violation {
  policy: string;
  enforcementLevel: "advisory" | "mandatory" | "remediate";
  /** The offending resource's logical name (for stack policies: the resource whose URN was reported). */
  resource?: string;
  /** The offending resource's URN, when known. */
  urn?: string;
  message: string;
}

type AnyPolicy = ResourceValidationPolicy | StackValidationPolicy;

/** The pack-level default when neither config nor the policy sets a level (as in @pulumi/policy). */
const PACK_ENFORCEMENT_LEVEL: EnforcementLevel = "advisory";

const ENFORCEMENT_LEVELS: readonly string[] = ["advisory", "mandatory", "remediate", "disabled"];

class NotApplicable extends Error {}

interface ResolvedConfig {
  readonly enforcementLevel: EnforcementLevel | undefined;
  readonly props: Record<string, unknown>;
}

function levelOf(value: unknown, where: string): EnforcementLevel | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "string" || !ENFORCEMENT_LEVELS.includes(value)) {
    throw new Error(
      `policy config ${where}: enforcementLevel must be one of ${ENFORCEMENT_LEVELS.join(", ")}; got ${JSON.stringify(value)}`,
    );
  }
  return value as EnforcementLevel;
}

/** A policy's config as the CLI would send it: schema defaults, then the given values. */
function resolveConfig(policy: AnyPolicy, config: Record<string, unknown>): ResolvedConfig {
  const all = levelOf(isRecord(config.all) ? config.all.enforcementLevel : config.all, "all");
  const entry = config[policy.name];
  let own: EnforcementLevel | undefined;
  let props: Record<string, unknown> = {};
  if (typeof entry === "string") {
    own = levelOf(entry, policy.name);
  } else if (isRecord(entry)) {
    const { enforcementLevel, ...rest } = entry;
    own = levelOf(enforcementLevel, policy.name);
    props = rest;
  } else if (entry !== undefined) {
    throw new Error(
      `policy config ${policy.name}: expected an enforcement level or an object; got ${JSON.stringify(entry)}`,
    );
  }
  return { enforcementLevel: own ?? all, props: { ...schemaDefaults(policy.configSchema), ...props } };
}

/** Mirrors @pulumi/policy's isTypeOf: the class's type token, else its isInstance. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as { __pulumiType?: unknown; isInstance?: (o: unknown) => boolean };
  if (typeof cls.__pulumiType === "string") return type === cls.__pulumiType;
  return typeof cls.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

function emptyOptions(parent: string | undefined): PolicyResourceOptions {
  const opts: PolicyResourceOptions = {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
  };
  if (parent !== undefined) opts.parent = parent;
  return opts;
}

const notApplicable = (reason?: string): never => {
  throw new NotApplicable(reason);
};

/**
 * Props as the server hands them to policies: unknowns as the engine's sentinel (an offline
 * preview under Pulumi's mocks holds @pulumi/pulumi's `unknown` instead), behind the proxy that
 * throws on reading one.
 */
function policyProps(props: Record<string, unknown>): Record<string, unknown> {
  const wire = (value: unknown): unknown => {
    if (isUnknown(value)) return analyzerProxy.unknownStringValue;
    if (Array.isArray(value)) return value.map(wire);
    // Only plain objects are copied: anything else (an asset, say) reaches the policy as given.
    if (isRecord(value) && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, wire(v)]));
    }
    return value;
  };
  return analyzerProxy.unknownCheckingProxy(wire(props) as Record<string, unknown>);
}

let packVersion: string | undefined;

/** The pack's version, which the server names in its messages (from package.json, as PolicyPack reads it). */
function version(): string {
  packVersion ??= (JSON.parse(fs.readFileSync(packFile("package.json"), "utf8")) as { version: string })
    .version;
  return packVersion;
}

/** The server's message for a policy that read an unknown value (server.js, makeAnalyzeRpcFun). */
function unknownMessage(policy: AnyPolicy, e: Error): string {
  return `can't run policy '${policy.name}' from policy pack '${POLICY_PACK_NAME}@v${version()}' during preview: ${e.message}`;
}

/**
 * Runs every resource policy on each resource (resources in the given order, policies in pack
 * order) and then every stack policy once, and returns the violations in that order.
 */
export async function analyzeResources(
  resources: readonly AnalyzedResource[],
  config: Record<string, unknown> = {},
  policies: readonly AnyPolicy[] = packPolicies,
): Promise<Violation[]> {
  const violations: Violation[] = [];
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const stackTags: ReadonlyMap<string, string> = new Map();

  const active = policies.map((policy) => {
    const cfg = resolveConfig(policy, config);
    let level = cfg.enforcementLevel ?? policy.enforcementLevel ?? PACK_ENFORCEMENT_LEVEL;
    if (level === "remediate") level = "mandatory"; // what the server reports for a validation
    return { policy, level, config: cfg.props };
  });

  const reporter =
    (
      policy: AnyPolicy,
      level: Violation["enforcementLevel"],
      resource: AnalyzedResource | undefined,
    ): ReportViolation =>
    (message: string, urn?: string) => {
      // The server also accepts an object ({ name, message, urn, enforcementLevel, ... }) at run time.
      const info: Record<string, unknown> | undefined = isRecord(message)
        ? (message as Record<string, unknown>)
        : undefined;
      const pick = (key: string): string | undefined =>
        typeof info?.[key] === "string" ? (info[key] as string) : undefined;
      const text = info !== undefined ? (pick("message") ?? pick("description") ?? "") : (message ?? "");
      const reportedUrn = pick("urn") ?? urn ?? resource?.urn;
      const target = reportedUrn !== undefined ? byUrn.get(reportedUrn) : undefined;
      const v: Violation = {
        policy: pick("name") ?? policy.name,
        enforcementLevel: (pick("enforcementLevel") as Violation["enforcementLevel"] | undefined) ?? level,
        message: text === "" ? policy.description : text,
      };
      if (target !== undefined || reportedUrn !== undefined) v.resource = target?.name ?? reportedUrn;
      if (reportedUrn !== undefined) v.urn = reportedUrn;
      violations.push(v);
    };

  for (const r of resources) {
    for (const { policy, level, config } of active) {
      if (level === "disabled" || !("validateResource" in policy) || policy.validateResource === undefined)
        continue;
      const validations = Array.isArray(policy.validateResource)
        ? policy.validateResource
        : [policy.validateResource];
      for (const validate of validations) {
        const props = policyProps(r.props);
        const args: ResourceValidationArgs = {
          type: r.type,
          props,
          urn: r.urn,
          name: r.name,
          opts: emptyOptions(r.parent),
          stackTags,
          isType: (cls) => isTypeOf(r.type, cls),
          asType: ((cls: unknown) =>
            isTypeOf(r.type, cls) ? props : undefined) as ResourceValidationArgs["asType"],
          getConfig: <T extends object>() => ({ ...config }) as T,
          notApplicable,
        };
        try {
          await validate(args, reporter(policy, level, r));
        } catch (e) {
          if (e instanceof NotApplicable) continue;
          if (e instanceof analyzerProxy.UnknownValueError) {
            violations.push({
              policy: policy.name,
              enforcementLevel: "advisory",
              resource: r.name,
              urn: r.urn,
              message: unknownMessage(policy, e),
            });
            continue;
          }
          throw new Error(`policy ${policy.name} failed on ${r.urn}: ${(e as Error).message}`, { cause: e });
        }
      }
    }
  }

  // Stack resources are built per policy as the server does (fresh proxies), with parents and
  // dependencies linked by URN and URNs outside the list dropped.
  const stackResources = (): PolicyResource[] => {
    const built: PolicyResource[] = resources.map((r) => {
      const props = policyProps(r.props);
      return {
        type: r.type,
        props,
        urn: r.urn,
        name: r.name,
        opts: emptyOptions(r.parent),
        dependencies: [],
        propertyDependencies: {},
        isType: (cls) => isTypeOf(r.type, cls),
        asType: ((cls: unknown) => (isTypeOf(r.type, cls) ? props : undefined)) as PolicyResource["asType"],
      };
    });
    const byUrn = new Map(built.map((b) => [b.urn, b]));
    const linked = (urns: readonly string[] | undefined): PolicyResource[] =>
      (urns ?? []).map((u) => byUrn.get(u)).filter((b): b is PolicyResource => b !== undefined);
    resources.forEach((r, i) => {
      const parent = r.parent !== undefined ? byUrn.get(r.parent) : undefined;
      if (parent !== undefined) built[i].parent = parent;
      built[i].dependencies = linked(r.dependencies);
      for (const [key, urns] of Object.entries(r.propertyDependencies ?? {})) {
        built[i].propertyDependencies[key] = linked(urns);
      }
    });
    return built;
  };

  for (const { policy, level, config } of active) {
    if (level === "disabled" || !("validateStack" in policy)) continue;
    const args: StackValidationArgs = {
      resources: stackResources(),
      getConfig: <T extends object>() => ({ ...config }) as T,
      stackTags,
      notApplicable,
    };
    try {
      await policy.validateStack(args, reporter(policy, level, undefined));
    } catch (e) {
      if (e instanceof NotApplicable) continue;
      if (e instanceof analyzerProxy.UnknownValueError) {
        violations.push({
          policy: policy.name,
          enforcementLevel: "advisory",
          message: unknownMessage(policy, e),
        });
        continue;
      }
      throw new Error(`policy ${policy.name} failed on the stack: ${(e as Error).message}`, { cause: e });
    }
  }
  return violations;
}
