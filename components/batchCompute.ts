import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { JOB_EXECUTION_TIMEOUT_MINUTES, TIME_LIMIT_ACTION_REASONS } from "../config/awsRules";

/**
 * Why a RUNNABLE job is cancelled after the time limit: the reasons Batch can act on that never
 * resolve on their own. CAPACITY:INSUFFICIENT_INSTANCE_CAPACITY is left out on purpose: spot
 * capacity comes back, so those jobs should wait. (Batch user guide, "Automatic remediation
 * with jobStateTimeLimitActions"; the allowed reasons are in config/awsRules.ts.)
 */
export const CANCEL_RUNNABLE_REASONS = [
  "MISCONFIGURATION:COMPUTE_ENVIRONMENT_MAX_RESOURCE",
  "MISCONFIGURATION:JOB_RESOURCE_REQUIREMENT",
] as const satisfies readonly (typeof TIME_LIMIT_ACTION_REASONS)[number][];

/**
 * How long jobs running on a host keep running once an infrastructure update (new launch
 * template version, instance types, subnets, tags) replaces it: the provider's maximum, six
 * hours, so a routine update does not cut a long task short; after it Batch terminates them.
 */
export const UPDATE_GRACE_MINUTES = JOB_EXECUTION_TIMEOUT_MINUTES.max;

export interface BatchComputeArgs {
  /** The job queues' names: fixed, readable, known before the queues exist (the launcher policy names them). */
  readonly queueNames: { readonly spot: string; readonly onDemand: string };
  readonly instanceTypes: readonly string[];
  readonly subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  readonly securityGroupId: pulumi.Input<string>;
  /** ARN of the instance profile hosts run with. */
  readonly instanceProfileArn: pulumi.Input<string>;
  readonly launchTemplateId: pulumi.Input<string>;
  readonly launchTemplateVersion: pulumi.Input<number>;
  /** Upper bound of the spot compute environment. */
  readonly maxVcpus: number;
  /** Highest spot price, as a percentage of on-demand. */
  readonly spotBidPercentage: number;
  /**
   * Upper bound of the on-demand compute environment.
   * @default - no on-demand compute environment or queue
   */
  readonly onDemandMaxVcpus?: number;
  /** How long a job may sit in RUNNABLE for a reason in {@link CANCEL_RUNNABLE_REASONS}. */
  readonly runnableTimeoutMinutes: number;
  /**
   * After creating the queues ENABLED, leave their `state` alone: the budget guard disables
   * them and an admin re-enables them, and neither `pulumi up` nor `pulumi up --refresh` may
   * undo either (components/labBudget.ts).
   * @default false - Pulumi keeps the queues ENABLED
   */
  readonly queueStateManagedElsewhere?: boolean;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Managed compute environments and their job queues: a spot environment
 * (SPOT_PRICE_CAPACITY_OPTIMIZED) behind the default queue and, optionally, an on-demand one
 * (BEST_FIT_PROGRESSIVE) behind a second queue.
 *
 * No `serviceRole`: Batch then uses its service-linked role, which (with a non-BEST_FIT
 * strategy) is what allows in-place infrastructure updates such as a new launch template
 * version. An environment cannot move from a regular service role to the service-linked one
 * later, so this is decided here, once. Compute environments are auto-named so that, if the
 * provider must replace one, the new one is created and the queue moved before the old one goes.
 */
export class BatchCompute extends pulumi.ComponentResource {
  public readonly spotQueueName: pulumi.Output<string>;
  public readonly spotQueueArn: pulumi.Output<string>;
  public readonly onDemandQueueName: pulumi.Output<string> | undefined;
  public readonly onDemandQueueArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: BatchComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:compute:BatchCompute", name, {}, opts);

    const environment = (
      role: string,
      resources: { type: string; allocationStrategy: string; maxVcpus: number; bidPercentage?: number },
    ) =>
      new aws.batch.ComputeEnvironment(
        `${name}-${role}`,
        {
          type: "MANAGED",
          state: "ENABLED",
          computeResources: {
            ...resources,
            minVcpus: 0,
            desiredVcpus: 0,
            instanceTypes: [...args.instanceTypes],
            subnets: args.subnetIds,
            securityGroupIds: [args.securityGroupId],
            instanceRole: args.instanceProfileArn,
            launchTemplate: {
              launchTemplateId: args.launchTemplateId,
              version: pulumi.output(args.launchTemplateVersion).apply(String),
            },
            ec2Configurations: [{ imageType: "ECS_AL2023" }],
            // Tags Batch puts on the instances it launches (merged with the template's).
            tags: { ...args.tags },
          },
          updatePolicy: { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: UPDATE_GRACE_MINUTES },
          tags: { ...args.tags },
        },
        // Batch moves desiredVcpus itself as jobs come and go; a diff on it is noise.
        { parent: this, ignoreChanges: ["computeResources.desiredVcpus"] },
      );

    const names = args.queueNames;
    const queue = (role: string, queueName: string, ce: aws.batch.ComputeEnvironment, priority: number) =>
      new aws.batch.JobQueue(
        `${name}-${role}`,
        {
          // Named, not auto-named: users type it, and the launcher policy is scoped to it.
          // A queue holds no state, so a rename (a replacement) loses nothing.
          name: queueName,
          state: "ENABLED",
          priority,
          computeEnvironmentOrders: [{ order: 1, computeEnvironment: ce.arn }],
          jobStateTimeLimitActions: CANCEL_RUNNABLE_REASONS.map((reason) => ({
            reason,
            state: "RUNNABLE",
            maxTimeSeconds: args.runnableTimeoutMinutes * 60,
            action: "CANCEL",
          })),
          tags: { ...args.tags },
        },
        { parent: this, ...(args.queueStateManagedElsewhere === true ? { ignoreChanges: ["state"] } : {}) },
      );

    const spot = environment("spot", {
      type: "SPOT",
      allocationStrategy: "SPOT_PRICE_CAPACITY_OPTIMIZED",
      bidPercentage: args.spotBidPercentage,
      maxVcpus: args.maxVcpus,
    });
    const spotQueue = queue("spot", names.spot, spot, 10);
    this.spotQueueName = spotQueue.name;
    this.spotQueueArn = spotQueue.arn;

    if (args.onDemandMaxVcpus !== undefined) {
      const onDemand = environment("ondemand", {
        type: "EC2",
        allocationStrategy: "BEST_FIT_PROGRESSIVE",
        maxVcpus: args.onDemandMaxVcpus,
      });
      const onDemandQueue = queue("ondemand", names.onDemand, onDemand, 5);
      this.onDemandQueueName = onDemandQueue.name;
      this.onDemandQueueArn = onDemandQueue.arn;
    }

    this.registerOutputs({
      spotQueueName: this.spotQueueName,
      spotQueueArn: this.spotQueueArn,
      onDemandQueueName: this.onDemandQueueName,
      onDemandQueueArn: this.onDemandQueueArn,
    });
  }
}
