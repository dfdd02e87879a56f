/**
 * What the doctor reports. Pure types and constructors.
 *
 * - `error`: something that stops jobs from running, or that a person must fix; exit 1.
 * - `warning`: worth knowing, or a check the doctor could not make (a permission it lacks);
 *   exit code unaffected.
 */
export type Severity = "error" | "warning";

export interface Finding {
  /** Stable, kebab-case id a script can match on (README lists them). */
  readonly id: FindingId;
  readonly severity: Severity;
  /** The resource it is about: a queue, compute environment, subnet, instance, job. */
  readonly subject: string;
  /** What is wrong, in plain words. */
  readonly message: string;
  /** What to do about it. */
  readonly fix: string;
  /** Lines AWS gave that show it: status reasons, bootstrap log lines, scaling activities. */
  readonly evidence?: readonly string[];
}

/** Every finding id, so the README table and the code cannot drift apart. */
export const FINDING_IDS = [
  "queue-missing",
  "queue-invalid",
  "queue-disabled",
  "queue-not-wired",
  "ce-missing",
  "ce-invalid",
  "ce-disabled",
  "ce-updating",
  "launch-template-missing",
  "launch-template-version-missing",
  "launch-template-outdated",
  "subnet-missing",
  "subnet-wrong-vpc",
  "no-internet-route",
  "internet-route-blackhole",
  "no-s3-endpoint",
  "instance-role-wrong",
  "job-role-wrong",
  "config-mismatch",
  "job-too-big",
  "job-over-max-vcpus",
  "ce-at-max-vcpus",
  "hosts-not-registered",
  "no-hosts-launched",
  "job-blocked",
  "job-waiting",
  "smoke-failed",
  "smoke-timeout",
  "smoke-storage",
  "cleanup-incomplete",
  "permission-denied",
] as const;
export type FindingId = (typeof FINDING_IDS)[number];

/** A line saying a check passed, for the person reading along. */
export interface Passed {
  readonly subject: string;
  readonly detail: string;
}

export const error = (
  id: FindingId,
  subject: string,
  message: string,
  fix: string,
  evidence?: readonly string[],
): Finding => ({ id, severity: "error", subject, message, fix, ...(evidence?.length ? { evidence } : {}) });

export const warning = (
  id: FindingId,
  subject: string,
  message: string,
  fix: string,
  evidence?: readonly string[],
): Finding => ({ id, severity: "warning", subject, message, fix, ...(evidence?.length ? { evidence } : {}) });

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === "error");
}
