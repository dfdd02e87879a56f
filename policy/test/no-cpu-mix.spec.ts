import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { noCpuMix, noCpuMixJobQueue } from "../policies";
import { clone, res, run, UNKNOWN } from "./helpers";

const ARN = (name: string): string => `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`;

/** The happy path: an Intel x86_64 EC2 compute environment. */
const happyCe = {
  name: "ce-intel",
  type: "MANAGED",
  arn: ARN("ce-intel"),
  computeResources: {
    type: "EC2",
    maxVcpus: 256,
    instanceTypes: ["m5", "c5.4xlarge", "r5d"],
    subnets: ["subnet-1"],
    securityGroupIds: ["sg-1"],
  },
};

function ce(name: string, instanceTypes: unknown, type = "EC2"): ReturnType<typeof res> {
  const props = clone(happyCe);
  props.name = name;
  props.arn = ARN(name);
  (props.computeResources as Record<string, unknown>).instanceTypes = instanceTypes;
  props.computeResources.type = type;
  return res(aws.batch.ComputeEnvironment, name, props);
}

describe("no-cpu-mix (compute environment)", () => {
  it("passes one vendor and one architecture", async () => {
    assert.deepEqual(await run(noCpuMix, [res(aws.batch.ComputeEnvironment, "ce", clone(happyCe))]), []);
  });

  it("passes old types that also report i386 next to x86_64", async () => {
    assert.deepEqual(await run(noCpuMix, [ce("ce", ["t2.large", "m5"])]), []);
  });

  it("rejects Intel with AMD, naming the families per vendor", async () => {
    const v = await run(noCpuMix, [ce("ce", ["m5", "c5.4xlarge", "c6a"])]);
    assert.equal(v.length, 1, JSON.stringify(v));
    assert.equal(v[0].policy, "no-cpu-mix");
    assert.equal(v[0].enforcementLevel, "mandatory");
    assert.equal(v[0].resource, "ce");
    assert.match(
      v[0].message,
      /Compute environment "ce" \(instanceTypes \["m5","c5.4xlarge","c6a"\]\) mixes CPU manufacturers \(AMD: c6a; Intel: m5, c5\)/,
    );
  });

  it("rejects x86_64 with arm64 (two vendors and two architectures)", async () => {
    const v = await run(noCpuMix, [ce("ce", ["m5", "m6g.large"])]);
    assert.deepEqual(
      v.map((x) => x.message.match(/mixes CPU (\w+)/)?.[1]),
      ["manufacturers", "architectures"],
    );
    assert.match(v[1].message, /\(arm64, x86_64\)/);
  });

  it("rejects an unknown family instead of passing it", async () => {
    const v = await run(noCpuMix, [ce("ce", ["m5", "m99q"])]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /"m99q", not in the instance catalog/);
  });

  it("rejects a Batch keyword by default: its vendor is not pinned", async () => {
    const v = await run(noCpuMix, [ce("ce", ["optimal"])]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /uses Batch keyword "optimal".*allowUnpinnedKeywords/);
  });

  it("with allowUnpinnedKeywords, checks a keyword as its documented families", async () => {
    const config = { "no-cpu-mix": { allowUnpinnedKeywords: true } };
    assert.deepEqual(await run(noCpuMix, [ce("ce", ["default_x86_64", "m5"])], config), []);
    const mixed = await run(noCpuMix, [ce("ce", ["default_x86_64", "c6a"])], config);
    assert.equal(mixed.length, 1);
    assert.match(mixed[0].message, /mixes CPU manufacturers \(AMD: c6a; Intel: m6i, c6i, r6i, c7i\)/);
    const arch = await run(noCpuMix, [ce("ce", ["default_arm64", "m5"])], config);
    assert.equal(arch.length, 2);
  });

  it("passes Fargate and unmanaged compute environments", async () => {
    const fargate = ce("fargate", undefined, "FARGATE_SPOT");
    const unmanaged = res(aws.batch.ComputeEnvironment, "unmanaged", { type: "UNMANAGED" });
    assert.deepEqual(await run(noCpuMix, [fargate, unmanaged]), []);
  });

  it("ignores other resource types", async () => {
    assert.deepEqual(
      await run(noCpuMix, [res(aws.ec2.LaunchTemplate, "lt", { instanceType: "m5.large" })]),
      [],
    );
  });
});

describe("no-cpu-mix-job-queue (stack)", () => {
  const queue = (name: string, ...refs: string[]): ReturnType<typeof res> =>
    res(aws.batch.JobQueue, name, {
      name,
      state: "ENABLED",
      priority: 1,
      computeEnvironmentOrders: refs.map((computeEnvironment, order) => ({ order, computeEnvironment })),
    });

  it("passes a queue whose environments share one vendor", async () => {
    const stack = [ce("a", ["m5"]), ce("b", ["c5d"]), queue("q", ARN("a"), ARN("b"))];
    assert.deepEqual(await run(noCpuMixJobQueue, stack), []);
  });

  it("rejects Intel and AMD environments in one queue, reporting the queue's URN", async () => {
    const q = queue("q", ARN("intel"), ARN("amd"));
    const v = await run(noCpuMixJobQueue, [ce("intel", ["m5"]), ce("amd", ["c6a"]), q]);
    assert.equal(v.length, 1, JSON.stringify(v));
    assert.equal(v[0].policy, "no-cpu-mix-job-queue");
    assert.equal(v[0].enforcementLevel, "mandatory");
    assert.equal(v[0].urn, q.urn);
    assert.equal(v[0].resource, "q");
    assert.match(
      v[0].message,
      /Job queue "q" \(compute environments "intel", "amd"\) mixes CPU manufacturers/,
    );
  });

  it("matches environments by name when the ARN is not known", async () => {
    const v = await run(noCpuMixJobQueue, [
      ce("intel", ["m5"]),
      ce("graviton", ["m6g"]),
      queue("q", "intel", "graviton"),
    ]);
    assert.equal(v.length, 2);
  });

  it("skips Fargate environments and references outside the stack", async () => {
    const stack = [
      ce("intel", ["m5"]),
      ce("fargate", undefined, "FARGATE"),
      queue("q", ARN("intel"), ARN("fargate"), ARN("elsewhere")),
    ];
    assert.deepEqual(await run(noCpuMixJobQueue, stack), []);
  });

  /** A queue as @pulumi/aws 6 and older wrote it: the deprecated list of environment ARNs. */
  const oldQueue = (name: string, refs: unknown[], deps?: string[]): ReturnType<typeof res> => ({
    ...res(aws.batch.JobQueue, name, { name, state: "ENABLED", priority: 1, computeEnvironments: refs }),
    ...(deps !== undefined ? { propertyDependencies: { computeEnvironments: deps } } : {}),
  });

  it("reads the deprecated computeEnvironments: a same-vendor queue passes", async () => {
    const stack = [ce("a", ["m5"]), ce("b", ["c5d"]), oldQueue("q", [ARN("a"), ARN("b")])];
    assert.deepEqual(await run(noCpuMixJobQueue, stack), []);
  });

  it("reads the deprecated computeEnvironments: Intel and AMD in one queue are rejected", async () => {
    const q = oldQueue("q", [ARN("intel"), ARN("amd")]);
    const v = await run(noCpuMixJobQueue, [ce("intel", ["m5"]), ce("amd", ["c6a"]), q]);
    assert.equal(v.length, 1, JSON.stringify(v));
    assert.equal(v[0].urn, q.urn);
    assert.match(
      v[0].message,
      /Job queue "q" \(compute environments "intel", "amd"\) mixes CPU manufacturers/,
    );
  });

  it("joins both fields: one environment in each is still one queue", async () => {
    const q = queue("q", ARN("intel"));
    (q.props as Record<string, unknown>).computeEnvironments = [ARN("amd"), ARN("intel")];
    const v = await run(noCpuMixJobQueue, [ce("intel", ["m5"]), ce("amd", ["c6a"]), q]);
    assert.equal(v.length, 1, JSON.stringify(v));
    assert.match(v[0].message, /compute environments "intel", "amd"\)/);
  });

  it("in a preview, links the deprecated field through its property dependencies", async () => {
    const intel = ce("intel", ["m5"]);
    const amd = ce("amd", ["c6a"]);
    const intel2 = ce("intel2", ["c5"]);
    const mixed = oldQueue("q", [UNKNOWN, UNKNOWN], [intel.urn, amd.urn]);
    assert.equal((await run(noCpuMixJobQueue, [intel, amd, mixed])).length, 1);
    const same = oldQueue("q", [UNKNOWN, UNKNOWN], [intel.urn, intel2.urn]);
    assert.deepEqual(await run(noCpuMixJobQueue, [intel, intel2, same]), []);
  });

  it("an unknown reference without property dependencies is the analyzer's advisory", async () => {
    const v = await run(noCpuMixJobQueue, [ce("intel", ["m5"]), oldQueue("q", [UNKNOWN])]);
    assert.deepEqual(
      v.map((x) => [x.policy, x.enforcementLevel, x.urn]),
      [["no-cpu-mix-job-queue", "advisory", undefined]],
    );
    assert.match(
      v[0].message,
      /^can't run policy 'no-cpu-mix-job-queue' from policy pack 'nextflow-batch@v0\.1\.0' during preview: /,
    );
  });
});
