import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { requiredCostTags, spotMaxVcpus } from "../policies";
import { clone, res, run } from "./helpers";

const happyCe = {
  type: "MANAGED",
  tags: { lab: "smith" },
  computeResources: {
    type: "SPOT",
    allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
    maxVcpus: 1024,
    instanceTypes: ["m5d"],
    tags: { lab: "smith" },
  },
};

const ceWith = (edit: (p: typeof happyCe & Record<string, unknown>) => void): ReturnType<typeof res> => {
  const props = clone(happyCe) as typeof happyCe & Record<string, unknown>;
  edit(props);
  return res(aws.batch.ComputeEnvironment, "ce", props);
};

describe("spot-max-vcpus", () => {
  it("passes a spot environment under the cap, and on-demand ones above it", async () => {
    assert.deepEqual(await run(spotMaxVcpus, [ceWith(() => undefined)]), []);
    assert.deepEqual(
      await run(spotMaxVcpus, [
        ceWith((p) => Object.assign(p.computeResources, { type: "EC2", maxVcpus: 10000 })),
      ]),
      [],
    );
  });

  it("rejects a spot environment above the default cap of 4096, as advisory", async () => {
    const v = await run(spotMaxVcpus, [ceWith((p) => (p.computeResources.maxVcpus = 5000))]);
    assert.equal(v.length, 1);
    assert.equal(v[0].enforcementLevel, "advisory");
    assert.equal(
      v[0].message,
      `Spot compute environment "ce": computeResources.maxVcpus is 5000, above the cap of 4096. Lower maxVcpus, or raise spot-max-vcpus's maxVcpus in the policy config if the lab has budgeted for it.`,
    );
  });

  it("takes the cap from config", async () => {
    const ce = ceWith((p) => (p.computeResources.maxVcpus = 5000));
    assert.deepEqual(await run(spotMaxVcpus, [ce], { "spot-max-vcpus": { maxVcpus: 8192 } }), []);
    assert.equal(
      (await run(spotMaxVcpus, [ceWith(() => undefined)], { "spot-max-vcpus": { maxVcpus: 512 } })).length,
      1,
    );
  });
});

describe("required-cost-tags", () => {
  const happyLt = {
    metadataOptions: { httpTokens: "required" },
    tagSpecifications: [
      { resourceType: "instance", tags: { lab: "smith" } },
      { resourceType: "volume", tags: { lab: "smith" } },
    ],
  };

  it("passes tagged environments and launch templates", async () => {
    const v = await run(requiredCostTags, [
      ceWith(() => undefined),
      res(aws.ec2.LaunchTemplate, "lt", clone(happyLt)),
    ]);
    assert.deepEqual(v, []);
  });

  it("rejects a compute environment without tags", async () => {
    const v = await run(requiredCostTags, [ceWith((p) => delete (p as Record<string, unknown>).tags)]);
    assert.deepEqual(
      v.map((x) => [x.enforcementLevel, x.message]),
      [["advisory", 'Compute environment "ce": tags lack "lab". Add them to tags.']],
    );
  });

  it("accepts provider default tags through tagsAll", async () => {
    const v = await run(requiredCostTags, [
      ceWith((p) => Object.assign(p, { tags: {}, tagsAll: { lab: "smith" } })),
    ]);
    assert.deepEqual(v, []);
  });

  it("rejects untagged instances (computeResources.tags empty or blank)", async () => {
    for (const tags of [undefined, { lab: " " }]) {
      const v = await run(requiredCostTags, [
        ceWith((p) => ((p.computeResources as Record<string, unknown>).tags = tags)),
      ]);
      assert.equal(v.length, 1);
      assert.match(
        v[0].message,
        /computeResources.tags lack "lab", so the instances it launches are untagged/,
      );
    }
  });

  it("does not ask Fargate environments for computeResources.tags", async () => {
    const v = await run(requiredCostTags, [
      ceWith((p) => (p.computeResources = { type: "FARGATE", maxVcpus: 16 } as typeof p.computeResources)),
    ]);
    assert.deepEqual(v, []);
  });

  it("rejects a launch template with neither tags nor tagSpecifications", async () => {
    const v = await run(requiredCostTags, [
      res(aws.ec2.LaunchTemplate, "lt", { metadataOptions: { httpTokens: "required" } }),
    ]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /Launch template "lt": neither tags nor tagSpecifications carry "lab"/);
  });

  it("takes the keys from config", async () => {
    const config = { "required-cost-tags": { requiredTags: ["lab", "project"] } };
    const v = await run(requiredCostTags, [res(aws.ec2.LaunchTemplate, "lt", clone(happyLt))], config);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /carry "project"\./);
  });
});
