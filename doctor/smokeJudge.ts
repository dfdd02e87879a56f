/**
 * Judging each smoke job once the watch ends: a SUCCEEDED job's report (the object it wrote,
 * else its log) says which AWS CLI and storage the container had; a FAILED job is explained from
 * its reason and log; a job still waiting is a timeout, explained from the queue's environments.
 */
import type { JobDetail } from "@aws-sdk/client-batch";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import type { StateResult } from "./checks";
import { error, warning, type Finding, type Passed } from "./findings";
import type { Gatherer } from "./gather";
import {
  describeStorage,
  explainFailedJob,
  parseSmokeReport,
  storageFindings,
  type SmokeReport,
} from "./rules/smoke";
import { smokeReportKey, type SmokeOptions } from "./smokeJob";
import { duration, explainSmokeWait, type Watched, type WatchOutcome } from "./smokeWatch";

/** The findings and passed checks of every watched job, in the order they were submitted. */
export async function judgeJobs(
  g: Gatherer,
  o: SmokeOptions,
  state: StateResult,
  started: Map<string, Watched>,
  { details, watched }: WatchOutcome,
  runPrefix: string,
): Promise<{ findings: Finding[]; passed: Passed[] }> {
  const now = () => g.ctx.now();
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  for (const s of started.values()) {
    const q = s.queue;
    const key = smokeReportKey(runPrefix, q);
    const d = details.get(s.job.jobId!);
    if (s.job.status === "SUCCEEDED") {
      const report = await readReport(g, o.workBucketName, key, d, o.logGroupName);
      s.job.report = report;
      const took = s.job.timeline.at(-1)?.afterSeconds ?? 0;
      if (report && report.token === o.runId) {
        passed.push({
          subject: `smoke job on ${q.name}`,
          detail: `SUCCEEDED in ${duration(took)}; the host's AWS CLI (${report.cli ?? "?"}) wrote and read s3://${o.workBucketName}/${key}; ${describeStorage(report)}`,
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
  return { findings, passed };
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
