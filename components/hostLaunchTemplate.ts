import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ecsAmiParameter } from "../hosts/ami";
import { renderUserData } from "../hosts/bootstrap/userData";
import { gp3Problems } from "../hosts/gp3";
import type { CpuArchitecture, HostStorageSpec } from "../presets";

/** The root device of the AL2023 ECS image. */
export const ROOT_DEVICE_NAME = "/dev/xvda";

export interface HostLaunchTemplateArgs {
  readonly architecture: CpuArchitecture;
  /** The ECS-optimized AL2023 release the hosts boot (hosts/ami.ts); pinned, rolled only by changing it. */
  readonly amiVersion: string;
  /** Root volume and where Docker's data lives. */
  readonly storage: HostStorageSpec;
  /** Cost-attribution tags, put on the instances and their volumes. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The EC2 launch template every Batch host starts from: AL2023 ECS image, IMDSv2 only, an
 * encrypted gp3 root volume sized by the preset, hosts that terminate on shutdown, cost tags
 * on instances and volumes, and the MIME multi-part bootstrap (AWS CLI, ECS agent settings,
 * NVMe RAID where the preset has it).
 *
 * Changing anything here makes a new template version, which the compute environments pick up
 * through their pinned version number (an in-place infrastructure update).
 */
export class HostLaunchTemplate extends pulumi.ComponentResource {
  public readonly launchTemplateId: pulumi.Output<string>;
  /** The version compute environments pin, so a change here reaches them. */
  public readonly latestVersion: pulumi.Output<number>;

  constructor(name: string, args: HostLaunchTemplateArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:compute:HostLaunchTemplate", name, {}, opts);
    const problems = gp3Problems("storage", args.storage);
    if (problems.length > 0) throw new Error(`${name}: ${problems.join("; ")}`);

    // The image id of the pinned release, from its versioned SSM parameter: the same AMI on
    // every update until amiVersion changes (the `recommended` parameter would roll hosts
    // whenever AWS publishes a release).
    const image = aws.ssm.getParameterOutput(
      { name: ecsAmiParameter(args.amiVersion, args.architecture) },
      { parent: this },
    );
    const tags = { ...args.tags };

    const lt = new aws.ec2.LaunchTemplate(
      name,
      {
        description: `Nextflow Batch hosts (${args.architecture}, ${args.storage.kind} storage)`,
        imageId: image.value,
        // Batch requires MIME multi-part user data and merges its own part (ECS_CLUSTER) in.
        userData: Buffer.from(renderUserData({ storage: args.storage.kind })).toString("base64"),
        blockDeviceMappings: [
          {
            deviceName: ROOT_DEVICE_NAME,
            ebs: {
              volumeType: "gp3",
              volumeSize: args.storage.rootVolumeGiB,
              iops: args.storage.iops,
              throughput: args.storage.throughputMiBps,
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
    this.launchTemplateId = lt.id;
    this.latestVersion = lt.latestVersion;
    this.registerOutputs({ launchTemplateId: this.launchTemplateId, latestVersion: this.latestVersion });
  }
}
