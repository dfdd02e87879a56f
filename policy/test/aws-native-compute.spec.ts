// Compute environments made with @pulumi/aws-native (the stack's gp3 presets, for launch
// template overrides) get the same checks as @pulumi/aws's: one vendor and architecture, in
// the environment and across a queue, the spot cap, and cost tags on the instances.
import * as native from "@pulumi/aws-native";
import * as aws from "@pulumi/aws";
import assert from "node:assert/strict";
import { noCpuMix, noCpuMixJobQueue, requiredCostTags, spotMaxVcpus } from "../policies";
import { AWS_NATIVE } from "../policies/resource-types";
import { clone, res, run, typeOf } from "./helpers";

const ARN = (name: string): string => `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`;

/** The happy path: as program/stack.ts makes the m5-gp3 spot environment. */
const happy = {
  type: "MANAGED",
  state: "ENABLED",
  computeEnvironmentArn: ARN("spot"),
  computeEnvironmentName: "spot",
  computeResources: {
    type: "SPOT",
    allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
    maxvCpus: 1024,
    minvCpus: 0,
    instanceTypes: ["m5"],
    launchTemplate: {
      launchTemplateId: "lt-0default",
      version: "1",
      overrides: [{ launchTemplateId: "lt-0small", version: "1", targetInstanceTypes: ["m5.large"] }],
    },
    tags: { lab: "smith-lab" },
  },
};

const ce = (name: string, change: (p: typeof happy) => void = () => {}) => {
  const props = clone(happy);
  props.computeEnvironmentArn = ARN(name);
  props.computeEnvironmentName = name;
  change(props);
  return res(native.batch.ComputeEnvironment, name, props);
};

describe("policies on aws-native compute environments", () => {
  it("the token the policies match is @pulumi/aws-native's own", () => {
    assert.equal(typeOf(native.batch.ComputeEnvironment), AWS_NATIVE.batchComputeEnvironment);
  });

  it("a one-vendor environment with overrides passes every policy", async () => {
    for (const policy of [noCpuMix, spotMaxVcpus, requiredCostTags]) {
      assert.deepEqual(await run(policy, [ce("spot")]), [], policy.name);
    }
  });

  it("no-cpu-mix rejects a vendor mix in instanceTypes", async () => {
    const v = await run(noCpuMix, [ce("spot", (p) => (p.computeResources.instanceTypes = ["m5", "c6a"]))]);
    assert.equal(v.length, 1);
    assert.match(
      v[0].message,
      /Compute environment "spot" .* mixes CPU manufacturers \(AMD: c6a; Intel: m5\)/,
    );
  });

  it("no-cpu-mix rejects a vendor mix brought in by a launch template override", async () => {
    const v = await run(noCpuMix, [
      ce("spot", (p) => (p.computeResources.launchTemplate.overrides[0].targetInstanceTypes = ["c6a.large"])),
    ]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /mixes CPU manufacturers \(AMD: c6a; Intel: m5\)/);
  });

  it("no-cpu-mix-job-queue finds aws-native environments by computeEnvironmentArn", async () => {
    const queue = (name: string, refs: string[]) =>
      res(aws.batch.JobQueue, name, {
        name,
        computeEnvironmentOrders: refs.map((computeEnvironment, i) => ({ order: i + 1, computeEnvironment })),
      });
    const intel = ce("intel");
    const amd = ce("amd", (p) => (p.computeResources.instanceTypes = ["c6a"]));
    amd.props.computeResources = { ...(amd.props.computeResources as object), launchTemplate: undefined };
    const mixed = await run(noCpuMixJobQueue, [intel, amd, queue("q", [ARN("intel"), ARN("amd")])]);
    assert.equal(mixed.length, 1);
    assert.match(
      mixed[0].message,
      /Job queue "q" \(compute environments "intel", "amd"\) mixes CPU manufacturers/,
    );
    const same = await run(noCpuMixJobQueue, [
      intel,
      ce("intel2"),
      queue("q", [ARN("intel"), ARN("intel2")]),
    ]);
    assert.deepEqual(same, []);
  });

  it("spot-max-vcpus reads CloudFormation's maxvCpus", async () => {
    const v = await run(spotMaxVcpus, [ce("spot", (p) => (p.computeResources.maxvCpus = 5000))]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /computeResources\.maxvCpus is 5000, above the cap of 4096/);
  });

  it("required-cost-tags asks the instances' tags only (top-level tags are create-only there)", async () => {
    const v = await run(requiredCostTags, [
      ce("spot", (p) => (p.computeResources.tags = {} as { lab: string })),
    ]);
    assert.deepEqual(
      v.map((x) => x.message.split(":")[0]),
      ['Compute environment "spot"'],
    );
    assert.match(v[0].message, /computeResources\.tags lack "lab"/);
  });
});
