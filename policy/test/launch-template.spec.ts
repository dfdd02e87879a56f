import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { launchTemplateEncryptedEbs, launchTemplateImdsv2 } from "../policies";
import { clone, res, run } from "./helpers";

const happyLt = {
  metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 },
  blockDeviceMappings: [
    {
      deviceName: "/dev/xvda",
      ebs: { encrypted: "true", volumeSize: 1000, volumeType: "gp3", iops: 16000, throughput: 1000 },
    },
  ],
  tags: { lab: "smith" },
};

describe("launch-template-imdsv2", () => {
  it("passes httpTokens required", async () => {
    assert.deepEqual(
      await run(launchTemplateImdsv2, [res(aws.ec2.LaunchTemplate, "lt", clone(happyLt))]),
      [],
    );
  });
  for (const [label, change] of [
    [
      "httpTokens optional",
      (p: Record<string, unknown>) =>
        ((p.metadataOptions as Record<string, unknown>).httpTokens = "optional"),
    ],
    ["no metadataOptions", (p: Record<string, unknown>) => delete p.metadataOptions],
  ] as const) {
    it(`rejects ${label}`, async () => {
      const props = clone(happyLt) as Record<string, unknown>;
      change(props);
      const v = await run(launchTemplateImdsv2, [res(aws.ec2.LaunchTemplate, "lt", props)]);
      assert.equal(v.length, 1);
      assert.equal(v[0].enforcementLevel, "mandatory");
      assert.match(
        v[0].message,
        /Launch template "lt": metadataOptions.httpTokens is .*httpTokens: "required"/,
      );
    });
  }
});

describe("launch-template-encrypted-ebs", () => {
  const withEbs = (ebs: Record<string, unknown>): Record<string, unknown> => {
    const props = clone(happyLt) as Record<string, unknown>;
    props.blockDeviceMappings = [{ deviceName: "/dev/xvda", ebs }];
    return props;
  };

  it('passes encrypted "true", encrypted true and instance-store mappings', async () => {
    const props = clone(happyLt) as Record<string, unknown>;
    props.blockDeviceMappings = [
      { deviceName: "/dev/xvda", ebs: { encrypted: true } },
      { deviceName: "/dev/sdb", virtualName: "ephemeral0" },
    ];
    const v = await run(launchTemplateEncryptedEbs, [
      res(aws.ec2.LaunchTemplate, "a", clone(happyLt)),
      res(aws.ec2.LaunchTemplate, "b", props),
      res(aws.ec2.LaunchTemplate, "c", { metadataOptions: happyLt.metadataOptions }),
    ]);
    assert.deepEqual(v, []);
  });

  for (const [label, ebs, shown] of [
    ['encrypted "false"', { encrypted: "false", volumeSize: 100 }, '"false"'],
    ["encrypted unset", { volumeSize: 100 }, "undefined"],
  ] as const) {
    it(`rejects ${label}`, async () => {
      const v = await run(launchTemplateEncryptedEbs, [res(aws.ec2.LaunchTemplate, "lt", withEbs(ebs))]);
      assert.equal(v.length, 1);
      assert.equal(v[0].resource, "lt");
      assert.equal(
        v[0].message,
        `Launch template "lt": blockDeviceMappings[0] (/dev/xvda).ebs.encrypted is ${shown}. Set ebs.encrypted to "true" (and kmsKeyId for a customer-managed key).`,
      );
    });
  }
});
