/**
 * Cleaning up after the smoke test, whatever happened: stops unfinished jobs, deletes what the
 * jobs wrote, deregisters the job definition. What it cannot remove becomes one warning with
 * the commands that remove it.
 */
import { DeregisterJobDefinitionCommand, TerminateJobCommand } from "@aws-sdk/client-batch";
import { DeleteObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { PermissionError } from "./aws";
import { warning, type Finding } from "./findings";
import type { Gatherer } from "./gather";
import { SMOKE_JOB_DEFINITION, SMOKE_TAG, TERMINAL, type SmokeJob, type SmokeOptions } from "./smokeJob";

/** Stops unfinished jobs, deletes what the jobs wrote, deregisters the job definition. */
export async function cleanup(
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
