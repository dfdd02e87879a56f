/**
 * Watching the submitted smoke jobs: polls Batch until each is SUCCEEDED or FAILED, the
 * timeout passes or Ctrl-C, records each state change on the job's timeline, prints progress,
 * and explains (once) a job that waits in RUNNABLE too long.
 */
import type { JobDetail } from "@aws-sdk/client-batch";
import type { StateResult } from "./checks";
import type { Finding } from "./findings";
import type { Gatherer } from "./gather";
import type { StackQueue } from "./outputs";
import { explainRunnable } from "./rules/waiting";
import { TERMINAL, type SmokeDeps, type SmokeJob, type SmokeOptions } from "./smokeJob";

/** How long Batch usually takes from zero hosts to a running job: 3 to 8 minutes. */
const COLD_START_SECONDS = 8 * 60;

export const clock = (d: Date) => d.toISOString().slice(11, 19);
export const duration = (s: number) => (s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${s % 60} s`);

/** A submitted smoke job while the doctor watches it. */
export interface Watched {
  readonly job: SmokeJob;
  readonly queue: StackQueue;
  readonly submittedAt: Date;
  /** Whether its wait in RUNNABLE was already explained. */
  explained: boolean;
  /** When a progress line last mentioned it (ms since the epoch). */
  lastNote: number;
}

export interface WatchOutcome {
  /** The last DescribeJobs answer per job id. */
  readonly details: Map<string, JobDetail>;
  /** False when the doctor may not describe the jobs, so it stopped watching. */
  readonly watched: boolean;
}

/** Watches the jobs in `started` (by job id), updating each one's status and timeline. */
export async function watchJobs(
  g: Gatherer,
  o: SmokeOptions,
  state: StateResult,
  started: Map<string, Watched>,
  deps: SmokeDeps,
): Promise<WatchOutcome> {
  const now = () => g.ctx.now();
  const say = deps.progress;
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
  return { details, watched };
}

/** The waiting-job rules, with what AWS says right now about the queue's environments. */
export async function explainSmokeWait(
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
