/**
 * Shared test helpers: run the real program under Pulumi's mocks (plan/offline.ts records
 * every resource and throws on an unmocked invoke) and pick resources out of the result.
 */
import assert from "node:assert/strict";
import { OfflineRun, PlannedResource, runOffline, toPulumiConfig } from "../plan/offline";

export const STACK = "dev";

/** Runs the program for a stack whose config is `config` (short keys are namespaced for you). */
export function runStack(config: Record<string, unknown>, stack = STACK): Promise<OfflineRun> {
  return runOffline(stack, toPulumiConfig({ "aws:region": "us-east-1", labName: "smith-lab", ...config }));
}

/** The one resource of `type` named `name`; fails if there is none or several. */
export function one(run: OfflineRun, type: string, name: string): PlannedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** Every resource of `type`, by name. */
export function ofType(run: OfflineRun, type: string): Map<string, PlannedResource> {
  return new Map(run.resources.filter((r) => r.type === type).map((r) => [r.name, r]));
}

/** `type name` for every resource, sorted: the exact resource set. */
export function resourceSet(run: OfflineRun): string[] {
  return run.resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** Parses an IAM or bucket policy document the program sent as JSON text. */
export function policyDoc(value: unknown): { Version: string; Statement: any[] } {
  assert.equal(typeof value, "string", "policy documents go to AWS as JSON text");
  return JSON.parse(value as string);
}

/** Resource type tokens the tests look for. */
export const T = {
  network: "nextflow-batch:network:Network",
  vpc: "awsx:ec2:Vpc",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  bucketComponent: "nextflow-batch:storage:WorkBucket",
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  ltComponent: "nextflow-batch:compute:HostLaunchTemplate",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  accessComponent: "nextflow-batch:access:Access",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  policy: "aws:iam/policy:Policy",
  computeComponent: "nextflow-batch:compute:BatchCompute",
  ce: "aws:batch/computeEnvironment:ComputeEnvironment",
  nativeCe: "aws-native:batch:ComputeEnvironment",
  nativeProvider: "pulumi:providers:aws-native",
  queue: "aws:batch/jobQueue:JobQueue",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  budgetComponent: "nextflow-batch:cost:LabBudget",
  budget: "aws:budgets/budget:Budget",
  topic: "aws:sns/topic:Topic",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  lambda: "aws:lambda/function:Function",
  permission: "aws:lambda/permission:Permission",
  cacheComponent: "nextflow-batch:containers:ContainerCache",
  ptcRule: "aws:ecr/pullThroughCacheRule:PullThroughCacheRule",
  creationTemplate: "aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate",
} as const;

/** A Docker Hub credential secret ARN AWS would accept for the baseline stack (us-east-1, the mock account). */
export const DOCKER_HUB_SECRET_ARN =
  "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123";

/** The tags every resource of the baseline stack (lab smith-lab, stack dev) carries. */
export const BASE_TAGS = { lab: "smith-lab", "managed-by": "nextflow-batch", "pulumi-stack": "dev" };

/** The inputs the program sent for the one resource of `type` named `name`, untyped as engine data is. */
export const inputsOf = (run: OfflineRun, type: string, name: string): any => one(run, type, name).inputs;
