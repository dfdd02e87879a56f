/**
 * The `--smoke` job: its names and tag, the run's options, the state the doctor keeps per job,
 * and the Batch requests that register its job definition and submit it. Pure: the AWS calls
 * are in smoke.ts (register, submit), smokeWatch.ts, smokeJudge.ts and smokeCleanup.ts.
 *
 * The job definition mirrors what Nextflow's awsbatch executor registers
 * (nextflow-io/nextflow, plugins/nf-amazon/.../batch/AwsBatchTaskHandler.groovy,
 * `configJobDefRequest` and `addVolumeMountsToContainer`):
 * - type `container`, the task's image, command `true` (the real command comes with the
 *   job, in containerOverrides), resourceRequirements VCPU 1 and MEMORY 1024;
 * - `jobRoleArn` = aws.batch.jobRole, and an `awslogs` logConfiguration with
 *   `awslogs-group` = aws.batch.logsGroup and `awslogs-region`;
 * - for aws.batch.cliPath `/opt/aws-cli/bin/aws`, a host volume named `aws-cli` with
 *   sourcePath `/opt/aws-cli` (the CLI's grandparent) mounted read-only at the same path;
 * - a name starting `nf-` (Nextflow uses `nf-<image>`; the launcher policy allows
 *   job-definition/nf-*). Nextflow tags it `nextflow.io/createdAt` and `nextflow.io/version`;
 *   the doctor tags it with its own run id instead of claiming a Nextflow version.
 * The job is submitted with command `bash -o pipefail -c <script>`, as
 * AwsBatchExecutor.getLaunchCommand launches every task.
 */
import type { RegisterJobDefinitionCommandInput, SubmitJobCommandInput } from "@aws-sdk/client-batch";
import type { HostStorageSpec } from "../presets";
import type { StackQueue } from "./outputs";
import { smokeScript, type SmokeReport } from "./rules/smoke";

/** The smoke job definition's name: `nf-` like Nextflow's, so the launcher policy allows it. */
export const SMOKE_JOB_DEFINITION = "nf-nextflow-batch-doctor";
/** Tag on the smoke job definition and jobs: the run id, to find leftovers. */
export const SMOKE_TAG = "nextflow-batch/doctor-run";
/** The smoke job gets this long once started; it needs seconds. */
export const SMOKE_ATTEMPT_SECONDS = 600;
/** Where under the work prefix the smoke job writes. */
export const SMOKE_PREFIX = ".nextflow-batch-doctor";

/** Job states after which Batch does nothing more with a job. */
export const TERMINAL = new Set(["SUCCEEDED", "FAILED"]);

export interface SmokeOptions {
  readonly queues: readonly StackQueue[];
  readonly image: string;
  readonly cliPath: string;
  readonly region: string;
  readonly workBucketName: string;
  readonly workDir: string;
  readonly jobRoleArn: string;
  readonly logGroupName: string;
  readonly runId: string;
  readonly timeoutMs: number;
  /** A job RUNNABLE this long is explained (once) while the doctor keeps waiting. */
  readonly runnableMs: number;
  readonly pollMs: number;
  /** The preset's host storage, to check the smoke job's report against; undefined when unknown. */
  readonly storage: Pick<HostStorageSpec, "kind" | "rootVolumeGiB"> | undefined;
}

export interface SmokeDeps {
  readonly sleep: (ms: number) => Promise<void>;
  readonly progress: (line: string) => void;
  /** Aborted on Ctrl-C: stop watching, clean up, report nothing more. */
  readonly signal?: AbortSignal;
}

export interface TimelineEvent {
  readonly status: string;
  readonly at: string;
  /** Seconds since the job was submitted. */
  readonly afterSeconds: number;
}

export interface SmokeJob {
  readonly queue: string;
  readonly jobId?: string;
  status: string;
  readonly timeline: TimelineEvent[];
  report?: SmokeReport;
}

/** s3://bucket/work → "work/". */
function workPrefix(workDir: string, bucket: string): string {
  const p = workDir.slice(`s3://${bucket}/`.length).replace(/^\/+|\/+$/g, "");
  return p === "" ? "" : `${p}/`;
}

/** The key prefix everything this run's smoke jobs write goes under (cleanup removes it). */
export function smokeRunPrefix(o: Pick<SmokeOptions, "workDir" | "workBucketName" | "runId">): string {
  return `${workPrefix(o.workDir, o.workBucketName)}${SMOKE_PREFIX}/${o.runId}/`;
}

/** The key the smoke job on queue `q` writes its report to. */
export const smokeReportKey = (runPrefix: string, q: StackQueue) => `${runPrefix}${q.role}.txt`;

/** The job definition, registered as Nextflow registers a task's (see the file comment). */
export function jobDefinitionRequest(o: SmokeOptions): RegisterJobDefinitionCommandInput {
  const mount = o.cliPath.split("/").slice(0, -2).join("/") || "/";
  return {
    jobDefinitionName: SMOKE_JOB_DEFINITION,
    type: "container",
    containerProperties: {
      image: o.image,
      command: ["true"],
      resourceRequirements: [
        { type: "VCPU", value: "1" },
        { type: "MEMORY", value: "1024" },
      ],
      jobRoleArn: o.jobRoleArn,
      logConfiguration: {
        logDriver: "awslogs",
        options: { "awslogs-region": o.region, "awslogs-group": o.logGroupName },
      },
      volumes: [{ name: "aws-cli", host: { sourcePath: mount } }],
      mountPoints: [{ sourceVolume: "aws-cli", containerPath: mount, readOnly: true }],
    },
    tags: { [SMOKE_TAG]: o.runId },
  };
}

/** The smoke job on queue `q`, submitted as Nextflow submits a task (see the file comment). */
export function submitJobRequest(
  o: SmokeOptions,
  q: StackQueue,
  jobDefinitionArn: string,
  runPrefix: string,
): SubmitJobCommandInput {
  const script = smokeScript({
    cliPath: o.cliPath,
    url: `s3://${o.workBucketName}/${smokeReportKey(runPrefix, q)}`,
    token: o.runId,
  });
  return {
    jobName: `nf-doctor-smoke-${q.role}`,
    jobQueue: q.name,
    jobDefinition: jobDefinitionArn,
    containerOverrides: {
      command: ["bash", "-o", "pipefail", "-c", script],
      environment: [{ name: "AWS_DEFAULT_REGION", value: o.region }],
    },
    timeout: { attemptDurationSeconds: SMOKE_ATTEMPT_SECONDS },
    tags: { [SMOKE_TAG]: o.runId },
  };
}
