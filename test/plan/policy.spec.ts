import * as aws from "@pulumi/aws";
import assert from "node:assert/strict";
import { buildStack } from "../../program/stack";
import { PRESET_NAMES } from "../../presets";
import { exitCodeFor, plan } from "../../plan/main";

const BASE = { "aws:region": "us-east-1", "nextflow-batch:labName": "smith-lab" };

/** The policy pack's verdict on the real program's resources, as `npm run plan` reports it. */
describe("the policy pack on the stacks the program builds", function () {
  this.timeout(60000);

  for (const preset of PRESET_NAMES) {
    it(`preset ${preset} passes every policy, mandatory and advisory`, async () => {
      const result = await plan("dev", { ...BASE, "nextflow-batch:preset": preset });
      assert.deepEqual(result.violations, []);
      assert.equal(exitCodeFor(result.violations), 0);
    });
  }

  it("an existing-VPC stack without on-demand queue passes too", async () => {
    const result = await plan("dev", {
      ...BASE,
      "nextflow-batch:network": "existing",
      "nextflow-batch:vpcId": "vpc-0123456789abcdef0",
      "nextflow-batch:subnetIds": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
      "nextflow-batch:onDemandQueue": false,
    });
    assert.deepEqual(result.violations, []);
  });

  for (const [preset, mix] of [
    ["m5d-nvme", ["m5d", "c6ad"]],
    ["m5-gp3", ["m5", "c6a"]],
  ] as const) {
    it(`preset ${preset} edited into an Intel/AMD mix fails no-cpu-mix on both environments`, async () => {
      // m5d-nvme's environments are @pulumi/aws's, m5-gp3's aws-native's (launch template
      // overrides): the pack inspects both.
      const result = await plan(
        "dev",
        { ...BASE, "nextflow-batch:preset": preset },
        { program: (spec, lookups) => buildStack({ ...spec, instanceTypes: [...mix] }, lookups) },
      );
      const found = result.violations.map((v) => `${v.policy} ${v.enforcementLevel} ${v.resource}`).sort();
      assert.deepEqual(found, [
        "no-cpu-mix mandatory nextflow-batch-ondemand",
        "no-cpu-mix mandatory nextflow-batch-spot",
      ]);
      assert.equal(exitCodeFor(result.violations), 1);
    });
  }

  it("a full-access attachment added to the stack fails no-full-access-iam", async () => {
    const result = await plan("dev", BASE, {
      program: (spec, lookups) => {
        const outputs = buildStack(spec, lookups);
        new aws.iam.RolePolicyAttachment("shortcut", {
          role: "nextflow-access-job",
          policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess",
        });
        return outputs;
      },
    });
    assert.deepEqual(
      result.violations.map((v) => [v.policy, v.enforcementLevel, v.resource]),
      [["no-full-access-iam", "mandatory", "shortcut"]],
    );
    assert.match(result.violations[0].message, /AmazonS3FullAccess/);
    assert.equal(exitCodeFor(result.violations), 1);
  });

  it("a spot cap above the policy's bound is advisory: reported, exit 0", async () => {
    // On the NVMe preset: spot-max-vcpus reads @pulumi/aws's computeResources.maxVcpus only.
    const result = await plan("dev", {
      ...BASE,
      "nextflow-batch:preset": "m5d-nvme",
      "nextflow-batch:maxVcpus": 5000,
    });
    assert.deepEqual(
      result.violations.map((v) => [v.policy, v.enforcementLevel, v.resource]),
      [["spot-max-vcpus", "advisory", "nextflow-batch-spot"]],
    );
    assert.equal(exitCodeFor(result.violations), 0);
  });
});
