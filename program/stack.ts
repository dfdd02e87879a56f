import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { Access } from "../components/access";
import { BatchCompute, type LaunchTemplateSelection } from "../components/batchCompute";
import { ContainerCache } from "../components/containerCache";
import { UPSTREAMS } from "../config/containerCache";
import { HostLaunchTemplate } from "../components/hostLaunchTemplate";
import { LabBudget } from "../components/labBudget";
import { Network } from "../components/network";
import { WORK_PREFIX, WorkBucket } from "../components/workBucket";
import type { StackSpec } from "../config/spec";
import { AWS_CLI_PATH } from "../hosts/bootstrap/userData";
import { rootVolumePlan } from "../hosts/rootVolumes";
import { renderNextflowConfig } from "../nextflow/config";
import { cacheRoutes } from "../nextflow/containers";

/** What `pulumi stack output` shows. Names are a public contract: scripts read them. */
export interface StackOutputs {
  readonly spotQueueName: pulumi.Output<string>;
  readonly spotQueueArn: pulumi.Output<string>;
  readonly onDemandQueueName: pulumi.Output<string> | undefined;
  readonly onDemandQueueArn: pulumi.Output<string> | undefined;
  readonly workBucketName: pulumi.Output<string>;
  readonly workDir: pulumi.Output<string>;
  readonly jobRoleArn: pulumi.Output<string>;
  readonly launcherPolicyArn: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly vpcId: pulumi.Output<string>;
  readonly nextflowConfig: pulumi.Output<string>;
  /** The monthly budget's name; undefined without a budget. */
  readonly budgetName: pulumi.Output<string> | undefined;
  /** Upstream registry host to cache URI (`quay.io` to `<account>.dkr.ecr.<region>.amazonaws.com/<prefix>-quay`); undefined without a cache. */
  readonly containerCacheUris: pulumi.Output<Record<string, string>> | undefined;
}

/** What the program looked up in the account before building: the zones a new VPC uses. */
export interface StackLookups {
  /** New VPC only: the first `availabilityZones` zones the account sees in the region. */
  readonly availabilityZoneNames?: readonly string[];
}

/**
 * Which compute environments the stack gets, by storage kind rather than by how many volumes
 * the sizes happen to need, so that editing instanceTypes never switches providers (which
 * replaces the compute environments): gp3 stacks always take per-size templates (on
 * aws-native, even when every size shares one volume), the NVMe preset keeps its one template
 * on @pulumi/aws exactly as before.
 */
function launchTemplateSelection(spec: StackSpec, hosts: HostLaunchTemplate): LaunchTemplateSelection {
  switch (spec.storage.kind) {
    case "gp3":
      return {
        kind: "perSize",
        overrides: hosts.overrides,
        region: spec.region,
        ...(spec.awsProfile === undefined ? {} : { profile: spec.awsProfile }),
      };
    case "instanceStore":
      return { kind: "single" };
    default: {
      const never: never = spec.storage.kind;
      throw new Error(`unknown storage kind ${String(never)}`);
    }
  }
}

/**
 * Builds every resource of one lab's stack from a resolved spec. Logical names here are a
 * public contract (changing one replaces the cloud resource): they are fixed words, not
 * derived from config, so renaming a lab never re-creates its bucket.
 */
export function buildStack(spec: StackSpec, lookups: StackLookups): StackOutputs {
  const tags = spec.tags;
  const identity = aws.getCallerIdentityOutput();
  const partition = aws.getPartitionOutput();

  const network = new Network("nextflow-network", {
    spec: spec.network,
    availabilityZoneNames: lookups.availabilityZoneNames,
    region: spec.region,
    tags,
  });
  if (spec.network.mode === "existing" && spec.network.subnetIds.length < 2) {
    pulumi.log.warn(
      "nextflow-batch:subnetIds has one subnet: spot capacity comes from one AZ only; list private subnets in two or more AZs.",
      network,
    );
  }

  const bucket = new WorkBucket("nextflow-work", { workRetentionDays: spec.workRetentionDays, tags });

  const logs = new aws.cloudwatch.LogGroup("nextflow-jobs", {
    name: spec.names.logGroup,
    retentionInDays: spec.logRetentionDays,
    tags: { ...tags },
  });

  // gp3 hosts get a root volume matched to their size (hosts/rootVolumes.ts): one launch
  // template per distinct volume. Instance-store hosts all get the one OS-only volume.
  const rootVolumes = rootVolumePlan(spec.instanceTypes, spec.storage);
  const hosts = new HostLaunchTemplate("nextflow-hosts", {
    architecture: spec.architecture,
    amiVersion: spec.hostAmiVersion,
    storage: spec.storage,
    rootVolumes,
    tags,
  });

  // The launcher policy names the queues and the compute environments need the instance
  // profile, so queue names are fixed up front and their ARNs built from them.
  const queues = { spot: spec.names.spotQueue, onDemand: spec.names.onDemandQueue };
  const cache =
    spec.containerCache === undefined
      ? undefined
      : new ContainerCache("nextflow-images", {
          cachePrefix: spec.containerCache.prefix,
          dockerHubCredentialArn: spec.containerCache.dockerHubCredentialArn,
          cachedImageExpiryDays: spec.containerCache.cachedImageExpiryDays,
          region: spec.region,
          accountId: identity.accountId,
          partition: partition.partition,
          dnsSuffix: partition.dnsSuffix,
          tags,
        });

  const queueArn = (queueName: string) =>
    pulumi.interpolate`arn:${partition.partition}:batch:${spec.region}:${identity.accountId}:job-queue/${queueName}`;
  const queueNamesBuilt = [queues.spot, ...(spec.onDemandMaxVcpus !== undefined ? [queues.onDemand] : [])];
  const access = new Access("nextflow-access", {
    region: spec.region,
    accountId: identity.accountId,
    partition: partition.partition,
    bucketArn: bucket.bucketArn,
    inputBucketNames: spec.inputBuckets,
    logGroupArn: logs.arn,
    queueArns: queueNamesBuilt.map(queueArn),
    cacheRepositoryArns: cache?.repositoryArns,
    tags,
  });

  const batch = new BatchCompute("nextflow-batch", {
    queueNames: queues,
    instanceTypes: spec.instanceTypes,
    subnetIds: network.subnetIds,
    securityGroupId: network.securityGroupId,
    instanceProfileArn: access.instanceProfileArn,
    launchTemplateId: hosts.launchTemplateId,
    launchTemplateVersion: hosts.latestVersion,
    launchTemplates: launchTemplateSelection(spec, hosts),
    maxVcpus: spec.maxVcpus,
    spotBidPercentage: spec.spotBidPercentage,
    onDemandMaxVcpus: spec.onDemandMaxVcpus,
    runnableTimeoutMinutes: spec.runnableTimeoutMinutes,
    queueStateManagedElsewhere: spec.budget?.guard === true,
    tags,
  });

  // The budget watches the whole lab account; its guard, when on, every queue of this stack
  // (the on-demand queue spends more per vCPU than spot, so it stops too).
  const budget =
    spec.budget === undefined
      ? undefined
      : new LabBudget("nextflow-budget", {
          budget: spec.budget,
          guard: spec.budget.guard
            ? {
                queueNames: queueNamesBuilt,
                queueArns: queueNamesBuilt.map(queueArn),
                logGroupName: `${spec.names.logGroup}/budget-guard`,
                logRetentionDays: spec.logRetentionDays,
                region: spec.region,
                accountId: identity.accountId,
                partition: partition.partition,
              }
            : undefined,
          tags,
        });

  const workPrefix = WORK_PREFIX.replace(/\/$/, "");
  const nextflowConfig = pulumi
    .all([
      bucket.bucketName,
      batch.spotQueueName,
      batch.onDemandQueueName,
      access.jobRoleArn,
      logs.name,
      cache?.registry,
    ])
    .apply(([bucketName, spotQueueName, onDemandQueueName, jobRoleArn, logGroupName, registry]) =>
      renderNextflowConfig({
        labName: spec.labName,
        stack: spec.stack,
        region: spec.region,
        bucketName,
        workPrefix,
        spotQueueName,
        onDemandQueueName,
        jobRoleArn,
        logGroupName,
        cliPath: AWS_CLI_PATH,
        maxSpotAttempts: spec.maxSpotAttempts,
        containerCache:
          cache === undefined || spec.containerCache === undefined || registry === undefined
            ? undefined
            : {
                routes: cacheRoutes(registry, cache.prefixes),
                unqualifiedImages: spec.containerCache.unqualifiedImages,
              },
      }),
    );

  return {
    spotQueueName: batch.spotQueueName,
    spotQueueArn: batch.spotQueueArn,
    onDemandQueueName: batch.onDemandQueueName,
    onDemandQueueArn: batch.onDemandQueueArn,
    workBucketName: bucket.bucketName,
    workDir: pulumi.interpolate`s3://${bucket.bucketName}/${workPrefix}`,
    jobRoleArn: access.jobRoleArn,
    launcherPolicyArn: access.launcherPolicyArn,
    logGroupName: logs.name,
    vpcId: network.vpcId,
    nextflowConfig,
    budgetName: budget?.budgetName,
    containerCacheUris: cache?.registry.apply((registry) =>
      Object.fromEntries(
        cacheRoutes(registry, cache.prefixes).map((r) => [UPSTREAMS[r.upstream].imageHosts[0], r.uri]),
      ),
    ),
  };
}
