// HostLaunchTemplate: the AL2023 ECS image, IMDSv2, an encrypted gp3 root volume per distinct
// size volume, terminate on shutdown, tags on instances and volumes, and the bootstrap user
// data. One run per preset (the storage differs).
import assert from "node:assert/strict";
import { DEFAULT_HOST_AMI_VERSION, ecsAmiParameter } from "../../hosts/ami";
import { renderUserData } from "../../hosts/bootstrap/userData";
import { rootVolumePlan } from "../../hosts/rootVolumes";
import { MOCK_AMI_ID } from "../../plan/offline";
import { PRESET_NAMES, PRESETS, type Gp3Volume } from "../../presets";
import { BASE_TAGS, ofType, runStack, T } from "../helpers";

/** Every launch template the preset needs: logical name, description and root volume. */
const EXPECTED: Record<(typeof PRESET_NAMES)[number], [string, string, Gp3Volume][]> = {
  "m5-gp3": [
    [
      "nextflow-hosts",
      "Nextflow Batch hosts (x86_64, gp3 storage)",
      { rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 },
    ],
    [
      "nextflow-hosts-m5.large",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 100 GiB 3600 IOPS 125 MiB/s",
      { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 },
    ],
    [
      "nextflow-hosts-m5.xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 100 GiB 6000 IOPS 137 MiB/s",
      { rootVolumeGiB: 100, iops: 6000, throughputMiBps: 137 },
    ],
    [
      "nextflow-hosts-m5.2xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 128 GiB 12000 IOPS 274 MiB/s",
      { rootVolumeGiB: 128, iops: 12000, throughputMiBps: 274 },
    ],
    [
      "nextflow-hosts-m5.4xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 256 GiB 16000 IOPS 566 MiB/s",
      { rootVolumeGiB: 256, iops: 16000, throughputMiBps: 566 },
    ],
    [
      "nextflow-hosts-m5.8xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 512 GiB 16000 IOPS 810 MiB/s",
      { rootVolumeGiB: 512, iops: 16000, throughputMiBps: 810 },
    ],
  ],
  "m5d-nvme": [
    [
      "nextflow-hosts",
      "Nextflow Batch hosts (x86_64, instanceStore storage)",
      { rootVolumeGiB: 100, iops: 3000, throughputMiBps: 125 },
    ],
  ],
  "c6a-gp3": [
    [
      "nextflow-hosts",
      "Nextflow Batch hosts (x86_64, gp3 storage)",
      { rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 },
    ],
    [
      "nextflow-hosts-c6a.large",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 100 GiB 3600 IOPS 125 MiB/s",
      { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 },
    ],
    [
      "nextflow-hosts-c6a.xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 100 GiB 6000 IOPS 149 MiB/s",
      { rootVolumeGiB: 100, iops: 6000, throughputMiBps: 149 },
    ],
    [
      "nextflow-hosts-c6a.2xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 128 GiB 12000 IOPS 298 MiB/s",
      { rootVolumeGiB: 128, iops: 12000, throughputMiBps: 298 },
    ],
    [
      "nextflow-hosts-c6a.4xlarge",
      "Nextflow Batch hosts (x86_64, gp3 storage), root 256 GiB 16000 IOPS 596 MiB/s",
      { rootVolumeGiB: 256, iops: 16000, throughputMiBps: 596 },
    ],
  ],
};

describe("component: HostLaunchTemplate", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      const preset = PRESETS[name];
      let run: Awaited<ReturnType<typeof runStack>>;
      before(async () => {
        run = await runStack({ preset: name });
      });

      it("makes one template per distinct root volume: the default (logical name unchanged) and one per override", () => {
        const templates = ofType(run, T.lt);
        assert.deepEqual([...templates.keys()].sort(), EXPECTED[name].map(([n]) => n).sort());
        for (const [logicalName, description, v] of EXPECTED[name]) {
          const lt = templates.get(logicalName)!.inputs as any;
          assert.equal(lt.description, description, logicalName);
          assert.deepEqual(
            lt.blockDeviceMappings,
            [
              {
                deviceName: "/dev/xvda",
                ebs: {
                  volumeType: "gp3",
                  volumeSize: v.rootVolumeGiB,
                  iops: v.iops,
                  throughput: v.throughputMiBps,
                  encrypted: "true",
                  deleteOnTermination: "true",
                },
              },
            ],
            logicalName,
          );
        }
        // The volumes are the rule's (hosts/rootVolumes.ts), default first.
        const plan = rootVolumePlan(preset.instanceTypes, preset.storage);
        assert.deepEqual(
          EXPECTED[name].map(([, , v]) => v),
          [plan.default.volume, ...plan.overrides.map((o) => o.volume)],
        );
      });

      it("every template: AL2023 ECS image, IMDSv2, terminate on shutdown, tags, the bootstrap; all alike but the root volume", () => {
        const ssm = run.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter");
        assert.deepEqual(
          ssm.map((i) => i.inputs.name),
          [ecsAmiParameter(DEFAULT_HOST_AMI_VERSION, preset.architecture)],
          "one image lookup shared by every template",
        );
        for (const r of ofType(run, T.lt).values()) {
          // Everything but the root volume and its description (checked above).
          const rest = { ...(r.inputs as any) };
          delete rest.blockDeviceMappings;
          delete rest.description;
          assert.deepEqual(
            rest,
            {
              imageId: MOCK_AMI_ID,
              userData: Buffer.from(renderUserData({ storage: preset.storage.kind })).toString("base64"),
              metadataOptions: {
                httpEndpoint: "enabled",
                httpTokens: "required",
                httpPutResponseHopLimit: 1,
              },
              instanceInitiatedShutdownBehavior: "terminate",
              tagSpecifications: [
                { resourceType: "instance", tags: BASE_TAGS },
                { resourceType: "volume", tags: BASE_TAGS },
              ],
              updateDefaultVersion: true,
              tags: BASE_TAGS,
            },
            r.name,
          );
          assert.equal(r.parent?.split("::").pop(), "nextflow-hosts");
          assert.match(
            Buffer.from(rest.userData, "base64").toString("utf8"),
            /^Content-Type: multipart\/mixed; boundary=/m,
          );
        }
      });
    });
  }

  it("an instanceTypes override gets templates for its own sizes; the default carries the volume most of them get", async () => {
    // r5 sizes have m5's EBS links and vCPUs: r5.large gets m5.large's volume, and that volume
    // (2 sizes) becomes the default; m5.12xlarge's seed volume is the one override.
    const run = await runStack({ instanceTypes: ["m5.large", "r5.large", "m5.12xlarge"] });
    const templates = ofType(run, T.lt);
    assert.deepEqual([...templates.keys()].sort(), ["nextflow-hosts", "nextflow-hosts-m5.12xlarge"]);
    assert.equal((templates.get("nextflow-hosts")!.inputs as any).blockDeviceMappings[0].ebs.volumeSize, 100);
    assert.equal(
      (templates.get("nextflow-hosts-m5.12xlarge")!.inputs as any).blockDeviceMappings[0].ebs.volumeSize,
      1000,
    );
    const ce = run.resources.find((r) => r.type === T.nativeCe && r.name === "nextflow-batch-spot")!
      .inputs as any;
    assert.deepEqual(
      ce.computeResources.launchTemplate.overrides.map((o: any) => o.targetInstanceTypes),
      [["m5.12xlarge"]],
    );
  });
});
