// Entry point for `pulumi up`: read the stack config, look up what it depends on, build the
// lab's Batch environment and export what Nextflow users need. Everything lives in program/ so
// tests can build it too. An async export: Pulumi awaits it and exports the object's fields.
import { runProgram } from "./program/run";

export = async () => {
  const stack = await runProgram();
  return {
    spotQueueName: stack.spotQueueName,
    spotQueueArn: stack.spotQueueArn,
    onDemandQueueName: stack.onDemandQueueName,
    onDemandQueueArn: stack.onDemandQueueArn,
    workBucketName: stack.workBucketName,
    workDir: stack.workDir,
    jobRoleArn: stack.jobRoleArn,
    launcherPolicyArn: stack.launcherPolicyArn,
    logGroupName: stack.logGroupName,
    vpcId: stack.vpcId,
    nextflowConfig: stack.nextflowConfig,
  };
};
