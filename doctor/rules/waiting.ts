/**
 * Why jobs wait in RUNNABLE, and whether a compute environment's hosts are healthy, in plain
 * words, from the data AWS gives. Pure functions over AWS API response shapes.
 *
 * Sources, most specific first:
 * - the job's `statusReason`, which Batch sets on the job blocking the head of a queue
 *   (Batch user guide, "Jobs stuck in a RUNNABLE status"): `CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY`,
 *   `MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE`, `MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT`,
 *   `MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS`, `ACTION_REQUIRED - CE(s) associated with the job
 *   queue are invalid.`;
 * - the compute environment: status, `desiredvCpus` against `maxvCpus`, its instance types
 *   (EC2 DescribeInstanceTypes gives their vCPUs and memory);
 * - its hosts: EC2 instances Batch launched, and which of them registered with the ECS cluster;
 * - the Auto Scaling group's scaling activities, where EC2 says why it launched nothing.
 */
import type { Activity } from "@aws-sdk/client-auto-scaling";
import type { ComputeEnvironmentDetail, JobDetail } from "@aws-sdk/client-batch";
import { error, warning, type Finding } from "../findings";
import { renderBootstrapLine, type BootstrapLine } from "./bootstrap";
import { nameFromArn } from "./result";

/** A host gets this long to boot, run the bootstrap and register with ECS before it counts as stuck. */
export const REGISTER_GRACE_MINUTES = 10;

/** What a job asks for. */
export interface JobRequest {
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly gpus: number;
}

/** vCPUs, memory and GPUs from `resourceRequirements`, else the deprecated `vcpus`/`memory` fields. */
export function jobRequest(job: JobDetail): JobRequest {
  const c = job.container;
  const req = (type: string) => {
    const v = c?.resourceRequirements?.find((r) => r.type === type)?.value;
    return v === undefined ? undefined : Number(v);
  };
  return {
    vcpus: req("VCPU") ?? c?.vcpus ?? 1,
    memoryMiB: req("MEMORY") ?? c?.memory ?? 0,
    gpus: req("GPU") ?? 0,
  };
}

/** One instance type the compute environment may launch. */
export interface InstanceShape {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
}

/** A host Batch launched for a compute environment. */
export interface Host {
  readonly instanceId: string;
  readonly instanceType?: string;
  readonly state?: string;
  readonly launchTime?: Date;
  /** Whether it is a registered container instance of the environment's ECS cluster; undefined when unknown (no permission to list them). */
  readonly registered: boolean | undefined;
  /** Its bootstrap lines from the console output, when fetched. */
  readonly bootstrap?: readonly BootstrapLine[];
}

/** Everything known about one compute environment; fields are undefined when not fetched (e.g. no permission). */
export interface EnvironmentView {
  readonly detail: ComputeEnvironmentDetail;
  readonly shapes?: readonly InstanceShape[];
  readonly hosts?: readonly Host[];
  /** Recent scaling activities of its Auto Scaling group, newest first. */
  readonly activities?: readonly Activity[];
}

// ---------------------------------------------------------------------------------------------
// Batch's own reason.

export type BlockedCode =
  | "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY"
  | "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE"
  | "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT"
  | "MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS"
  | "ACTION_REQUIRED";

const BLOCKED_CODES: readonly BlockedCode[] = [
  "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
  "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
  "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
  "MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS",
  "ACTION_REQUIRED",
];

/** The blocked-queue code at the start of a RUNNABLE job's statusReason, if any. */
export function blockedCode(statusReason: string | undefined): BlockedCode | undefined {
  if (!statusReason) return undefined;
  return BLOCKED_CODES.find((c) => statusReason.startsWith(c));
}

// ---------------------------------------------------------------------------------------------
// Scaling activities: EC2's own words for why no host started.

export type LaunchFailure = "quota" | "capacity" | "price" | "config" | "other";

/** What kind of failure a failed scaling activity's StatusMessage describes. */
export function launchFailureKind(message: string): LaunchFailure {
  if (
    /VcpuLimitExceeded|vCPU (capacity|limit)|MaxSpotInstanceCountExceeded|InstanceLimitExceeded|limit of \d+ allows/i.test(
      message,
    )
  ) {
    return "quota";
  }
  if (
    /InsufficientInstanceCapacity|no Spot capacity|UnfulfillableCapacity|capacity-not-available|insufficient capacity/i.test(
      message,
    )
  ) {
    return "capacity";
  }
  if (/SpotMaxPriceTooLow|max(imum)? (spot )?price|bid price/i.test(message)) return "price";
  if (/not authorized|Invalid|does not exist|not found|Unsupported/i.test(message)) return "config";
  return "other";
}

/** Failed or cancelled launch attempts, newest first. */
export function failedLaunches(activities: readonly Activity[] | undefined): Activity[] {
  return (activities ?? []).filter((a) => a.StatusCode === "Failed" || a.StatusCode === "Cancelled");
}

const activityLine = (a: Activity) =>
  `${a.StartTime instanceof Date ? a.StartTime.toISOString() : (a.StartTime ?? "")} ${a.StatusCode}: ${a.StatusMessage ?? a.Description ?? ""}`.trim();

// ---------------------------------------------------------------------------------------------
// Hosts.

const minutesSince = (t: Date | undefined, now: Date) =>
  t === undefined ? 0 : Math.floor((now.getTime() - t.getTime()) / 60000);

/** Running hosts older than the grace period that never registered with ECS. */
export function stuckHosts(hosts: readonly Host[] | undefined, now: Date): Host[] {
  return (hosts ?? []).filter(
    (h) =>
      h.state === "running" &&
      h.registered === false &&
      minutesSince(h.launchTime, now) >= REGISTER_GRACE_MINUTES,
  );
}

/** Host findings for one compute environment, whether or not jobs wait. */
export function hostFindings(view: EnvironmentView, now: Date): Finding[] {
  const name = view.detail.computeEnvironmentName ?? nameFromArn(view.detail.computeEnvironmentArn ?? "?");
  const stuck = stuckHosts(view.hosts, now);
  if (stuck.length === 0) return [];
  const evidence = stuck.flatMap((h) => [
    `${h.instanceId} (${h.instanceType ?? "?"}, up ${minutesSince(h.launchTime, now)} min):`,
    ...(h.bootstrap === undefined
      ? ["  (console output not fetched)"]
      : h.bootstrap.length === 0
        ? [
            "  no nextflow-batch-bootstrap lines in the console output (the bootstrap never ran, or the console has not caught up)",
          ]
        : h.bootstrap.map((l) => `  ${renderBootstrapLine(l)}`)),
  ]);
  const errorLine = stuck.flatMap((h) => h.bootstrap ?? []).find((l) => l.isError);
  return [
    error(
      "hosts-not-registered",
      `compute environment ${name}`,
      `${stuck.length} host${stuck.length === 1 ? "" : "s"} started over ${REGISTER_GRACE_MINUTES} minutes ago but never joined the ECS cluster, so no job can run on ${stuck.length === 1 ? "it" : "them"}, and you pay for ${stuck.length === 1 ? "it" : "them"} all the same.${errorLine ? ` The bootstrap failed: ${errorLine.message}` : ""}`,
      "usually no route to the internet (NAT) from the subnets, or the instance role lacks the ECS policy: see the network and role checks above and the bootstrap lines below. Once fixed, terminate the stuck hosts; Batch starts new ones",
      evidence,
    ),
  ];
}

// ---------------------------------------------------------------------------------------------
// One RUNNABLE job.

export interface WaitingJob {
  readonly job: JobDetail;
  /** The queue's compute environments, in order. */
  readonly environments: readonly EnvironmentView[];
  readonly now: Date;
  /** Another job of the same queue that Batch reports blocked at the queue's head, if any. */
  readonly blockedHead?: JobDetail;
}

const largest = (shapes: readonly InstanceShape[]) => ({
  vcpus: Math.max(...shapes.map((s) => s.vcpus)),
  memoryMiB: Math.max(...shapes.map((s) => s.memoryMiB)),
  biggest: [...shapes].sort((a, b) => b.vcpus - a.vcpus || b.memoryMiB - a.memoryMiB)[0],
});

/** The one most specific explanation for a job in RUNNABLE. */
export function explainRunnable(w: WaitingJob): Finding {
  const { job, environments, now } = w;
  const subject = `job ${job.jobName ?? "?"} (${job.jobId ?? "?"})`;
  const waited = `RUNNABLE for ${minutesSince(job.createdAt === undefined ? undefined : new Date(job.createdAt), now)} min`;
  const need = jobRequest(job);
  const asks = `${need.vcpus} vCPU${need.vcpus === 1 ? "" : "s"} and ${need.memoryMiB} MiB${need.gpus ? ` and ${need.gpus} GPU` : ""}`;
  const reason = job.statusReason;
  const code = blockedCode(reason);
  const ceNames = environments.map((e) => e.detail.computeEnvironmentName ?? "?").join(", ");
  const evidence = reason ? [`statusReason: ${reason}`] : [];

  // 1. Environments that cannot run anything.
  const usable = environments.filter((e) => e.detail.status === "VALID" && e.detail.state === "ENABLED");
  if (environments.length > 0 && usable.length === 0) {
    const e = environments[0].detail;
    return error(
      "ce-invalid",
      subject,
      `${waited}: its queue's compute environment ${e.computeEnvironmentName} is ${e.status === "VALID" ? e.state : e.status}${e.statusReason ? ` (${e.statusReason})` : ""}, so Batch starts no hosts for it.`,
      "fix the compute environment (see its finding above); the job then starts by itself",
      evidence,
    );
  }

  // 2. The job asks for more than any allowed instance has.
  const withShapes = usable.filter((e) => e.shapes !== undefined && e.shapes.length > 0);
  if (withShapes.length > 0 && withShapes.length === usable.length) {
    const fits = withShapes.some((e) => {
      const l = largest(e.shapes!);
      return need.vcpus <= l.vcpus && need.memoryMiB < l.memoryMiB;
    });
    if (!fits) {
      const l = largest(withShapes.flatMap((e) => e.shapes!));
      return error(
        "job-too-big",
        subject,
        `${waited}: it asks for ${asks}, but the largest instance its compute environments may launch (${l.biggest.instanceType}) has ${l.vcpus} vCPUs and ${l.memoryMiB} MiB, so it can never start. ECS keeps some of each host's memory for itself, so a job must ask for less than the instance's total.`,
        `lower the process's cpus/memory (e.g. memory ${Math.floor((l.memoryMiB * 0.9) / 1024)} GB at most), or allow bigger instance types (nextflow-batch:instanceTypes) and pulumi up`,
        evidence,
      );
    }
  } else if (code === "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT") {
    return error(
      "job-too-big",
      subject,
      `${waited}: it asks for ${asks}, more than any instance type of ${ceNames} has (AWS Batch says so), so it can never start.`,
      "lower the process's cpus/memory, or allow bigger instance types (nextflow-batch:instanceTypes) and pulumi up",
      evidence,
    );
  }

  // 3. More vCPUs than the environment may ever run.
  const maxOf = (e: EnvironmentView) => e.detail.computeResources?.maxvCpus ?? Infinity;
  if (usable.length > 0 && usable.every((e) => need.vcpus > maxOf(e))) {
    return error(
      "job-over-max-vcpus",
      subject,
      `${waited}: it asks for ${need.vcpus} vCPUs, more than its compute environment may ever run (maxVcpus ${Math.max(...usable.map(maxOf))}), so it can never start.`,
      "lower the process's cpus, or raise nextflow-batch:maxVcpus (onDemandMaxVcpus for the on-demand queue) and pulumi up",
      evidence,
    );
  }
  if (code === "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE") {
    return error(
      "job-over-max-vcpus",
      subject,
      `${waited}: it asks for more vCPUs than ${ceNames} may ever run (AWS Batch says so), so it can never start.`,
      "lower the process's cpus, or raise nextflow-batch:maxVcpus and pulumi up",
      evidence,
    );
  }
  if (code === "MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS") {
    return error(
      "job-blocked",
      subject,
      `${waited}: AWS Batch's service role lacks permissions it needs to launch hosts for ${ceNames}.`,
      "the stack uses the service-linked role AWSServiceRoleForBatch: an admin checks it exists and is unmodified (aws iam get-role --role-name AWSServiceRoleForBatch)",
      evidence,
    );
  }
  if (code === "ACTION_REQUIRED") {
    return error(
      "ce-invalid",
      subject,
      `${waited}: AWS Batch says the queue's compute environments are invalid.`,
      "fix the compute environment (see its finding above)",
      evidence,
    );
  }

  // 4. Hosts that started but never joined the cluster.
  const stuck = usable.flatMap((e) => stuckHosts(e.hosts, now));
  if (stuck.length > 0) {
    const firstError = stuck.flatMap((h) => h.bootstrap ?? []).find((l) => l.isError);
    return error(
      "hosts-not-registered",
      subject,
      `${waited}: Batch started ${stuck.length} host${stuck.length === 1 ? "" : "s"} (${stuck.map((h) => h.instanceId).join(", ")}) for it, but ${stuck.length === 1 ? "it" : "they"} never joined the ECS cluster, so the job has nowhere to run.${firstError ? ` The bootstrap failed: ${firstError.message}` : ""}`,
      "see the hosts-not-registered finding of the compute environment for the bootstrap lines; usually a missing NAT route or the instance role",
      [
        ...evidence,
        ...stuck.flatMap((h) => (h.bootstrap ?? []).map((l) => `${h.instanceId}: ${renderBootstrapLine(l)}`)),
      ],
    );
  }

  // 5. Batch wants hosts, but EC2 launched none.
  const starved = usable.filter(
    (e) =>
      (e.detail.computeResources?.desiredvCpus ?? 0) > 0 &&
      e.hosts !== undefined &&
      !e.hosts.some((h) => h.state === "running" || h.state === "pending"),
  );
  const failures = usable.flatMap((e) => failedLaunches(e.activities));
  if (starved.length > 0 || code === "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY") {
    const kinds = new Set(failures.map((a) => launchFailureKind(a.StatusMessage ?? "")));
    const lines = [...evidence, ...failures.slice(0, 3).map(activityLine)];
    if (kinds.has("quota")) {
      return error(
        "no-hosts-launched",
        subject,
        `${waited}: Batch asked EC2 for hosts, but EC2 refused: the account's vCPU quota for these instances is used up.`,
        'ask AWS for a higher quota (Service Quotas: EC2 "All Standard (A, C, D, H, I, M, R, T, Z) Spot Instance Requests" or "Running On-Demand Standard instances"), or lower nextflow-batch:maxVcpus',
        lines,
      );
    }
    if (kinds.has("price")) {
      return warning(
        "no-hosts-launched",
        subject,
        `${waited}: Batch asked EC2 for spot hosts, but the spot price is above what the stack pays (spotBidPercentage).`,
        "wait, raise nextflow-batch:spotBidPercentage, or send urgent work to the on-demand queue (label 'ondemand')",
        lines,
      );
    }
    if (kinds.has("config")) {
      return error(
        "no-hosts-launched",
        subject,
        `${waited}: Batch asked EC2 for hosts, but the launch failed on a configuration problem (see EC2's message below).`,
        "fix what EC2 names (launch template, instance profile, subnets), then pulumi up",
        lines,
      );
    }
    return warning(
      "no-hosts-launched",
      subject,
      `${waited}: Batch asked EC2 for ${starved.map((e) => `${e.detail.computeResources?.desiredvCpus} vCPUs in ${e.detail.computeEnvironmentName}`).join(", ") || "hosts"}, but no host has started. Usually there is no spot capacity for these instance types right now${kinds.has("capacity") ? " (EC2 says so below)" : ""}, or the account's vCPU quota is too low.`,
      "wait (spot capacity comes back), allow more instance types or availability zones, check the EC2 vCPU quotas in Service Quotas, or use the on-demand queue (label 'ondemand')",
      lines,
    );
  }

  // 6. The environment is full.
  const full = usable.filter((e) => {
    const c = e.detail.computeResources;
    return c !== undefined && (c.desiredvCpus ?? 0) + need.vcpus > (c.maxvCpus ?? Infinity);
  });
  if (full.length > 0 && full.length === usable.length) {
    return warning(
      "ce-at-max-vcpus",
      subject,
      `${waited}: its compute environment ${full.map((e) => e.detail.computeEnvironmentName).join(", ")} already runs at its maxVcpus (${full.map((e) => `${e.detail.computeResources?.desiredvCpus}/${e.detail.computeResources?.maxvCpus}`).join(", ")}), so the job waits for others to finish.`,
      "nothing is broken; to run more at once, raise nextflow-batch:maxVcpus (and the EC2 vCPU quota) and pulumi up",
      evidence,
    );
  }

  // 7. Behind another job.
  if (w.blockedHead && w.blockedHead.jobId !== job.jobId) {
    return warning(
      "job-waiting",
      subject,
      `${waited}: it waits behind job ${w.blockedHead.jobName} (${w.blockedHead.jobId}), which blocks the head of the queue: ${w.blockedHead.statusReason}.`,
      "fix or cancel the blocking job; the queue cancels misconfigured jobs by itself after runnableTimeoutMinutes",
      evidence,
    );
  }

  return warning(
    "job-waiting",
    subject,
    `${waited}, asking for ${asks}; AWS gives no reason and the compute environment has room. Batch may be starting a host for it right now (a cold start takes 3 to 8 minutes).`,
    "run the doctor again in a few minutes; if it still waits, run with --smoke to watch a job from submission to finish",
    evidence,
  );
}
