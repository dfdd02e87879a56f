/**
 * A compute environment's instance types and hosts for the {@link Gatherer}: the types' vCPUs
 * and memory (EC2), the hosts Batch launched and which joined the ECS cluster (EC2, ECS), the
 * Auto Scaling group's scaling activities, and everything the waiting-job rules read about one
 * environment together ({@link view}).
 */
import {
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
  type Activity,
} from "@aws-sdk/client-auto-scaling";
import type { ComputeEnvironmentDetail } from "@aws-sdk/client-batch";
import { DescribeInstancesCommand, DescribeInstanceTypesCommand } from "@aws-sdk/client-ec2";
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from "@aws-sdk/client-ecs";
import type { Gatherer } from "../gather";
import type { EnvironmentView, Host, InstanceShape } from "../rules/waiting";
import { withConsole } from "./consoleOutput";

/**
 * vCPUs and memory of every instance type `instanceTypes` allows (families like "m5" or
 * sizes like "m5.8xlarge"); undefined when they include a Batch keyword ("optimal",
 * "default_x86_64"), whose members AWS may change.
 */
export async function shapes(
  g: Gatherer,
  instanceTypes: readonly string[] | undefined,
): Promise<InstanceShape[] | undefined> {
  if (!instanceTypes || instanceTypes.length === 0) return undefined;
  if (instanceTypes.some((t) => t === "optimal" || t.startsWith("default_"))) return undefined;
  const values = instanceTypes.map((t) => (t.includes(".") ? t : `${t}.*`));
  const out: InstanceShape[] = [];
  let NextToken: string | undefined;
  do {
    const page = await g.call("ec2:DescribeInstanceTypes", () =>
      g.ctx.clients.ec2.send(
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
export async function hosts(g: Gatherer, ce: ComputeEnvironmentDetail): Promise<Host[] | undefined> {
  const name = ce.computeEnvironmentName ?? "";
  const res = await g.attempt(`the hosts of compute environment ${name}`, () =>
    g.call("ec2:DescribeInstances", () =>
      g.ctx.clients.ec2.send(
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
  const registered = instances.length > 0 ? await registeredInstanceIds(g, ce) : new Set<string>();
  return instances.map((i) => ({
    instanceId: i.InstanceId ?? "?",
    instanceType: i.InstanceType,
    state: i.State?.Name,
    launchTime: i.LaunchTime,
    registered: registered === undefined ? undefined : registered.has(i.InstanceId ?? ""),
  }));
}

/** EC2 instance ids registered with the environment's ECS cluster; undefined when not allowed to list them. */
async function registeredInstanceIds(
  g: Gatherer,
  ce: ComputeEnvironmentDetail,
): Promise<Set<string> | undefined> {
  const cluster = ce.ecsClusterArn;
  if (!cluster) return new Set();
  return g.attempt(`which hosts joined the ECS cluster of ${ce.computeEnvironmentName}`, async () => {
    const arns: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await g.call("ecs:ListContainerInstances", () =>
        g.ctx.clients.ecs.send(new ListContainerInstancesCommand({ cluster, nextToken })),
      );
      arns.push(...(page.containerInstanceArns ?? []));
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    const ids = new Set<string>();
    for (let i = 0; i < arns.length; i += 100) {
      const res = await g.call("ecs:DescribeContainerInstances", () =>
        g.ctx.clients.ecs.send(
          new DescribeContainerInstancesCommand({ cluster, containerInstances: arns.slice(i, i + 100) }),
        ),
      );
      for (const c of res.containerInstances ?? []) if (c.ec2InstanceId) ids.add(c.ec2InstanceId);
    }
    return ids;
  });
}

/** Recent scaling activities of the environment's Auto Scaling group, newest first. */
export async function activities(g: Gatherer, ce: ComputeEnvironmentDetail): Promise<Activity[] | undefined> {
  const prefix = `AWSBatch-${ce.computeEnvironmentName}-asg`;
  return g.attempt(`why no host started for ${ce.computeEnvironmentName}`, async () => {
    const groups: string[] = [];
    let NextToken: string | undefined;
    do {
      const page = await g.call("autoscaling:DescribeAutoScalingGroups", () =>
        g.ctx.clients.autoscaling.send(new DescribeAutoScalingGroupsCommand({ NextToken })),
      );
      for (const group of page.AutoScalingGroups ?? []) {
        if (group.AutoScalingGroupName?.startsWith(prefix)) groups.push(group.AutoScalingGroupName);
      }
      NextToken = page.NextToken;
    } while (NextToken !== undefined);
    const out: Activity[] = [];
    for (const group of groups) {
      const res = await g.call("autoscaling:DescribeScalingActivities", () =>
        g.ctx.clients.autoscaling.send(
          new DescribeScalingActivitiesCommand({ AutoScalingGroupName: group, MaxRecords: 20 }),
        ),
      );
      out.push(...(res.Activities ?? []));
    }
    return out.sort((a, b) => (b.StartTime?.getTime() ?? 0) - (a.StartTime?.getTime() ?? 0));
  });
}

/** Everything the waiting-job rules read about one environment, fetched now. */
export async function view(
  g: Gatherer,
  ce: ComputeEnvironmentDetail,
  opts: { shapes?: InstanceShape[] } = {},
): Promise<EnvironmentView> {
  const found = await withConsole(g, await hosts(g, ce));
  const desired = ce.computeResources?.desiredvCpus ?? 0;
  const anyUp = (found ?? []).some((h) => h.state === "running" || h.state === "pending");
  const scaling = desired > 0 && !anyUp ? await activities(g, ce) : undefined;
  return { detail: ce, shapes: opts.shapes, hosts: found, activities: scaling };
}
