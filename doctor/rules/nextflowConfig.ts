/**
 * The generated nextflow.config (the stack's `nextflowConfig` output) against the stack's other
 * outputs: a stale copy sends tasks to the wrong queue, bucket or role. Pure function over the
 * parsed outputs (doctor/outputs.ts).
 */
import { warning, type Finding } from "../findings";
import type { DoctorOutputs, NextflowSettings } from "../outputs";
import { result, type RuleResult } from "./result";

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
