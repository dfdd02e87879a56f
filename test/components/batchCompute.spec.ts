// BatchCompute: the spot and on-demand compute environments and their job queues.
// Baseline: the default stack per preset; one change per case.
import assert from "node:assert/strict";
import { CANCEL_RUNNABLE_REASONS } from "../../components/batchCompute";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { PRESET_NAMES, PRESETS } from "../../presets";
import { BASE_TAGS, inputsOf, one, runStack, T } from "../helpers";

describe("component: BatchCompute", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      const preset = PRESETS[name];
      let run: Awaited<ReturnType<typeof runStack>>;
      before(async () => {
        run = await runStack({ preset: name });
      });

      it("launches the preset's families on spot with the service-linked role", () => {
        const ce = inputsOf(run, T.ce, "nextflow-batch-spot");
        assert.equal(ce.type, "MANAGED");
        assert.equal(
          ce.serviceRole,
          undefined,
          "no serviceRole: the service-linked role allows in-place updates",
        );
        assert.equal(ce.name, undefined, "auto-named, so a replacement is created before the old one goes");
        const c = ce.computeResources;
        assert.equal(c.type, "SPOT");
        assert.equal(c.allocationStrategy, "SPOT_PRICE_CAPACITY_OPTIMIZED");
        assert.equal(c.bidPercentage, 100);
        assert.equal(c.spotIamFleetRole, undefined);
        assert.deepEqual(c.instanceTypes, preset.instanceTypes);
        assert.equal(c.minVcpus, 0);
        assert.equal(c.desiredVcpus, 0);
        assert.equal(c.maxVcpus, 1024);
        const vpc = one(run, T.vpc, "nextflow-network-vpc").state;
        assert.equal((vpc.privateSubnetIds as string[]).length, 3);
        assert.deepEqual(c.subnets, vpc.privateSubnetIds, "hosts run in the private subnets only");
        assert.deepEqual(c.securityGroupIds.length, 1);
        assert.match(c.securityGroupIds[0], /^sg-0/);
        assert.equal(
          c.instanceRole,
          `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${one(run, T.profile, "nextflow-access-instance").state.name}`,
        );
        assert.deepEqual(c.launchTemplate, {
          launchTemplateId: c.launchTemplate.launchTemplateId,
          version: "1",
        });
        assert.match(c.launchTemplate.launchTemplateId, /^lt-0/);
        assert.deepEqual(c.ec2Configurations, [{ imageType: "ECS_AL2023" }]);
        assert.deepEqual(c.tags, BASE_TAGS);
        // The provider's longest grace for running jobs when an update replaces their host.
        assert.deepEqual(ce.updatePolicy, { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 360 });
      });

      it("adds an on-demand environment with BEST_FIT_PROGRESSIVE and its own cap", () => {
        const c = inputsOf(run, T.ce, "nextflow-batch-ondemand").computeResources;
        assert.equal(c.type, "EC2");
        assert.equal(c.allocationStrategy, "BEST_FIT_PROGRESSIVE");
        assert.equal(c.bidPercentage, undefined);
        assert.equal(c.maxVcpus, 256);
        assert.deepEqual(c.instanceTypes, preset.instanceTypes);
      });

      it("queues: spot is the default, on-demand second; both cancel jobs that can never run", () => {
        const spot = inputsOf(run, T.queue, "nextflow-batch-spot");
        const onDemand = inputsOf(run, T.queue, "nextflow-batch-ondemand");
        assert.equal(spot.name, "smith-lab-dev-spot");
        assert.equal(onDemand.name, "smith-lab-dev-ondemand");
        assert.equal(spot.state, "ENABLED");
        const spotCe = one(run, T.ce, "nextflow-batch-spot").state.arn;
        const odCe = one(run, T.ce, "nextflow-batch-ondemand").state.arn;
        assert.deepEqual(spot.computeEnvironmentOrders, [{ order: 1, computeEnvironment: spotCe }]);
        assert.deepEqual(onDemand.computeEnvironmentOrders, [{ order: 1, computeEnvironment: odCe }]);
        const expected = CANCEL_RUNNABLE_REASONS.map((reason) => ({
          reason,
          state: "RUNNABLE",
          maxTimeSeconds: 1800,
          action: "CANCEL",
        }));
        assert.deepEqual(spot.jobStateTimeLimitActions, expected);
        assert.deepEqual(onDemand.jobStateTimeLimitActions, expected);
        assert.ok(
          !CANCEL_RUNNABLE_REASONS.some((r) => r.startsWith("CAPACITY")),
          "capacity shortfalls wait, not cancel",
        );
      });
    });
  }

  it("onDemandQueue false: no on-demand environment or queue", async () => {
    const run = await runStack({ onDemandQueue: false });
    assert.equal(run.resources.filter((r) => r.name === "nextflow-batch-ondemand").length, 0);
    assert.equal(run.outputs.onDemandQueueName, undefined);
  });

  it("maxVcpus caps the spot environment", async () => {
    const run = await runStack({ maxVcpus: 64 });
    assert.equal(inputsOf(run, T.ce, "nextflow-batch-spot").computeResources.maxVcpus, 64);
  });

  it("spotBidPercentage sets the spot bid", async () => {
    const run = await runStack({ spotBidPercentage: 70 });
    assert.equal(inputsOf(run, T.ce, "nextflow-batch-spot").computeResources.bidPercentage, 70);
  });
});
