/**
 * The state checks and the waiting-job diagnosis of one run: fetch through the Gatherer,
 * judge with the pure rules.
 */
import type { ComputeEnvironmentDetail } from "@aws-sdk/client-batch";
import { error, warning, type Finding, type Passed } from "./findings";
import type { Gatherer } from "./gather";
import type { DoctorOutputs, NextflowSettings, StackQueue } from "./outputs";
import { checkRoutes, checkSubnets } from "./rules/network";
import { checkNextflowConfig } from "./rules/nextflowConfig";
import { nameFromArn, type RuleResult } from "./rules/result";
import { checkInstanceRole, checkJobRole } from "./rules/roles";
import { checkComputeEnvironment, checkLaunchTemplate, checkQueue } from "./rules/state";
import {
  blockedCode,
  explainRunnable,
  hostFindings,
  type EnvironmentView,
  type InstanceShape,
} from "./rules/waiting";

/** Waiting jobs explained one by one per queue; the rest are counted. */
const MAX_EXPLAINED_PER_QUEUE = 5;

export interface StateResult {
  readonly findings: Finding[];
  readonly passed: Passed[];
  /** Each queue's compute environments, in order (empty when the queue is missing). */
  readonly queueEnvironments: Map<string, ComputeEnvironmentDetail[]>;
  /** Instance shapes per compute environment ARN (undefined: not known). */
  readonly shapes: Map<string, InstanceShape[] | undefined>;
  /** What was fetched about each compute environment's hosts, by ARN. */
  readonly views: Map<string, EnvironmentView>;
}

export async function checkState(
  g: Gatherer,
  o: DoctorOutputs,
  queues: readonly StackQueue[],
  settings: NextflowSettings,
  region: string,
  progress: (line: string) => void,
): Promise<StateResult> {
  const stack = g.ctx.stack;
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  const add = (r: RuleResult) => {
    findings.push(...r.findings);
    passed.push(...r.passed);
  };
  const out: StateResult = {
    findings,
    passed,
    queueEnvironments: new Map(),
    shapes: new Map(),
    views: new Map(),
  };

  progress(`Checking the job queues (${queues.map((q) => q.name).join(", ")}) ...`);
  const qd = await g.attempt("the job queues", () => g.jobQueues(queues.map((q) => q.name)));
  if (qd === undefined) return out;
  const ceArns: string[] = [];
  for (const q of queues) {
    const d = qd.get(q.name);
    add(checkQueue(q, d, { region, stack }));
    const arns = [...(d?.computeEnvironmentOrder ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((c) => c.computeEnvironment ?? "")
      .filter((a) => a !== "");
    ceArns.push(...arns.filter((a) => !ceArns.includes(a)));
    out.queueEnvironments.set(q.name, []);
  }
  if (ceArns.length === 0) return out;

  progress(`Checking the compute environments (${ceArns.map(nameFromArn).join(", ")}) ...`);
  const cd = await g.attempt("the compute environments", () => g.computeEnvironments(ceArns));
  if (cd === undefined) return out;
  for (const q of queues) {
    const arns = [...(qd.get(q.name)?.computeEnvironmentOrder ?? [])]
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((c) => cd.get(c.computeEnvironment ?? ""))
      .filter((c): c is ComputeEnvironmentDetail => c !== undefined);
    out.queueEnvironments.set(q.name, arns);
  }
  const ces: ComputeEnvironmentDetail[] = [];
  for (const arn of ceArns) {
    const d = cd.get(arn);
    add(checkComputeEnvironment(arn, d, stack));
    if (d) ces.push(d);
  }

  // Launch templates.
  for (const ce of ces) {
    const lt = ce.computeResources?.launchTemplate;
    const name = ce.computeEnvironmentName ?? "?";
    if (!lt) {
      add(checkLaunchTemplate(name, undefined, undefined, stack));
      continue;
    }
    const got = await g.attempt(`the launch template of ${name}`, async () => ({
      versions: await g.launchTemplateVersions(lt),
    }));
    if (got) add(checkLaunchTemplate(name, lt, got.versions, stack));
  }

  // Network: subnets in the stack's VPC, each with a way to the internet and to S3.
  progress("Checking the subnets' routes to the internet and to S3 ...");
  const subnetIds = [...new Set(ces.flatMap((c) => c.computeResources?.subnets ?? []))];
  const subnets = subnetIds.length > 0 ? await g.attempt("the subnets", () => g.subnets(subnetIds)) : [];
  if (subnets !== undefined) {
    for (const ce of ces) {
      add(
        checkSubnets(ce.computeEnvironmentName ?? "?", ce.computeResources?.subnets ?? [], subnets, o.vpcId),
      );
    }
    for (const id of subnetIds.filter((s) => subnets.some((x) => x.SubnetId === s))) {
      const vpc = subnets.find((x) => x.SubnetId === id)?.VpcId ?? o.vpcId;
      const table = await g.attempt("the subnets' route tables", () => g.routeTable(id, vpc));
      if (table === undefined && g.denied.some((f) => f.subject === "ec2:DescribeRouteTables")) break;
      const endpointIds = (table?.Routes ?? [])
        .map((r) => r.GatewayId ?? "")
        .filter((x) => x.startsWith("vpce-"));
      const endpoints = await g.attempt("the VPC endpoints", () => g.vpcEndpoints(endpointIds));
      add(checkRoutes(id, table, endpoints, region));
    }
  }

  // Roles.
  progress("Checking the instance role and the job role ...");
  for (const profileArn of [...new Set(ces.map((c) => c.computeResources?.instanceRole ?? ""))].filter(
    Boolean,
  )) {
    const ceName =
      ces.find((c) => c.computeResources?.instanceRole === profileArn)?.computeEnvironmentName ?? "?";
    const got = await g.attempt("the hosts' instance profile", async () => ({
      profile: await g.instanceProfile(profileArn),
    }));
    if (!got) continue;
    const roleName = got.profile?.Roles?.[0]?.RoleName;
    const attached = roleName
      ? await g.attempt("the host role's policies", () => g.attachedPolicies(roleName))
      : undefined;
    add(checkInstanceRole(ceName, profileArn, got.profile, attached, stack));
  }
  const job = await g.attempt("the job role", async () => ({ role: await g.role(o.jobRoleArn) }));
  if (job) add(checkJobRole(o.jobRoleArn, job.role, stack));
  add(checkNextflowConfig(o, settings, region));

  // Hosts: launched, joined the cluster, and if not, what their bootstrap said.
  progress("Checking the hosts Batch launched ...");
  for (const ce of ces) {
    const arn = ce.computeEnvironmentArn ?? "";
    const shapes = await g.attempt(`the instance types of ${ce.computeEnvironmentName}`, () =>
      g.shapes(ce.computeResources?.instanceTypes),
    );
    out.shapes.set(arn, shapes);
    const view = await g.view(ce, { shapes });
    out.views.set(arn, view);
    findings.push(...hostFindings(view, g.ctx.now()));
    const hosts = view.hosts;
    if (hosts !== undefined) {
      const joined = hosts.filter((h) => h.registered === true).length;
      passed.push({
        subject: `compute environment ${ce.computeEnvironmentName}`,
        detail:
          hosts.length === 0
            ? "no hosts running (Batch starts them when jobs arrive)"
            : `${hosts.length} host${hosts.length === 1 ? "" : "s"} running, ${joined} joined the ECS cluster`,
      });
    }
  }
  return out;
}

/** Jobs RUNNABLE longer than `olderThanMs` in the stack's queues, each explained. */
export async function diagnoseWaiting(
  g: Gatherer,
  queues: readonly StackQueue[],
  state: StateResult,
  olderThanMs: number,
  progress: (line: string) => void,
): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const q of queues) {
    const ces = state.queueEnvironments.get(q.name) ?? [];
    if (ces.length === 0) continue;
    progress(`Looking for jobs RUNNABLE over ${Math.round(olderThanMs / 60000)} min in ${q.name} ...`);
    const jobs = await g.attempt(`the jobs waiting in ${q.name}`, () => g.runnableJobs(q.name, olderThanMs));
    if (!jobs || jobs.length === 0) continue;
    const environments = ces.map(
      (c) =>
        state.views.get(c.computeEnvironmentArn ?? "") ?? {
          detail: c,
          shapes: state.shapes.get(c.computeEnvironmentArn ?? ""),
        },
    );
    const blockedHead = jobs.find((j) => blockedCode(j.statusReason) !== undefined);
    for (const job of jobs.slice(0, MAX_EXPLAINED_PER_QUEUE)) {
      findings.push(explainRunnable({ job, environments, now: g.ctx.now(), blockedHead }));
    }
    if (jobs.length > MAX_EXPLAINED_PER_QUEUE) {
      const rest = jobs.length - MAX_EXPLAINED_PER_QUEUE;
      const worst = findings.some((f) => f.severity === "error") ? error : warning;
      findings.push(
        worst(
          "job-waiting",
          `queue ${q.name}`,
          `${rest} more job${rest === 1 ? "" : "s"} ${rest === 1 ? "has" : "have"} been RUNNABLE over ${Math.round(olderThanMs / 60000)} min in this queue, most likely for the reasons above.`,
          "fix what the findings above say; queued jobs then start by themselves",
        ),
      );
    }
  }
  return findings;
}
