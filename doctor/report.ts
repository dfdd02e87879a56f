/** How a run's result is shown: text for a person, or JSON for machines. Pure. */
import type { Finding, Passed } from "./findings";
import { DOCTOR_PERMISSIONS, extraPermissions, permissionsSummary } from "./permissions";
import type { SmokeJob } from "./smoke";

export interface DoctorReport {
  readonly stack: string;
  readonly region: string;
  readonly account: string;
  readonly caller: string;
  readonly profile?: string;
  readonly exitCode: number;
  readonly passed: readonly Passed[];
  readonly findings: readonly Finding[];
  /** Present with --smoke. */
  readonly smoke?: { readonly jobs: readonly SmokeJob[] };
}

export function renderText(r: DoctorReport): string[] {
  const errors = r.findings.filter((f) => f.severity === "error");
  const warnings = r.findings.filter((f) => f.severity === "warning");
  const lines: string[] = ["", "Passed:"];
  for (const p of r.passed) lines.push(`  ok  ${p.subject}: ${p.detail}`);
  if (r.passed.length === 0) lines.push("  (nothing could be checked)");
  if (r.smoke) {
    lines.push("", "Smoke jobs:");
    for (const j of r.smoke.jobs) {
      lines.push(
        `  ${j.queue}: ${j.status}${j.jobId ? ` (job ${j.jobId})` : ""}${j.timeline.length > 0 ? `  ${j.timeline.map((t) => `${t.status} +${t.afterSeconds}s`).join(" -> ")}` : ""}`,
      );
    }
  }
  if (r.findings.length > 0) {
    lines.push("", "Findings:");
    for (const f of [...errors, ...warnings]) {
      lines.push(`  ${f.severity === "error" ? "ERROR" : "warn "} [${f.id}] ${f.subject}`);
      lines.push(`        ${f.message}`);
      lines.push(`        Fix: ${f.fix}`);
      for (const e of f.evidence ?? []) lines.push(`        | ${e}`);
    }
  }
  if (r.findings.some((f) => f.id === "permission-denied")) {
    lines.push("", permissionsSummary());
  }
  lines.push(
    "",
    errors.length === 0
      ? `Healthy${warnings.length > 0 ? `, with ${warnings.length} warning${warnings.length === 1 ? "" : "s"}` : ""}: stack ${r.stack} in ${r.region}${r.smoke ? " ran a job on every queue" : " (add --smoke to run a job on every queue)"}.`
      : `${errors.length} problem${errors.length === 1 ? "" : "s"} and ${warnings.length} warning${warnings.length === 1 ? "" : "s"} in stack ${r.stack} (${r.region}); fix the errors above and run the doctor again.`,
  );
  return lines;
}

export function toJson(r: DoctorReport): object {
  return {
    stack: r.stack,
    region: r.region,
    account: r.account,
    caller: r.caller,
    ...(r.profile !== undefined ? { profile: r.profile } : {}),
    healthy: !r.findings.some((f) => f.severity === "error"),
    exitCode: r.exitCode,
    passed: r.passed,
    findings: r.findings,
    ...(r.smoke ? { smoke: r.smoke } : {}),
    permissions: {
      extra: extraPermissions().map((p) => ({ action: p.action, why: p.why })),
      all: DOCTOR_PERMISSIONS,
    },
  };
}
