// Entry point for `pulumi up`: read the stack config, build the lab's Batch environment and
// export what Nextflow users need. Everything lives in program/ so tests can build it too.
import { runProgram } from "./program/run";

const stack = runProgram();

export const spotQueueName = stack.spotQueueName;
export const spotQueueArn = stack.spotQueueArn;
export const onDemandQueueName = stack.onDemandQueueName;
export const onDemandQueueArn = stack.onDemandQueueArn;
export const workBucketName = stack.workBucketName;
export const workDir = stack.workDir;
export const jobRoleArn = stack.jobRoleArn;
export const launcherPolicyArn = stack.launcherPolicyArn;
export const logGroupName = stack.logGroupName;
export const vpcId = stack.vpcId;
export const nextflowConfig = stack.nextflowConfig;
export const containerCacheUris = stack.containerCacheUris;
