/**
 * `--smoke`: one small job per queue, submitted the way Nextflow submits a task, watched
 * from SUBMITTED to SUCCEEDED or FAILED, then cleaned up whatever happened. This module runs
 * the steps in order; the job and its requests are in smokeJob.ts (see there for how they
 * mirror Nextflow's), the steps after submitting in smokeWatch.ts, smokeJudge.ts and
 * smokeCleanup.ts.
 */
import { RegisterJobDefinitionCommand, SubmitJobCommand } from "@aws-sdk/client-batch";
import type { StateResult } from "./checks";
import type { Finding, Passed } from "./findings";
import type { Gatherer } from "./gather";
import { cleanup } from "./smokeCleanup";
import {
  jobDefinitionRequest,
  SMOKE_JOB_DEFINITION,
  smokeRunPrefix,
  submitJobRequest,
  type SmokeDeps,
  type SmokeJob,
  type SmokeOptions,
} from "./smokeJob";
import { judgeJobs } from "./smokeJudge";
import { clock, watchJobs, type Watched } from "./smokeWatch";

// `--smoke`'s public names, declared in smokeJob.ts, stay importable from here, where the
// report and the tests import them.
export { SMOKE_JOB_DEFINITION, SMOKE_TAG, type SmokeJob } from "./smokeJob";

export interface SmokeResult {
  readonly findings: Finding[];
  readonly passed: Passed[];
  readonly jobs: SmokeJob[];
  readonly jobDefinitionArn?: string;
  /** Ctrl-C stopped the watch; everything was cleaned up. */
  readonly interrupted?: boolean;
}

export async function runSmoke(
  g: Gatherer,
  o: SmokeOptions,
  state: StateResult,
  deps: SmokeDeps,
): Promise<SmokeResult> {
  const { clients } = g.ctx;
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  const jobs: SmokeJob[] = [];
  const runPrefix = smokeRunPrefix(o);
  const say = deps.progress;

  say(
    `Smoke test: registering job definition ${SMOKE_JOB_DEFINITION} (image ${o.image}, CLI from the host's ${o.cliPath}) ...`,
  );
  const registered = await g.attempt("the smoke job (registering its job definition)", () =>
    g.call("batch:RegisterJobDefinition", () =>
      clients.batch.send(new RegisterJobDefinitionCommand(jobDefinitionRequest(o))),
    ),
  );
  const jobDefinitionArn = registered?.jobDefinitionArn;
  try {
    if (jobDefinitionArn === undefined) return { findings, passed, jobs };

    const started = await submitJobs(g, o, jobDefinitionArn, runPrefix, jobs, say);
    const outcome = await watchJobs(g, o, state, started, deps);

    if (deps.signal?.aborted) {
      say("Interrupted: stopping the smoke jobs and cleaning up ...");
      return { findings, passed, jobs, jobDefinitionArn, interrupted: true };
    }

    const judged = await judgeJobs(g, o, state, started, outcome, runPrefix);
    findings.push(...judged.findings);
    passed.push(...judged.passed);
  } finally {
    // Pushed into `findings` even after a return above: the returned result shares the array.
    findings.push(...(await cleanup(g, jobs, o, runPrefix, jobDefinitionArn, registered?.revision, say)));
  }
  return { findings, passed, jobs, jobDefinitionArn };
}

/**
 * Submits one job per queue, adding each to `jobs` (submitted or not, for the report and the
 * cleanup); returns the submitted ones by job id.
 */
async function submitJobs(
  g: Gatherer,
  o: SmokeOptions,
  jobDefinitionArn: string,
  runPrefix: string,
  jobs: SmokeJob[],
  say: (line: string) => void,
): Promise<Map<string, Watched>> {
  const started = new Map<string, Watched>();
  for (const q of o.queues) {
    const res = await g.attempt(`the smoke job on ${q.name}`, () =>
      g.call("batch:SubmitJob", () =>
        g.ctx.clients.batch.send(new SubmitJobCommand(submitJobRequest(o, q, jobDefinitionArn, runPrefix))),
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
    const at = g.ctx.now();
    job.timeline.push({ status: "SUBMITTED", at: at.toISOString(), afterSeconds: 0 });
    say(`${clock(at)}  ${q.name}: SUBMITTED (job ${res.jobId})`);
    started.set(res.jobId, { job, queue: q, submittedAt: at, explained: false, lastNote: at.getTime() });
  }
  return started;
}
