/**
 * Why a job waits in RUNNABLE: table-tested from AWS response shapes (DescribeJobs,
 * DescribeComputeEnvironments, DescribeInstanceTypes, DescribeScalingActivities examples in
 * fixtures.ts) and the statusReason texts of the Batch user guide, "Jobs stuck in a RUNNABLE
 * status" (job_stuck_in_runnable_capacity, _misconfiguration, _invalid_ce).
 */
import assert from "node:assert/strict";
import type { JobDetail } from "@aws-sdk/client-batch";
import {
  blockedCode,
  explainRunnable,
  hostFindings,
  jobRequest,
  launchFailureKind,
  REGISTER_GRACE_MINUTES,
  type EnvironmentView,
  type Host,
} from "../../doctor/rules/waiting";
import * as F from "./fixtures";

const SHAPES = F.m5Types().map((t) => ({
  instanceType: t.InstanceType!,
  vcpus: t.VCpuInfo!.DefaultVCpus!,
  memoryMiB: t.MemoryInfo!.SizeInMiB!,
}));
const env = (over: Partial<EnvironmentView> = {}, resources = {}, detail = {}): EnvironmentView => ({
  detail: F.computeEnvironment(F.SPOT_CE, detail, resources),
  shapes: SHAPES,
  hosts: [],
  activities: [],
  ...over,
});
const registered = (id: string, minutes: number): Host => ({
  instanceId: id,
  instanceType: "m5.large",
  state: "running",
  launchTime: F.minutesAgo(minutes),
  registered: true,
});
const unregistered = (id: string, minutes: number): Host => ({
  ...registered(id, minutes),
  registered: false,
});
const explain = (job: JobDetail, environments: EnvironmentView[], blockedHead?: JobDetail) =>
  explainRunnable({ job, environments, now: F.NOW, blockedHead });

// Batch user guide, "Jobs stuck in a RUNNABLE status": the statusReason while the job is stuck.
const REASONS = {
  capacity:
    "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY - Service cannot fulfill the capacity requested for instance type [m5.large]",
  maxResource:
    "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE - CE(s) associated with the job queue cannot meet the CPU requirement of the job.",
  requirement:
    "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT - The job resource requirement (vCPU/memory/GPU) is higher than that can be met by the CE(s) attached to the job queue.",
  invalid: "ACTION_REQUIRED - CE(s) associated with the job queue are invalid.",
};

describe("doctor rules: why jobs wait", () => {
  it("jobRequest reads resourceRequirements, else the deprecated vcpus/memory (DescribeJobs example)", () => {
    assert.deepEqual(jobRequest(F.runnableJob()), { vcpus: 2, memoryMiB: 4096, gpus: 0 });
    assert.deepEqual(
      jobRequest(F.runnableJob({}, { resourceRequirements: undefined, vcpus: 1, memory: 128 })),
      { vcpus: 1, memoryMiB: 128, gpus: 0 },
    );
  });

  it("blockedCode reads the code at the start of Batch's statusReason", () => {
    assert.equal(blockedCode(REASONS.capacity), "CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY");
    assert.equal(blockedCode(REASONS.invalid), "ACTION_REQUIRED");
    assert.equal(blockedCode("Essential container in task exited"), undefined);
    assert.equal(blockedCode(undefined), undefined);
  });

  it("launchFailureKind classifies EC2's scaling-activity messages", () => {
    const cases: [string, ReturnType<typeof launchFailureKind>][] = [
      [F.VCPU_LIMIT_MESSAGE, "quota"],
      [
        "Could not launch Spot Instances. MaxSpotInstanceCountExceeded - Max spot instance count exceeded. Launching EC2 instance failed.",
        "quota",
      ],
      [
        "Could not launch Spot Instances. InsufficientInstanceCapacity - There is no Spot capacity available that matches your request.",
        "capacity",
      ],
      [
        "We currently do not have sufficient m5.24xlarge capacity in the Availability Zone you requested (us-east-1a). insufficient capacity",
        "capacity",
      ],
      [
        "Could not launch Spot Instances. SpotMaxPriceTooLow - Your Spot request price of 0.01 is lower than the minimum required Spot request fulfillment price of 0.02.",
        "price",
      ],
      [
        "Invalid IamInstanceProfile: arn:aws:iam::012345678910:instance-profile/x. Launching EC2 instance failed.",
        "config",
      ],
      ["Something else happened", "other"],
    ];
    for (const [msg, want] of cases) assert.equal(launchFailureKind(msg), want, msg);
  });

  describe("explainRunnable: one finding per job, the most specific first", () => {
    const cases: [string, JobDetail, EnvironmentView[], string, RegExp][] = [
      [
        "the environment is INVALID",
        F.runnableJob(),
        [env({}, {}, { status: "INVALID", statusReason: "CLIENT_ERROR - x" })],
        "error ce-invalid",
        /is INVALID \(CLIENT_ERROR - x\)/,
      ],
      [
        "the environment is DISABLED",
        F.runnableJob(),
        [env({}, {}, { state: "DISABLED" })],
        "error ce-invalid",
        /is DISABLED/,
      ],
      [
        "more memory than the largest instance",
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "4" },
              { type: "MEMORY", value: "400000" },
            ],
          },
        ),
        [env()],
        "error job-too-big",
        /asks for 4 vCPUs and 400000 MiB, but the largest instance .* \(m5\.24xlarge\) has 96 vCPUs and 393216 MiB/,
      ],
      [
        "exactly the instance's memory (ECS keeps some) does not fit either",
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "96" },
              { type: "MEMORY", value: "393216" },
            ],
          },
        ),
        [env()],
        "error job-too-big",
        /ECS keeps some of each host's memory/,
      ],
      [
        "more vCPUs than the largest instance",
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "128" },
              { type: "MEMORY", value: "1024" },
            ],
          },
        ),
        [env()],
        "error job-too-big",
        /128 vCPUs/,
      ],
      [
        "Batch says JOB_RESOURCE_REQUIREMENT (instance types unknown)",
        F.runnableJob({ statusReason: REASONS.requirement }),
        [env({ shapes: undefined })],
        "error job-too-big",
        /AWS Batch says so/,
      ],
      [
        "more vCPUs than maxVcpus",
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "64" },
              { type: "MEMORY", value: "1024" },
            ],
          },
        ),
        [env({}, { maxvCpus: 32 })],
        "error job-over-max-vcpus",
        /asks for 64 vCPUs, more than its compute environment may ever run \(maxVcpus 32\)/,
      ],
      [
        "Batch says COMPUTE_ENVIRONMENT_MAX_RESOURCE",
        F.runnableJob({ statusReason: REASONS.maxResource }),
        [env({ shapes: undefined })],
        "error job-over-max-vcpus",
        /AWS Batch says so/,
      ],
      [
        "Batch says ACTION_REQUIRED",
        F.runnableJob({ statusReason: REASONS.invalid }),
        [env()],
        "error ce-invalid",
        /AWS Batch says the queue's compute environments are invalid/,
      ],
      [
        "hosts started but never joined the cluster",
        F.runnableJob(),
        [env({ hosts: [unregistered("i-1", 30)] }, { desiredvCpus: 2 })],
        "error hosts-not-registered",
        /Batch started 1 host \(i-1\) for it, but it never joined the ECS cluster/,
      ],
      [
        "no host launched: vCPU quota",
        F.runnableJob(),
        [env({ activities: [F.failedActivity(F.VCPU_LIMIT_MESSAGE)] }, { desiredvCpus: 2 })],
        "error no-hosts-launched",
        /the account's vCPU quota for these instances is used up/,
      ],
      [
        "no host launched: spot price",
        F.runnableJob(),
        [env({ activities: [F.failedActivity("SpotMaxPriceTooLow - price")] }, { desiredvCpus: 2 })],
        "warning no-hosts-launched",
        /spot price is above what the stack pays/,
      ],
      [
        "no host launched: EC2 gives no reason",
        F.runnableJob(),
        [env({}, { desiredvCpus: 2 })],
        "warning no-hosts-launched",
        /Batch asked EC2 for 2 vCPUs in nextflow-batch-spot-4c1d2e3, but no host has started/,
      ],
      [
        "Batch says INSUFFICIENT_INSTANCE_CAPACITY",
        F.runnableJob({ statusReason: REASONS.capacity }),
        [env()],
        "warning no-hosts-launched",
        /no spot capacity/,
      ],
      [
        "the environment is full",
        F.runnableJob(),
        [env({ hosts: [registered("i-1", 30)] }, { desiredvCpus: 1023, maxvCpus: 1024 })],
        "warning ce-at-max-vcpus",
        /already runs at its maxVcpus \(1023\/1024\)/,
      ],
      [
        "no reason: probably starting",
        F.runnableJob(),
        [env({ hosts: [registered("i-1", 30)] }, { desiredvCpus: 2 })],
        "warning job-waiting",
        /AWS gives no reason and the compute environment has room/,
      ],
    ];
    for (const [name, job, envs, want, msg] of cases) {
      it(name, () => {
        const f = explain(job, envs);
        assert.equal(`${f.severity} ${f.id}`, want);
        assert.match(f.message, msg);
        assert.match(f.message, /^RUNNABLE for 45 min/);
        assert.ok(f.fix.length > 10);
        if (job.statusReason) assert.deepEqual(f.evidence?.[0], `statusReason: ${job.statusReason}`);
      });
    }

    it("a job behind a blocked head job says so", () => {
      const head = F.runnableJob({ jobId: "head", jobName: "big", statusReason: REASONS.requirement });
      const f = explain(
        F.runnableJob({ jobId: "me" }),
        [env({ hosts: [registered("i-1", 30)] }, { desiredvCpus: 2 })],
        head,
      );
      assert.equal(f.id, "job-waiting");
      assert.match(f.message, /waits behind job big \(head\)/);
    });

    it("fits in one of two environments: not too big", () => {
      const small = env({ shapes: [{ instanceType: "m5.large", vcpus: 2, memoryMiB: 8192 }] });
      const f = explain(
        F.runnableJob(
          {},
          {
            resourceRequirements: [
              { type: "VCPU", value: "16" },
              { type: "MEMORY", value: "32768" },
            ],
          },
        ),
        [small, env()],
      );
      assert.notEqual(f.id, "job-too-big");
    });
  });

  describe("hostFindings", () => {
    it(`hosts younger than ${REGISTER_GRACE_MINUTES} min, registered ones and unknown ones are not reported`, () => {
      const hosts: Host[] = [
        unregistered("i-young", REGISTER_GRACE_MINUTES - 1),
        registered("i-ok", 60),
        { ...unregistered("i-unknown", 60), registered: undefined },
      ];
      assert.deepEqual(hostFindings(env({ hosts }), F.NOW), []);
    });
    it("an old unregistered host is reported with its bootstrap lines", () => {
      const hosts: Host[] = [
        {
          ...unregistered("i-old", 25),
          bootstrap: [
            {
              script: "aws-cli",
              time: "2026-12-01T09:23:10Z",
              message: "ERROR: could not download x",
              isError: true,
            },
          ],
        },
      ];
      const [f] = hostFindings(env({ hosts }), F.NOW);
      assert.equal(f.id, "hosts-not-registered");
      assert.match(f.message, /The bootstrap failed: ERROR: could not download x/);
      assert.deepEqual(f.evidence, [
        "i-old (m5.large, up 25 min):",
        "  2026-12-01T09:23:10Z [aws-cli] ERROR: could not download x",
      ]);
    });
    it("an unregistered host whose console has no bootstrap lines says so", () => {
      const [f] = hostFindings(env({ hosts: [{ ...unregistered("i-old", 25), bootstrap: [] }] }), F.NOW);
      assert.match(f.evidence![1], /no nextflow-batch-bootstrap lines in the console output/);
    });
  });
});
