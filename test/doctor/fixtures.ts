/**
 * AWS API response shapes for the doctor's tests. Each starts from the example in the AWS API
 * reference named above it (the same examples ship in the SDK's command docs, e.g.
 * node_modules/@aws-sdk/client-batch/dist-types/commands/DescribeComputeEnvironmentsCommand.d.ts,
 * "@example To describe a compute environment") and is changed only where this stack differs:
 * names, the launch template, SPOT_PRICE_CAPACITY_OPTIMIZED, the instance profile ARN.
 */
import type { Activity } from "@aws-sdk/client-auto-scaling";
import type { ComputeEnvironmentDetail, JobDetail, JobQueueDetail } from "@aws-sdk/client-batch";
import type {
  Instance,
  InstanceTypeInfo,
  LaunchTemplateVersion,
  RouteTable,
  Subnet,
  VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { InstanceProfile, Role } from "@aws-sdk/client-iam";
import { renderNextflowConfig } from "../../nextflow/config";

/** The account of the AWS API reference examples. */
export const ACCOUNT = "012345678910";
export const REGION = "us-east-1";
export const STACK = "dev";
export const LAB = "smith-lab";
export const NOW = new Date("2026-12-01T10:00:00.000Z");
export const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000);

export const SPOT_QUEUE = `${LAB}-${STACK}-spot`;
export const OD_QUEUE = `${LAB}-${STACK}-ondemand`;
export const SPOT_CE = "nextflow-batch-spot-4c1d2e3";
export const OD_CE = "nextflow-batch-ondemand-9f8e7d6";
export const ceArn = (name: string) => `arn:aws:batch:${REGION}:${ACCOUNT}:compute-environment/${name}`;
export const queueArn = (name: string) => `arn:aws:batch:${REGION}:${ACCOUNT}:job-queue/${name}`;
export const BUCKET = "nextflow-work-1a2b3c4";
export const JOB_ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/nextflow-access-job-5e6f7a8`;
export const LAUNCHER_ARN = `arn:aws:iam::${ACCOUNT}:policy/nextflow-access-launcher-1b2c3d4`;
export const LOG_GROUP = `/nextflow-batch/${LAB}/${STACK}`;
export const VPC = "vpc-a01106c2";
export const SUBNETS = ["subnet-220c0e0a", "subnet-1a95556d"];
export const LT_ID = "lt-068f72b72934aff71";
export const INSTANCE_PROFILE_ARN = `arn:aws:iam::${ACCOUNT}:instance-profile/nextflow-access-instance-2b3c4d5`;
export const NAT = "nat-0a1b2c3d4e5f60718";
export const S3_ENDPOINT = "vpce-0123456789abcdef0";
export const CLUSTER = (ce: string) =>
  `arn:aws:ecs:${REGION}:${ACCOUNT}:cluster/${ce}_Batch_2c06f29d-d1fe-3a49-879d-42394c86effc`;

/** `pulumi stack output --json` of a deployed stack (names from program/stack.ts). */
export function stackOutputs(opts: { onDemand?: boolean } = {}): Record<string, string> {
  const onDemand = opts.onDemand ?? true;
  return {
    spotQueueName: SPOT_QUEUE,
    spotQueueArn: queueArn(SPOT_QUEUE),
    ...(onDemand ? { onDemandQueueName: OD_QUEUE, onDemandQueueArn: queueArn(OD_QUEUE) } : {}),
    workBucketName: BUCKET,
    workDir: `s3://${BUCKET}/work`,
    jobRoleArn: JOB_ROLE_ARN,
    launcherPolicyArn: LAUNCHER_ARN,
    logGroupName: LOG_GROUP,
    vpcId: VPC,
    nextflowConfig: renderNextflowConfig({
      labName: LAB,
      stack: STACK,
      region: REGION,
      bucketName: BUCKET,
      workPrefix: "work",
      spotQueueName: SPOT_QUEUE,
      onDemandQueueName: onDemand ? OD_QUEUE : undefined,
      jobRoleArn: JOB_ROLE_ARN,
      logGroupName: LOG_GROUP,
      cliPath: "/opt/aws-cli/bin/aws",
      maxSpotAttempts: 5,
    }),
  };
}

/** Batch API reference, DescribeJobQueues, "To describe a job queue" (HighPriority), for this stack. */
export function jobQueue(name: string, ce: string, over: Partial<JobQueueDetail> = {}): JobQueueDetail {
  return {
    computeEnvironmentOrder: [{ computeEnvironment: ceArn(ce), order: 1 }],
    jobQueueArn: queueArn(name),
    jobQueueName: name,
    priority: 10,
    state: "ENABLED",
    status: "VALID",
    statusReason: "JobQueue Healthy",
    ...over,
  };
}

/**
 * Batch API reference, DescribeComputeEnvironments, "To describe a compute environment"
 * (P2OnDemand), with this stack's settings.
 */
export function computeEnvironment(
  name: string,
  over: Partial<ComputeEnvironmentDetail> = {},
  resources: Partial<NonNullable<ComputeEnvironmentDetail["computeResources"]>> = {},
): ComputeEnvironmentDetail {
  return {
    computeEnvironmentArn: ceArn(name),
    computeEnvironmentName: name,
    computeResources: {
      desiredvCpus: 0,
      instanceRole: INSTANCE_PROFILE_ARN,
      instanceTypes: ["m5"],
      maxvCpus: 1024,
      minvCpus: 0,
      securityGroupIds: ["sg-cf5093b2"],
      subnets: [...SUBNETS],
      tags: { lab: LAB },
      type: name === SPOT_CE ? "SPOT" : "EC2",
      allocationStrategy: name === SPOT_CE ? "SPOT_PRICE_CAPACITY_OPTIMIZED" : "BEST_FIT_PROGRESSIVE",
      launchTemplate: { launchTemplateId: LT_ID, version: "2" },
      ...resources,
    },
    ecsClusterArn: CLUSTER(name),
    state: "ENABLED",
    status: "VALID",
    statusReason: "ComputeEnvironment Healthy",
    type: "MANAGED",
    ...over,
  };
}

/**
 * Batch API reference, DescribeJobs, "To describe a specific job" (a job of the HighPriority
 * queue), here as a RUNNABLE job of this stack's spot queue.
 */
export function runnableJob(
  over: Partial<JobDetail> = {},
  container: Partial<NonNullable<JobDetail["container"]>> = {},
): JobDetail {
  return {
    container: {
      command: ["sleep", "60"],
      environment: [],
      image: "busybox",
      mountPoints: [],
      resourceRequirements: [
        { type: "VCPU", value: "2" },
        { type: "MEMORY", value: "4096" },
      ],
      ulimits: [],
      volumes: [],
      ...container,
    },
    createdAt: minutesAgo(45).getTime(),
    dependsOn: [],
    jobDefinition: "arn:aws:batch:us-east-1:012345678910:job-definition/nf-quay-io-biocontainers-fastqc:1",
    jobId: "24fa2d7a-64c4-49d2-8b47-f8da4fbde8e9",
    jobName: "nf-FASTQC_sample1",
    jobQueue: queueArn(SPOT_QUEUE),
    parameters: {},
    startedAt: undefined,
    status: "RUNNABLE",
    ...over,
  } as JobDetail;
}

/** EC2 API reference, DescribeLaunchTemplateVersions, "To describe the versions for a launch template". */
export function launchTemplateVersions(latest = 2): LaunchTemplateVersion[] {
  return Array.from({ length: latest }, (_, i) => ({
    CreateTime: new Date("2017-11-20T13:12:32.000Z"),
    CreatedBy: "arn:aws:iam::123456789102:root",
    DefaultVersion: i + 1 === latest,
    LaunchTemplateId: LT_ID,
    LaunchTemplateName: "nextflow-hosts-0a1b2c3",
    VersionNumber: i + 1,
  })).reverse();
}

/** EC2 API reference, DescribeSubnets (the subnet fields the doctor reads). */
export const subnet = (id: string, vpc = VPC): Subnet => ({
  SubnetId: id,
  VpcId: vpc,
  AvailabilityZone: "us-east-1a",
  State: "available",
});

/**
 * EC2 API reference, DescribeRouteTables, "To describe a route table" (rtb-1f382e7d), with the
 * two routes a private subnet of this stack has: 0.0.0.0/0 to the NAT gateway and the S3
 * prefix list to the gateway endpoint.
 */
export function routeTable(subnetId: string, routes: RouteTable["Routes"] = defaultRoutes()): RouteTable {
  return {
    Associations: [
      {
        Main: false,
        RouteTableAssociationId: "rtbassoc-d8ccddba",
        RouteTableId: "rtb-1f382e7d",
        SubnetId: subnetId,
      },
    ],
    PropagatingVgws: [],
    RouteTableId: "rtb-1f382e7d",
    Routes: routes,
    Tags: [],
    VpcId: VPC,
  };
}
export function defaultRoutes(): NonNullable<RouteTable["Routes"]> {
  return [
    { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" },
    { DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: NAT, State: "active" },
    { DestinationPrefixListId: "pl-63a5400a", GatewayId: S3_ENDPOINT, State: "active" },
  ];
}

/** EC2 API reference, DescribeVpcEndpoints (fields read): the stack's S3 gateway endpoint. */
export const s3Endpoint = (): VpcEndpoint => ({
  VpcEndpointId: S3_ENDPOINT,
  VpcEndpointType: "Gateway",
  VpcId: VPC,
  ServiceName: `com.amazonaws.${REGION}.s3`,
  State: "Available",
});

/** EC2 API reference, DescribeInstanceTypes (VCpuInfo, MemoryInfo): the m5 family's smallest and largest. */
export function m5Types(): InstanceTypeInfo[] {
  return [
    ["m5.large", 2, 8192],
    ["m5.4xlarge", 16, 65536],
    ["m5.24xlarge", 96, 393216],
  ].map(([t, v, m]) => ({
    InstanceType: t as InstanceTypeInfo["InstanceType"],
    VCpuInfo: { DefaultVCpus: v as number },
    MemoryInfo: { SizeInMiB: m as number },
  }));
}

/** EC2 API reference, DescribeInstances (fields read): a host Batch launched through its Auto Scaling group. */
export const host = (id: string, launchedMinutesAgo: number, ce = SPOT_CE): Instance => ({
  InstanceId: id,
  InstanceType: "m5.large",
  LaunchTime: minutesAgo(launchedMinutesAgo),
  State: { Code: 16, Name: "running" },
  Tags: [
    { Key: "aws:autoscaling:groupName", Value: `AWSBatch-${ce}-asg-640012bd-4e90-3f19-9dd2-c09a23dc923d` },
  ],
});

const trust = (service: string) =>
  encodeURIComponent(
    JSON.stringify({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
    }),
  );

/** IAM API reference, GetInstanceProfile, "To get information about an instance profile" (the trust policy URL-encoded, as IAM returns it). */
export function instanceProfile(roleTrust = "ec2.amazonaws.com"): InstanceProfile {
  return {
    Arn: INSTANCE_PROFILE_ARN,
    CreateDate: new Date("2013-06-12T23:52:02Z"),
    InstanceProfileId: "AID2MAB8DPLSRHEXAMPLE",
    InstanceProfileName: "nextflow-access-instance-2b3c4d5",
    Path: "/",
    Roles: [
      {
        Arn: `arn:aws:iam::${ACCOUNT}:role/nextflow-access-instance-3c4d5e6`,
        AssumeRolePolicyDocument: trust(roleTrust),
        CreateDate: new Date("2013-01-09T06:33:26Z"),
        Path: "/",
        RoleId: "AIDGPMS9RO4H3FEXAMPLE",
        RoleName: "nextflow-access-instance-3c4d5e6",
      },
    ],
  };
}

/** IAM API reference, GetRole, "To get information about an IAM role": the job role. */
export function jobRole(service = "ecs-tasks.amazonaws.com"): Role {
  return {
    Arn: JOB_ROLE_ARN,
    AssumeRolePolicyDocument: trust(service),
    CreateDate: new Date("2013-04-18T05:01:58Z"),
    MaxSessionDuration: 3600,
    Path: "/",
    RoleId: "AROADBQP57FF2AEXAMPLE",
    RoleName: "nextflow-access-job-5e6f7a8",
  };
}

export const ECS_POLICY = {
  PolicyName: "AmazonEC2ContainerServiceforEC2Role",
  PolicyArn: "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
};

/**
 * Auto Scaling API reference, DescribeScalingActivities, "To describe the scaling activities
 * for an Auto Scaling group", as a failed launch; the StatusMessage is EC2's vCPU-limit text.
 */
export function failedActivity(message: string): Activity {
  return {
    ActivityId: "f9f2d65b-f1f2-43e7-b46d-d86756459699",
    AutoScalingGroupName: `AWSBatch-${SPOT_CE}-asg-640012bd-4e90-3f19-9dd2-c09a23dc923d`,
    Cause:
      "At 2026-12-01T09:20:00Z an instance was started in response to a difference between desired and actual capacity, increasing the capacity from 0 to 1.",
    Description: "Launching a new EC2 instance.  Status Reason: " + message,
    StartTime: minutesAgo(40),
    EndTime: minutesAgo(40),
    Progress: 100,
    StatusCode: "Failed",
    StatusMessage: message,
  };
}
export const VCPU_LIMIT_MESSAGE =
  "You have requested more vCPU capacity than your current vCPU limit of 32 allows for the instance bucket that the specified instance type belongs to. Please visit http://aws.amazon.com/contact-us/ec2-request to request an adjustment to this limit. Launching EC2 instance failed.";

/**
 * Console output of a host whose AWS CLI download failed (what install-aws-cli.sh prints,
 * behind cloud-init's and the kernel's prefixes, with CR LF line ends as the console has them).
 */
export const FAILED_BOOT_CONSOLE = [
  "[    0.000000] Linux version 6.1.112-124.190.amzn2023.x86_64",
  "[   12.345678] cloud-init[1520]: 2026-12-01T09:21:04Z nextflow-batch-bootstrap[ecs-agent-config]: set ECS_IMAGE_PULL_BEHAVIOR=prefer-cached in /etc/ecs/ecs.config",
  "[   40.100000] cloud-init[2044]: 2026-12-01T09:21:40Z nextflow-batch-bootstrap[aws-cli]: download of https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip failed (try 1); retrying in 5s",
  "[  130.500000] cloud-init[2044]: 2026-12-01T09:23:10Z nextflow-batch-bootstrap[aws-cli]: ERROR: could not download https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip after 5 attempts (no internet route or NAT?) -- no AWS CLI at /opt/aws-cli/bin/aws: Nextflow tasks on this host cannot stage files.",
  "nextflow-batch-bootstrap[aws-cli]: ERROR: could not download https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip after 5 attempts (no internet route or NAT?)",
  "[  131.000000] cloud-init[2044]: Cloud-init v. 22.2.2 finished",
].join("\r\n");
