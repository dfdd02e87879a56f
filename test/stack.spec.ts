// How the parts fit: the exact resource set per preset and variant, which component owns
// what, tags everywhere, outputs, and bad config stopping the program. Each component's own
// inputs are tested in test/components/.
import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { rootVolumePlan } from "../hosts/rootVolumes";
import { PRESET_NAMES, PRESETS, type PresetName } from "../presets";
import { BASE_TAGS, DOCKER_HUB_SECRET_ARN, inputsOf, ofType, one, resourceSet, runStack, T } from "./helpers";

const COMMON = [
  `${T.network} nextflow-network`,
  `${T.sg} nextflow-network-hosts`,
  `${T.bucketComponent} nextflow-work`,
  `${T.bucket} nextflow-work`,
  `${T.sse} nextflow-work-encryption`,
  `${T.pab} nextflow-work-public-access`,
  `${T.ownership} nextflow-work-ownership`,
  `${T.bucketPolicy} nextflow-work-tls-only`,
  `${T.lifecycle} nextflow-work-lifecycle`,
  `${T.logGroup} nextflow-jobs`,
  `${T.ltComponent} nextflow-hosts`,
  `${T.lt} nextflow-hosts`,
  `${T.accessComponent} nextflow-access`,
  `${T.role} nextflow-access-instance`,
  `${T.attachment} nextflow-access-instance-ecs`,
  `${T.rolePolicy} nextflow-access-instance-logs`,
  `${T.profile} nextflow-access-instance`,
  `${T.role} nextflow-access-job`,
  `${T.rolePolicy} nextflow-access-job-s3`,
  `${T.policy} nextflow-access-launcher`,
  `${T.computeComponent} nextflow-batch`,
  `${T.queue} nextflow-batch-spot`,
];
const NEW_VPC = [`${T.vpc} nextflow-network-vpc`, `${T.endpoint} nextflow-network-s3`];
/** The container cache (on by default): quay.io and ECR Public, and the host's import permission. */
const CACHE = [
  `${T.cacheComponent} nextflow-images`,
  `${T.role} nextflow-images-template`,
  `${T.rolePolicy} nextflow-images-template-repositories`,
  `${T.creationTemplate} nextflow-images-quay`,
  `${T.ptcRule} nextflow-images-quay`,
  `${T.creationTemplate} nextflow-images-ecr-public`,
  `${T.ptcRule} nextflow-images-ecr-public`,
  `${T.rolePolicy} nextflow-access-instance-ecr-cache`,
];
const DOCKER_HUB = [
  `${T.creationTemplate} nextflow-images-docker-hub`,
  `${T.ptcRule} nextflow-images-docker-hub`,
];

/**
 * What differs by storage: gp3 presets get one launch template per extra root volume, named
 * after its smallest size, and aws-native compute environments (with their provider); the
 * NVMe preset keeps its @pulumi/aws compute environments.
 */
function computeFor(preset: PresetName): { spot: string[]; onDemand: string[] } {
  const p = PRESETS[preset];
  switch (p.storage.kind) {
    case "gp3":
      return {
        spot: [
          `${T.nativeCe} nextflow-batch-spot`,
          `${T.nativeProvider} nextflow-batch-aws-native`,
          ...rootVolumePlan(p.instanceTypes, p.storage).overrides.map(
            (o) => `${T.lt} nextflow-hosts-${o.instanceTypes[0]}`,
          ),
        ],
        onDemand: [`${T.nativeCe} nextflow-batch-ondemand`, `${T.queue} nextflow-batch-ondemand`],
      };
    case "instanceStore":
      return {
        spot: [`${T.ce} nextflow-batch-spot`],
        onDemand: [`${T.ce} nextflow-batch-ondemand`, `${T.queue} nextflow-batch-ondemand`],
      };
  }
}
/** The default stack's (m5-gp3) compute: spot with its launch template overrides, and on-demand. */
const DEFAULT_COMPUTE = computeFor("m5-gp3");
const SPOT = DEFAULT_COMPUTE.spot;
const ON_DEMAND = DEFAULT_COMPUTE.onDemand;

describe("stack", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      let run: Awaited<ReturnType<typeof runStack>>;
      before(async () => {
        run = await runStack({ preset: name });
      });

      it("creates exactly the expected resources", () => {
        const c = computeFor(name);
        assert.deepEqual(
          resourceSet(run),
          [...COMMON, ...NEW_VPC, ...c.spot, ...c.onDemand, ...CACHE].sort(),
        );
      });

      it("puts every child under its component", () => {
        const parents = new Map(
          run.resources.map((r) => [r.name + "|" + r.type, r.parent?.split("::").pop()]),
        );
        const ce = PRESETS[name].storage.kind === "gp3" ? T.nativeCe : T.ce;
        assert.equal(parents.get(`nextflow-batch-spot|${ce}`), "nextflow-batch");
        assert.equal(parents.get(`nextflow-batch-ondemand|${T.queue}`), "nextflow-batch");
        for (const lt of ofType(run, T.lt).keys())
          assert.equal(parents.get(`${lt}|${T.lt}`), "nextflow-hosts");
        assert.equal(parents.get(`nextflow-hosts|${T.lt}`), "nextflow-hosts");
        assert.equal(parents.get(`nextflow-work-tls-only|${T.bucketPolicy}`), "nextflow-work");
        assert.equal(parents.get(`nextflow-access-launcher|${T.policy}`), "nextflow-access");
        assert.equal(parents.get(`nextflow-jobs|${T.logGroup}`), undefined);
        assert.equal(parents.get(`nextflow-images-quay|${T.ptcRule}`), "nextflow-images");
        assert.equal(parents.get(`nextflow-images-quay|${T.creationTemplate}`), "nextflow-images");
        assert.equal(parents.get(`nextflow-images-template|${T.role}`), "nextflow-images");
        assert.equal(parents.get(`nextflow-access-instance-ecr-cache|${T.rolePolicy}`), "nextflow-access");
      });

      it("logs: one group for the stack's jobs with a retention period", () => {
        assert.deepEqual(one(run, T.logGroup, "nextflow-jobs").inputs, {
          name: "/nextflow-batch/smith-lab/dev",
          retentionInDays: 30,
          tags: BASE_TAGS,
        });
      });
    });
  }

  it("existing VPC: the same stack without the VPC and its endpoint", async () => {
    const subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
    const run = await runStack({ network: "existing", vpcId: "vpc-0123456789abcdef0", subnetIds: subnets });
    assert.deepEqual(resourceSet(run), [...COMMON, ...SPOT, ...ON_DEMAND, ...CACHE].sort());
  });

  it("a budget: the stack plus LabBudget and its budget; with the guard, the guard's eight resources too", async () => {
    const budget = { budgetMonthlyUsd: 2000, budgetAlertEmails: ["pi@example.org"] };
    const BUDGET = [`${T.budgetComponent} nextflow-budget`, `${T.budget} nextflow-budget`];
    const run = await runStack(budget);
    assert.deepEqual(
      resourceSet(run),
      [...COMMON, ...NEW_VPC, ...SPOT, ...ON_DEMAND, ...CACHE, ...BUDGET].sort(),
    );
    assert.equal(one(run, T.budgetComponent, "nextflow-budget").parent, undefined, "a top-level component");
    const guarded = await runStack({ ...budget, budgetGuard: true });
    const GUARD = [
      T.topic,
      T.topicPolicy,
      T.subscription,
      T.lambda,
      T.permission,
      T.role,
      T.rolePolicy,
      T.logGroup,
    ].map((type) => `${type} nextflow-budget-guard`);
    assert.deepEqual(
      resourceSet(guarded),
      [...COMMON, ...NEW_VPC, ...SPOT, ...ON_DEMAND, ...CACHE, ...BUDGET, ...GUARD].sort(),
    );
  });

  it("no on-demand queue: its environment and queue are absent", async () => {
    const run = await runStack({ onDemandQueue: false });
    assert.deepEqual(resourceSet(run), [...COMMON, ...NEW_VPC, ...SPOT, ...CACHE].sort());
  });

  it("containerCache false: no rules, templates, template role or host import permission", async () => {
    const run = await runStack({ containerCache: false });
    assert.deepEqual(resourceSet(run), [...COMMON, ...NEW_VPC, ...SPOT, ...ON_DEMAND].sort());
    assert.equal(run.outputs.containerCacheUris, undefined);
  });

  it("a Docker Hub credential adds the Docker Hub rule and its template", async () => {
    const run = await runStack({ dockerHubCredentialArn: DOCKER_HUB_SECRET_ARN });
    assert.deepEqual(
      resourceSet(run),
      [...COMMON, ...NEW_VPC, ...SPOT, ...ON_DEMAND, ...CACHE, ...DOCKER_HUB].sort(),
    );
  });

  for (const preset of ["m5-gp3", "m5d-nvme"] as const)
    it(`${preset}: cost tags reach every taggable resource, instances and volumes included`, async () => {
      const run = await runStack({
        preset,
        costTags: { grant: "R01-GM000000" },
        budgetMonthlyUsd: 2000,
        budgetAlertEmails: ["pi@example.org"],
        budgetGuard: true,
      });
      const expected = { grant: "R01-GM000000", ...BASE_TAGS };
      for (const type of [
        T.bucket,
        T.lt,
        T.ce,
        T.queue,
        T.logGroup,
        T.role,
        T.policy,
        T.sg,
        T.endpoint,
        T.vpc,
        T.budget,
        T.topic,
        T.lambda,
      ]) {
        for (const r of ofType(run, type).values())
          assert.deepEqual(r.inputs.tags, expected, `${type} ${r.name}`);
      }
      for (const ce of ofType(run, T.ce).values())
        assert.deepEqual((ce.inputs as any).computeResources.tags, expected);
      for (const spec of inputsOf(run, T.lt, "nextflow-hosts").tagSpecifications)
        assert.deepEqual(spec.tags, expected);
      // Repositories ECR creates on first pull get them from the creation templates.
      for (const t of ofType(run, T.creationTemplate).values())
        assert.deepEqual((t.inputs as any).resourceTags, expected, t.name);
    });

  it("exports the outputs users and scripts read", async () => {
    const run = await runStack({});
    assert.deepEqual(Object.keys(run.outputs).sort(), [
      "containerCacheUris",
      "jobRoleArn",
      "launcherPolicyArn",
      "logGroupName",
      "nextflowConfig",
      "onDemandQueueArn",
      "onDemandQueueName",
      "spotQueueArn",
      "spotQueueName",
      "vpcId",
      "workBucketName",
      "workDir",
    ]);
    assert.equal(run.outputs.workDir, `s3://${run.outputs.workBucketName}/work`);
    assert.deepEqual(run.outputs.containerCacheUris, {
      "quay.io": "123456789012.dkr.ecr.us-east-1.amazonaws.com/smith-lab-dev-quay",
      "public.ecr.aws": "123456789012.dkr.ecr.us-east-1.amazonaws.com/smith-lab-dev-ecr-public",
    });
    const withBudget = await runStack({ budgetMonthlyUsd: 100, budgetAlertEmails: ["pi@example.org"] });
    assert.equal(withBudget.outputs.budgetName, "nextflow-batch-smith-lab-dev");
  });

  it("bad config stops the program before any resource, with one line per problem", async () => {
    await assert.rejects(runStack({ maxVcpus: "lots", preset: "nope" }), (e: Error) => {
      assert.ok(pulumi.RunError.isInstance(e), "a RunError: Pulumi prints it without a stack trace");
      assert.equal(
        e.message,
        [
          "invalid stack config:",
          'nextflow-batch:preset must be one of "m5-gp3", "m5d-nvme", "c6a-gp3"; got "nope". Fix: set it with: pulumi config set nextflow-batch:preset m5-gp3',
          'nextflow-batch:maxVcpus must be an integer from 1 to 10000; got "lots". Fix: set it with: pulumi config set nextflow-batch:maxVcpus 1024',
        ].join("\n"),
      );
      return true;
    });
  });
});
