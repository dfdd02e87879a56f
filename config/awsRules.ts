/**
 * AWS's and the provider's own rules for values the program sends, checked before any
 * resource exists: the mocks accept anything, AWS does not. Each rule cites where it is
 * written down. Pure; each check returns the sentence after "must be" (or undefined when the
 * value is fine), so callers can name the key and the fix.
 */

/**
 * Batch job queue names: terraform-provider-aws internal/service/batch/job_queue.go, the
 * `name` validator (`^[0-9A-Za-z]{1}[0-9A-Za-z_-]{0,127}$`), which @pulumi/aws wraps.
 */
export const JOB_QUEUE_NAME = /^[0-9A-Za-z][0-9A-Za-z_-]{0,127}$/;
export const JOB_QUEUE_NAME_RULE =
  "1 to 128 letters, digits, hyphens and underscores, starting with a letter or digit (AWS Batch job queue names)";

/**
 * CloudWatch Logs group names: 1-512 characters of `[\.\-_/#A-Za-z0-9]` (CreateLogGroup API
 * reference; terraform-provider-aws internal/service/logs/validate.go `validLogGroupName`).
 */
export const LOG_GROUP_NAME = /^[.\-_/#A-Za-z0-9]{1,512}$/;
export const LOG_GROUP_NAME_RULE =
  "1 to 512 characters of letters, digits and . - _ / # (CloudWatch log group names)";

/**
 * Tags, as the strictest service that gets them states them. IAM roles and policies get the
 * stack's tags too: IAM TagRole API reference, `Tag` data type: key 1-128 and value 0-256
 * characters of `[\p{L}\p{Z}\p{N}_.:/=+\-@]*`, at most 50 tags per resource, keys compared
 * case-insensitively ("you can't create keys ... that differ only in case"). EC2, Batch, S3
 * and Logs allow the same characters and 50 tags ("Tag restrictions", Batch user guide:
 * "Don't use aws:, AWS:, or any upper or lowercase combination of such as a prefix for either
 * keys or values").
 */
export const MAX_TAGS_PER_RESOURCE = 50;
const TAG_CHARS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/** Why a tag key cannot be sent, or undefined. */
export function tagKeyProblem(key: string): string | undefined {
  if (key.length < 1 || key.length > 128) return "1 to 128 characters long";
  if (!TAG_CHARS.test(key)) return "made of letters, digits, spaces and _ . : / = + - @ only";
  if (/^aws:/i.test(key)) return "free of the reserved aws: prefix";
  return undefined;
}

/** Why a tag value cannot be sent, or undefined. */
export function tagValueProblem(value: string): string | undefined {
  if (value.length > 256) return "at most 256 characters long";
  if (!TAG_CHARS.test(value)) return "made of letters, digits, spaces and _ . : / = + - @ only";
  if (/^aws:/i.test(value)) return "free of the reserved aws: prefix";
  return undefined;
}

/** The first pair of keys that differ only in case (IAM treats them as one key), or undefined. */
export function caseCollision(keys: readonly string[]): [string, string] | undefined {
  const seen = new Map<string, string>();
  for (const k of keys) {
    const other = seen.get(k.toLowerCase());
    if (other !== undefined) return [other, k];
    seen.set(k.toLowerCase(), k);
  }
  return undefined;
}

/**
 * S3 general purpose bucket names ("General purpose bucket naming rules", Amazon S3 user
 * guide): 3-63 characters of lowercase letters, digits, dots and hyphens; starting and ending
 * with a letter or digit; no two adjacent dots; not formatted as an IP address; not starting
 * with `xn--`, `sthree-` or `amzn-s3-demo-`; not ending with `-s3alias`, `--ol-s3`, `.mrap`,
 * `--x-s3` or `--table-s3`.
 */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return "3 to 63 characters long";
  if (!/^[a-z0-9.-]+$/.test(name)) return "made of lowercase letters, digits, dots and hyphens";
  if (!/^[a-z0-9]/.test(name) || !/[a-z0-9]$/.test(name)) return "started and ended with a letter or digit";
  if (name.includes("..")) return "free of two adjacent dots";
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(name)) return "not formatted as an IP address";
  const prefix = ["xn--", "sthree-", "amzn-s3-demo-"].find((p) => name.startsWith(p));
  if (prefix) return `free of the reserved prefix ${prefix}`;
  const suffix = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"].find((s) => name.endsWith(s));
  if (suffix) return `free of the reserved suffix ${suffix}`;
  return undefined;
}

/**
 * IAM role and managed-policy descriptions: at most 1000 characters of
 * `[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]` (IAM CreateRole / CreatePolicy API
 * reference, `Description`).
 */
export function iamDescriptionProblem(description: string): string | undefined {
  if (description.length > 1000) return "at most 1000 characters long";
  // eslint-disable-next-line no-control-regex
  if (!/^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/.test(description)) return "Latin-1 text";
  return undefined;
}

/**
 * The reasons a job queue's `jobStateTimeLimitActions` may act on: "Automatic remediation with
 * jobStateTimeLimitActions", AWS Batch user guide. MISCONFIGURATION:SERVICE_ROLE_PERMISSIONS,
 * ACTION_REQUIRED and UNDETERMINED "require manual investigation" and take no action.
 */
export const TIME_LIMIT_ACTION_REASONS = [
  "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY",
  "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
  "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
] as const;

/** `JobStateTimeLimitAction.maxTimeSeconds`: 600 to 86,400 (Batch API reference; the provider's validator). */
export const TIME_LIMIT_SECONDS = { min: 600, max: 86400 } as const;

/**
 * `updatePolicy.jobExecutionTimeoutMinutes`: 1 to 360 (terraform-provider-aws
 * internal/service/batch/compute_environment.go, `IntBetween(1, 360)`).
 */
export const JOB_EXECUTION_TIMEOUT_MINUTES = { min: 1, max: 360 } as const;
