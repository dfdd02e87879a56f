// BatchCompute: the spot and on-demand compute environments and their job queues.
// Baseline: the default stack per preset; one change per case. gp3 presets get aws-native
// compute environments with per-size launch template overrides; the NVMe preset keeps its one
// template on @pulumi/aws, exactly as before.
import assert from "node:assert/strict";
import { CANCEL_RUNNABLE_REASONS } from "../../components/batchCompute";
import { rootVolumePlan } from "../../hosts/rootVolumes";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { PRESET_NAMES, PRESETS } from "../../presets";
import { BASE_TAGS, inputsOf, ofType, one, runStack, T } from "../helpers";

type Run = Awaited<ReturnType<typeof runStack>>;

/** The compute environment type a preset gets. */
const ceType = (name: (typeof PRESET_NAMES)[number]) =>
  PRESETS[name].storage.kind === "gp3" ? T.nativeCe : T.ce;
/** A compute environment's ARN as the queue sees it. */
const arnOf = (run: Run, type: string, name: string) => {
  const state = one(run, type, name).state;
  return type === T.nativeCe ? state.computeEnvironmentArn : state.arn;
};

describe("component: BatchCompute", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      const preset = PRESETS[name];
      let run: Run;
      before(async () => {
        run = await runStack({ preset: name });
      });

      const common = () => {
        const vpc = one(run, T.vpc, "nextflow-network-vpc").state;
        assert.equal((vpc.privateSubnetIds as string[]).length, 3);
        return {
          subnets: vpc.privateSubnetIds,
          instanceRole: `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${one(run, T.profile, "nextflow-access-instance").state.name}`,
          securityGroupIds: [one(run, T.sg, "nextflow-network-hosts").id],
        };
      };

      if (preset.storage.kind === "gp3") {
        it("spot: an aws-native environment with the service-linked role, in-place updates and one override per smaller size", () => {
          const ce = one(run, T.nativeCe, "nextflow-batch-spot");
          const lts = ofType(run, T.lt);
          const plan = rootVolumePlan(preset.instanceTypes, preset.storage);
          assert.deepEqual(ce.inputs, {
            type: "MANAGED",
            state: "ENABLED",
            replaceComputeEnvironment: false,
            computeResources: {
              type: "SPOT",
              allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
              bidPercentage: 100,
              maxvCpus: 1024,
              minvCpus: 0,
              desiredvCpus: 0,
              instanceTypes: preset.instanceTypes,
              subnets: common().subnets,
              securityGroupIds: common().securityGroupIds,
              instanceRole: common().instanceRole,
              launchTemplate: {
                launchTemplateId: lts.get("nextflow-hosts")!.id,
                version: "1",
                overrides: plan.overrides.map((o) => ({
                  launchTemplateId: lts.get(`nextflow-hosts-${o.instanceTypes[0]}`)!.id,
                  version: "1",
                  targetInstanceTypes: o.instanceTypes,
                })),
              },
              ec2Configuration: [{ imageType: "ECS_AL2023" }],
              tags: BASE_TAGS,
            },
            // The provider's longest grace for running jobs when an update replaces their host.
            updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 360 },
          });
          // No serviceRole (service-linked role: in-place updates), no name (auto-named: a
          // replacement is created before the old one goes), no top-level tags (create-only in
          // CloudFormation: an edit would replace the environment).
          assert.equal((ce.inputs as any).serviceRole, undefined);
          assert.equal((ce.inputs as any).computeEnvironmentName, undefined);
          assert.equal((ce.inputs as any).tags, undefined);
          assert.deepEqual(ce.ignoreChanges, ["computeResources.desiredvCpus"]);
        });

        it("overrides: one per template but the default, each a distinct template, never overlapping", () => {
          const c = inputsOf(run, T.nativeCe, "nextflow-batch-spot").computeResources;
          const ids = [
            c.launchTemplate.launchTemplateId,
            ...c.launchTemplate.overrides.map((o: any) => o.launchTemplateId),
          ];
          assert.deepEqual(ids.sort(), [...ofType(run, T.lt).values()].map((lt) => lt.id).sort());
          const targets = c.launchTemplate.overrides.flatMap((o: any) => o.targetInstanceTypes);
          assert.equal(new Set(targets).size, targets.length);
          assert.ok(c.launchTemplate.overrides.length <= 10);
        });

        it("uses one aws-native provider, made for the stack's region, under the component", () => {
          const providers = [...ofType(run, T.nativeProvider).values()];
          assert.equal(providers.length, 1);
          const p = providers[0];
          assert.equal(p.name, "nextflow-batch-aws-native");
          assert.equal(p.parent?.split("::").pop(), "nextflow-batch");
          assert.equal((p.inputs as any).region, "us-east-1");
          assert.equal((p.inputs as any).profile, undefined);
          for (const ce of ofType(run, T.nativeCe).values()) assert.equal(ce.provider, `${p.urn}::${p.id}`);
          assert.equal(ofType(run, T.ce).size, 0, "no @pulumi/aws compute environment left");
        });

        it("on-demand: the same templates, BEST_FIT_PROGRESSIVE and its own cap", () => {
          const spot = inputsOf(run, T.nativeCe, "nextflow-batch-spot").computeResources;
          const c = inputsOf(run, T.nativeCe, "nextflow-batch-ondemand").computeResources;
          assert.equal(c.type, "EC2");
          assert.equal(c.allocationStrategy, "BEST_FIT_PROGRESSIVE");
          assert.equal(c.bidPercentage, undefined);
          assert.equal(c.maxvCpus, 256);
          assert.deepEqual(c.instanceTypes, preset.instanceTypes);
          assert.deepEqual(c.launchTemplate, spot.launchTemplate);
        });
      } else {
        it("spot: an @pulumi/aws environment with the one template, as before per-size volumes", () => {
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
          assert.deepEqual(c.subnets, common().subnets, "hosts run in the private subnets only");
          assert.deepEqual(c.securityGroupIds, common().securityGroupIds);
          assert.equal(c.instanceRole, common().instanceRole);
          assert.deepEqual(c.launchTemplate, {
            launchTemplateId: c.launchTemplate.launchTemplateId,
            version: "1",
          });
          assert.equal(c.launchTemplate.launchTemplateId, one(run, T.lt, "nextflow-hosts").id);
          assert.deepEqual(c.ec2Configurations, [{ imageType: "ECS_AL2023" }]);
          assert.deepEqual(c.tags, BASE_TAGS);
          assert.deepEqual(ce.tags, BASE_TAGS);
          assert.deepEqual(ce.updatePolicy, {
            terminateJobsOnUpdate: false,
            jobExecutionTimeoutMinutes: 360,
          });
          assert.deepEqual(one(run, T.ce, "nextflow-batch-spot").ignoreChanges, [
            "computeResources.desiredVcpus",
          ]);
          assert.equal(
            ofType(run, T.nativeCe).size + ofType(run, T.nativeProvider).size,
            0,
            "nothing from aws-native",
          );
        });

        it("on-demand: BEST_FIT_PROGRESSIVE and its own cap", () => {
          const c = inputsOf(run, T.ce, "nextflow-batch-ondemand").computeResources;
          assert.equal(c.type, "EC2");
          assert.equal(c.allocationStrategy, "BEST_FIT_PROGRESSIVE");
          assert.equal(c.bidPercentage, undefined);
          assert.equal(c.maxVcpus, 256);
          assert.deepEqual(c.instanceTypes, preset.instanceTypes);
        });
      }

      it("queues: spot is the default, on-demand second, one compute environment each; both cancel jobs that can never run", () => {
        const spot = inputsOf(run, T.queue, "nextflow-batch-spot");
        const onDemand = inputsOf(run, T.queue, "nextflow-batch-ondemand");
        assert.equal(spot.name, "smith-lab-dev-spot");
        assert.equal(onDemand.name, "smith-lab-dev-ondemand");
        assert.equal(spot.state, "ENABLED");
        assert.equal(spot.priority, 10);
        assert.equal(onDemand.priority, 5);
        assert.deepEqual(spot.computeEnvironmentOrders, [
          { order: 1, computeEnvironment: arnOf(run, ceType(name), "nextflow-batch-spot") },
        ]);
        assert.deepEqual(onDemand.computeEnvironmentOrders, [
          { order: 1, computeEnvironment: arnOf(run, ceType(name), "nextflow-batch-ondemand") },
        ]);
        assert.match(
          spot.computeEnvironmentOrders[0].computeEnvironment,
          /^arn:aws:batch:us-east-1:\d{12}:compute-environment\//,
        );
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

  it("maxVcpus caps the spot environment, whole: one environment per queue, every size in it", async () => {
    for (const preset of PRESET_NAMES) {
      const run = await runStack({ preset, maxVcpus: 64 });
      const ce = inputsOf(run, ceType(preset), "nextflow-batch-spot").computeResources;
      assert.equal(preset === "m5d-nvme" ? ce.maxVcpus : ce.maxvCpus, 64, preset);
      assert.deepEqual(ce.instanceTypes, PRESETS[preset].instanceTypes, preset);
    }
  });

  it("spotBidPercentage sets the spot bid", async () => {
    const run = await runStack({ spotBidPercentage: 70 });
    assert.equal(inputsOf(run, T.nativeCe, "nextflow-batch-spot").computeResources.bidPercentage, 70);
  });

  it("aws:profile reaches the aws-native provider, which does not read the aws: provider's config", async () => {
    const run = await runStack({ "aws:profile": "smith-lab" });
    assert.equal(
      (one(run, T.nativeProvider, "nextflow-batch-aws-native").inputs as any).profile,
      "smith-lab",
    );
  });

  it("another region reaches the aws-native provider", async () => {
    const run = await runStack({ "aws:region": "eu-west-1" });
    assert.equal((one(run, T.nativeProvider, "nextflow-batch-aws-native").inputs as any).region, "eu-west-1");
  });
});
