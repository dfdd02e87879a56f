/**
 * Role checks: does the hosts' instance profile hold a role EC2 may assume with the ECS policy
 * attached, and may ECS tasks assume the job role? Pure functions over IAM response shapes; the
 * AWS calls that fetch them are in doctor/lookups/iam.ts.
 */
import type { AttachedPolicy, InstanceProfile, Role } from "@aws-sdk/client-iam";
import { ECS_INSTANCE_POLICY_ARN_SUFFIX } from "../../components/access";
import { error, type Finding } from "../findings";
import { nameFromArn, result, type RuleResult } from "./result";

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
