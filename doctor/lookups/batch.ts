/**
 * Batch lookups for the {@link Gatherer}: job queues, compute environments, and jobs (the
 * RUNNABLE ones of a queue, or any by id).
 */
import {
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  type ComputeEnvironmentDetail,
  type JobDetail,
  type JobQueueDetail,
} from "@aws-sdk/client-batch";
import type { Gatherer } from "../gather";

export async function jobQueues(g: Gatherer, names: readonly string[]): Promise<Map<string, JobQueueDetail>> {
  const res = await g.call("batch:DescribeJobQueues", () =>
    g.ctx.clients.batch.send(new DescribeJobQueuesCommand({ jobQueues: [...names] })),
  );
  return new Map((res.jobQueues ?? []).map((q) => [q.jobQueueName ?? "", q]));
}

export async function computeEnvironments(
  g: Gatherer,
  arns: readonly string[],
): Promise<Map<string, ComputeEnvironmentDetail>> {
  if (arns.length === 0) return new Map();
  const res = await g.call("batch:DescribeComputeEnvironments", () =>
    g.ctx.clients.batch.send(new DescribeComputeEnvironmentsCommand({ computeEnvironments: [...arns] })),
  );
  const out = new Map<string, ComputeEnvironmentDetail>();
  for (const ce of res.computeEnvironments ?? []) {
    if (ce.computeEnvironmentArn) out.set(ce.computeEnvironmentArn, ce);
    if (ce.computeEnvironmentName) out.set(ce.computeEnvironmentName, ce);
  }
  return out;
}

/** RUNNABLE jobs of a queue created more than `olderThanMs` ago, described (at most 100). */
export async function runnableJobs(g: Gatherer, queue: string, olderThanMs: number): Promise<JobDetail[]> {
  const cutoff = g.ctx.now().getTime() - olderThanMs;
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const page = await g.call("batch:ListJobs", () =>
      g.ctx.clients.batch.send(new ListJobsCommand({ jobQueue: queue, jobStatus: "RUNNABLE", nextToken })),
    );
    for (const j of page.jobSummaryList ?? []) {
      if (j.jobId && (j.createdAt ?? 0) <= cutoff) ids.push(j.jobId);
    }
    nextToken = page.nextToken;
  } while (nextToken !== undefined && ids.length < 100);
  return describeJobs(g, ids.slice(0, 100));
}

export async function describeJobs(g: Gatherer, ids: readonly string[]): Promise<JobDetail[]> {
  if (ids.length === 0) return [];
  const res = await g.call("batch:DescribeJobs", () =>
    g.ctx.clients.batch.send(new DescribeJobsCommand({ jobs: [...ids] })),
  );
  return res.jobs ?? [];
}
