/**
 * `--smoke`: one small job per queue, submitted the way Nextflow submits a task, watched
 * from SUBMITTED to SUCCEEDED or FAILED, then cleaned up whatever happened.
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
import {
  DeregisterJobDefinitionCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  type JobDetail,
} from "@aws-sdk/client-batch";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import type { StateResult } from "./checks";
import { error, warning, type Finding, type Passed } from "./findings";
import type { Gatherer } from "./gather";
import type { StackQueue } from "./outputs";
import {
  describeStorage,
  explainFailedJob,
  parseSmokeReport,
  smokeScript,
  storageFindings,
  type SmokeReport,
} from "./rules/smoke";
import type { HostStorageSpec } from "../presets";
import { explainRunnable } from "./rules/waiting";
import { PermissionError } from "./aws";

/** The smoke job definition's name: `nf-` like Nextflow's, so the launcher policy allows it. */
export const SMOKE_JOB_DEFINITION = "nf-nextflow-batch-doctor";
/** Tag on the smoke job definition and jobs: the run id, to find leftovers. */
export const SMOKE_TAG = "nextflow-batch/doctor-run";
/** The smoke job gets this long once started; it needs seconds. */
export const SMOKE_ATTEMPT_SECONDS = 600;
/** Where under the work prefix the smoke job writes. */
export const SMOKE_PREFIX = ".nextflow-batch-doctor";

const TERMINAL = new Set(["SUCCEEDED", "FAILED"]);
/** How long Batch usually takes from zero hosts to a running job: 3 to 8 minutes. */
const COLD_START_SECONDS = 8 * 60;

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

export interface SmokeResult {
  readonly findings: Finding[];
  readonly passed: Passed[];
  readonly jobs: SmokeJob[];
  readonly jobDefinitionArn?: string;
  /** Ctrl-C stopped the watch; everything was cleaned up. */
  readonly interrupted?: boolean;
}

const clock = (d: Date) => d.toISOString().slice(11, 19);
const duration = (s: number) => (s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`);

/** s3://bucket/work → "work/". */
function workPrefix(workDir: string, bucket: string): string {
  const p = workDir.slice(`s3://${bucket}/`.length).replace(/^\/+|\/+$/g, "");
  return p === "" ? "" : `${p}/`;
}

export async function runSmoke(
  g: Gatherer,
  o: SmokeOptions,
  state: StateResult,
  deps: SmokeDeps,
): Promise<SmokeResult> {
  const { clients } = g.ctx;
  const now = () => g.ctx.now();
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  const jobs: SmokeJob[] = [];
  const runPrefix = `${workPrefix(o.workDir, o.workBucketName)}${SMOKE_PREFIX}/${o.runId}/`;
  const keyOf = (q: StackQueue) => `${runPrefix}${q.role}.txt`;
  const say = deps.progress;

  say(
    `Smoke test: registering job definition ${SMOKE_JOB_DEFINITION} (image ${o.image}, CLI from the host's ${o.cliPath}) ...`,
  );
  const mount = o.cliPath.split("/").slice(0, -2).join("/") || "/";
  const registered = await g.attempt("the smoke job (registering its job definition)", () =>
    g.call("batch:RegisterJobDefinition", () =>
      clients.batch.send(
        new RegisterJobDefinitionCommand({
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
        }),
      ),
    ),
  );
  const jobDefinitionArn = registered?.jobDefinitionArn;
  try {
    if (jobDefinitionArn === undefined) return { findings, passed, jobs };

    // Submit one job per queue.
    const started = new Map<
      string,
      { job: SmokeJob; queue: StackQueue; submittedAt: Date; explained: boolean; lastNote: number }
    >();
    for (const q of o.queues) {
      const script = smokeScript({
        cliPath: o.cliPath,
        url: `s3://${o.workBucketName}/${keyOf(q)}`,
        token: o.runId,
      });
      const res = await g.attempt(`the smoke job on ${q.name}`, () =>
        g.call("batch:SubmitJob", () =>
          clients.batch.send(
            new SubmitJobCommand({
              jobName: `nf-doctor-smoke-${q.role}`,
              jobQueue: q.name,
              jobDefinition: jobDefinitionArn,
              containerOverrides: {
                command: ["bash", "-o", "pipefail", "-c", script],
                environment: [{ name: "AWS_DEFAULT_REGION", value: o.region }],
              },
              timeout: { attemptDurationSeconds: SMOKE_ATTEMPT_SECONDS },
              tags: { [SMOKE_TAG]: o.runId },
            }),
          ),
        ),
      );
      const job: SmokeJob = {
        queue: q.name,
        jobId: res?.jobId,
        status: res ? "SUBMITTED" : "NOT SUBMITTED",
        timeline: [],
      };
      jobs.push(job);
      if (!res?.jobId) continue;
      const at = now();
      job.timeline.push({ status: "SUBMITTED", at: at.toISOString(), afterSeconds: 0 });
      say(`${clock(at)}  ${q.name}: SUBMITTED (job ${res.jobId})`);
      started.set(res.jobId, { job, queue: q, submittedAt: at, explained: false, lastNote: at.getTime() });
    }

    // Watch them.
    const deadline = now().getTime() + o.timeoutMs;
    const open = () => [...started.values()].filter((s) => !TERMINAL.has(s.job.status));
    const details = new Map<string, JobDetail>();
    let watched = true;
    while (open().length > 0 && now().getTime() < deadline && !deps.signal?.aborted) {
      await deps.sleep(o.pollMs);
      if (deps.signal?.aborted) break;
      const described = await g.attempt("the smoke jobs' progress", () =>
        g.describeJobs(open().map((s) => s.job.jobId!)),
      );
      if (described === undefined) {
        watched = false;
        break;
      }
      const t = now();
      for (const d of described) {
        const s = started.get(d.jobId ?? "");
        if (!s) continue;
        details.set(d.jobId!, d);
        const after = Math.round((t.getTime() - s.submittedAt.getTime()) / 1000);
        if (d.status && d.status !== s.job.status) {
          s.job.status = d.status;
          s.job.timeline.push({ status: d.status, at: t.toISOString(), afterSeconds: after });
          s.lastNote = t.getTime();
          say(
            `${clock(t)}  ${s.queue.name}: ${d.status} (+${duration(after)})${d.status === "FAILED" && d.statusReason ? `: ${d.statusReason}` : ""}`,
          );
        } else if (t.getTime() - s.lastNote >= 60_000) {
          s.lastNote = t.getTime();
          say(
            `${clock(t)}  ${s.queue.name}: still ${s.job.status} after ${duration(after)}${s.job.status !== "RUNNABLE" ? "" : after < COLD_START_SECONDS ? " (Batch is starting a host: a cold start takes 3 to 8 minutes)" : " (longer than a cold start takes)"}`,
          );
        }
        if (
          s.job.status === "RUNNABLE" &&
          !s.explained &&
          t.getTime() - s.submittedAt.getTime() >= o.runnableMs
        ) {
          s.explained = true;
          const f = await explainSmokeWait(g, state, s.queue, d);
          say(`           ${s.queue.name}: why it waits: ${f.message}`);
        }
      }
    }

    if (deps.signal?.aborted) {
      say("Interrupted: stopping the smoke jobs and cleaning up ...");
      return { findings, passed, jobs, jobDefinitionArn, interrupted: true };
    }

    // Judge each job.
    for (const s of started.values()) {
      const q = s.queue;
      const d = details.get(s.job.jobId!);
      if (s.job.status === "SUCCEEDED") {
        const report = await readReport(g, o.workBucketName, keyOf(q), d, o.logGroupName);
        s.job.report = report;
        const took = s.job.timeline.at(-1)?.afterSeconds ?? 0;
        if (report && report.token === o.runId) {
          passed.push({
            subject: `smoke job on ${q.name}`,
            detail: `SUCCEEDED in ${duration(took)}; the host's AWS CLI (${report.cli ?? "?"}) wrote and read s3://${o.workBucketName}/${keyOf(q)}; ${describeStorage(report)}`,
          });
          findings.push(...storageFindings(q.name, report, o.storage));
        } else {
          findings.push(
            warning(
              "smoke-failed",
              `smoke job on ${q.name}`,
              "the smoke job SUCCEEDED, but the doctor could not read the report it wrote (see the permission findings), so the storage behind the container is unknown.",
              "run the doctor with the launcher policy's S3 permissions on the work bucket",
            ),
          );
        }
      } else if (s.job.status === "FAILED") {
        const lines = d ? await logLines(g, d, o.logGroupName) : [];
        findings.push(
          explainFailedJob(q.name, d ?? {}, lines, {
            cliPath: o.cliPath,
            image: o.image,
            logGroup: o.logGroupName,
          }),
        );
      } else if (!watched) {
        // The permission finding says why; cleanup stops the job.
        continue;
      } else {
        const waitedMin = Math.round((now().getTime() - s.submittedAt.getTime()) / 60000);
        let why = "";
        let evidence: readonly string[] | undefined;
        if (s.job.status === "RUNNABLE" && d) {
          const f = await explainSmokeWait(g, state, q, d);
          why = ` Why it waited: ${f.message}`;
          evidence = f.evidence;
        }
        findings.push(
          error(
            "smoke-timeout",
            `smoke job on ${q.name}`,
            `the smoke job was still ${s.job.status} after ${waitedMin} min, so the doctor stopped it.${why}`,
            s.job.status === "RUNNABLE"
              ? "fix what the reason names (see the other findings), then run the doctor with --smoke again"
              : "a host took the job but it did not finish: check the host's disk and Docker (the job's log stream in the log group), then run again",
            evidence,
          ),
        );
      }
    }
  } finally {
    findings.push(...(await cleanup(g, jobs, o, runPrefix, jobDefinitionArn, registered?.revision, say)));
  }
  return { findings, passed, jobs, jobDefinitionArn };
}

/** The waiting-job rules, with what AWS says right now about the queue's environments. */
async function explainSmokeWait(
  g: Gatherer,
  state: StateResult,
  q: StackQueue,
  job: JobDetail,
): Promise<Finding> {
  const ces = state.queueEnvironments.get(q.name) ?? [];
  const fresh = await g.attempt("the compute environments", () =>
    g.computeEnvironments(ces.map((c) => c.computeEnvironmentArn ?? "")),
  );
  const environments = [];
  for (const c of ces) {
    const detail = fresh?.get(c.computeEnvironmentArn ?? "") ?? c;
    environments.push(await g.view(detail, { shapes: state.shapes.get(c.computeEnvironmentArn ?? "") }));
  }
  return explainRunnable({ job, environments, now: g.ctx.now() });
}

/** The report object the job wrote; else the report lines in its log. */
async function readReport(
  g: Gatherer,
  bucket: string,
  key: string,
  job: JobDetail | undefined,
  logGroup: string,
): Promise<SmokeReport | undefined> {
  const text = await g.attempt("the smoke job's report", async () => {
    try {
      const res = await g.call("s3:GetObject", () =>
        g.ctx.clients.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key })),
      );
      return (await res.Body?.transformToString("utf8")) ?? "";
    } catch (e) {
      // Not there (the job wrote elsewhere): the log has the same report.
      if (e instanceof Error && e.name === "NoSuchKey") return "";
      throw e;
    }
  });
  if (text !== undefined && text !== "") return parseSmokeReport(text);
  if (!job) return undefined;
  const lines = await logLines(g, job, logGroup);
  return lines.length > 0 ? parseSmokeReport(lines.join("\n")) : undefined;
}

/** What the job printed, from its CloudWatch log stream. */
async function logLines(g: Gatherer, job: JobDetail, logGroup: string): Promise<string[]> {
  const stream = job.container?.logStreamName ?? job.attempts?.at(-1)?.container?.logStreamName;
  if (!stream) return [];
  const res = await g.attempt("the smoke job's log", async () => {
    try {
      return await g.call("logs:GetLogEvents", () =>
        g.ctx.clients.logs.send(
          new GetLogEventsCommand({
            logGroupName: logGroup,
            logStreamName: stream,
            startFromHead: true,
            limit: 200,
          }),
        ),
      );
    } catch (e) {
      // No stream: the container never started (its reason says why).
      if (e instanceof Error && e.name === "ResourceNotFoundException") return undefined;
      throw e;
    }
  });
  return (res?.events ?? []).map((e) => e.message ?? "").filter((m) => m !== "");
}

/** Stops unfinished jobs, deletes what the jobs wrote, deregisters the job definition. */
async function cleanup(
  g: Gatherer,
  jobs: readonly SmokeJob[],
  o: SmokeOptions,
  runPrefix: string,
  jobDefinitionArn: string | undefined,
  revision: number | undefined,
  say: (line: string) => void,
): Promise<Finding[]> {
  const { clients } = g.ctx;
  const left: string[] = [];
  const tryIt = async (what: string, fn: () => Promise<unknown>) => {
    try {
      await fn();
      return true;
    } catch (e) {
      if (e instanceof PermissionError) g.recordDenied(e.action, `cleanup: ${what}`, e.awsMessage);
      left.push(`${what} (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
      return false;
    }
  };
  say("Cleaning up the smoke test ...");
  for (const j of jobs) {
    if (j.jobId && !TERMINAL.has(j.status)) {
      await tryIt(`job ${j.jobId}: aws batch terminate-job --job-id ${j.jobId} --reason cleanup`, () =>
        g.call("batch:TerminateJob", () =>
          clients.batch.send(
            new TerminateJobCommand({ jobId: j.jobId, reason: "nextflow-batch doctor: smoke test cleanup" }),
          ),
        ),
      );
    }
  }
  if (jobs.some((j) => j.jobId)) {
    await tryIt(
      `objects under s3://${o.workBucketName}/${runPrefix}: aws s3 rm --recursive s3://${o.workBucketName}/${runPrefix}`,
      async () => {
        const listed = await g.call("s3:ListBucket", () =>
          clients.s3.send(new ListObjectsV2Command({ Bucket: o.workBucketName, Prefix: runPrefix })),
        );
        for (const obj of listed.Contents ?? []) {
          await g.call("s3:DeleteObject", () =>
            clients.s3.send(new DeleteObjectCommand({ Bucket: o.workBucketName, Key: obj.Key })),
          );
        }
      },
    );
  }
  if (jobDefinitionArn !== undefined) {
    const name = revision === undefined ? jobDefinitionArn : `${SMOKE_JOB_DEFINITION}:${revision}`;
    await tryIt(`job definition ${name}: aws batch deregister-job-definition --job-definition ${name}`, () =>
      g.call("batch:DeregisterJobDefinition", () =>
        clients.batch.send(new DeregisterJobDefinitionCommand({ jobDefinition: jobDefinitionArn })),
      ),
    );
  }
  if (left.length === 0) return [];
  return [
    warning(
      "cleanup-incomplete",
      "smoke test",
      `the doctor could not remove everything the smoke test made (tagged ${SMOKE_TAG}=${o.runId}); what is left costs nothing (an inactive job definition, a few bytes under the work prefix, which expires) but you can remove it.`,
      "run the commands below with the profile you deploy with",
      left,
    ),
  ];
}
