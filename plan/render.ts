/**
 * How `npm run plan` shows a plan: the resource tree with each resource's key properties, the
 * assumptions, the host I/O and idle-cost tables, the container registry mapping, the outputs,
 * nextflowConfig and the policy verdict; or the same as JSON. Pure.
 */
import { PROJECT } from "../config/keys";
import type { StackSpec } from "../config/spec";
import { renderBudget } from "../reports/budget";
import { hostIoTable, renderHostIoTable } from "../reports/hostIo";
import { idleCost, renderIdleCost } from "../reports/idleCost";
import type { Assumptions, PlanResult } from "./main";
import type { OfflineRun, PlannedResource } from "./offline";

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
