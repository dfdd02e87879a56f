/**
 * State checks: are the stack's queues, compute environments, launch template, subnets and
 * roles what the stack made? Pure functions over AWS API response shapes; the AWS calls that
 * fetch them are in doctor/gather.ts.
 */
import type { ComputeEnvironmentDetail, JobQueueDetail } from "@aws-sdk/client-batch";
import type { LaunchTemplateVersion, RouteTable, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import type { AttachedPolicy, InstanceProfile, Role } from "@aws-sdk/client-iam";
import { ECS_INSTANCE_POLICY_ARN_SUFFIX } from "../../components/access";
import { error, warning, type Finding, type Passed } from "../findings";
import type { DoctorOutputs, NextflowSettings, StackQueue } from "../outputs";

export interface RuleResult {
  readonly findings: Finding[];
  readonly passed: Passed[];
}
const result = (findings: Finding[] = [], passed: Passed[] = []): RuleResult => ({ findings, passed });

/** The last path segment of an ARN: a compute environment's or queue's name. */
export const nameFromArn = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);

// ---------------------------------------------------------------------------------------------
// Queues and compute environments.

export function checkQueue(
  q: StackQueue,
  detail: JobQueueDetail | undefined,
  where: { region: string; stack: string },
): RuleResult {
  const subject = `queue ${q.name}`;
  if (detail === undefined) {
    return result([
      error(
        "queue-missing",
        subject,
        `the ${q.role === "spot" ? "spot" : "on-demand"} queue does not exist in ${where.region}: the stack was destroyed, or the outputs are from another deploy.`,
        `pulumi up --stack ${where.stack}; if you did not deploy to ${where.region}, set aws:region (or --region) to where you did`,
      ),
    ]);
  }
  const findings: Finding[] = [];
  if (detail.status !== "VALID") {
    findings.push(
      error(
        "queue-invalid",
        subject,
        `the queue is ${detail.status ?? "in no status"}${detail.statusReason ? `: ${detail.statusReason}` : ""}. Jobs submitted to it do not run.`,
        detail.status === "CREATING" || detail.status === "UPDATING"
          ? "wait a minute for AWS Batch to finish, then run the doctor again"
          : `fix what the reason names, then pulumi up --stack ${where.stack}`,
      ),
    );
  }
  if (detail.state !== "ENABLED") {
    findings.push(
      error(
        "queue-disabled",
        subject,
        "the queue is DISABLED: it accepts no new jobs, so every Nextflow task submission fails.",
        `pulumi up --stack ${where.stack} sets it back to ENABLED (or: aws batch update-job-queue --job-queue ${q.name} --state ENABLED)`,
      ),
    );
  }
  const ces = [...(detail.computeEnvironmentOrder ?? [])].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  if (ces.length === 0) {
    findings.push(
      error(
        "queue-not-wired",
        subject,
        "the queue has no compute environment: jobs in it wait in RUNNABLE forever.",
        `pulumi up --stack ${where.stack} wires it to its compute environment again`,
      ),
    );
  }
  const passed =
    findings.length === 0
      ? [
          {
            subject,
            detail: `VALID, ENABLED, priority ${detail.priority ?? "?"}, runs on ${ces.map((c) => nameFromArn(c.computeEnvironment ?? "?")).join(", ")}`,
          },
        ]
      : [];
  return result(findings, passed);
}

/** Where a CLIENT_ERROR on a compute environment usually comes from, for the fix. */
function ceFix(reason: string, stack: string): string {
  const r = reason.toLowerCase();
  if (/instance ?profile|iaminstanceprofile|instancerole/.test(r)) {
    return `the hosts' instance profile is missing or wrong; pulumi up --stack ${stack} recreates it (\`pulumi refresh\` first if it was deleted by hand)`;
  }
  if (/service.linked|servicerole|service role|awsserviceroleforbatch/.test(r)) {
    return "Batch's service-linked role AWSServiceRoleForBatch is missing or cannot be used: an admin runs `aws iam create-service-linked-role --aws-service-name batch.amazonaws.com`, then pulumi up";
  }
  if (/subnet/.test(r))
    return `a subnet the environment uses is gone or full; fix the subnets, then pulumi up --stack ${stack}`;
  if (/launch ?template/.test(r)) {
    return `the launch template or its version is gone; pulumi up --stack ${stack} recreates it (\`pulumi refresh\` first)`;
  }
  if (/security ?group/.test(r))
    return `the hosts' security group is gone; pulumi refresh, then pulumi up --stack ${stack}`;
  if (/ami|image/.test(r))
    return `the host image (AMI) cannot be used; pulumi up --stack ${stack} resolves the current ECS-optimized image`;
  return `fix what the reason names, then pulumi up --stack ${stack} (Batch validates the environment again on update)`;
}

export function checkComputeEnvironment(
  arn: string,
  detail: ComputeEnvironmentDetail | undefined,
  stack: string,
): RuleResult {
  const subject = `compute environment ${nameFromArn(arn)}`;
  if (detail === undefined) {
    return result([
      error(
        "ce-missing",
        subject,
        "a queue points at this compute environment, but it does not exist: its jobs wait in RUNNABLE forever.",
        `pulumi refresh --stack ${stack}, then pulumi up --stack ${stack}`,
      ),
    ]);
  }
  const findings: Finding[] = [];
  const reason = detail.statusReason ?? "";
  switch (detail.status) {
    case "VALID":
      break;
    case "INVALID":
      findings.push(
        error(
          "ce-invalid",
          subject,
          `the compute environment is INVALID, so Batch launches no hosts for it and its jobs stay RUNNABLE. AWS says: ${reason || "(no reason given)"}`,
          ceFix(reason, stack),
          reason ? [reason] : undefined,
        ),
      );
      break;
    case "CREATING":
    case "UPDATING":
    case "DELETING":
    case "DELETED":
    case undefined:
      findings.push(
        warning(
          "ce-updating",
          subject,
          `the compute environment is ${detail.status ?? "in no status"}${reason ? ` (${reason})` : ""}; Batch may not place jobs until it is VALID.`,
          "wait a few minutes, then run the doctor again",
        ),
      );
      break;
    default: {
      const never: never = detail.status;
      findings.push(
        warning("ce-updating", subject, `unknown compute environment status ${String(never)}`, "run again"),
      );
    }
  }
  if (detail.state === "DISABLED") {
    findings.push(
      error(
        "ce-disabled",
        subject,
        "the compute environment is DISABLED: Batch places no jobs on it and scales it to zero.",
        `pulumi up --stack ${stack} sets it back to ENABLED (or: aws batch update-compute-environment --compute-environment ${detail.computeEnvironmentName} --state ENABLED)`,
      ),
    );
  }
  const c = detail.computeResources;
  const passed =
    findings.length === 0 && c
      ? [
          {
            subject,
            detail: `VALID, ENABLED, ${c.type} ${c.allocationStrategy ?? ""}, ${c.instanceTypes?.join(", ") ?? "?"}, vCPUs ${c.desiredvCpus ?? 0} wanted of max ${c.maxvCpus}`,
          },
        ]
      : [];
  return result(findings, passed);
}

// ---------------------------------------------------------------------------------------------
// Launch template.

/**
 * The launch template version a compute environment uses. `versions` holds what
 * DescribeLaunchTemplateVersions returned for the template's `$Latest` and the pinned version;
 * undefined when the template does not exist.
 */
export function checkLaunchTemplate(
  ceName: string,
  lt: { launchTemplateId?: string; launchTemplateName?: string; version?: string } | undefined,
  versions: readonly LaunchTemplateVersion[] | undefined,
  stack: string,
): RuleResult {
  const subject = `compute environment ${ceName}`;
  if (!lt || (!lt.launchTemplateId && !lt.launchTemplateName)) {
    return result([
      error(
        "launch-template-missing",
        subject,
        "the compute environment has no launch template, so its hosts boot without the stack's bootstrap (no AWS CLI for Nextflow, default disk).",
        `pulumi up --stack ${stack}`,
      ),
    ]);
  }
  const id = lt.launchTemplateId ?? lt.launchTemplateName!;
  if (versions === undefined || versions.length === 0) {
    return result([
      error(
        "launch-template-missing",
        subject,
        `its launch template ${id} does not exist: Batch cannot launch hosts (the environment turns INVALID on the next scale-up).`,
        `pulumi refresh --stack ${stack}, then pulumi up --stack ${stack}`,
      ),
    ]);
  }
  const pinned = lt.version ?? "$Default";
  const latest = Math.max(...versions.map((v) => v.VersionNumber ?? 0));
  const name = versions[0].LaunchTemplateName ?? id;
  if (pinned === "$Latest" || pinned === "$Default") {
    return result(
      [],
      [{ subject, detail: `launch template ${name} ${pinned} (version ${latest} is the latest)` }],
    );
  }
  const n = Number(pinned);
  if (!versions.some((v) => v.VersionNumber === n)) {
    return result([
      error(
        "launch-template-version-missing",
        subject,
        `it uses version ${pinned} of launch template ${name}, which no longer exists: new hosts cannot launch.`,
        `pulumi up --stack ${stack} points it at the current version`,
      ),
    ]);
  }
  if (n < latest) {
    return result([
      warning(
        "launch-template-outdated",
        subject,
        `it uses version ${n} of launch template ${name}, but the template's latest is ${latest}: a change (new AMI, bootstrap or disk settings) has not reached the hosts. Either an infrastructure update is still running or failed, or the template was changed outside Pulumi.`,
        `pulumi up --stack ${stack}; if the compute environment is UPDATING, wait for it to finish`,
      ),
    ]);
  }
  return result([], [{ subject, detail: `launch template ${name} version ${n} (the latest)` }]);
}

// ---------------------------------------------------------------------------------------------
// Network.

export function checkSubnets(
  ceName: string,
  subnetIds: readonly string[],
  found: readonly Subnet[],
  vpcId: string,
): RuleResult {
  const findings: Finding[] = [];
  for (const id of subnetIds) {
    const s = found.find((x) => x.SubnetId === id);
    if (!s) {
      findings.push(
        error(
          "subnet-missing",
          `subnet ${id}`,
          `compute environment ${ceName} launches hosts in subnet ${id}, which does not exist.`,
          "give the stack existing private subnets (nextflow-batch:subnetIds) and pulumi up",
        ),
      );
    } else if (s.VpcId !== vpcId) {
      findings.push(
        error(
          "subnet-wrong-vpc",
          `subnet ${id}`,
          `subnet ${id} is in ${s.VpcId}, not the stack's VPC ${vpcId}: the hosts' security group cannot be used there.`,
          `list subnets of ${vpcId} in nextflow-batch:subnetIds and pulumi up`,
        ),
      );
    }
  }
  return result(findings);
}

const S3_SERVICE = (region: string) => `com.amazonaws.${region}.s3`;

/**
 * A subnet's way out. `table` is its route table (explicitly associated, else the VPC's main
 * one); `endpoints` the VPC endpoints its routes name.
 */
export function checkRoutes(
  subnetId: string,
  table: RouteTable | undefined,
  /** Undefined when they could not be read: then any gateway-endpoint route counts. */
  endpoints: readonly VpcEndpoint[] | undefined,
  region: string,
): RuleResult {
  const subject = `subnet ${subnetId}`;
  if (!table) {
    return result([
      error(
        "no-internet-route",
        subject,
        "the subnet has no route table, so hosts in it reach nothing outside the VPC: they cannot pull images, reach ECS and Batch, or install the AWS CLI; jobs stay RUNNABLE.",
        "associate a route table with a 0.0.0.0/0 route to a NAT gateway",
      ),
    ]);
  }
  const rtb = table.RouteTableId ?? "?";
  const routes = table.Routes ?? [];
  const def = routes.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  if (!def) {
    findings.push(
      error(
        "no-internet-route",
        subject,
        `route table ${rtb} has no 0.0.0.0/0 route: hosts in this subnet cannot pull images, reach ECS and Batch, or install the AWS CLI, so they never join the cluster and jobs stay RUNNABLE.`,
        `add a 0.0.0.0/0 route to a NAT gateway in ${rtb} (a new-VPC stack: pulumi up restores it)`,
      ),
    );
  } else if (def.State === "blackhole") {
    const target = def.NatGatewayId ?? def.GatewayId ?? def.NetworkInterfaceId ?? def.TransitGatewayId ?? "?";
    findings.push(
      error(
        "internet-route-blackhole",
        subject,
        `route table ${rtb} sends 0.0.0.0/0 to ${target}, which is gone (the route is a blackhole): hosts cannot reach the internet, so they never join the cluster and jobs stay RUNNABLE.`,
        `point the route at a working NAT gateway (a new-VPC stack: pulumi refresh, then pulumi up)`,
      ),
    );
  } else {
    const via = def.NatGatewayId
      ? `NAT gateway ${def.NatGatewayId}`
      : def.GatewayId?.startsWith("igw-")
        ? `internet gateway ${def.GatewayId} (hosts need public IPs)`
        : (def.TransitGatewayId ?? def.NetworkInterfaceId ?? def.GatewayId ?? "?");
    passed.push({ subject, detail: `internet via ${via} (${rtb})` });
  }
  const s3 = routes.find(
    (r) =>
      r.DestinationPrefixListId !== undefined &&
      r.GatewayId?.startsWith("vpce-") &&
      r.State !== "blackhole" &&
      (endpoints === undefined ||
        endpoints.some((e) => e.VpcEndpointId === r.GatewayId && e.ServiceName === S3_SERVICE(region))),
  );
  if (s3) {
    passed.push({
      subject,
      detail: `S3 through gateway endpoint ${s3.GatewayId}${endpoints === undefined ? " (not verified as S3)" : ""}`,
    });
  } else {
    findings.push(
      warning(
        "no-s3-endpoint",
        subject,
        `route table ${rtb} has no route to an S3 gateway endpoint: task data to and from S3 goes through NAT, which bills every GB (it works, but costs more).`,
        `add an S3 gateway endpoint (${S3_SERVICE(region)}) on ${rtb} (a new-VPC stack: pulumi up restores it)`,
      ),
    );
  }
  return result(findings, passed);
}

// ---------------------------------------------------------------------------------------------
// Roles.

/** Principals.Service a role's trust policy allows (IAM returns the document URL-encoded). */
export function trustedServices(role: Role | undefined): string[] {
  const raw = role?.AssumeRolePolicyDocument;
  if (!raw) return [];
  let doc: { Statement?: unknown };
  try {
    doc = JSON.parse(/%7B|%22/i.test(raw) ? decodeURIComponent(raw) : raw);
  } catch {
    return [];
  }
  const statements = Array.isArray(doc.Statement) ? doc.Statement : doc.Statement ? [doc.Statement] : [];
  return statements.flatMap((s: { Effect?: string; Principal?: { Service?: string | string[] } }) =>
    s.Effect === "Allow" ? [s.Principal?.Service ?? []].flat() : [],
  );
}

export function checkInstanceRole(
  ceName: string,
  instanceRole: string | undefined,
  profile: InstanceProfile | undefined,
  attached: readonly AttachedPolicy[] | undefined,
  stack: string,
): RuleResult {
  const subject = `instance role of ${ceName}`;
  const fix = `pulumi up --stack ${stack} restores the instance profile, its role and the ECS policy`;
  if (!profile) {
    return result([
      error(
        "instance-role-wrong",
        subject,
        `the instance profile ${instanceRole ?? "(none)"} does not exist: Batch cannot launch hosts.`,
        fix,
      ),
    ]);
  }
  const role = profile.Roles?.[0];
  if (!role) {
    return result([
      error(
        "instance-role-wrong",
        subject,
        `instance profile ${profile.InstanceProfileName} has no role: hosts start without credentials and never join the ECS cluster.`,
        fix,
      ),
    ]);
  }
  const findings: Finding[] = [];
  if (!trustedServices(role).includes("ec2.amazonaws.com")) {
    findings.push(
      error(
        "instance-role-wrong",
        subject,
        `role ${role.RoleName} does not trust ec2.amazonaws.com: hosts get no credentials and never join the ECS cluster.`,
        fix,
      ),
    );
  }
  if (
    attached !== undefined &&
    !attached.some((p) => p.PolicyArn?.endsWith(ECS_INSTANCE_POLICY_ARN_SUFFIX))
  ) {
    findings.push(
      error(
        "instance-role-wrong",
        subject,
        `role ${role.RoleName} lacks the AmazonEC2ContainerServiceforEC2Role policy: hosts cannot register with ECS, so jobs stay RUNNABLE.`,
        fix,
      ),
    );
  }
  return result(
    findings,
    findings.length === 0
      ? [
          {
            subject,
            detail: `${profile.InstanceProfileName} → role ${role.RoleName}, trusted by EC2, ECS policy attached`,
          },
        ]
      : [],
  );
}

export function checkJobRole(jobRoleArn: string, role: Role | undefined, stack: string): RuleResult {
  const subject = `job role ${nameFromArn(jobRoleArn)}`;
  const fix = `pulumi up --stack ${stack} restores it`;
  if (!role) {
    return result([
      error(
        "job-role-wrong",
        subject,
        "the job role (aws.batch.jobRole) does not exist: every job fails to start, and Nextflow tasks cannot reach S3.",
        fix,
      ),
    ]);
  }
  if (!trustedServices(role).includes("ecs-tasks.amazonaws.com")) {
    return result([
      error(
        "job-role-wrong",
        subject,
        `role ${role.RoleName} does not trust ecs-tasks.amazonaws.com: task containers get no credentials, so \`aws s3\` in every Nextflow task fails (403 or "Unable to locate credentials").`,
        fix,
      ),
    ]);
  }
  return result([], [{ subject, detail: "exists, trusted by ECS tasks" }]);
}

// ---------------------------------------------------------------------------------------------
// The generated nextflow.config against the other outputs.

export function checkNextflowConfig(o: DoctorOutputs, s: NextflowSettings, region: string): RuleResult {
  const pairs: [string, string | undefined, string | undefined][] = [
    ["process.queue", s.queue, o.spotQueueName],
    ["withLabel:'ondemand' queue", s.onDemandQueue, o.onDemandQueueName],
    ["workDir", s.workDir, o.workDir],
    ["aws.region", s.region, region],
    ["aws.batch.jobRole", s.jobRole, o.jobRoleArn],
    ["aws.batch.logsGroup", s.logsGroup, o.logGroupName],
  ];
  const wrong = pairs.filter(([, got, want]) => got !== want);
  const findings: Finding[] = [];
  if (wrong.length > 0) {
    findings.push(
      warning(
        "config-mismatch",
        "output nextflowConfig",
        `the generated nextflow.config disagrees with the stack's other outputs: ${wrong.map(([k, got, want]) => `${k} is ${got === undefined ? "missing" : JSON.stringify(got)}, expected ${want === undefined ? "none" : JSON.stringify(want)}`).join("; ")}.`,
        "regenerate it: pulumi stack output nextflowConfig > nextflow.config (after pulumi up)",
      ),
    );
  }
  if (s.cliPath === undefined) {
    findings.push(
      warning(
        "config-mismatch",
        "output nextflowConfig",
        "the generated nextflow.config sets no aws.batch.cliPath: Nextflow would look for `aws` inside each task's image.",
        "pulumi up, then regenerate nextflow.config",
      ),
    );
  }
  return result(
    findings,
    findings.length === 0 ? [{ subject: "nextflowConfig", detail: "matches the stack's outputs" }] : [],
  );
}
