/**
 * Runs the real program in-process under Pulumi's own runtime with mocks: no CLI, no
 * provider plugin, no AWS. Used by `npm run plan` and by the tests, so both see exactly the
 * resources and inputs `pulumi up` would send to the engine.
 *
 * The mocks stand in for what AWS would compute (ids, ARNs, names, account, partition, the
 * AMI id in SSM) with deterministic values derived from the resource name, so a plan is the
 * same on every run. An invoke nobody mocked throws: a new data source must be added here
 * on purpose, not answered with an empty object.
 */
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";
import { PROJECT } from "../config/keys";
import { runProgram } from "../program/run";
import type { StackOutputs } from "../program/stack";

export const MOCK_ACCOUNT_ID = "123456789012";
export const MOCK_AMI_ID = "ami-0ecs0al20230mock0";

/**
 * The zones a typical account sees per region, for `aws.getAvailabilityZones` offline (AWS
 * "Regions and Availability Zones"; zone names map to different physical zones per account,
 * and some regions show each account only some of their zones). `pulumi up` reads the
 * account's own list; the plan says which it assumed.
 */
const TYPICAL_ZONES: Readonly<Record<string, string>> = {
  "us-east-1": "abcdef",
  "us-east-2": "abc",
  "us-west-1": "bc",
  "us-west-2": "abcd",
  "ca-central-1": "abd",
  "eu-west-1": "abc",
  "eu-west-2": "abc",
  "eu-west-3": "abc",
  "eu-central-1": "abc",
  "eu-north-1": "abc",
  "ap-northeast-1": "acd",
  "ap-northeast-2": "abcd",
  "ap-south-1": "abc",
  "ap-southeast-1": "abc",
  "ap-southeast-2": "abc",
  "sa-east-1": "abc",
};

/** The zones the offline plan assumes the account sees in `region` (three for a region not in the table). */
export function assumedZones(region: string): string[] {
  return [...(TYPICAL_ZONES[region] ?? "abc")].map((letter) => `${region}${letter}`);
}

/** Whether {@link assumedZones} knows the region, or guessed three zones. */
export const knowsZonesOf = (region: string) => Object.prototype.hasOwnProperty.call(TYPICAL_ZONES, region);

export interface PlannedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  /** The id the provider would return (what other resources' inputs refer to); undefined for components. */
  readonly id: string | undefined;
  /** The parent's URN; undefined at the top level. */
  readonly parent: string | undefined;
  /** URNs it waits for: `dependsOn` and the resources its inputs come from. */
  readonly dependencies: readonly string[];
  /** Whether a provider creates it (false for component resources). */
  readonly custom: boolean;
  /** The explicit provider it was registered with (`<provider urn>::<id>`); undefined for the default one. */
  readonly provider: string | undefined;
  /** What the program sends the engine. */
  readonly inputs: Record<string, unknown>;
  /** Inputs plus what the provider would compute (ids, ARNs), as the engine and policies see it. */
  readonly state: Record<string, unknown>;
  /** The `ignoreChanges` resource option: properties a later `pulumi up` leaves as they are in the cloud. */
  readonly ignoreChanges: readonly string[];
}

export interface OfflineRun {
  readonly resources: PlannedResource[];
  readonly outputs: Record<string, unknown>;
  readonly invokes: { token: string; inputs: Record<string, unknown> }[];
}

const hex = (s: string, n: number) => createHash("sha256").update(s).digest("hex").slice(0, n);

interface MockContext {
  region: string;
}

/** What AWS would fill in for a new resource of `type` named `name` with these inputs. */
function computed(
  type: string,
  name: string,
  inputs: Record<string, any>,
  ctx: MockContext,
): { id: string; extra: Record<string, unknown> } {
  const acct = MOCK_ACCOUNT_ID;
  const r = ctx.region;
  const h = hex(`${type}/${name}`, 8);
  switch (type) {
    case "awsx:ec2:Vpc": {
      const azs: number = inputs.availabilityZoneNames?.length ?? inputs.numberOfAvailabilityZones ?? 3;
      const privateSubnetIds = Array.from({ length: azs }, (_, i) => `subnet-0priv${i}${hex(name, 8)}`);
      const publicSubnetIds = Array.from({ length: azs }, (_, i) => `subnet-0publ${i}${hex(name, 8)}`);
      const association = (subnetId: string, i: number, kind: string) => ({
        subnetId,
        routeTableId: `rtb-0${kind}${i}${hex(name, 8)}`,
      });
      return {
        id: `${name}`,
        extra: {
          vpcId: `vpc-0${hex(name, 16)}`,
          privateSubnetIds,
          publicSubnetIds,
          isolatedSubnetIds: [],
          routeTableAssociations: [
            ...publicSubnetIds.map((s, i) => association(s, i, "publ")),
            ...privateSubnetIds.map((s, i) => association(s, i, "priv")),
          ],
        },
      };
    }
    case "aws:s3/bucket:Bucket": {
      const bucket = inputs.bucket ?? `${name}-${h.slice(0, 7)}`;
      return { id: bucket, extra: { bucket, arn: `arn:aws:s3:::${bucket}` } };
    }
    case "aws:iam/role:Role": {
      const roleName = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: roleName, extra: { name: roleName, arn: `arn:aws:iam::${acct}:role/${roleName}` } };
    }
    case "aws:iam/policy:Policy": {
      const policyName = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      const arn = `arn:aws:iam::${acct}:policy/${policyName}`;
      return { id: arn, extra: { name: policyName, arn } };
    }
    case "aws:iam/instanceProfile:InstanceProfile": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: n, extra: { name: n, arn: `arn:aws:iam::${acct}:instance-profile/${n}` } };
    }
    case "aws:cloudwatch/logGroup:LogGroup": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: n, extra: { name: n, arn: `arn:aws:logs:${r}:${acct}:log-group:${n}` } };
    }
    case "aws:ec2/launchTemplate:LaunchTemplate":
      return {
        id: `lt-0${hex(name, 16)}`,
        extra: {
          latestVersion: 1,
          defaultVersion: 1,
          arn: `arn:aws:ec2:${r}:${acct}:launch-template/lt-0${hex(name, 16)}`,
        },
      };
    case "aws:ec2/securityGroup:SecurityGroup":
      return {
        id: `sg-0${hex(name, 16)}`,
        extra: { arn: `arn:aws:ec2:${r}:${acct}:security-group/sg-0${hex(name, 16)}` },
      };
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      return { id: `vpce-0${hex(name, 16)}`, extra: {} };
    case "aws:batch/computeEnvironment:ComputeEnvironment": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: n, extra: { name: n, arn: `arn:aws:batch:${r}:${acct}:compute-environment/${n}` } };
    }
    case "aws-native:batch:ComputeEnvironment": {
      // Cloud Control's primary identifier for this type is the ARN (its CloudFormation schema).
      const n = inputs.computeEnvironmentName ?? `${name}-${h.slice(0, 7)}`;
      const arn = `arn:aws:batch:${r}:${acct}:compute-environment/${n}`;
      return { id: arn, extra: { computeEnvironmentName: n, computeEnvironmentArn: arn } };
    }
    case "aws:batch/jobQueue:JobQueue": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: n, extra: { name: n, arn: `arn:aws:batch:${r}:${acct}:job-queue/${n}` } };
    }
    case "aws:budgets/budget:Budget": {
      // Budgets is global: the ARN has no region. The provider's id is "<account>:<name>".
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      return { id: `${acct}:${n}`, extra: { name: n, arn: `arn:aws:budgets::${acct}:budget/${n}` } };
    }
    case "aws:sns/topic:Topic": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      const arn = `arn:aws:sns:${r}:${acct}:${n}`;
      return { id: arn, extra: { name: n, arn } };
    }
    case "aws:sns/topicSubscription:TopicSubscription": {
      const arn = `${inputs.topic}:${hex(`${type}/${name}`, 36)}`;
      return { id: arn, extra: { arn } };
    }
    case "aws:lambda/function:Function": {
      const n = inputs.name ?? `${name}-${h.slice(0, 7)}`;
      const arn = `arn:aws:lambda:${r}:${acct}:function:${n}`;
      return { id: n, extra: { name: n, arn, qualifiedArn: `${arn}:$LATEST`, version: "$LATEST" } };
    }
    // The provider's id of a rule and of a template is its prefix; registryId is the account.
    case "aws:ecr/pullThroughCacheRule:PullThroughCacheRule":
      return { id: inputs.ecrRepositoryPrefix, extra: { registryId: acct } };
    case "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate":
      return { id: inputs.prefix, extra: { registryId: acct } };
    default:
      return { id: `${name}-${h}`, extra: {} };
  }
}

/** Answers for the data sources the program reads. Anything else is a bug: it throws. */
function call(token: string, inputs: Record<string, any>, ctx: MockContext): Record<string, unknown> {
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline`,
        userId: "AIDAOFFLINE",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:index/getPartition:getPartition":
      return { partition: "aws", dnsSuffix: "amazonaws.com", id: "aws", reverseDnsPrefix: "com.amazonaws" };
    case "aws:index/getAvailabilityZones:getAvailabilityZones": {
      const names = assumedZones(ctx.region);
      return {
        names,
        zoneIds: names.map((_, i) => `${ctx.region.replace(/-/g, "")}-az${i + 1}`),
        id: ctx.region,
        groupNames: [ctx.region],
      };
    }
    case "aws:ssm/getParameter:getParameter":
      return {
        name: inputs.name,
        type: "String",
        value: MOCK_AMI_ID,
        insecureValue: MOCK_AMI_ID,
        id: inputs.name,
        arn: `arn:aws:ssm:${ctx.region}::parameter${inputs.name}`,
        version: 1,
        withDecryption: true,
      };
    default:
      throw new Error(`offline run: no mock for invoke ${token}; add one to plan/offline.ts`);
  }
}

async function settle(output: unknown): Promise<unknown> {
  if (output === undefined) return undefined;
  return new Promise((resolve) => pulumi.output(output).apply((v) => resolve(v)));
}

/**
 * Runs the program for `stack` with `config` (fully qualified keys, values as Pulumi passes
 * them: strings, structured values as JSON text) and returns every resource and output.
 * Config errors surface as the program's own RunError. Tests may pass another `program`
 * (say, the stack built from a deliberately broken spec) to see what the policies make of it.
 */
export async function runOffline(
  stack: string,
  config: Record<string, string>,
  program: () => StackOutputs | Promise<StackOutputs> = runProgram,
): Promise<OfflineRun> {
  const region = config["aws:region"] ?? "us-east-1";
  const ctx: MockContext = { region };
  const byKey = new Map<
    string,
    {
      id: string | undefined;
      inputs: Record<string, unknown>;
      state: Record<string, unknown>;
      custom: boolean;
    }
  >();
  const invokes: OfflineRun["invokes"] = [];

  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const { id, extra } = computed(args.type, args.name, args.inputs, ctx);
        const state = { ...args.inputs, ...extra };
        const custom = args.custom ?? true;
        byKey.set(`${args.type}::${args.name}`, {
          id: custom ? id : undefined,
          inputs: args.inputs,
          state,
          custom,
        });
        return { id: custom ? id : undefined, state };
      },
      call(args) {
        invokes.push({ token: args.token, inputs: args.inputs });
        return call(args.token, args.inputs, ctx);
      },
    },
    PROJECT,
    stack,
    false,
  );

  // Record each registration's URN and parent as the engine would see them.
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: any, cb: (err: any, res: any) => void): Promise<void>;
  };
  const registrations: {
    type: string;
    name: string;
    urn: string;
    parent: string | undefined;
    provider: string | undefined;
    ignoreChanges: string[];
    dependencies: string[];
  }[] = [];
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req, cb) =>
    register(req, (err, res) => {
      if (!err && res) {
        registrations.push({
          type: req.getType(),
          name: req.getName(),
          urn: res.getUrn(),
          parent: req.getParent() || undefined,
          provider: req.getProvider() || undefined,
          ignoreChanges: req.getIgnorechangesList(),
          dependencies: req.getDependenciesList(),
        });
      }
      cb(err, res);
    });

  pulumi.runtime.setAllConfig(config, []);
  const outputs = await program();
  const settled: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(outputs as StackOutputs)) {
    const value = await settle(v);
    if (value !== undefined) settled[k] = value;
  }
  // Let every outstanding registration finish before reading the record.
  await pulumi.runtime.disconnect();

  // Registration order depends on promise timing; URN order is stable from run to run.
  const ordered = [...registrations].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const resources = ordered.map((r) => {
    const rec = byKey.get(`${r.type}::${r.name}`);
    if (!rec) throw new Error(`offline run: ${r.type} ${r.name} was registered but never reached the mocks`);
    return {
      type: r.type,
      name: r.name,
      urn: r.urn,
      id: rec.id,
      parent: r.parent,
      dependencies: r.dependencies,
      custom: rec.custom,
      provider: r.provider,
      inputs: rec.inputs,
      state: rec.state,
      ignoreChanges: r.ignoreChanges,
    };
  });
  return { resources, outputs: settled, invokes };
}

/** Stack config as Pulumi passes it to a program: every value a string, structured values as JSON. */
export function toPulumiConfig(config: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(config)) {
    const key = k.includes(":") ? k : `${PROJECT}:${k}`;
    out[key] = typeof v === "string" ? v : JSON.stringify(v);
  }
  return out;
}
