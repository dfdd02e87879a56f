import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsAmiParameter } from "../hosts/ami";
import { renderUserData } from "../hosts/bootstrap/userData";
import { gp3Problems } from "../hosts/gp3";
import type { RootVolumePlan } from "../hosts/rootVolumes";
import type { CpuArchitecture, Gp3Volume, HostStorageSpec } from "../presets";

/** The root device of the AL2023 ECS image. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

export interface HostLaunchTemplateArgs {
  readonly architecture: CpuArchitecture;
  /** The ECS-optimized AL2023 release the hosts boot (hosts/ami.ts); pinned, rolled only by changing it. */
  readonly amiVersion: string;
  /** Where Docker's data lives (it picks the bootstrap) and the preset's volume figures. */
  readonly storage: HostStorageSpec;
  /**
   * The root volumes hosts get: the default template's, and one more template per override
   * group (hosts/rootVolumes.ts `rootVolumePlan`).
   * @default - one template, with the storage spec's own volume, for every size
   */
  readonly rootVolumes?: RootVolumePlan;
  /** Cost-attribution tags, put on the instances and their volumes. */
  readonly tags: Readonly<Record<string, string>>;
}

/** A launch template a compute environment uses for some of its instance sizes. */
export interface HostLaunchTemplateOverride {
  readonly launchTemplateId: pulumi.Output<string>;
  readonly version: pulumi.Output<number>;
  /** The sizes (never families) whose hosts start from this template. */
  readonly targetInstanceTypes: readonly string[];
}

/**
 * The EC2 launch templates every Batch host starts from: AL2023 ECS image, IMDSv2 only, an
 * encrypted gp3 root volume, hosts that terminate on shutdown, cost tags on instances and
 * volumes, and the MIME multi-part bootstrap (AWS CLI, ECS agent settings, NVMe RAID where the
 * preset has it). The templates differ only in the root volume: the default one (logical name
 * `name`, as before sizes got their own volumes) carries the volume most sizes get, and each
 * other volume gets a template `${name}-<its smallest size>` that the compute environments use
 * as a launch template override for the sizes listed.
 *
 * Changing anything here makes a new template version, which the compute environments pick up
 * through their pinned version numbers (an in-place infrastructure update). A template whose
 * smallest size changes is replaced (new logical name): it holds no state, and the compute
 * environments move to the new one before the old one is deleted.
 */
export class HostLaunchTemplate extends pulumi.ComponentResource {
  public readonly launchTemplateId: pulumi.Output<string>;
  /** The version compute environments pin, so a change here reaches them. */
  public readonly latestVersion: pulumi.Output<number>;
  /** Templates for the sizes whose root volume differs from the default's; empty when none does. */
  public readonly overrides: readonly HostLaunchTemplateOverride[];

  constructor(name: string, args: HostLaunchTemplateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:compute:HostLaunchTemplate", name, {}, opts);
    const plan: RootVolumePlan = args.rootVolumes ?? {
      default: { volume: args.storage, instanceTypes: [] },
      overrides: [],
    };
    const problems = [plan.default, ...plan.overrides].flatMap((g) =>
      gp3Problems(
        g.instanceTypes.length > 0 ? `root volume of ${g.instanceTypes.join(", ")}` : "storage",
        g.volume,
      ),
    );
    if (problems.length > 0) throw new Error(`${name}: ${problems.join("; ")}`);

    // The image id of the pinned release, from its versioned SSM parameter: the same AMI on
    // every update until amiVersion changes (the `recommended` parameter would roll hosts
    // whenever AWS publishes a release).
    const image = aws.ssm.getParameterOutput(
      { name: ecsAmiParameter(args.amiVersion, args.architecture) },
      { parent: this },
    );
    const tags = { ...args.tags };

    const template = (logicalName: string, description: string, volume: Gp3Volume) =>
      new aws.ec2.LaunchTemplate(
        logicalName,
        {
          description,
          imageId: image.value,
          // Batch requires MIME multi-part user data and merges its own part (ECS_CLUSTER) in.
          userData: Buffer.from(renderUserData({ storage: args.storage.kind })).toString("base64"),
          blockDeviceMappings: [
            {
              deviceName: ROOT_DEVICE_NAME,
              ebs: {
                volumeType: "gp3",
                volumeSize: volume.rootVolumeGiB,
                iops: volume.iops,
                throughput: volume.throughputMiBps,
                encrypted: "true",
                deleteOnTermination: "true",
              },
            },
          ],
          metadataOptions: {
            httpEndpoint: "enabled",
            // IMDSv2 only, and one hop: task containers on the Docker bridge cannot reach the
            // host's instance credentials; they get the job role through ECS instead.
            httpTokens: "required",
            httpPutResponseHopLimit: 1,
          },
          // A host that shuts itself down is gone for good, not a stopped instance still billing its volume.
          instanceInitiatedShutdownBehavior: "terminate",
          // Batch's compute environment tags reach instances but not volumes: tag both here.
          tagSpecifications: [
            { resourceType: "instance", tags },
            { resourceType: "volume", tags },
          ],
          updateDefaultVersion: true,
          tags,
        },
        { parent: this },
      );

    const kind = `Nextflow Batch hosts (${args.architecture}, ${args.storage.kind} storage)`;
    const lt = template(name, kind, plan.default.volume);
    this.launchTemplateId = lt.id;
    this.latestVersion = lt.latestVersion;
    this.overrides = plan.overrides.map((g) => {
      const v = g.volume;
      // EC2 allows 255 characters of description: the volume, not the (possibly long) size list.
      const o = template(
        `${name}-${g.instanceTypes[0]}`,
        `${kind}, root ${v.rootVolumeGiB} GiB ${v.iops} IOPS ${v.throughputMiBps} MiB/s`,
        v,
      );
      return { launchTemplateId: o.id, version: o.latestVersion, targetInstanceTypes: g.instanceTypes };
    });
    this.registerOutputs({
      launchTemplateId: this.launchTemplateId,
      latestVersion: this.latestVersion,
      overrides: this.overrides.map((o) => ({
        launchTemplateId: o.launchTemplateId,
        version: o.version,
        targetInstanceTypes: o.targetInstanceTypes,
      })),
    });
  }
}
