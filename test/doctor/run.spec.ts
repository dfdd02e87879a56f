/**
 * `npm run doctor` end to end: the real run loop and the real AWS SDK v3 clients, with
 * aws-sdk-client-mock answering as AWS would (fixtures.ts cites the API reference examples).
 * Each case starts from a healthy stack and changes one answer.
 */
import assert from "node:assert/strict";
import {
  DescribeScalingActivitiesCommand,
  DescribeAutoScalingGroupsCommand,
} from "@aws-sdk/client-auto-scaling";
import {
  DeregisterJobDefinitionCommand,
  DescribeComputeEnvironmentsCommand,
  DescribeJobQueuesCommand,
  DescribeJobsCommand,
  ListJobsCommand,
  RegisterJobDefinitionCommand,
  SubmitJobCommand,
  TerminateJobCommand,
} from "@aws-sdk/client-batch";
import { GetLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import {
  DescribeInstancesCommand,
  DescribeInstanceTypesCommand,
  DescribeLaunchTemplateVersionsCommand,
  DescribeRouteTablesCommand,
  GetConsoleOutputCommand,
} from "@aws-sdk/client-ec2";
import { DescribeContainerInstancesCommand, ListContainerInstancesCommand } from "@aws-sdk/client-ecs";
import { GetRoleCommand, ListAttachedRolePoliciesCommand } from "@aws-sdk/client-iam";
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { SMOKE_JOB_DEFINITION, SMOKE_TAG } from "../../doctor/smoke";
import * as F from "./fixtures";
import { awsError, createMocks, denied, doctor, healthy, RUN_ID, smokeReport, type Mocks } from "./harness";

const ids = (r: { stdout: string }) =>
  [...r.stdout.matchAll(/(ERROR|warn ) \[([a-z0-9-]+)\]/g)].map((m) => `${m[1].trim()} ${m[2]}`);
const finding = (r: { stdout: string }, id: string) => {
  const at = r.stdout.indexOf(`[${id}]`);
  assert.ok(at >= 0, `expected finding ${id} in:\n${r.stdout}`);
  const i = r.stdout.lastIndexOf("\n", at) + 1;
  const next = r.stdout.slice(i + 1).search(/\n {2}(ERROR|warn ) \[|\n\n/);
  return r.stdout.slice(i, next < 0 ? undefined : i + 1 + next);
};

describe("doctor: end to end against aws-sdk-client-mock", () => {
  let m: Mocks;
  before(() => {
    m = createMocks();
  });
  beforeEach(() => healthy(m));
  after(() => Object.values(m).forEach((x) => x.restore()));

  describe("a healthy stack", () => {
    it("passes every state check, exits 0, and makes no change to the account", async () => {
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.deepEqual(ids(r), []);
      for (const line of [
        `ok  queue ${F.SPOT_QUEUE}: VALID, ENABLED, priority 10, runs on ${F.SPOT_CE}`,
        `ok  queue ${F.OD_QUEUE}: VALID, ENABLED, priority 5, runs on ${F.OD_CE}`,
        `ok  compute environment ${F.SPOT_CE}: VALID, ENABLED, SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5, vCPUs 0 wanted of max 1024`,
        `ok  compute environment ${F.SPOT_CE}: launch template nextflow-hosts-0a1b2c3 version 2 (the latest)`,
        `ok  subnet ${F.SUBNETS[0]}: internet via NAT gateway ${F.NAT} (rtb-1f382e7d)`,
        `ok  subnet ${F.SUBNETS[1]}: S3 through gateway endpoint ${F.S3_ENDPOINT}`,
        "ok  job role nextflow-access-job-5e6f7a8: exists, trusted by ECS tasks",
        "ok  nextflowConfig: matches the stack's outputs",
      ]) {
        assert.ok(r.stdout.includes(line), `missing: ${line}\n${r.stdout}`);
      }
      assert.match(r.stdout, /Healthy: stack dev in us-east-1 \(add --smoke/);
      assert.equal(m.batch.commandCalls(RegisterJobDefinitionCommand).length, 0);
      assert.equal(m.batch.commandCalls(SubmitJobCommand).length, 0);
      // The stack file's profile and region were used; the queues were asked for by name.
      assert.deepEqual(m.batch.commandCalls(DescribeJobQueuesCommand)[0].args[0].input, {
        jobQueues: [F.SPOT_QUEUE, F.OD_QUEUE],
      });
      assert.equal(await m.sts.call(0).thisValue.config.region(), F.REGION);
    });

    it("without an on-demand queue checks the spot queue only", async () => {
      m.batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE)] });
      const r = await doctor(["--stack", "dev"], { outputs: F.stackOutputs({ onDemand: false }) });
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(m.batch.commandCalls(DescribeJobQueuesCommand)[0].args[0].input, {
        jobQueues: [F.SPOT_QUEUE],
      });
    });

    it("reads the outputs with `pulumi stack output --json --stack dev` when no file is given", async () => {
      const calls: string[][] = [];
      const r = await doctor(["--stack", "dev"], {
        useOutputsFile: false,
        exec: async (file, args) => {
          calls.push([file, ...args]);
          return { stdout: JSON.stringify(F.stackOutputs()), stderr: "" };
        },
      });
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(calls, [["pulumi", "stack", "output", "--json", "--stack", "dev"]]);
    });

    it("without the stack file (another machine, --outputs): the default credential chain, no preset check", async () => {
      m.s3.on(GetObjectCommand).callsFake(() => ({
        Body: { transformToString: async () => smokeReport("/dev/nvme0n1p1", "xfs", 31457280) },
      }));
      const r = await doctor(["--stack", "dev", "--smoke", "--json"], { stackFile: null });
      assert.equal(r.code, 0, r.stderr);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.profile, undefined);
      assert.deepEqual(doc.findings, [], "a 30 GiB root is not judged without the preset");
    });

    it("--help prints the usage and the permissions it needs", async () => {
      const r = await doctor(["--help"], { useOutputsFile: false });
      assert.equal(r.code, 0);
      assert.match(r.stdout, /^usage: npm run doctor -- --stack <name>/);
      assert.match(r.stdout, /exit codes: 0 healthy, 1 findings, 2 bad arguments/);
      assert.match(
        r.stdout,
        /The doctor needs the launcher policy's permissions plus: batch:DeregisterJobDefinition/,
      );
    });

    it("--json prints one JSON document on stdout and the progress on stderr", async () => {
      const r = await doctor(["--stack", "dev", "--json"]);
      assert.equal(r.code, 0);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.healthy, true);
      assert.equal(doc.exitCode, 0);
      assert.equal(doc.region, F.REGION);
      assert.equal(doc.account, F.ACCOUNT);
      assert.equal(doc.profile, "smith-lab");
      assert.deepEqual(doc.findings, []);
      assert.ok(doc.passed.length >= 10);
      assert.ok(doc.permissions.extra.some((p: any) => p.action === "ec2:GetConsoleOutput"));
      assert.match(r.stderr, /Checking the job queues/);
    });
  });

  describe("--smoke", () => {
    it("registers a Nextflow-like job definition, runs one job per queue, shows each transition, reads the report and cleans up", async () => {
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 0, r.stdout);

      const reg = m.batch.commandCalls(RegisterJobDefinitionCommand);
      assert.equal(reg.length, 1);
      assert.deepEqual(reg[0].args[0].input, {
        jobDefinitionName: SMOKE_JOB_DEFINITION,
        type: "container",
        containerProperties: {
          image: "public.ecr.aws/amazonlinux/amazonlinux:2023",
          command: ["true"],
          resourceRequirements: [
            { type: "VCPU", value: "1" },
            { type: "MEMORY", value: "1024" },
          ],
          jobRoleArn: F.JOB_ROLE_ARN,
          logConfiguration: {
            logDriver: "awslogs",
            options: { "awslogs-region": F.REGION, "awslogs-group": F.LOG_GROUP },
          },
          volumes: [{ name: "aws-cli", host: { sourcePath: "/opt/aws-cli" } }],
          mountPoints: [{ sourceVolume: "aws-cli", containerPath: "/opt/aws-cli", readOnly: true }],
        },
        tags: { [SMOKE_TAG]: RUN_ID },
      });
      assert.ok(SMOKE_JOB_DEFINITION.startsWith("nf-"), "the launcher policy allows job-definition/nf-*");

      const submits = m.batch.commandCalls(SubmitJobCommand).map((c) => c.args[0].input);
      assert.deepEqual(
        submits.map((s) => s.jobQueue),
        [F.SPOT_QUEUE, F.OD_QUEUE],
      );
      for (const s of submits) {
        assert.equal(
          s.jobDefinition,
          `arn:aws:batch:${F.REGION}:${F.ACCOUNT}:job-definition/nf-nextflow-batch-doctor:7`,
        );
        assert.deepEqual(s.containerOverrides?.command?.slice(0, 4), ["bash", "-o", "pipefail", "-c"]);
        assert.match(s.containerOverrides!.command![4], /cli='\/opt\/aws-cli\/bin\/aws'/);
        assert.match(
          s.containerOverrides!.command![4],
          new RegExp(`url='s3://${F.BUCKET}/work/.nextflow-batch-doctor/${RUN_ID}/(spot|onDemand).txt'`),
        );
        assert.deepEqual(s.tags, { [SMOKE_TAG]: RUN_ID });
      }

      for (const line of [
        `10:00:00  ${F.SPOT_QUEUE}: SUBMITTED (job 876da822-4198-45f2-a252-6cea32512ea8)`,
        `10:00:10  ${F.SPOT_QUEUE}: RUNNABLE (+10 s)`,
        `10:00:20  ${F.OD_QUEUE}: STARTING (+20 s)`,
        `10:00:30  ${F.SPOT_QUEUE}: RUNNING (+30 s)`,
        `10:00:40  ${F.OD_QUEUE}: SUCCEEDED (+40 s)`,
        `${F.SPOT_QUEUE}: SUCCEEDED (job 876da822-4198-45f2-a252-6cea32512ea8)  SUBMITTED +0s -> RUNNABLE +10s -> STARTING +20s -> RUNNING +30s -> SUCCEEDED +40s`,
        "container root overlay: 999.5 GiB, 995.7 GiB free; Docker data on xfs /dev/nvme0n1p1",
      ]) {
        assert.ok(r.stdout.includes(line), `missing: ${line}\n${r.stdout}`);
      }
      assert.equal(r.slept, 40_000, "waits come from the injected sleep");

      assert.deepEqual(
        m.s3.commandCalls(GetObjectCommand).map((c) => c.args[0].input.Key),
        [
          `work/.nextflow-batch-doctor/${RUN_ID}/spot.txt`,
          `work/.nextflow-batch-doctor/${RUN_ID}/onDemand.txt`,
        ],
      );
      // Cleanup: the run's objects and the job definition; nothing to terminate.
      assert.deepEqual(m.s3.commandCalls(ListObjectsV2Command)[0].args[0].input, {
        Bucket: F.BUCKET,
        Prefix: `work/.nextflow-batch-doctor/${RUN_ID}/`,
      });
      assert.equal(m.s3.commandCalls(DeleteObjectCommand).length, 2);
      assert.deepEqual(m.batch.commandCalls(DeregisterJobDefinitionCommand)[0].args[0].input, {
        jobDefinition: `arn:aws:batch:${F.REGION}:${F.ACCOUNT}:job-definition/nf-nextflow-batch-doctor:7`,
      });
      assert.equal(m.batch.commandCalls(TerminateJobCommand).length, 0);
    });

    it("--json carries each job's timeline and report", async () => {
      const r = await doctor(["--stack", "dev", "--smoke", "--json"]);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.exitCode, 0);
      const spot = doc.smoke.jobs.find((j: any) => j.queue === F.SPOT_QUEUE);
      assert.deepEqual(
        spot.timeline.map((t: any) => [t.status, t.afterSeconds, t.at]),
        [
          ["SUBMITTED", 0, "2026-12-01T10:00:00.000Z"],
          ["RUNNABLE", 10, "2026-12-01T10:00:10.000Z"],
          ["STARTING", 20, "2026-12-01T10:00:20.000Z"],
          ["RUNNING", 30, "2026-12-01T10:00:30.000Z"],
          ["SUCCEEDED", 40, "2026-12-01T10:00:40.000Z"],
        ],
      );
      assert.equal(spot.report.dockerFs, "xfs");
      assert.equal(spot.report.rootKiB, 1048064000);
    });

    it("a job that fails because the CLI is missing in the container: explained from its log, and cleaned up", async () => {
      healthy(m, {
        jobs: {
          [F.SPOT_QUEUE]: {
            path: ["SUBMITTED", "RUNNABLE", "STARTING", "RUNNING", "FAILED"],
            detail: {
              statusReason: "Essential container in task exited",
              container: { exitCode: 3, logStreamName: "nf/default/abc" },
            },
          },
        },
      });
      m.logs.on(GetLogEventsCommand).resolves({
        events: [
          {
            timestamp: 1,
            message:
              "nextflow-batch-doctor: FAIL cli-missing: /opt/aws-cli/bin/aws does not exist in the container: the host has no AWS CLI there, or /opt/aws-cli was not mounted",
          },
        ],
      });
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), ["ERROR smoke-failed"]);
      const f = finding(r, "smoke-failed");
      assert.match(f, /the AWS CLI is not at \/opt\/aws-cli\/bin\/aws inside the task container/);
      assert.match(f, /reason: Essential container in task exited/);
      assert.match(f, /exit code: 3/);
      assert.match(
        r.stdout,
        new RegExp(`${F.SPOT_QUEUE}: FAILED \\(\\+40 s\\): Essential container in task exited`),
      );
      assert.deepEqual(m.logs.commandCalls(GetLogEventsCommand)[0].args[0].input, {
        logGroupName: F.LOG_GROUP,
        logStreamName: "nf/default/abc",
        startFromHead: true,
        limit: 200,
      });
      // The other queue still passed, and everything was cleaned up.
      assert.match(r.stdout, new RegExp(`ok  smoke job on ${F.OD_QUEUE}: SUCCEEDED`));
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 1);
      assert.equal(m.s3.commandCalls(ListObjectsV2Command).length, 1);
    });

    it("a job whose container never started has no log stream: still explained", async () => {
      healthy(m, {
        jobs: {
          [F.SPOT_QUEUE]: {
            path: ["SUBMITTED", "STARTING", "FAILED"],
            detail: {
              statusReason: "Task failed to start",
              container: {
                logStreamName: "never-created",
                reason:
                  'CannotStartContainerError: Error response from daemon: error mounting "/opt/aws-cli" to rootfs: no such file or directory',
              },
            },
          },
        },
      });
      m.logs
        .on(GetLogEventsCommand)
        .rejects(awsError("ResourceNotFoundException", "The specified log stream does not exist."));
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.match(finding(r, "smoke-failed"), /mounting \/opt\/aws-cli from the host failed/);
    });

    it("a report object that is not there: the report comes from the job's log", async () => {
      m.s3.on(GetObjectCommand).rejects(awsError("NoSuchKey", "The specified key does not exist."));
      m.logs.on(GetLogEventsCommand).resolves({
        events: smokeReport("/dev/md0")
          .trim()
          .split("\n")
          .map((l) => ({ message: `nextflow-batch-doctor: ${l}` })),
      });
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /Docker data on xfs \/dev\/md0/);
    });

    it("a job that fails to pull its image says so", async () => {
      healthy(m, {
        jobs: {
          [F.OD_QUEUE]: {
            path: ["SUBMITTED", "RUNNABLE", "STARTING", "FAILED"],
            detail: {
              statusReason: "Task failed to start",
              container: {
                reason:
                  'CannotPullContainerError: Error response from daemon: Get "https://public.ecr.aws/v2/": dial tcp 99.83.145.10:443: i/o timeout',
              },
            },
          },
        },
      });
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.match(
        finding(r, "smoke-failed"),
        /could not pull public\.ecr\.aws\/amazonlinux\/amazonlinux:2023/,
      );
    });

    it("a job the job role cannot write for: a 403 from S3, explained", async () => {
      healthy(m, {
        jobs: {
          [F.SPOT_QUEUE]: {
            path: ["SUBMITTED", "RUNNING", "FAILED"],
            detail: {
              statusReason: "Essential container in task exited",
              container: { exitCode: 5, logStreamName: "s" },
            },
          },
        },
      });
      m.logs.on(GetLogEventsCommand).resolves({
        events: [
          { message: "nextflow-batch-doctor: cli aws-cli/2.22.0" },
          {
            message: `nextflow-batch-doctor: FAIL s3-write: could not write s3://${F.BUCKET}/work/x: upload failed: An error occurred (AccessDenied) when calling the PutObject operation: Access Denied`,
          },
        ],
      });
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.match(
        finding(r, "smoke-failed"),
        /could not write an object in the work bucket: the job role is not allowed to use the work bucket \(403\)/,
      );
    });

    it("a job stuck in RUNNABLE: explained while waiting, stopped at the timeout, and cleaned up", async () => {
      healthy(m, { jobs: { [F.SPOT_QUEUE]: { path: ["SUBMITTED", "RUNNABLE"] } } });
      // Batch asked for hosts, EC2 launched none: the vCPU quota (Auto Scaling says so).
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, {}, { desiredvCpus: 2 }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      m.autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
        AutoScalingGroups: [
          {
            AutoScalingGroupName: `AWSBatch-${F.SPOT_CE}-asg-640012bd`,
            MinSize: 0,
            MaxSize: 10,
            DesiredCapacity: 1,
            DefaultCooldown: 300,
            AvailabilityZones: [],
            HealthCheckType: "EC2",
            CreatedTime: F.NOW,
          },
          {
            AutoScalingGroupName: "someone-elses-asg",
            MinSize: 0,
            MaxSize: 1,
            DesiredCapacity: 0,
            DefaultCooldown: 300,
            AvailabilityZones: [],
            HealthCheckType: "EC2",
            CreatedTime: F.NOW,
          },
        ],
      });
      m.autoscaling
        .on(DescribeScalingActivitiesCommand)
        .resolves({ Activities: [F.failedActivity(F.VCPU_LIMIT_MESSAGE)] });
      const r = await doctor([
        "--stack",
        "dev",
        "--smoke",
        "--timeout-minutes",
        "20",
        "--runnable-minutes",
        "5",
      ]);
      assert.equal(r.code, 1, r.stdout);
      assert.match(
        r.stdout,
        new RegExp(`${F.SPOT_QUEUE}: still RUNNABLE after 1 min 10 s \\(Batch is starting a host`),
      );
      assert.match(r.stdout, new RegExp(`${F.SPOT_QUEUE}: why it waits: .*the account's vCPU quota`));
      const f = finding(r, "smoke-timeout");
      assert.match(f, /still RUNNABLE after 20 min, so the doctor stopped it\. Why it waited: .*vCPU quota/);
      assert.match(
        f,
        /\| .*Failed: You have requested more vCPU capacity than your current vCPU limit of 32/,
      );
      assert.deepEqual(
        m.autoscaling
          .commandCalls(DescribeScalingActivitiesCommand)
          .map((c) => c.args[0].input.AutoScalingGroupName),
        [
          `AWSBatch-${F.SPOT_CE}-asg-640012bd`,
          `AWSBatch-${F.SPOT_CE}-asg-640012bd`,
          `AWSBatch-${F.SPOT_CE}-asg-640012bd`,
        ],
      );
      const term = m.batch.commandCalls(TerminateJobCommand).map((c) => c.args[0].input.jobId);
      assert.deepEqual(term, ["876da822-4198-45f2-a252-6cea32512ea8"]);
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 1);
      assert.equal(m.s3.commandCalls(ListObjectsV2Command).length, 1);
      assert.ok(r.slept >= 20 * 60_000 && r.slept <= 20 * 60_000 + 10_000, `slept ${r.slept}`);
    });

    it("Ctrl-C while waiting: stops the jobs, cleans up, exits 130", async () => {
      const r = await doctor(["--stack", "dev", "--smoke"], { interruptAtSleep: 2 });
      assert.equal(r.code, 130);
      assert.match(
        r.stderr,
        /interrupted: the smoke jobs were stopped and what the smoke test made was removed/,
      );
      assert.deepEqual(
        m.batch.commandCalls(TerminateJobCommand).map((c) => c.args[0].input.reason),
        ["nextflow-batch doctor: smoke test cleanup", "nextflow-batch doctor: smoke test cleanup"],
      );
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 1);
      assert.equal(m.s3.commandCalls(DeleteObjectCommand).length, 2);
      assert.doesNotMatch(r.stdout, /Findings:|Healthy/);
    });

    it("cleans up after a failure in the middle (DescribeJobs throws): the job is stopped and the definition removed", async () => {
      m.batch.on(DescribeJobsCommand).rejects(awsError("ServerException", "Internal error"));
      await assert.rejects(() => doctor(["--stack", "dev", "--smoke"]), /Internal error/);
      assert.equal(m.batch.commandCalls(TerminateJobCommand).length, 2);
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 1);
      assert.equal(m.s3.commandCalls(DeleteObjectCommand).length, 2);
    });

    it("when the launcher permission to register is missing: names batch:RegisterJobDefinition and submits nothing", async () => {
      m.batch.on(RegisterJobDefinitionCommand).rejects(denied("batch:RegisterJobDefinition"));
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      const f = finding(r, "permission-denied");
      assert.match(f, /ERROR \[permission-denied\] batch:RegisterJobDefinition/);
      assert.match(f, /Nextflow run as this identity would fail too/);
      assert.match(f, new RegExp(`attach the launcher policy ${F.LAUNCHER_ARN}`));
      assert.equal(m.batch.commandCalls(SubmitJobCommand).length, 0);
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 0);
    });

    it("when the jobs cannot be watched (no batch:DescribeJobs), says so, stops them and cleans up", async () => {
      m.batch.on(DescribeJobsCommand).rejects(denied("batch:DescribeJobs"));
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), ["ERROR permission-denied"]);
      assert.match(finding(r, "permission-denied"), /may not call batch:DescribeJobs/);
      assert.equal(m.batch.commandCalls(TerminateJobCommand).length, 2);
      assert.equal(m.batch.commandCalls(DeregisterJobDefinitionCommand).length, 1);
    });

    it("iam:PassRole denied at registration is named as such", async () => {
      m.batch
        .on(RegisterJobDefinitionCommand)
        .rejects(
          awsError(
            "ClientException",
            `User: arn:aws:iam::${F.ACCOUNT}:user/Alice is not authorized to perform: iam:PassRole on resource: ${F.JOB_ROLE_ARN}`,
          ),
        );
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 1);
      assert.match(r.stdout, /ERROR \[permission-denied\] iam:PassRole/);
    });

    it("cleanup the doctor may not do (no batch:DeregisterJobDefinition) is a warning with the command to run", async () => {
      m.batch.on(DeregisterJobDefinitionCommand).rejects(denied("batch:DeregisterJobDefinition"));
      const r = await doctor(["--stack", "dev", "--smoke"]);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(ids(r).sort(), ["warn cleanup-incomplete", "warn permission-denied"]);
      assert.match(
        finding(r, "cleanup-incomplete"),
        /aws batch deregister-job-definition --job-definition nf-nextflow-batch-doctor:7/,
      );
      assert.match(
        finding(r, "permission-denied"),
        /batch:DeregisterJobDefinition, which the doctor needs beyond the launcher policy/,
      );
    });

    it("on an NVMe preset, Docker data on the root volume is a storage warning", async () => {
      m.s3.on(GetObjectCommand).callsFake(() => ({
        Body: { transformToString: async () => smokeReport("/dev/nvme0n1p1", "xfs", 104806400) },
      }));
      const r = await doctor(["--stack", "dev", "--smoke"], {
        stackFile: `config:\n  aws:region: ${F.REGION}\n  nextflow-batch:preset: m5d-nvme\n`,
      });
      assert.equal(r.code, 0);
      assert.match(
        finding(r, "smoke-storage"),
        /Docker data is on xfs \/dev\/nvme0n1p1, not the NVMe instance store/,
      );
    });

    it("on an NVMe preset, the RAID behind the container passes", async () => {
      m.s3.on(GetObjectCommand).callsFake(() => ({
        Body: { transformToString: async () => smokeReport("/dev/md0", "xfs", 1153433600) },
      }));
      const r = await doctor(["--stack", "dev", "--smoke"], {
        stackFile: `config:\n  aws:region: ${F.REGION}\n  nextflow-batch:preset: m5d-nvme\n`,
      });
      assert.equal(r.code, 0);
      assert.deepEqual(ids(r), []);
      assert.match(r.stdout, /Docker data on xfs \/dev\/md0/);
    });
  });

  describe("state findings", () => {
    it("an INVALID compute environment, with AWS's reason and a fix", async () => {
      const reason =
        "CLIENT_ERROR - Instance profile arn:aws:iam::012345678910:instance-profile/nextflow-access-instance-2b3c4d5 does not exist";
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, { status: "INVALID", statusReason: reason }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      const f = finding(r, "ce-invalid");
      assert.match(f, new RegExp(`compute environment ${F.SPOT_CE}`));
      assert.ok(f.includes(`AWS says: ${reason}`));
      assert.match(f, /Fix: the hosts' instance profile is missing or wrong/);
    });

    it("a DISABLED queue with no compute environment", async () => {
      m.batch.on(DescribeJobQueuesCommand).resolves({
        jobQueues: [
          F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, { state: "DISABLED", computeEnvironmentOrder: [] }),
          F.jobQueue(F.OD_QUEUE, F.OD_CE),
        ],
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), ["ERROR queue-disabled", "ERROR queue-not-wired"]);
    });

    it("a queue that does not exist (destroyed stack, or another region)", async () => {
      m.batch.on(DescribeJobQueuesCommand).resolves({ jobQueues: [F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE)] });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.match(
        finding(r, "queue-missing"),
        new RegExp(`queue ${F.OD_QUEUE}\\n.*does not exist in us-east-1`),
      );
    });

    it("a launch template version behind the latest, and a missing template", async () => {
      m.ec2
        .on(DescribeLaunchTemplateVersionsCommand)
        .resolves({ LaunchTemplateVersions: F.launchTemplateVersions(3) });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0);
      assert.match(
        finding(r, "launch-template-outdated"),
        /uses version 2 of launch template nextflow-hosts-0a1b2c3, but the template's latest is 3/,
      );

      m.ec2
        .on(DescribeLaunchTemplateVersionsCommand)
        .rejects(
          Object.assign(
            awsError(
              "InvalidLaunchTemplateId.NotFound",
              "The specified launch template, with template ID lt-068f72b72934aff71, does not exist.",
            ),
            { Code: "InvalidLaunchTemplateId.NotFound" },
          ),
        );
      const gone = await doctor(["--stack", "dev"]);
      assert.equal(gone.code, 1);
      assert.match(
        finding(gone, "launch-template-missing"),
        /its launch template lt-068f72b72934aff71 does not exist/,
      );
    });

    it("no route to the internet, a blackholed NAT route, and no S3 endpoint", async () => {
      m.ec2.on(DescribeRouteTablesCommand).callsFake((input) => {
        const subnet = input.Filters?.find((x: any) => x.Name === "association.subnet-id")?.Values[0];
        if (subnet === F.SUBNETS[0])
          return {
            RouteTables: [
              F.routeTable(subnet, [
                { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
              ]),
            ],
          };
        if (subnet === F.SUBNETS[1])
          return {
            RouteTables: [
              F.routeTable(subnet, [
                { DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: F.NAT, State: "blackhole" },
              ]),
            ],
          };
        return { RouteTables: [] };
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);

      assert.deepEqual(ids(r), [
        "ERROR no-internet-route",
        "ERROR internet-route-blackhole",
        "warn no-s3-endpoint",
        "warn no-s3-endpoint",
      ]);
      assert.match(
        finding(r, "internet-route-blackhole"),
        new RegExp(`sends 0.0.0.0/0 to ${F.NAT}, which is gone`),
      );
    });

    it("a subnet with no route table of its own uses the VPC's main table", async () => {
      m.ec2
        .on(DescribeRouteTablesCommand)
        .callsFake((input) =>
          input.Filters?.some((x: any) => x.Name === "association.main")
            ? { RouteTables: [F.routeTable("main")] }
            : { RouteTables: [] },
        );
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, r.stdout);
      const main = m.ec2
        .commandCalls(DescribeRouteTablesCommand)
        .filter((c) => c.args[0].input.Filters?.some((f) => f.Name === "association.main"));
      assert.deepEqual(main[0].args[0].input.Filters, [
        { Name: "vpc-id", Values: [F.VPC] },
        { Name: "association.main", Values: ["true"] },
      ]);
    });

    it("a host role without the ECS policy and a job role ECS tasks cannot assume", async () => {
      m.iam.on(ListAttachedRolePoliciesCommand).resolves({ AttachedPolicies: [] });
      m.iam.on(GetRoleCommand).resolves({ Role: F.jobRole("ec2.amazonaws.com") });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), ["ERROR instance-role-wrong", "ERROR job-role-wrong"]);
      assert.match(finding(r, "instance-role-wrong"), /lacks the AmazonEC2ContainerServiceforEC2Role policy/);
      assert.match(finding(r, "job-role-wrong"), /does not trust ecs-tasks\.amazonaws\.com/);
    });

    it("a job role that does not exist", async () => {
      m.iam
        .on(GetRoleCommand)
        .rejects(
          awsError(
            "NoSuchEntityException",
            "The role with name nextflow-access-job-5e6f7a8 cannot be found.",
          ),
        );
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.match(finding(r, "job-role-wrong"), /the job role \(aws\.batch\.jobRole\) does not exist/);
    });

    it("hosts that never joined the cluster: their bootstrap lines from the console output", async () => {
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, {}, { desiredvCpus: 2 }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      m.ec2.on(DescribeInstancesCommand).callsFake((input) =>
        input.Filters?.[0]?.Values?.[0] === `AWSBatch-${F.SPOT_CE}-asg-*`
          ? {
              Reservations: [
                { Instances: [F.host("i-0aaa1111bbbb22223", 25), F.host("i-0ccc3333dddd44445", 3)] },
              ],
            }
          : { Reservations: [] },
      );
      m.ec2.on(GetConsoleOutputCommand).resolves({
        InstanceId: "i-0aaa1111bbbb22223",
        Output: Buffer.from(F.FAILED_BOOT_CONSOLE).toString("base64"),
        Timestamp: F.NOW,
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      const f = finding(r, "hosts-not-registered");
      assert.match(f, /1 host started over 10 minutes ago but never joined the ECS cluster/);
      assert.match(
        f,
        /The bootstrap failed: ERROR: could not download https:\/\/awscli\.amazonaws\.com\/awscli-exe-linux-x86_64\.zip after 5 attempts \(no internet route or NAT\?\)/,
      );
      assert.match(f, /\| i-0aaa1111bbbb22223 \(m5\.large, up 25 min\):/);
      assert.match(
        f,
        /\| {3}2026-12-01T09:21:40Z \[aws-cli\] download of https:\/\/awscli\.amazonaws\.com\/awscli-exe-linux-x86_64\.zip failed \(try 1\); retrying in 5s/,
      );
      assert.match(f, /\| {3}\(console\) \[aws-cli\] ERROR: could not download/);
      // Only the old unregistered host's console was fetched; the young one is still booting.
      assert.deepEqual(
        m.ec2.commandCalls(GetConsoleOutputCommand).map((c) => c.args[0].input),
        [{ InstanceId: "i-0aaa1111bbbb22223", Latest: true }],
      );
      assert.deepEqual(m.ecs.commandCalls(ListContainerInstancesCommand)[0].args[0].input, {
        cluster: F.CLUSTER(F.SPOT_CE),
        nextToken: undefined,
      });
    });

    it("hosts that joined the cluster are not reported", async () => {
      m.ec2
        .on(DescribeInstancesCommand)
        .callsFake((input) =>
          input.Filters?.[0]?.Values?.[0] === `AWSBatch-${F.SPOT_CE}-asg-*`
            ? { Reservations: [{ Instances: [F.host("i-0aaa1111bbbb22223", 25)] }] }
            : { Reservations: [] },
        );
      m.ecs.on(ListContainerInstancesCommand).resolves({
        containerInstanceArns: [
          `arn:aws:ecs:us-east-1:${F.ACCOUNT}:container-instance/default/f2756532-8f13-4d53-87c9-aed50dc94cd7`,
        ],
      });
      // ECS API reference, DescribeContainerInstances, "To describe container instance".
      m.ecs.on(DescribeContainerInstancesCommand).resolves({
        containerInstances: [
          {
            agentConnected: true,
            containerInstanceArn: `arn:aws:ecs:us-east-1:${F.ACCOUNT}:container-instance/default/f2756532-8f13-4d53-87c9-aed50dc94cd7`,
            ec2InstanceId: "i-0aaa1111bbbb22223",
            pendingTasksCount: 0,
            runningTasksCount: 0,
            status: "ACTIVE",
          },
        ],
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, r.stdout);
      assert.match(
        r.stdout,
        new RegExp(`ok  compute environment ${F.SPOT_CE}: 1 host running, 1 joined the ECS cluster`),
      );
      assert.equal(m.ec2.commandCalls(GetConsoleOutputCommand).length, 0);
    });
  });

  describe("why jobs wait", () => {
    const waiting = (m: Mocks, job = F.runnableJob()) => {
      m.batch.on(ListJobsCommand).callsFake((input) =>
        input.jobQueue === F.SPOT_QUEUE && input.jobStatus === "RUNNABLE"
          ? {
              jobSummaryList: [
                { jobId: job.jobId, jobName: job.jobName, createdAt: job.createdAt, status: "RUNNABLE" },
              ],
            }
          : { jobSummaryList: [] },
      );
      m.batch.on(DescribeJobsCommand).resolves({ jobs: [job] });
    };

    it("a job asking for more memory than any allowed instance has", async () => {
      waiting(
        m,
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "8" },
              { type: "MEMORY", value: "524288" },
            ],
          },
        ),
      );
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      const f = finding(r, "job-too-big");
      assert.match(
        f,
        /RUNNABLE for 45 min: it asks for 8 vCPUs and 524288 MiB, but the largest instance its compute environments may launch \(m5\.24xlarge\) has 96 vCPUs and 393216 MiB/,
      );
      assert.deepEqual(m.ec2.commandCalls(DescribeInstanceTypesCommand)[0].args[0].input, {
        Filters: [{ Name: "instance-type", Values: ["m5.*"] }],
        NextToken: undefined,
      });
    });

    it("a job in an environment already at its maxVcpus", async () => {
      waiting(m);
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, {}, { desiredvCpus: 1024 }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      m.ec2
        .on(DescribeInstancesCommand)
        .resolves({ Reservations: [{ Instances: [F.host("i-0aaa1111bbbb22223", 30)] }] });
      m.ecs.on(ListContainerInstancesCommand).resolves({ containerInstanceArns: ["arn:ci/1"] });
      m.ecs
        .on(DescribeContainerInstancesCommand)
        .resolves({ containerInstances: [{ ec2InstanceId: "i-0aaa1111bbbb22223" }] });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, "a full environment is a warning, not a fault");
      assert.match(
        finding(r, "ce-at-max-vcpus"),
        /already runs at its maxVcpus \(1024\/1024\), so the job waits for others to finish/,
      );
    });

    it("no host launched at all: EC2's spot-capacity message", async () => {
      waiting(m);
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, {}, { desiredvCpus: 4 }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      m.autoscaling.on(DescribeAutoScalingGroupsCommand).resolves({
        AutoScalingGroups: [
          {
            AutoScalingGroupName: `AWSBatch-${F.SPOT_CE}-asg-1`,
            MinSize: 0,
            MaxSize: 1,
            DesiredCapacity: 1,
            DefaultCooldown: 1,
            AvailabilityZones: [],
            HealthCheckType: "EC2",
            CreatedTime: F.NOW,
          },
        ],
      });
      m.autoscaling.on(DescribeScalingActivitiesCommand).resolves({
        Activities: [
          F.failedActivity(
            "Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request. Launching EC2 instance failed.",
          ),
        ],
      });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, "spot capacity comes back: a warning");
      const f = finding(r, "no-hosts-launched");
      assert.match(
        f,
        /Batch asked EC2 for 4 vCPUs in nextflow-batch-spot-4c1d2e3, but no host has started\. Usually there is no spot capacity.*\(EC2 says so below\)/,
      );
      assert.match(f, /\| .*Failed: Could not launch Spot Instances\. InsufficientInstanceCapacity/);
    });

    it("Batch's own blocked reason when the scaling activities cannot be read", async () => {
      waiting(
        m,
        F.runnableJob({
          statusReason:
            "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [m5.large]",
        }),
      );
      m.batch.on(DescribeComputeEnvironmentsCommand).resolves({
        computeEnvironments: [
          F.computeEnvironment(F.SPOT_CE, {}, { desiredvCpus: 4 }),
          F.computeEnvironment(F.OD_CE),
        ],
      });
      m.autoscaling
        .on(DescribeAutoScalingGroupsCommand)
        .rejects(
          awsError(
            "AccessDenied",
            "User: arn:aws:iam::012345678910:user/Alice is not authorized to perform: autoscaling:DescribeAutoScalingGroups",
          ),
        );
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0);
      assert.match(
        finding(r, "no-hosts-launched"),
        /\| statusReason: CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type \[m5\.large\]/,
      );
      assert.match(
        finding(r, "permission-denied"),
        /warn {2}\[permission-denied\] autoscaling:DescribeAutoScalingGroups\n.*not checked: why no host started/,
      );
    });

    it("jobs waiting behind a blocked head job, counted past five", async () => {
      const head = F.runnableJob({
        jobId: "head",
        jobName: "head",
        statusReason:
          "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.",
      });
      const rest = Array.from({ length: 6 }, (_, i) => F.runnableJob({ jobId: `j${i}`, jobName: `j${i}` }));
      m.ec2.on(DescribeInstanceTypesCommand).resolves({ InstanceTypes: [] });
      m.batch.on(ListJobsCommand).callsFake((input) =>
        input.jobQueue === F.SPOT_QUEUE
          ? {
              jobSummaryList: [head, ...rest].map((j) => ({
                jobId: j.jobId,
                jobName: j.jobName,
                createdAt: j.createdAt,
              })),
            }
          : { jobSummaryList: [] },
      );
      m.batch.on(DescribeJobsCommand).resolves({ jobs: [head, ...rest] });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), [
        "ERROR job-too-big",
        "ERROR job-waiting",
        "warn job-waiting",
        "warn job-waiting",
        "warn job-waiting",
        "warn job-waiting",
      ]);
      assert.match(
        r.stdout,
        /it waits behind job head \(head\), which blocks the head of the queue: MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT/,
      );
      assert.match(r.stdout, /2 more jobs have been RUNNABLE over 10 min in this queue/);
    });

    it("only jobs older than --runnable-minutes are looked at", async () => {
      waiting(m, F.runnableJob({ createdAt: F.minutesAgo(3).getTime() }));
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0);
      assert.equal(m.batch.commandCalls(DescribeJobsCommand).length, 0);
      const r2 = await doctor(["--stack", "dev", "--runnable-minutes", "2"]);
      assert.match(finding(r2, "job-waiting"), /RUNNABLE for 3 min/);
    });
  });

  describe("permissions", () => {
    it("an extra the caller lacks (ec2:DescribeRouteTables) is a warning naming the action; the rest is checked", async () => {
      m.ec2
        .on(DescribeRouteTablesCommand)
        .rejects(
          awsError(
            "UnauthorizedOperation",
            "You are not authorized to perform this operation. User: arn:aws:iam::012345678910:user/Alice is not authorized to perform: ec2:DescribeRouteTables",
          ),
        );
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(ids(r), ["warn permission-denied"]);
      assert.match(
        finding(r, "permission-denied"),
        /ec2:DescribeRouteTables.*checks each subnet's route to the internet/s,
      );
      assert.match(
        r.stdout,
        /The doctor needs the launcher policy's permissions plus: batch:DeregisterJobDefinition, /,
      );
      assert.match(r.stdout, /ok {2}job role/);
    });

    it("a launcher permission the caller lacks is an error: Nextflow would fail too", async () => {
      m.batch.on(DescribeComputeEnvironmentsCommand).rejects(denied("batch:DescribeComputeEnvironments"));
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 1);
      assert.deepEqual(ids(r), ["ERROR permission-denied"]);
      assert.match(
        finding(r, "permission-denied"),
        /arn:aws:iam::012345678910:user\/Alice may not call batch:DescribeComputeEnvironments/,
      );
    });
  });

  describe("bad input and unreachable stacks: exit 2, one line", () => {
    const oneLine = (r: { stderr: string; stdout: string }) => {
      const lines = r.stderr.trim().split("\n");
      assert.equal(lines.length, 1, r.stderr);
      assert.match(lines[0], /^error: .*Fix: /);
      assert.doesNotMatch(r.stderr, /\n\s+at /, "no stack trace");
      return lines[0];
    };

    it("missing credentials", async () => {
      // The SDK's send() rejects like this when its provider chain finds nothing; the mock
      // replaces send(), so the rejection is staged there (the providers are tested in aws.spec.ts).
      m.sts
        .on(GetCallerIdentityCommand)
        .rejects(awsError("CredentialsProviderError", "Could not load credentials from any providers"));
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 2);
      assert.match(
        oneLine(r),
        /no AWS credentials for profile smith-lab: .*Fix: aws sso login --profile smith-lab/,
      );
    });

    it("expired credentials", async () => {
      m.sts
        .on(GetCallerIdentityCommand)
        .rejects(awsError("ExpiredToken", "The security token included in the request is expired"));
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 2);
      assert.match(oneLine(r), /credentials of profile smith-lab have expired \(ExpiredToken\)/);
    });

    it("a region that is not the stack's", async () => {
      const r = await doctor(["--stack", "dev", "--region", "eu-west-1"]);
      assert.equal(r.code, 2);
      assert.match(
        oneLine(r),
        /--region is eu-west-1, but the stack's queues are in us-east-1 .*Fix: use --region us-east-1/,
      );
      const r2 = await doctor(["--stack", "dev"], { stackFile: "config:\n  aws:region: eu-west-1\n" });
      assert.equal(r2.code, 2);
      assert.match(oneLine(r2), /aws:region in Pulumi\.dev\.yaml is eu-west-1/);
    });

    it("credentials for another account", async () => {
      m.sts
        .on(GetCallerIdentityCommand)
        .resolves({ Account: "123456789012", Arn: "arn:aws:iam::123456789012:user/Alice" });
      const r = await doctor(["--stack", "dev"]);
      assert.equal(r.code, 2);
      assert.match(oneLine(r), /are for account 123456789012, but stack dev is in account 012345678910/);
    });

    it("an undeployed stack (no outputs), a missing Pulumi CLI, an unknown stack", async () => {
      const empty = await doctor(["--stack", "dev"], { outputs: {} });
      assert.equal(empty.code, 2);
      assert.match(
        oneLine(empty),
        /stack dev has no outputs: it has not been deployed.*Fix: pulumi up --stack dev/,
      );

      const noCli = await doctor(["--stack", "dev"], {
        useOutputsFile: false,
        exec: async () => {
          throw Object.assign(new Error("spawn pulumi ENOENT"), { code: "ENOENT" });
        },
      });
      assert.equal(noCli.code, 2);
      assert.match(oneLine(noCli), /the Pulumi CLI is not installed here.*--outputs dev-outputs\.json/);

      const unknown = await doctor(["--stack", "dev"], {
        useOutputsFile: false,
        exec: async () => {
          throw Object.assign(new Error("exit 255"), {
            code: 255,
            stderr: "error: no stack named 'dev' found\n",
          });
        },
      });
      assert.equal(unknown.code, 2);
      assert.match(oneLine(unknown), /stack dev does not exist in the Pulumi backend you are logged in to/);
      assert.equal(
        m.sts.commandCalls(GetCallerIdentityCommand).length,
        0,
        "no AWS call before the outputs are known",
      );
    });

    it("with --json, the error is also a JSON document on stdout", async () => {
      const r = await doctor(["--stack", "dev", "--json", "--region", "eu-west-1"]);
      assert.equal(r.code, 2);
      const doc = JSON.parse(r.stdout);
      assert.equal(doc.exitCode, 2);
      assert.match(doc.error, /--region is eu-west-1/);
    });

    it("an outputs file with a broken value", async () => {
      const r = await doctor(["--stack", "dev"], {
        outputs: { ...F.stackOutputs(), spotQueueArn: "smith-lab-dev-spot" },
      });
      assert.equal(r.code, 2);
      assert.match(
        oneLine(r),
        /outputs\.json: spotQueueArn must be a Batch job queue ARN .*got "smith-lab-dev-spot"/,
      );
    });

    it("unknown flags and values", async () => {
      for (const [argv, want] of [
        [["--stack", "dev", "--smok"], /Unknown option '--smok'/],
        [["--smoke"], /--stack is required/],
        [
          ["--stack", "dev", "--timeout-minutes", "0"],
          /--timeout-minutes "0": must be a whole number of minutes from 1 to 240/,
        ],
        [["--stack", "d e v"], /--stack "d e v": a stack name must be/],
      ] as const) {
        const r = await doctor(argv, { useOutputsFile: false });
        assert.equal(r.code, 2, argv.join(" "));
        assert.match(r.stderr.split("\n")[0], want);
      }
    });
  });
});
