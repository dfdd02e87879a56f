/**
 * State checks for the stack's Batch side: are its queues, compute environments and launch
 * template what the stack made? Pure functions over AWS API response shapes; the AWS calls that
 * fetch them are in doctor/lookups/ (batch.ts, launchTemplate.ts). The network, roles and
 * nextflow.config checks are in network.ts, roles.ts and nextflowConfig.ts beside this file.
 */
import type { ComputeEnvironmentDetail, JobQueueDetail } from "@aws-sdk/client-batch";
import type { LaunchTemplateVersion } from "@aws-sdk/client-ec2";
import { error, warning, type Finding } from "../findings";
import type { StackQueue } from "../outputs";
import { nameFromArn, result, type RuleResult } from "./result";

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
