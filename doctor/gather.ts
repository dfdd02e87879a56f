/**
 * The AWS calls that fetch what the rules read. Each goes through `call` (so a denial names
 * its action) and, through {@link Gatherer.attempt}, turns a denial into a finding instead of
 * stopping the run: the doctor checks what it may and says what it could not.
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
} from "@aws-sdk/client-auto-scaling";
import {
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  type ComputeEnvironmentDetail,
  type JobDetail,
  type JobQueueDetail,
} from "@aws-sdk/client-batch";
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  GetConsoleOutputCommand,
  type LaunchTemplateVersion,
  type RouteTable,
  type Subnet,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from "@aws-sdk/client-ecs";
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  type AttachedPolicy,
  type InstanceProfile,
  type Role,
} from "@aws-sdk/client-iam";
import { call, PermissionError, type AwsClients } from "./aws";
import { error, warning, type Finding } from "./findings";
import { permissionOf, type DoctorAction } from "./permissions";
import { bootstrapLines, decodeConsoleOutput } from "./rules/bootstrap";
import { nameFromArn } from "./rules/result";
import { stuckHosts, type EnvironmentView, type Host, type InstanceShape } from "./rules/waiting";

/** At most this many stuck hosts get their console output fetched (it is large). */
const MAX_CONSOLE_FETCHES = 3;

export interface GatherContext {
  readonly clients: AwsClients;
  /** The AWS profile in use, for messages. */
  readonly profile: string | undefined;
  /** Who the credentials are (sts:GetCallerIdentity's Arn), for messages. */
  readonly callerArn: string;
  readonly launcherPolicyArn: string;
  readonly stack: string;
  readonly now: () => Date;
}

const errName = (e: unknown) => (e instanceof Error ? e.name : "");
const errCode = (e: unknown) => (e as { Code?: string; code?: string }).Code ?? errName(e);

export class Gatherer {
  /** Findings about permissions the doctor lacked, one per action. */
  readonly denied: Finding[] = [];
  private readonly deniedActions = new Set<string>();

  constructor(readonly ctx: GatherContext) {}

  /** `call` bound to this run's profile. */
  call<T>(action: DoctorAction, fn: () => Promise<T>): Promise<T> {
    return call(action, this.ctx.profile, fn);
  }

  /**
   * Runs `fn`; a denied permission becomes a finding (once per action) and the result
   * undefined, so the check is skipped and the run goes on.
   */
  async attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof PermissionError)) throw e;
      this.recordDenied(e.action, what, e.awsMessage);
      return undefined;
    }
  }

  recordDenied(action: string, what: string, awsMessage: string): void {
    if (this.deniedActions.has(action)) return;
    this.deniedActions.add(action);
    this.denied.push(deniedFinding(action, what, awsMessage, this.ctx));
  }

  // -------------------------------------------------------------------------------------------
  // Batch.

  async jobQueues(names: readonly string[]): Promise<Map<string, JobQueueDetail>> {
    const res = await this.call("batch:DescribeJobQueues", () =>
      this.ctx.clients.batch.send(new DescribeJobQueuesCommand({ jobQueues: [...names] })),
    );
    return new Map((res.jobQueues ?? []).map((q) => [q.jobQueueName ?? "", q]));
  }

  async computeEnvironments(arns: readonly string[]): Promise<Map<string, ComputeEnvironmentDetail>> {
    if (arns.length === 0) return new Map();
    const res = await this.call("batch:DescribeComputeEnvironments", () =>
      this.ctx.clients.batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [...arns] })),
    );
    const out = new Map<string, ComputeEnvironmentDetail>();
    for (const ce of res.computeEnvironments ?? []) {
      if (ce.computeEnvironmentArn) out.set(ce.computeEnvironmentArn, ce);
      if (ce.computeEnvironmentName) out.set(ce.computeEnvironmentName, ce);
    }
    return out;
  }

  /** RUNNABLE jobs of a queue created more than `olderThanMs` ago, described (at most 100). */
  async runnableJobs(queue: string, olderThanMs: number): Promise<JobDetail[]> {
    const cutoff = this.ctx.now().getTime() - olderThanMs;
    const ids: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.call("batch:ListJobs", () =>
        this.ctx.clients.batch.send(
          new ListJobsCommand({ jobQueue: queue, jobStatus: "RUNNABLE", nextToken }),
        ),
      );
      for (const j of page.jobSummaryList ?? []) {
        if (j.jobId && (j.createdAt ?? 0) <= cutoff) ids.push(j.jobId);
      }
      nextToken = page.nextToken;
    } while (nextToken !== undefined && ids.length < 100);
    return this.describeJobs(ids.slice(0, 100));
  }

  async describeJobs(ids: readonly string[]): Promise<JobDetail[]> {
    if (ids.length === 0) return [];
    const res = await this.call("batch:DescribeJobs", () =>
      this.ctx.clients.batch.send(new DescribeJobsCommand({ jobs: [...ids] })),
    );
    return res.jobs ?? [];
  }

  // -------------------------------------------------------------------------------------------
  // A compute environment's instance types and hosts.

  /**
   * vCPUs and memory of every instance type `instanceTypes` allows (families like "m5" or
   * sizes like "m5.8xlarge"); undefined when they include a Batch keyword ("optimal",
   * "default_x86_64"), whose members AWS may change.
   */
  async shapes(instanceTypes: readonly string[] | undefined): Promise<InstanceShape[] | undefined> {
    if (!instanceTypes || instanceTypes.length === 0) return undefined;
    if (instanceTypes.some((t) => t === "optimal" || t.startsWith("default_"))) return undefined;
    const values = instanceTypes.map((t) => (t.includes(".") ? t : `${t}.*`));
    const out: InstanceShape[] = [];
    let NextToken: string | undefined;
    do {
      const page = await this.call("ec2:DescribeInstanceTypes", () =>
        this.ctx.clients.ec2.send(
          new DescribeInstanceTypesCommand({
            Filters: [{ Name: "instance-type", Values: values }],
            NextToken,
          }),
        ),
      );
      for (const t of page.InstanceTypes ?? []) {
        if (t.InstanceType && t.VCpuInfo?.DefaultVCpus && t.MemoryInfo?.SizeInMiB) {
          out.push({
            instanceType: t.InstanceType,
            vcpus: t.VCpuInfo.DefaultVCpus,
            memoryMiB: t.MemoryInfo.SizeInMiB,
          });
        }
      }
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    return out.length > 0 ? out : undefined;
  }

  /**
   * The hosts Batch launched for a compute environment, and whether each joined its ECS
   * cluster. Batch launches them through an EC2 Auto Scaling group named
   * `AWSBatch-<compute environment name>-asg-<uuid>` (the tag `aws:autoscaling:groupName`
   * every member carries), except for BEST_FIT spot environments (Spot Fleet), which this
   * stack never makes.
   */
  async hosts(ce: ComputeEnvironmentDetail): Promise<Host[] | undefined> {
    const name = ce.computeEnvironmentName ?? "";
    const res = await this.attempt(`the hosts of compute environment ${name}`, () =>
      this.call("ec2:DescribeInstances", () =>
        this.ctx.clients.ec2.send(
          new DescribeInstancesCommand({
            Filters: [
              { Name: "tag:aws:autoscaling:groupName", Values: [`AWSBatch-${name}-asg-*`] },
              { Name: "instance-state-name", Values: ["pending", "running"] },
            ],
          }),
        ),
      ),
    );
    if (res === undefined) return undefined;
    const instances = (res.Reservations ?? []).flatMap((r) => r.Instances ?? []);
    const registered = instances.length > 0 ? await this.registeredInstanceIds(ce) : new Set<string>();
    return instances.map((i) => ({
      instanceId: i.InstanceId ?? "?",
      instanceType: i.InstanceType,
      state: i.State?.Name,
      launchTime: i.LaunchTime,
      registered: registered === undefined ? undefined : registered.has(i.InstanceId ?? ""),
    }));
  }

  /** EC2 instance ids registered with the environment's ECS cluster; undefined when not allowed to list them. */
  private async registeredInstanceIds(ce: ComputeEnvironmentDetail): Promise<Set<string> | undefined> {
    const cluster = ce.ecsClusterArn;
    if (!cluster) return new Set();
    return this.attempt(`which hosts joined the ECS cluster of ${ce.computeEnvironmentName}`, async () => {
      const arns: string[] = [];
      let nextToken: string | undefined;
      do {
        const page = await this.call("ecs:ListContainerInstances", () =>
          this.ctx.clients.ecs.send(new ListContainerInstancesCommand({ cluster, nextToken })),
        );
        arns.push(...(page.containerInstanceArns ?? []));
        nextToken = page.nextToken;
      } while (nextToken !== undefined);
      const ids = new Set<string>();
      for (let i = 0; i < arns.length; i += 100) {
        const res = await this.call("ecs:DescribeContainerInstances", () =>
          this.ctx.clients.ecs.send(
            new DescribeContainerInstancesCommand({ cluster, containerInstances: arns.slice(i, i + 100) }),
          ),
        );
        for (const c of res.containerInstances ?? []) if (c.ec2InstanceId) ids.add(c.ec2InstanceId);
      }
      return ids;
    });
  }

  /** Adds the bootstrap lines of (a few of) the hosts that never registered. */
  async withConsole(hosts: Host[] | undefined): Promise<Host[] | undefined> {
    if (hosts === undefined) return undefined;
    const stuck = new Set(
      stuckHosts(hosts, this.ctx.now())
        .slice(0, MAX_CONSOLE_FETCHES)
        .map((h) => h.instanceId),
    );
    const out: Host[] = [];
    for (const h of hosts) {
      if (!stuck.has(h.instanceId)) {
        out.push(h);
        continue;
      }
      // `Latest`: the serial console as it is now, not the buffer EC2 posted shortly after the
      // instance started, which may predate the bootstrap (EC2 API reference, GetConsoleOutput;
      // Nitro instances only: every preset is Nitro, others fall back). EC2 keeps the last 64 KB.
      const res = await this.attempt(`the bootstrap log of host ${h.instanceId}`, () =>
        this.call("ec2:GetConsoleOutput", async () => {
          try {
            return await this.ctx.clients.ec2.send(
              new GetConsoleOutputCommand({ InstanceId: h.instanceId, Latest: true }),
            );
          } catch (e) {
            if (!/Unsupported/i.test(errCode(e))) throw e;
            return this.ctx.clients.ec2.send(new GetConsoleOutputCommand({ InstanceId: h.instanceId }));
          }
        }),
      );
      out.push(res === undefined ? h : { ...h, bootstrap: bootstrapLines(decodeConsoleOutput(res.Output)) });
    }
    return out;
  }

  /** Recent scaling activities of the environment's Auto Scaling group, newest first. */
  async activities(ce: ComputeEnvironmentDetail): Promise<Activity[] | undefined> {
    const prefix = `AWSBatch-${ce.computeEnvironmentName}-asg`;
    return this.attempt(`why no host started for ${ce.computeEnvironmentName}`, async () => {
      const groups: string[] = [];
      let NextToken: string | undefined;
      do {
        const page = await this.call("autoscaling:DescribeAutoScalingGroups", () =>
          this.ctx.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ NextToken })),
        );
        for (const g of page.AutoScalingGroups ?? []) {
          if (g.AutoScalingGroupName?.startsWith(prefix)) groups.push(g.AutoScalingGroupName);
        }
        NextToken = page.NextToken;
      } while (NextToken !== undefined);
      const out: Activity[] = [];
      for (const g of groups) {
        const res = await this.call("autoscaling:DescribeScalingActivities", () =>
          this.ctx.clients.autoscaling.send(
            new DescribeScalingActivitiesCommand({ AutoScalingGroupName: g, MaxRecords: 20 }),
          ),
        );
        out.push(...(res.Activities ?? []));
      }
      return out.sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
    });
  }

  /** Everything the waiting-job rules read about one environment, fetched now. */
  async view(
    ce: ComputeEnvironmentDetail,
    opts: { shapes?: InstanceShape[] } = {},
  ): Promise<EnvironmentView> {
    const hosts = await this.withConsole(await this.hosts(ce));
    const desired = ce.computeResources?.desiredvCpus ?? 0;
    const anyUp = (hosts ?? []).some((h) => h.state === "running" || h.state === "pending");
    const activities = desired > 0 && !anyUp ? await this.activities(ce) : undefined;
    return { detail: ce, shapes: opts.shapes, hosts, activities };
  }

  // -------------------------------------------------------------------------------------------
  // Launch template, network, roles.

  async launchTemplateVersions(lt: {
    launchTemplateId?: string;
    launchTemplateName?: string;
    version?: string;
  }): Promise<LaunchTemplateVersion[] | undefined> {
    const versions = ["$Latest", ...(lt.version && !lt.version.startsWith("$") ? [lt.version] : [])];
    try {
      const res = await this.call("ec2:DescribeLaunchTemplateVersions", () =>
        this.ctx.clients.ec2.send(
          new DescribeLaunchTemplateVersionsCommand({
            ...(lt.launchTemplateId
              ? { LaunchTemplateId: lt.launchTemplateId }
              : { LaunchTemplateName: lt.launchTemplateName }),
            Versions: versions,
          }),
        ),
      );
      return res.LaunchTemplateVersions ?? [];
    } catch (e) {
      // A missing template, or a pinned version that is gone, is a finding, not a crash.
      if (/NotFound|InvalidLaunchTemplate/.test(errCode(e))) {
        if (/Version/i.test(errCode(e)) && versions.length > 1) {
          return this.launchTemplateVersions({ ...lt, version: "$Latest" });
        }
        return undefined;
      }
      throw e;
    }
  }

  async subnets(ids: readonly string[]): Promise<Subnet[]> {
    const res = await this.call("ec2:DescribeSubnets", () =>
      this.ctx.clients.ec2.send(
        new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...ids] }] }),
      ),
    );
    return res.Subnets ?? [];
  }

  /** The route table a subnet uses: its explicit association, else the VPC's main table. */
  async routeTable(subnetId: string, vpcId: string): Promise<RouteTable | undefined> {
    const explicit = await this.call("ec2:DescribeRouteTables", () =>
      this.ctx.clients.ec2.send(
        new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnetId] }] }),
      ),
    );
    if (explicit.RouteTables?.[0]) return explicit.RouteTables[0];
    const main = await this.call("ec2:DescribeRouteTables", () =>
      this.ctx.clients.ec2.send(
        new DescribeRouteTablesCommand({
          Filters: [
            { Name: "vpc-id", Values: [vpcId] },
            { Name: "association.main", Values: ["true"] },
          ],
        }),
      ),
    );
    return main.RouteTables?.[0];
  }

  async vpcEndpoints(ids: readonly string[]): Promise<VpcEndpoint[]> {
    if (ids.length === 0) return [];
    const res = await this.call("ec2:DescribeVpcEndpoints", () =>
      this.ctx.clients.ec2.send(
        new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-endpoint-id", Values: [...ids] }] }),
      ),
    );
    return res.VpcEndpoints ?? [];
  }

  async instanceProfile(arn: string): Promise<InstanceProfile | undefined> {
    try {
      const res = await this.call("iam:GetInstanceProfile", () =>
        this.ctx.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: nameFromArn(arn) })),
      );
      return res.InstanceProfile;
    } catch (e) {
      if (errName(e) === "NoSuchEntityException" || errCode(e) === "NoSuchEntity") return undefined;
      throw e;
    }
  }

  async attachedPolicies(roleName: string): Promise<AttachedPolicy[]> {
    const res = await this.call("iam:ListAttachedRolePolicies", () =>
      this.ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
    );
    return res.AttachedPolicies ?? [];
  }

  async role(arn: string): Promise<Role | undefined> {
    try {
      const res = await this.call("iam:GetRole", () =>
        this.ctx.clients.iam.send(new GetRoleCommand({ RoleName: nameFromArn(arn) })),
      );
      return res.Role;
    } catch (e) {
      if (errName(e) === "NoSuchEntityException" || errCode(e) === "NoSuchEntity") return undefined;
      throw e;
    }
  }
}

/** The finding for an action the caller may not perform. */
export function deniedFinding(
  action: string,
  what: string,
  awsMessage: string,
  ctx: Pick<GatherContext, "callerArn" | "launcherPolicyArn">,
): Finding {
  const p = permissionOf(action);
  const evidence = [awsMessage];
  if (p === undefined || p.grantedBy === "launcher") {
    return error(
      "permission-denied",
      action,
      `${ctx.callerArn} may not call ${action}${p ? ` (${p.why})` : ""}. The stack's launcher policy grants it because Nextflow needs it: Nextflow run as this identity would fail too.`,
      `attach the launcher policy ${ctx.launcherPolicyArn} to this user, group or role (or run with the profile you deploy with)`,
      evidence,
    );
  }
  return warning(
    "permission-denied",
    action,
    `not checked: ${what}. ${ctx.callerArn} may not call ${action}, which the doctor needs beyond the launcher policy (${p.why}).`,
    `run the doctor with the profile you deploy with, or grant ${action} (README: "verify your deployment" lists every permission)`,
    evidence,
  );
}
