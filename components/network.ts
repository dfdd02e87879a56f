import * as aws from "@pulumi/aws";
import * as awsx from "@pulumi/awsx";
import * as pulumi from "@pulumi/pulumi";
import type { NetworkSpec } from "../config/spec";

export interface NetworkArgs {
  /** A new VPC, or the lab's existing VPC and subnets. */
  readonly spec: NetworkSpec;
  /**
   * New VPC only: the zones its subnets go in, the first `spec.availabilityZones` the account
   * sees, looked up by the program before any resource exists (program/run.ts).
   */
  readonly availabilityZoneNames?: readonly string[];
  /** The region, for the S3 gateway endpoint's service name. */
  readonly region: string;
  /** Tags on every resource. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Where Batch hosts run: private subnets with egress (image pulls, S3, ECS) and no ingress.
 *
 * New mode: an awsx VPC with private subnets across several AZs (more AZs, more spot
 * capacity pools), NAT per the config, and an S3 gateway endpoint on the private route tables
 * so task data to and from S3 skips NAT processing charges (29 % of one big run's bill was
 * data transfer).
 * Existing mode: the lab's VPC and subnets as given; egress and any S3 endpoint are theirs.
 */
export class Network extends pulumi.ComponentResource {
  public readonly vpcId: pulumi.Output<string>;
  /** The subnets compute environments launch hosts in. */
  public readonly subnetIds: pulumi.Output<string[]>;
  /** No ingress, all egress: hosts only ever call out. */
  public readonly securityGroupId: pulumi.Output<string>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:network:Network", name, {}, opts);
    const spec = args.spec;

    switch (spec.mode) {
      case "new": {
        const zones = args.availabilityZoneNames;
        if (zones === undefined || zones.length !== spec.availabilityZones) {
          throw new Error(
            `${name}: a new VPC needs ${spec.availabilityZones} zone names; got ${JSON.stringify(zones)}`,
          );
        }
        const vpc = new awsx.ec2.Vpc(
          `${name}-vpc`,
          {
            cidrBlock: spec.cidrBlock,
            // The same zones awsx would pick from numberOfAvailabilityZones (the first N that
            // aws.getAvailabilityZones lists: pulumi-awsx awsx/ec2/vpc.ts getDefaultAzs), named
            // here so a region with too few is caught before any resource, with the key to fix.
            availabilityZoneNames: [...zones],
            natGateways: {
              strategy:
                spec.natGateways === "single"
                  ? awsx.ec2.NatGatewayStrategy.Single
                  : awsx.ec2.NatGatewayStrategy.OnePerAz,
            },
            // Public subnets only carry the NAT gateways; hosts get private addresses.
            subnetSpecs: [{ type: awsx.ec2.SubnetType.Public }, { type: awsx.ec2.SubnetType.Private }],
            subnetStrategy: awsx.ec2.SubnetAllocationStrategy.Auto,
            enableDnsHostnames: true,
            enableDnsSupport: true,
            tags: { ...args.tags },
          },
          { parent: this },
        );
        this.vpcId = vpc.vpcId;
        this.subnetIds = vpc.privateSubnetIds;
        new aws.ec2.VpcEndpoint(
          `${name}-s3`,
          {
            vpcId: vpc.vpcId,
            serviceName: `com.amazonaws.${args.region}.s3`,
            vpcEndpointType: "Gateway",
            routeTableIds: privateRouteTableIds(vpc),
            tags: { ...args.tags },
          },
          { parent: this },
        );
        break;
      }
      case "existing":
        this.vpcId = pulumi.output(spec.vpcId);
        this.subnetIds = pulumi.output([...spec.subnetIds]);
        break;
      default: {
        const never: never = spec;
        throw new Error(`unhandled network mode ${JSON.stringify(never)}`);
      }
    }

    const sg = new aws.ec2.SecurityGroup(
      `${name}-hosts`,
      {
        vpcId: this.vpcId,
        description: "Nextflow Batch hosts: no ingress, all egress",
        ingress: [],
        egress: [
          { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
        ],
        tags: { ...args.tags },
      },
      { parent: this },
    );
    this.securityGroupId = sg.id;

    this.registerOutputs({
      vpcId: this.vpcId,
      subnetIds: this.subnetIds,
      securityGroupId: this.securityGroupId,
    });
  }
}

/**
 * The route tables of the VPC's private subnets. awsx gives every subnet its own route table
 * and exposes the associations; a gateway endpoint needs the table ids, not the subnets.
 */
function privateRouteTableIds(vpc: awsx.ec2.Vpc): pulumi.Output<string[]> {
  return pulumi
    .all([vpc.privateSubnetIds, vpc.routeTableAssociations])
    .apply(([privateIds, assocs]) =>
      pulumi
        .all(assocs.map((a) => pulumi.all([pulumi.output(a.subnetId), pulumi.output(a.routeTableId)])))
        .apply((pairs) =>
          [
            ...new Set(
              pairs
                .filter(([subnet]) => subnet !== undefined && privateIds.includes(subnet))
                .map(([, rt]) => rt),
            ),
          ]
            .filter((rt): rt is string => typeof rt === "string")
            .sort(),
        ),
    );
}
