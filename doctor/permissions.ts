/**
 * Every AWS action `npm run doctor` calls, why, and who grants it. Pure data.
 *
 * One table, so that (a) the IAM simulation tests can prove which principal allows each
 * action (the launcher policy in components/access.ts, or an admin/deploy principal for the
 * extras), (b) every AWS call in the doctor names its action through the {@link DoctorAction}
 * type derived from it (a call the table does not list does not compile), and (c) an
 * AccessDenied is reported with the action and the reason the doctor needed it.
 *
 * `grantedBy`:
 * - `"launcher"`: the stack's launcher policy allows it, because Nextflow itself needs it. A
 *   denial here is a real problem: Nextflow run with the same identity would fail too.
 * - `"extra"`: the doctor needs it beyond the launcher policy. Run the doctor with the profile
 *   you deploy with (it has these), or attach the launcher policy plus these actions.
 * - `"anyone"`: AWS needs no permission for it.
 */

export type GrantedBy = "launcher" | "extra" | "anyone";
/** When the doctor calls it: every run, or only with `--smoke`. */
export type UsedBy = "check" | "smoke";

export interface DoctorPermission {
  /** The IAM action, `service:Action`. */
  readonly action: string;
  readonly grantedBy: GrantedBy;
  readonly usedBy: UsedBy;
  /** Why the doctor calls it, in words for the person granting it. */
  readonly why: string;
  /**
   * Set when the doctor never calls the action itself: AWS authorizes it as part of this
   * other call (PassRole when a job definition names a role, TagResource when a call tags).
   */
  readonly checkedDuring?: string;
}

export const DOCTOR_PERMISSIONS = [
  // --- Who am I, where is the stack.
  {
    action: "sts:GetCallerIdentity",
    grantedBy: "anyone",
    usedBy: "check",
    why: "checks that the credentials work and belong to the stack's account",
  },
  // --- Launcher policy: what Nextflow itself calls.
  {
    action: "batch:DescribeJobQueues",
    grantedBy: "launcher",
    usedBy: "check",
    why: "reads the queues' state and which compute environments they feed",
  },
  {
    action: "batch:DescribeComputeEnvironments",
    grantedBy: "launcher",
    usedBy: "check",
    why: "reads each compute environment's status, subnets, roles, instance types and vCPU limits",
  },
  {
    action: "batch:ListJobs",
    grantedBy: "launcher",
    usedBy: "check",
    why: "finds jobs waiting in RUNNABLE",
  },
  {
    action: "batch:DescribeJobs",
    grantedBy: "launcher",
    usedBy: "check",
    why: "reads what a waiting or smoke job asks for, and its state transitions",
  },
  {
    action: "ec2:DescribeInstanceTypes",
    grantedBy: "launcher",
    usedBy: "check",
    why: "compares a job's vCPUs and memory with the largest instance it may run on",
  },
  {
    action: "ec2:DescribeInstances",
    grantedBy: "launcher",
    usedBy: "check",
    why: "finds the hosts Batch launched for a compute environment",
  },
  {
    action: "ecs:DescribeContainerInstances",
    grantedBy: "launcher",
    usedBy: "check",
    why: "tells which hosts joined the compute environment's ECS cluster",
  },
  {
    action: "batch:RegisterJobDefinition",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "registers the smoke job's definition (named nf-..., as Nextflow does)",
  },
  {
    action: "batch:TagResource",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "tags the smoke job definition and jobs with the doctor's run id (tag-on-create needs it)",
    checkedDuring: "batch:RegisterJobDefinition",
  },
  {
    action: "iam:PassRole",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "hands the stack's job role to the smoke job, as Nextflow's aws.batch.jobRole does",
    checkedDuring: "batch:RegisterJobDefinition",
  },
  {
    action: "batch:SubmitJob",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "submits one small job to each queue",
  },
  {
    action: "batch:TerminateJob",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "stops a smoke job that did not finish in time",
  },
  {
    action: "logs:GetLogEvents",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "shows what a failed smoke job printed",
  },
  {
    action: "s3:GetObject",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "reads the report the smoke job wrote under the work prefix",
  },
  {
    action: "s3:ListBucket",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "finds every object the smoke job wrote, for cleanup",
  },
  {
    action: "s3:DeleteObject",
    grantedBy: "launcher",
    usedBy: "smoke",
    why: "deletes the smoke job's objects",
  },
  // --- Extras: beyond the launcher policy.
  {
    action: "batch:DeregisterJobDefinition",
    grantedBy: "extra",
    usedBy: "smoke",
    why: "removes the smoke job definition afterwards (Nextflow never deregisters, so the launcher policy does not allow it)",
  },
  {
    action: "ecs:ListContainerInstances",
    grantedBy: "extra",
    usedBy: "check",
    why: "lists the hosts registered in a compute environment's ECS cluster, to find hosts that never joined",
  },
  {
    action: "ec2:GetConsoleOutput",
    grantedBy: "extra",
    usedBy: "check",
    why: "shows the bootstrap log lines of a host that never joined its cluster",
  },
  {
    action: "ec2:DescribeSubnets",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks that the compute environments' subnets exist and are in the stack's VPC",
  },
  {
    action: "ec2:DescribeRouteTables",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks each subnet's route to the internet (NAT) and to the S3 endpoint",
  },
  {
    action: "ec2:DescribeVpcEndpoints",
    grantedBy: "extra",
    usedBy: "check",
    why: "confirms the endpoint on a subnet's route table is the S3 gateway endpoint",
  },
  {
    action: "ec2:DescribeLaunchTemplateVersions",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks the launch template version the compute environments use exists and is the latest",
  },
  {
    action: "iam:GetInstanceProfile",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks the hosts' instance profile and its role as the stack made them",
  },
  {
    action: "iam:ListAttachedRolePolicies",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks the host role still has the ECS container-instance policy",
  },
  {
    action: "iam:GetRole",
    grantedBy: "extra",
    usedBy: "check",
    why: "checks the job role exists and trusts ECS tasks",
  },
  {
    action: "autoscaling:DescribeAutoScalingGroups",
    grantedBy: "extra",
    usedBy: "check",
    why: "finds the Auto Scaling group Batch launches a compute environment's hosts with",
  },
  {
    action: "autoscaling:DescribeScalingActivities",
    grantedBy: "extra",
    usedBy: "check",
    why: "shows why no host started (spot capacity, vCPU quota) in EC2's own words",
  },
] as const satisfies readonly DoctorPermission[];

/** An action the doctor calls; every AWS call names one. */
export type DoctorAction = (typeof DOCTOR_PERMISSIONS)[number]["action"];

const BY_ACTION: ReadonlyMap<string, DoctorPermission> = new Map(
  DOCTOR_PERMISSIONS.map((p) => [p.action, p]),
);

export function permissionOf(action: string): DoctorPermission | undefined {
  return BY_ACTION.get(action);
}

/** What the doctor needs beyond the launcher policy, in table order. */
export function extraPermissions(): DoctorPermission[] {
  return DOCTOR_PERMISSIONS.filter((p) => p.grantedBy === "extra");
}

/** One line for the user: who can run the doctor. */
export function permissionsSummary(): string {
  return (
    "The doctor needs the launcher policy's permissions plus: " +
    extraPermissions()
      .map((p) => p.action)
      .join(", ") +
    ". Run it with the profile you deploy with, or attach the launcher policy plus these."
  );
}
