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
import { readStackFile, StackFileError } from "../config/stackFile";
import { analyzeResources, type Violation } from "../policy/analyze";
import { isPresetName, PRESET_NAMES } from "../presets";
import type { StackOutputs } from "../program/stack";
import { hostIoTable, renderHostIoTable } from "../reports/hostIo";
import { runOffline, toPulumiConfig, type OfflineRun, type PlannedResource } from "./offline";

export const EXIT = { clean: 0, violation: 1, invalid: 2 } as const;

class UsageError extends Error {}

const USAGE = "usage: npm run plan -- --stack <name> [--json] | --preset <name> [--region <region>] [--json]";

export interface PlanResult {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly run: OfflineRun;
  readonly violations: Violation[];
}

/** Reads `Pulumi.<stack>.yaml` in `dir` and returns its `config:` map (the wizard's reader). */
export function readStackConfig(dir: string, stack: string): Record<string, unknown> {
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `--stack ${stack}: ${file} does not exist. Fix: create it with \`npm run wizard -- --stack ${stack}\` or name an existing stack`,
    );
  }
  try {
    return readStackFile(file).config;
  } catch (e) {
    if (e instanceof StackFileError) throw new UsageError(e.message);
    throw e;
  }
}

/**
 * Validates the config, runs the program offline and checks the result with the policy pack.
 * `program` is for tests that build a deliberately broken stack from the resolved spec.
 */
export async function plan(
  stack: string,
  config: Record<string, unknown>,
  program?: (spec: StackSpec) => StackOutputs,
): Promise<PlanResult> {
  const spec = parseStackConfig(config, { project: PROJECT, stack });
  const run = await runOffline(stack, toPulumiConfig(config), program && (() => program(spec)));
  const violations = await analyzeResources(
    run.resources
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.state, parent: r.parent })),
  );
  return { stack, spec, run, violations };
}

export function exitCodeFor(violations: readonly Violation[]): number {
  return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violation : EXIT.clean;
}

export function toJson(result: PlanResult): object {
  return {
    stack: result.stack,
    preset: result.spec.preset.name,
    resources: result.run.resources.map((r) => ({ type: r.type, name: r.name, inputs: r.inputs })),
    outputs: result.run.outputs,
    violations: result.violations.map((v) => ({
      policy: v.policy,
      enforcementLevel: v.enforcementLevel,
      resource: v.resource,
      message: v.message,
    })),
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
      return `${i.name}, priority ${i.priority}, cancel RUNNABLE after ${(i.jobStateTimeLimitActions?.[0]?.maxTimeSeconds ?? 0) / 60} min for ${(i.jobStateTimeLimitActions ?? []).length} reasons`;
    case "aws:cloudwatch/logGroup:LogGroup":
      return `${i.name}, ${i.retentionInDays} days`;
    case "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
      return String(i.policyArn);
    case "aws:iam/role:Role": {
      const trust = JSON.parse(String(i.assumeRolePolicy ?? "{}"));
      return `trusted by ${list((trust.Statement ?? []).map((s: any) => s.Principal?.Service))}`;
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

export function renderTree(result: PlanResult): string {
  const { spec, run } = result;
  const s = spec.storage;
  const lines: string[] = [
    `${PROJECT} / ${result.stack}: preset ${spec.preset.name} (${spec.manufacturer} ${spec.architecture}: ${spec.instanceTypes.join(", ")}), region ${spec.region}, lab ${spec.labName}`,
    `  hosts: ${s.kind === "gp3" ? `gp3 root volume holds Docker data, matched to each size (up to ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s; see the I/O table)` : `NVMe instance store (RAID0) holds /var/lib/docker; root ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s`}`,
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
  lines.push("", "Outputs:");
  for (const [k, v] of Object.entries(run.outputs)) {
    if (k === "nextflowConfig") continue;
    lines.push(`  ${k}: ${String(v)}`);
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
      config = readStackConfig(o.dir ?? cwd, stack);
    }
    const result = await plan(stack, config);
    const stdout = o.json ? JSON.stringify(toJson(result), null, 2) : renderTree(result);
    return { code: exitCodeFor(result.violations), stdout, stderr: "" };
  } catch (e) {
    if (e instanceof ConfigError) {
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
