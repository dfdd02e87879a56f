/**
 * Runs the real doctor (doctor/run.ts) against the real AWS SDK v3 clients with
 * aws-sdk-client-mock answering every call as a healthy stack would. A test changes one
 * answer, runs, and reads the exit code, the output and the calls made. The clock is fake:
 * `sleep` moves it forward, so a 30-minute smoke wait takes no time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  AutoScalingClient,
  DescribeAutoScalingGroupsCommand,
  DescribeScalingActivitiesCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  BatchClient,
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
  type JobDetail,
} from "@aws-sdk/client-batch";
import { CloudWatchLogsClient, GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  EC2Client,
  GetConsoleOutputCommand,
} from "@aws-sdk/client-ec2";
import {
  DescribeContainerInstancesCommand,
  ECSClient,
  ListContainerInstancesCommand,
} from "@aws-sdk/client-ecs";
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from "@aws-sdk/client-iam";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { makeClients } from "../../doctor/aws";
import type { Exec } from "../../doctor/outputs";
import { runDoctor, type DoctorDeps } from "../../doctor/run";
import * as F from "./fixtures";

export const RUN_ID = "20261201t100000-abc123";

export function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 403 } });
}
export const denied = (action: string) =>
  awsError(
    "AccessDeniedException",
    `User: arn:aws:iam::${F.ACCOUNT}:user/Alice is not authorized to perform: ${action} on resource: * because no identity-based policy allows the ${action} action`,
  );

/** One mock per client class; each intercepts every instance's `send`. */
export function createMocks() {
  return {
    autoscaling: mockClient(AutoScalingClient),
    batch: mockClient(BatchClient),
    ec2: mockClient(EC2Client),
    ecs: mockClient(ECSClient),
    iam: mockClient(IAMClient),
    logs: mockClient(CloudWatchLogsClient),
    s3: mockClient(S3Client),
    sts: mockClient(STSClient),
  };
}
export type Mocks = ReturnType<typeof createMocks>;

/**
 * How the smoke jobs move: each DescribeJobs call takes every job one step further along
 * `path` (the last state repeats). `detail` adds fields per job (exit codes, reasons).
 */
export interface JobScript {
  readonly path: readonly string[];
  readonly detail?: Partial<JobDetail>;
}
export const SUCCEEDS: JobScript = { path: ["SUBMITTED", "RUNNABLE", "STARTING", "RUNNING", "SUCCEEDED"] };

/** Answers of a healthy stack. */
export function healthy(m: Mocks, opts: { jobs?: Record<string, JobScript> } = {}): void {
  for (const mock of Object.values(m)) mock.reset();
  m.sts.on(GetCallerIdentityCommand).resolves({
    Account: F.ACCOUNT,
    Arn: `arn:aws:iam::${F.ACCOUNT}:user/Alice`,
    UserId: "AKIAI44QH8DHBEXAMPLE",
  });
  m.batch.on(DescribeJobQueuesCommand).resolves({
    jobQueues: [F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE), F.jobQueue(F.OD_QUEUE, F.OD_CE, { priority: 5 })],
  });
  m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
    computeEnvironments: [
      F.computeEnvironment(F.SPOT_CE),
      F.computeEnvironment(F.OD_CE, {}, { maxvCpus: 256 }),
    ],
  });
  m.batch.on(ListJobsCommand).resolves({ jobSummaryList: [] });
  m.ec2
    .on(DescribeLaunchTemplateVersionsCommand)
    .resolves({ LaunchTemplateVersions: F.launchTemplateVersions(2) });
  m.ec2.on(DescribeSubnetsCommand).resolves({ Subnets: F.SUBNETS.map((s) => F.subnet(s)) });
  m.ec2.on(DescribeRouteTablesCommand).callsFake((input) => {
    const f = input.Filters?.find((x: { Name: string }) => x.Name === "association.subnet-id");
    return { RouteTables: f ? [F.routeTable(f.Values[0])] : [] };
  });
  m.ec2.on(DescribeVpcEndpointsCommand).resolves({ VpcEndpoints: [F.s3Endpoint()] });
  m.ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: F.m5Types() });
  m.ec2.on(DescribeInstancesCommand).resolves({ Reservations: [] });
  m.ec2.on(GetConsoleOutputCommand).resolves({ InstanceId: "i-1234567890abcdef0", Output: "" });
  m.ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: [] });
  m.ecs.on(DescribeContainerInstancesCommand).resolves({ containerInstances: [] });
  m.iam.on(GetInstanceProfileCommand).resolves({ InstanceProfile: F.instanceProfile() });
  m.iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [F.ECS_POLICY] });
  m.iam.on(GetRoleCommand).resolves({ Role: F.jobRole() });
  m.autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({ AutoScalingGroups: [] });
  m.autoscaling.on(DescribeScalingActivitiesCommand).resolves({ Activities: [] });

  // Smoke: Batch API reference, RegisterJobDefinition "RegisterJobDefinition with tags" and
  // SubmitJob "To submit a job to a queue" responses, for this run.
  m.batch.on(RegisterJobDefinitionCommand).resolves({
    jobDefinitionArn: `arn:aws:batch:${F.REGION}:${F.ACCOUNT}:job-definition/nf-nextflow-batch-doctor:7`,
    jobDefinitionName: "nf-nextflow-batch-doctor",
    revision: 7,
  });
  const ids = new Map<string, string>();
  m.batch.on(SubmitJobCommand).callsFake((input) => {
    const jobId =
      input.jobQueue === F.SPOT_QUEUE
        ? "876da822-4198-45f2-a252-6cea32512ea8"
        : "68f0c163-fbd4-44e6-9fd1-25b14a434786";
    ids.set(jobId, input.jobQueue);
    return { jobId, jobName: input.jobName };
  });
  const steps = new Map<string, number>();
  m.batch.on(DescribeJobsCommand).callsFake((input: { jobs: string[] }) => ({
    jobs: input.jobs.map((id) => {
      const queue = ids.get(id) ?? F.SPOT_QUEUE;
      const script = opts.jobs?.[queue] ?? SUCCEEDS;
      const step = Math.min((steps.get(id) ?? 0) + 1, script.path.length - 1);
      steps.set(id, step);
      return {
        jobId: id,
        jobName: "nf-doctor-smoke",
        jobQueue: F.queueArn(queue),
        jobDefinition: "nf-nextflow-batch-doctor:7",
        status: script.path[step],
        createdAt: F.NOW.getTime(),
        startedAt: F.NOW.getTime(),
        container: {
          logStreamName: `nf-nextflow-batch-doctor/default/${id}`,
          resourceRequirements: [
            { type: "VCPU", value: "1" },
            { type: "MEMORY", value: "1024" },
          ],
        },
        ...(script.detail ?? {}),
      } as JobDetail;
    }),
  }));
  m.batch.on(TerminateJobCommand).resolves({});
  m.batch.on(DeregisterJobDefinitionCommand).resolves({});
  m.s3.on(GetObjectCommand).callsFake((input: { Key: string }) => ({
    Body: {
      transformToString: async () =>
        smokeReport(input.Key.endsWith("onDemand.txt") ? "/dev/nvme0n1p1" : "/dev/nvme0n1p1"),
    },
  }));
  m.s3.on(ListObjectsV2Command).callsFake((input: { Prefix: string }) => ({
    Contents: [{ Key: `${input.Prefix}spot.txt` }, { Key: `${input.Prefix}onDemand.txt` }],
  }));
  m.s3.on(DeleteObjectCommand).resolves({});
  m.logs.on(GetLogEventsCommand).resolves({ events: [] });
}

/** What a successful smoke job writes on a gp3 host: a 1000 GiB root. */
export function smokeReport(device: string, fs = "xfs", kib = 1048064000): string {
  return [
    `token=${RUN_ID}`,
    "cli=aws-cli/2.22.0 Python/3.12.6 Linux/6.1.112-124.190.amzn2023.x86_64 exe/x86_64.amzn.2023",
    "root_fs=overlay",
    `root_kib=${kib}`,
    `root_avail_kib=${kib - 4000000}`,
    `docker_fs=${fs}`,
    `docker_device=${device}`,
    "",
  ].join("\n");
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly slept: number;
}

/** Runs `npm run doctor -- <argv>` in a temp project dir with `Pulumi.dev.yaml` and an outputs file. */
export async function doctor(
  argv: readonly string[],
  opts: {
    outputs?: unknown;
    stackFile?: string | null;
    exec?: Exec;
    credentialsError?: Error;
    useOutputsFile?: boolean;
    /** Ctrl-C during the n-th wait. */
    interruptAtSleep?: number;
  } = {},
): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-doctor-"));
  try {
    const stackFile =
      opts.stackFile === undefined
        ? `config:\n  aws:region: ${F.REGION}\n  aws:profile: smith-lab\n  nextflow-batch:preset: m5-gp3\n  nextflow-batch:labName: ${F.LAB}\n`
        : opts.stackFile;
    if (stackFile !== null) fs.writeFileSync(path.join(dir, `Pulumi.${F.STACK}.yaml`), stackFile);
    const outputs = opts.outputs ?? F.stackOutputs();
    fs.writeFileSync(path.join(dir, "outputs.json"), JSON.stringify(outputs));
    let out = "";
    let err = "";
    let now = F.NOW.getTime();
    let slept = 0;
    let sleeps = 0;
    const interrupt = new AbortController();
    const exec: Exec = opts.exec ?? (async () => ({ stdout: JSON.stringify(outputs), stderr: "" }));
    const deps: DoctorDeps = {
      cwd: dir,
      env: {},
      stdout: { write: (s: string) => (out += s) },
      stderr: { write: (s: string) => (err += s) },
      exec,
      credentials: () => async () => {
        if (opts.credentialsError) throw opts.credentialsError;
        return {
          accessKeyId: "AKIAIOSFODNN7EXAMPLE",
          secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        };
      },
      clients: makeClients,
      now: () => new Date(now),
      sleep: async (ms) => {
        now += ms;
        slept += ms;
        if (++sleeps === opts.interruptAtSleep) interrupt.abort();
      },
      signal: interrupt.signal,
      runId: () => RUN_ID,
      pollMs: 10_000,
    };
    const args = opts.useOutputsFile === false ? [...argv] : [...argv, "--outputs", "outputs.json"];
    const code = await runDoctor(args, deps);
    return { code, stdout: out, stderr: err, slept };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
