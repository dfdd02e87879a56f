import * as aws from "@pulumi/aws";
import * as native from "@pulumi/aws-native";
import * as pulumi from "@pulumi/pulumi";
import { JOB_EXECUTION_TIMEOUT_MINUTES, TIME_LIMIT_ACTION_REASONS } from "../config/awsRules";
import { launchTemplateOverrideProblems } from "../hosts/rootVolumes";

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
  /** The default launch template: every size no override names starts from it. */
  readonly launchTemplateId: pulumi.Input<string>;
  readonly launchTemplateVersion: pulumi.Input<number>;
  /**
   * Whether sizes get their own launch templates, and so which provider makes the compute
   * environments (see {@link LaunchTemplateSelection}).
   * @default - `{ kind: "single" }`: every size starts from the default template
   */
  readonly launchTemplates?: LaunchTemplateSelection;
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

/** A launch template override: the template hosts of the listed sizes start from. */
export interface LaunchTemplateOverrideArgs {
  readonly launchTemplateId: pulumi.Input<string>;
  readonly version: pulumi.Input<number>;
  /** Sizes or families within `instanceTypes`, never overlapping another override's. */
  readonly targetInstanceTypes: readonly string[];
}

/**
 * How hosts get their launch templates, and so which provider makes the compute environments:
 * - `single`: one template for every size, on `aws.batch.ComputeEnvironment` (@pulumi/aws);
 * - `perSize`: the default template plus `overrides` for the sizes they name
 *   (`launchTemplate.overrides`, in the Batch API since 2024-11), on
 *   `aws-native:batch:ComputeEnvironment`. @pulumi/aws 7.48, the newest release, has no
 *   overrides field (nor does the terraform provider it wraps), and the API drops overrides an
 *   update leaves out ("not include the overrides parameter" unsets them,
 *   https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecificationOverride.html),
 *   so they cannot be patched in beside it. @pulumi/aws-native sends them through Cloud Control.
 *   Its provider is made here for the stack's region and AWS profile.
 * Both keep one compute environment per queue, so `maxVcpus` stays the stack's whole cap and
 * every size the preset allows stays behind every queue (no job is left RUNNABLE by a split).
 * Size-class compute environments (one template each) behind the same queue were the
 * alternative: a job queue takes at most three compute environments (CreateJobQueue
 * computeEnvironmentOrder), and keeping every m5 or c6a size within its EBS link and under the
 * 30% cost ceiling takes five classes per preset (four below the seed, plus the seed's).
 */
export type LaunchTemplateSelection =
  | { readonly kind: "single" }
  | {
      readonly kind: "perSize";
      readonly overrides: readonly LaunchTemplateOverrideArgs[];
      /** The stack's region (`aws:region`), for the aws-native provider. */
      readonly region: string;
      /**
       * The stack's `aws:profile`, for the aws-native provider.
       * @default - the AWS SDK's own credential chain
       */
      readonly profile?: string;
    };

/** What Batch does with running jobs when an infrastructure update replaces their hosts. */
const UPDATE_POLICY = { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: UPDATE_GRACE_MINUTES };

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
 * That is also how a stack moves from `single` to `perSize` templates (a new resource type under
 * the same logical name): Pulumi creates the new environment, points the queue at it, and deletes
 * the old one last. Jobs still running on the old one's hosts are stopped with them: update
 * between pipeline runs.
 */
export class BatchCompute extends pulumi.ComponentResource {
  public readonly spotQueueName: pulumi.Output<string>;
  public readonly spotQueueArn: pulumi.Output<string>;
  public readonly onDemandQueueName: pulumi.Output<string> | undefined;
  public readonly onDemandQueueArn: pulumi.Output<string> | undefined;

  constructor(name: string, args: BatchComputeArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:compute:BatchCompute", name, {}, opts);

    const selection = args.launchTemplates ?? { kind: "single" };
    type Resources = { type: string; allocationStrategy: string; maxVcpus: number; bidPercentage?: number };

    // What both providers' environments get alike (their schemas differ only in spelling:
    // @pulumi/aws's maxVcpus and ec2Configurations, aws-native's maxvCpus and ec2Configuration).
    const placement = {
      instanceTypes: [...args.instanceTypes],
      subnets: args.subnetIds,
      securityGroupIds: [args.securityGroupId],
      instanceRole: args.instanceProfileArn,
      // Tags Batch puts on the instances it launches (merged with the templates').
      tags: { ...args.tags },
    };
    const defaultTemplate = {
      launchTemplateId: args.launchTemplateId,
      version: pulumi.output(args.launchTemplateVersion).apply(String),
    };
    const imageType = "ECS_AL2023";

    const classicEnvironment = (role: string, resources: Resources) =>
      new aws.batch.ComputeEnvironment(
        `${name}-${role}`,
        {
          type: "MANAGED",
          state: "ENABLED",
          computeResources: {
            ...resources,
            minVcpus: 0,
            desiredVcpus: 0,
            ...placement,
            launchTemplate: defaultTemplate,
            ec2Configurations: [{ imageType }],
          },
          updatePolicy: UPDATE_POLICY,
          tags: { ...args.tags },
        },
        // Batch moves desiredVcpus itself as jobs come and go; a diff on it is noise.
        { parent: this, ignoreChanges: ["computeResources.desiredVcpus"] },
      );

    let provider: native.Provider | undefined;
    const perSizeEnvironment = (
      role: string,
      resources: Resources,
      sel: typeof selection & { kind: "perSize" },
    ) => {
      const problems = launchTemplateOverrideProblems(args.instanceTypes, sel.overrides);
      if (problems.length > 0) throw new Error(`${name}-${role}: ${problems.join("; ")}`);
      provider ??= new native.Provider(
        `${name}-aws-native`,
        // The stack's own region and profile: aws-native does not read the aws: provider's config.
        {
          region: sel.region as native.Region,
          ...(sel.profile === undefined ? {} : { profile: sel.profile }),
        },
        { parent: this },
      );
      return new native.batch.ComputeEnvironment(
        `${name}-${role}`,
        {
          type: "MANAGED",
          state: "ENABLED",
          // Apply launch template, instance type, subnet and tag changes as an in-place
          // infrastructure update rather than a new environment (AWS::Batch::ComputeEnvironment
          // ReplaceComputeEnvironment; the update itself needs the service-linked role and a
          // non-BEST_FIT strategy, as above).
          replaceComputeEnvironment: false,
          computeResources: {
            type: resources.type,
            allocationStrategy: resources.allocationStrategy,
            ...(resources.bidPercentage === undefined ? {} : { bidPercentage: resources.bidPercentage }),
            maxvCpus: resources.maxVcpus,
            minvCpus: 0,
            desiredvCpus: 0,
            ...placement,
            launchTemplate: {
              ...defaultTemplate,
              overrides: sel.overrides.map((o) => ({
                launchTemplateId: o.launchTemplateId,
                version: pulumi.output(o.version).apply(String),
                targetInstanceTypes: [...o.targetInstanceTypes],
              })),
            },
            ec2Configuration: [{ imageType }],
          },
          updatePolicy: UPDATE_POLICY,
          // No top-level tags: CloudFormation makes them create-only for this type (aws-native
          // replaces on "tags.*"), so a cost-tag edit would replace the environment and stop
          // its running jobs. Instances carry the tags above, volumes the templates'.
        },
        { parent: this, provider, ignoreChanges: ["computeResources.desiredvCpus"] },
      );
    };

    const environment = (role: string, resources: Resources): { arn: pulumi.Output<string> } => {
      switch (selection.kind) {
        case "single":
          return classicEnvironment(role, resources);
        case "perSize": {
          const ce = perSizeEnvironment(role, resources, selection);
          return { arn: ce.computeEnvironmentArn };
        }
        default: {
          const never: never = selection;
          throw new Error(`unknown launch template selection ${JSON.stringify(never)}`);
        }
      }
    };

    const names = args.queueNames;
    const queue = (role: string, queueName: string, ce: { arn: pulumi.Output<string> }, priority: number) =>
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
