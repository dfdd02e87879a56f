// HostLaunchTemplate: the AL2023 ECS image, IMDSv2, an encrypted gp3 root sized by the preset,
// terminate on shutdown, tags on instances and volumes, and the bootstrap user data. One run
// per preset (the storage differs).
import assert from "node:assert/strict";
import { DEFAULT_HOST_AMI_VERSION, ecsAmiParameter } from "../../hosts/ami";
import { renderUserData } from "../../hosts/bootstrap/userData";
import { MOCK_AMI_ID } from "../../plan/offline";
import { PRESET_NAMES, PRESETS } from "../../presets";
import { BASE_TAGS, inputsOf, runStack, T } from "../helpers";

describe("component: HostLaunchTemplate", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    it(`${name}: AL2023 ECS image, IMDSv2, encrypted gp3 root sized by the preset, terminate on shutdown, tags`, async () => {
      const preset = PRESETS[name];
      const run = await runStack({ preset: name });
      const lt = inputsOf(run, T.lt, "nextflow-hosts");
      assert.equal(lt.imageId, MOCK_AMI_ID);
      const ssm = run.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter");
      assert.deepEqual(
        ssm.map((i) => i.inputs.name),
        [ecsAmiParameter(DEFAULT_HOST_AMI_VERSION, preset.architecture)],
      );
      assert.deepEqual(lt.metadataOptions, {
        httpEndpoint: "enabled",
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      assert.deepEqual(lt.blockDeviceMappings, [
        {
          deviceName: "/dev/xvda",
          ebs: {
            volumeType: "gp3",
            volumeSize: preset.storage.rootVolumeGiB,
            iops: preset.storage.iops,
            throughput: preset.storage.throughputMiBps,
            encrypted: "true",
            deleteOnTermination: "true",
          },
        },
      ]);
      assert.equal(lt.instanceInitiatedShutdownBehavior, "terminate");
      assert.deepEqual(lt.tagSpecifications, [
        { resourceType: "instance", tags: BASE_TAGS },
        { resourceType: "volume", tags: BASE_TAGS },
      ]);
      const userData = Buffer.from(lt.userData, "base64").toString("utf8");
      assert.equal(userData, renderUserData({ storage: preset.storage.kind }));
      assert.match(userData, /^Content-Type: multipart\/mixed; boundary=/m);
    });
  }
});
