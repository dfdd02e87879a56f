/**
 * `npm run plan -- --stack <name> [--json]`: what `pulumi up` would create for a stack, worked
 * out on this machine with no AWS account, no Pulumi CLI and no provider plugin. The real
 * program runs in-process under Pulumi's mocks (plan/offline.ts); the policy pack checks
 * the result the way the engine would.
 *
 * Exit codes: 0 clean, 1 a mandatory policy is violated, 2 the config or arguments are invalid
 * (one line per problem, no stack trace).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT } from "../config/keys";
import { parseStackConfig } from "../config/parse";
import { ConfigError, type StackSpec } from "../config/spec";
import { analyzeResources, type Violation } from "../policy/analyze";
import { isPresetName, PRESET_NAMES } from "../presets";
import type { StackOutputs } from "../program/stack";
import { renderBudget } from "../reports/budget";
import { hostIoTable, renderHostIoTable } from "../reports/hostIo";
import { amiAgeDays, amiReleaseDate, ecsAmiName, ecsAmiParameter } from "../hosts/ami";
import type { StackLookups } from "../program/stack";
import { zoneProblem } from "../config/zones";
import { engineConfig, EngineConfigError, type EngineConfig } from "../config/engineConfig";
import {
  assumedZones,
  knowsZonesOf,
  MOCK_ACCOUNT_ID,
  runOffline,
  toPulumiConfig,
  type OfflineRun,
  type PlannedResource,
} from "./offline";
import { idleCost, renderIdleCost } from "../reports/idleCost";

export const EXIT = { clean: 0, violation: 1, invalid: 2 } as const;

class UsageError extends Error {}

const USAGE = "usage: npm run plan -- --stack <name> [--json] | --preset <name> [--region <region>] [--json]";

/** What the plan had to assume, since only a real account can tell. */
export interface Assumptions {
  /** The zones a new VPC would use, from {@link assumedZones}; undefined with an existing VPC. */
  readonly availabilityZones: readonly string[] | undefined;
  /** Whether the region is in the offline zone table, or three zones were guessed. */
  readonly zonesKnown: boolean;
  readonly hostAmi: {
    readonly name: string;
    readonly ssmParameter: string;
    readonly released: string;
    readonly ageDays: number | undefined;
  };
  readonly accountId: string;
}

export interface PlanResult {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly run: OfflineRun;
  readonly violations: Violation[];
  readonly assumptions: Assumptions;
  /** What the engine would warn about while loading the stack file. */
  readonly warnings: readonly string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` in the project directory `dir` the way the Pulumi engine hands
 * it to the program (config/engineConfig.ts), with `Pulumi.yaml`'s declared defaults and types.
 */
export function readStackConfig(dir: string, stack: string): EngineConfig {
  const project = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(project)) {
    throw new UsageError(
      `${dir} has no Pulumi.yaml, so it is not the project directory. Fix: run from the nextflow-batch checkout, or pass --dir <it>`,
    );
  }
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `--stack ${stack}: ${file} does not exist. Fix: create it with \`npm run wizard -- --stack ${stack}\` or name an existing stack`,
    );
  }
  return engineConfig(fs.readFileSync(file, "utf8"), fs.readFileSync(project, "utf8"), stack);
}

export interface PlanOptions {
  /** Builds a deliberately different stack from the resolved spec (tests of the policies). */
  readonly program?: (spec: StackSpec, lookups: StackLookups) => StackOutputs;
  /** The engine's warnings from loading the stack file. */
  readonly warnings?: readonly string[];
  /** When the plan runs: the AMI's age is measured to it. */
  readonly now?: Date;
  /** Declared-type problems the CLI would stop at (config/engineConfig.ts). */
  readonly typeProblems?: EngineConfig["typeProblems"];
}

/**
 * Parses like the program, failing where `pulumi preview` would fail: the parser's own line
 * for each bad key (it names the value and the fix), and the CLI's type line for any key the
 * parser let through.
 */
function parseAsPreview(
  values: Record<string, string>,
  stack: string,
  typeProblems: EngineConfig["typeProblems"],
) {
  let ours: readonly string[] = [];
  try {
    const spec = parseStackConfig(values, { project: PROJECT, stack });
    if (typeProblems.length === 0) return spec;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ours = e.problems;
  }
  const theirs = typeProblems.filter((t) => !ours.some((line) => line.startsWith(`${t.key} `)));
  throw new ConfigError([...ours, ...theirs.map((t) => t.line)]);
}

/**
 * Validates the config, runs the program offline and checks the result with the policy pack.
 * `config` holds fully qualified keys with the engine's text values (YAML-native values are
 * turned into that text first, as tests write them).
 */
export async function plan(
  stack: string,
  config: Record<string, unknown>,
  opts: PlanOptions = {},
): Promise<PlanResult> {
  const values = toPulumiConfig(config);
  const spec = parseAsPreview(values, stack, opts.typeProblems ?? []);
  const zones = assumedZones(spec.region);
  const zonesProblem = zoneProblem(spec, zones);
  if (zonesProblem)
    throw new ConfigError([`${zonesProblem} (offline: assumed the zones a typical account sees)`]);
  const lookups: StackLookups =
    spec.network.mode === "new"
      ? { availabilityZoneNames: zones.slice(0, spec.network.availabilityZones) }
      : {};
  const program = opts.program;
  const run = await runOffline(stack, values, program && (() => program(spec, lookups)));
  const violations = await analyzeResources(
    run.resources
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.state, parent: r.parent })),
  );
  const assumptions: Assumptions = {
    availabilityZones: lookups.availabilityZoneNames,
    zonesKnown: knowsZonesOf(spec.region),
    hostAmi: {
      name: ecsAmiName(spec.hostAmiVersion, spec.architecture),
      ssmParameter: ecsAmiParameter(spec.hostAmiVersion, spec.architecture),
      released: amiReleaseDate(spec.hostAmiVersion)?.toISOString().slice(0, 10) ?? "?",
      ageDays: amiAgeDays(spec.hostAmiVersion, opts.now ?? new Date()),
    },
    accountId: MOCK_ACCOUNT_ID,
  };
  return { stack, spec, run, violations, assumptions, warnings: opts.warnings ?? [] };
}

export function exitCodeFor(violations: readonly Violation[]): number {
  return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violation : EXIT.clean;
}

export function toJson(result: PlanResult): object {
  return {
    stack: result.stack,
    preset: result.spec.preset.name,
    resources: result.run.resources.map((r) => ({
      type: r.type,
      name: r.name,
      id: r.id,
      urn: r.urn,
      parent: r.parent,
      inputs: r.inputs,
    })),
    assumptions: result.assumptions,
    warnings: result.warnings,
    outputs: result.run.outputs,
    idleCost: idleCostJson(result.spec),
    budget: result.spec.budget ?? null,
    violations: result.violations.map((v) => ({
      policy: v.policy,
      enforcementLevel: v.enforcementLevel,
      resource: v.resource,
      message: v.message,
    })),
  };
}

/** The idle cost for machines: lines (USD a month, null where not priced), total, and each price with its source. */
function idleCostJson(spec: StackSpec): object {
  const c = idleCost(spec);
  return {
    region: c.region,
    monthlyUsd: Math.round(c.totalUsd * 100) / 100,
    lines: c.lines.map((l) => ({
      item: l.item,
      detail: l.detail,
      monthlyUsd: l.monthlyUsd === undefined ? null : Math.round(l.monthlyUsd * 100) / 100,
    })),
    unpriced: c.unpriced,
    prices: c.prices.map((p) => ({ what: p.what, ...p.price, fallback: p.fallback })),
  };
}

/** The properties a reviewer looks at first, per resource type. */
function keyProperties(r: PlannedResource): string {
  const i = r.inputs as Record<string, any>;
  const list = (xs: unknown) => (Array.isArray(xs) ? xs.join(", ") : String(xs));
  switch (r.type) {
    case "awsx:ec2:Vpc":
      return `${i.cidrBlock}, ${i.numberOfAvailabilityZones} AZs, NAT ${i.natGateways?.strategy}`;
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return `${i.serviceName} (${i.vpcEndpointType}) on ${(i.routeTableIds ?? []).length} route tables`;
    case "aws:ec2/securityGroup:SecurityGroup":
      return `ingress ${(i.ingress ?? []).length} rules, egress ${list((i.egress ?? []).flatMap((e: any) => e.cidrBlocks ?? []))}`;
    case "aws:s3/bucket:Bucket":
      return `forceDestroy ${i.forceDestroy}, kept on destroy`;
    case "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
      return (i.rules ?? [])
        .map(
          (rule: any) =>
            `${rule.id}: ${rule.filter?.prefix ? `prefix ${rule.filter.prefix}` : "whole bucket"}${rule.expiration ? `, expire ${rule.expiration.days} d` : ""}${rule.abortIncompleteMultipartUpload ? `, abort uploads ${rule.abortIncompleteMultipartUpload.daysAfterInitiation} d` : ""}`,
        )
        .join("; ");
    case "aws:ec2/launchTemplate:LaunchTemplate": {
      const ebs = i.blockDeviceMappings?.[0]?.ebs ?? {};
      return `root ${ebs.volumeType} ${ebs.volumeSize} GiB ${ebs.iops} IOPS ${ebs.throughput} MiB/s encrypted=${ebs.encrypted}, IMDS tokens ${i.metadataOptions?.httpTokens}, hop limit ${i.metadataOptions?.httpPutResponseHopLimit}`;
    }
    case "aws:batch/computeEnvironment:ComputeEnvironment": {
      const c = i.computeResources ?? {};
      return `${c.type} ${c.allocationStrategy}, ${list(c.instanceTypes)}, vCPUs ${c.minVcpus}-${c.maxVcpus}${c.bidPercentage ? `, bid ${c.bidPercentage}%` : ""}`;
    }
    case "aws-native:batch:ComputeEnvironment": {
      const c = i.computeResources ?? {};
      const overrides = (c.launchTemplate?.overrides ?? []).map((o: any) => list(o.targetInstanceTypes));
      return `${c.type} ${c.allocationStrategy}, ${list(c.instanceTypes)}, vCPUs ${c.minvCpus}-${c.maxvCpus}${c.bidPercentage ? `, bid ${c.bidPercentage}%` : ""}; ${overrides.length} launch template overrides${overrides.length > 0 ? `: ${overrides.join("; ")}` : ""}`;
    }
    case "pulumi:providers:aws-native":
      return `region ${i.region}${i.profile ? `, profile ${i.profile}` : ""}`;
    case "aws:batch/jobQueue:JobQueue":
      return `${i.name}, priority ${i.priority}, cancel RUNNABLE after ${(i.jobStateTimeLimitActions?.[0]?.maxTimeSeconds ?? 0) / 60} min for ${(i.jobStateTimeLimitActions ?? []).length} reasons${r.ignoreChanges.includes("state") ? "; state left to the budget guard after creation" : ""}`;
    case "aws:budgets/budget:Budget":
      return `${i.name}, ${i.limitAmount} ${i.limitUnit} ${i.timeUnit}: ${(i.notifications ?? [])
        .map(
          (n: any) =>
            `${n.notificationType} > ${n.threshold}% to ${(n.subscriberEmailAddresses ?? []).length} email(s)${(n.subscriberSnsTopicArns ?? []).length > 0 ? " + guard topic" : ""}`,
        )
        .join("; ")}`;
    case "aws:lambda/function:Function":
      return `${i.runtime}, disables ${list(JSON.parse(String(i.environment?.variables?.QUEUE_NAMES ?? "[]")))}`;
    case "aws:sns/topicPolicy:TopicPolicy": {
      const doc = JSON.parse(String(i.policy ?? "{}"));
      return (doc.Statement ?? [])
        .map((st: any) => `${st.Sid}: ${st.Principal?.Service} ${st.Action}`)
        .join(", ");
    }
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${i.name}, ${i.retentionInDays} days`;
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return String(i.policyArn);
    case "aws:iam/role:Role": {
      const trust = JSON.parse(String(i.assumeRolePolicy ?? "{}"));
      return `trusted by ${list((trust.Statement ?? []).map((s: any) => s.Principal?.Service))}`;
    }
    case "aws:ecr/pullThroughCacheRule:PullThroughCacheRule":
      return `${i.upstreamRegistryUrl} cached under ${i.ecrRepositoryPrefix}/${i.credentialArn ? `, credential ${i.credentialArn}` : ""}`;
    case "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate": {
      const lifecycle = JSON.parse(String(i.lifecyclePolicy ?? "{}"));
      const days = lifecycle.rules?.[0]?.selection?.countNumber;
      return `${i.prefix}/*: ${list((i.encryptionConfigurations ?? []).map((e: any) => e.encryptionType))}, expire ${days} d after caching, tags ${Object.keys(i.resourceTags ?? {}).join(", ")}`;
    }
    case "aws:iam/rolePolicy:RolePolicy":
    case "aws:iam/policy:Policy": {
      const doc = JSON.parse(String(i.policy ?? "{}"));
      return (doc.Statement ?? []).map((s: any) => s.Sid).join(", ");
    }
    default:
      return "";
  }
}

/** What only the account can tell, said plainly: the plan's assumptions. */
export function renderAssumptions(a: Assumptions, region: string): string[] {
  const ami = a.hostAmi;
  const age = ami.ageDays === undefined ? "" : `, ${ami.ageDays} days old`;
  return [
    `  host AMI: ${ami.name} (released ${ami.released}${age}; pinned by nextflow-batch:hostAmiVersion, pulumi up reads its id from SSM ${ami.ssmParameter})`,
    ...(a.availabilityZones === undefined
      ? []
      : [
          `  zones: ${a.availabilityZones.join(", ")} (assumed offline: ${a.zonesKnown ? `the first zones a typical account sees in ${region}` : `${region} is not in the offline table, so three zones were guessed`}; pulumi up uses the first ones your account lists)`,
        ]),
    `  account: ${a.accountId} (a placeholder offline; ARNs below use it)`,
  ];
}

export function renderTree(result: PlanResult): string {
  const { spec, run } = result;
  const s = spec.storage;
  const lines: string[] = [
    `${PROJECT} / ${result.stack}: preset ${spec.preset.name} (${spec.manufacturer} ${spec.architecture}: ${spec.instanceTypes.join(", ")}), region ${spec.region}, lab ${spec.labName}`,
    `  hosts: ${s.kind === "gp3" ? `gp3 root volume holds Docker data, matched to each size (up to ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s; see the I/O table)` : `NVMe instance store (RAID0) holds /var/lib/docker; root ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s`}`,
    ...renderAssumptions(result.assumptions, spec.region),
    "",
    "Resources `pulumi up` would create:",
  ];
  const children = new Map<string | undefined, PlannedResource[]>();
  for (const r of run.resources) {
    const list = children.get(r.parent) ?? [];
    list.push(r);
    children.set(r.parent, list);
  }
  const walk = (parent: string | undefined, depth: number) => {
    for (const r of children.get(parent) ?? []) {
      const props = keyProperties(r);
      lines.push(
        `${"  ".repeat(depth + 1)}+ ${r.type}  ${r.name}${props ? `\n${"  ".repeat(depth + 3)}${props}` : ""}`,
      );
      walk(r.urn, depth + 1);
    }
  };
  walk(undefined, 0);
  const custom = run.resources.filter((r) => r.custom).length;
  lines.push(
    "",
    `${custom} cloud resources in ${run.resources.length - custom} components.`,
    "",
    "Host I/O and storage cost per instance size:",
  );
  lines.push(...renderHostIoTable(hostIoTable(spec)).map((l) => `  ${l}`));
  lines.push("", "Idle cost (what the stack bills with no job running):");
  lines.push(...renderIdleCost(idleCost(spec), spec.network).map((l) => `  ${l}`));
  const queues = [run.outputs.spotQueueName, run.outputs.onDemandQueueName].filter(
    (q): q is string => typeof q === "string",
  );
  lines.push("", "Budget:");
  lines.push(...renderBudget(spec, queues).map((l) => `  ${l}`));
  lines.push("", ...renderContainerImages(spec, run));
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(run.outputs)) {
    if (k === "nextflowConfig") continue;
    lines.push(`  ${k}: ${typeof v === "object" && v !== null ? JSON.stringify(v) : String(v)}`);
  }
  lines.push("", "nextflowConfig (pulumi stack output nextflowConfig > nextflow.config):");
  lines.push(
    ...String(run.outputs.nextflowConfig ?? "")
      .trimEnd()
      .split("\n")
      .map((l) => `  | ${l}`),
  );
  lines.push("", "Policy pack:");
  if (result.violations.length === 0) lines.push("  no violations");
  for (const v of result.violations)
    lines.push(`  [${v.enforcementLevel}] ${v.policy} on ${v.resource ?? "the stack"}: ${v.message}`);
  return lines.join("\n");
}

/** Where task images come from: the cache's registry mapping and what unqualified names mean. */
function renderContainerImages(spec: StackSpec, run: OfflineRun): string[] {
  const cache = spec.containerCache;
  if (cache === undefined) {
    return [
      "Container images: no cache (containerCache false); hosts pull from each image's registry through NAT.",
    ];
  }
  const uris = (run.outputs.containerCacheUris ?? {}) as Record<string, string>;
  const width = Math.max(...Object.keys(uris).map((h) => h.length));
  return [
    `Container images: ECR pull-through cache, prefix ${cache.prefix}, cached images expire ${cache.cachedImageExpiryDays} days after caching:`,
    ...Object.entries(uris).map(([host, uri]) => `  ${host.padEnd(width)}  ->  ${uri}/...`),
    `  names without a registry host: ${
      cache.unqualifiedImages === "unchanged"
        ? "left to the pipeline (no docker.registry)"
        : `docker.registry = ${cache.unqualifiedImages === "quayCache" ? uris["quay.io"] : uris["docker.io"]}`
    }`,
    "  first pull of an image: ECR fetches it from upstream and creates its repository; later pulls come from ECR.",
    `  not cached, pulled as written through NAT: ${cache.dockerHubCredentialArn === undefined ? "docker.io (no dockerHubCredentialArn), " : ""}community.wave.seqera.io, ghcr.io, any other registry.`,
  ];
}

export async function main(
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          stack: { type: "string" },
          preset: { type: "string" },
          region: { type: "string" },
          json: { type: "boolean", default: false },
          dir: { type: "string" },
          help: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split("\n")[0]}. ${USAGE}`);
    }
    const o = parsed.values;
    if (o.help) return { code: 0, stdout: USAGE, stderr: "" };
    if ((o.stack === undefined) === (o.preset === undefined)) {
      throw new UsageError(
        `give exactly one of --stack or --preset; got ${o.stack === undefined ? "neither" : "both"}. ${USAGE}`,
      );
    }
    if (o.region !== undefined && o.preset === undefined) {
      throw new UsageError(`--region only goes with --preset (a stack's region is its aws:region). ${USAGE}`);
    }
    let stack: string;
    let config: Record<string, unknown>;
    let engine: EngineConfig | undefined;
    if (o.preset !== undefined) {
      if (!isPresetName(o.preset)) {
        throw new UsageError(
          `--preset must be one of ${PRESET_NAMES.join(", ")}; got "${o.preset}". Fix: pick one of those`,
        );
      }
      stack = o.preset;
      config = {
        "aws:region": o.region ?? "us-east-1",
        [`${PROJECT}:preset`]: o.preset,
        [`${PROJECT}:labName`]: "example-lab",
      };
    } else {
      stack = o.stack!;
      engine = readStackConfig(o.dir ?? cwd, stack);
      config = engine.values;
    }
    const result = await plan(stack, config, {
      warnings: engine?.warnings,
      typeProblems: engine?.typeProblems,
    });
    const stdout = o.json ? JSON.stringify(toJson(result), null, 2) : renderTree(result);
    const stderr = result.warnings.map((w) => `warning: ${w}`).join("\n");
    return { code: exitCodeFor(result.violations), stdout, stderr };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof EngineConfigError) {
      return { code: EXIT.invalid, stdout: "", stderr: e.problems.map((p) => `error: ${p}`).join("\n") };
    }
    if (e instanceof UsageError) return { code: EXIT.invalid, stdout: "", stderr: `error: ${e.message}` };
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.cwd()).then(
    ({ code, stdout, stderr }) => {
      if (stdout) process.stdout.write(`${stdout}\n`);
      if (stderr) process.stderr.write(`${stderr}\n`);
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`plan failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
