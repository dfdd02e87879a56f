import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "node:fs";
import * as path from "node:path";
import type { BudgetSpec } from "../config/spec";

/** The guard function's source, shipped as its index.js unchanged (see the file's header). */
export const GUARD_SOURCE_FILE = path.join(__dirname, "..", "functions", "budgetGuard.js");
/** Current Lambda Node.js runtime; it bundles the AWS SDK v3 the function uses. */
export const GUARD_RUNTIME = "nodejs22.x";

/** The percentage of the budget at which the limit counts as reached, for alerts and the guard. */
export const LIMIT_PERCENT = 100;

export interface LabBudgetGuardArgs {
  /** The job queues the guard disables, by name (UpdateJobQueue takes a name or an ARN). */
  readonly queueNames: readonly string[];
  /** Their ARNs, the only resources the guard may update. */
  readonly queueArns: pulumi.Input<string>[];
  /** The guard's own log group, created here so the function needs no logs:CreateLogGroup. */
  readonly logGroupName: string;
  readonly logRetentionDays: number;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** "aws", "aws-cn" or "aws-us-gov": ARNs differ by partition. */
  readonly partition: pulumi.Input<string>;
}

export interface LabBudgetArgs {
  /** Name, limit, alert addresses and threshold, resolved and checked by config/parse.ts. */
  readonly budget: Pick<BudgetSpec, "name" | "limitUsd" | "alertEmails" | "alertPercent">;
  /**
   * Disable the job queues when actual spend passes the limit.
   * @default - no guard: the budget only sends email
   */
  readonly guard?: LabBudgetGuardArgs;
  /** Tags on every resource, the budget included (AWS Budgets takes resource tags since 2024-05). */
  readonly tags: Readonly<Record<string, string>>;
}

/** One notification as @pulumi/aws takes it. */
export interface BudgetNotification {
  readonly comparisonOperator: "GREATER_THAN";
  readonly notificationType: "ACTUAL" | "FORECASTED";
  readonly threshold: number;
  readonly thresholdType: "PERCENTAGE";
  readonly subscriberEmailAddresses: string[];
  readonly subscriberSnsTopicArns?: pulumi.Input<string>[];
}

/**
 * The budget's notifications: actual spend past the early threshold, actual spend past the
 * limit (which also goes to the guard's topic when there is one), forecast spend past the
 * limit. Three, within AWS's five per budget; each with the lab's 1-10 addresses and at most
 * the one SNS subscriber AWS allows (config/budget.ts).
 */
export function budgetNotifications(
  budget: LabBudgetArgs["budget"],
  guardTopicArn?: pulumi.Input<string>,
): BudgetNotification[] {
  const notify = (
    notificationType: BudgetNotification["notificationType"],
    threshold: number,
  ): BudgetNotification => ({
    comparisonOperator: "GREATER_THAN",
    notificationType,
    threshold,
    thresholdType: "PERCENTAGE",
    subscriberEmailAddresses: [...budget.alertEmails],
  });
  return [
    notify("ACTUAL", budget.alertPercent),
    {
      ...notify("ACTUAL", LIMIT_PERCENT),
      ...(guardTopicArn !== undefined ? { subscriberSnsTopicArns: [guardTopicArn] } : {}),
    },
    notify("FORECASTED", LIMIT_PERCENT),
  ];
}

/**
 * A monthly AWS Budgets cost budget for the lab account, and optionally a guard that stops
 * new work when the budget is spent.
 *
 * The budget has no cost filter: this project gives each lab its own account, so the account
 * is the budget's scope (README, "Budget", covers a shared account with the `lab` tag). It
 * alerts; on its own it stops nothing. AWS updates budget data up to three times a day, so an
 * alert can come hours after the spend; maxVcpus stays the hard cap.
 *
 * The guard (budget notification, SNS topic, Lambda function): AWS Budgets actions can only
 * attach IAM or SCP policies or stop fixed EC2/RDS instances, none of which stops a Batch
 * queue whose submitters the stack does not know and whose hosts come and go, so the limit
 * notification publishes to a topic whose function disables the job queues. The queues'
 * `state` is then left alone by Pulumi (components/batchCompute.ts ignores it when the guard
 * is on): no `pulumi up`, refreshed or not, silently lifts the stop.
 */
export class LabBudget extends pulumi.ComponentResource {
  public readonly budgetName: pulumi.Output<string>;
  /** The topic the limit notification publishes to; undefined without the guard. */
  public readonly guardTopicArn: pulumi.Output<string> | undefined;
  public readonly guardFunctionName: pulumi.Output<string> | undefined;

  constructor(name: string, args: LabBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:cost:LabBudget", name, {}, opts);
    const tags = { ...args.tags };

    let topicArn: pulumi.Output<string> | undefined;
    if (args.guard !== undefined) {
      const guard = this.guard(name, args.guard, tags);
      topicArn = guard.topicArn;
      this.guardFunctionName = guard.functionName;
    }
    this.guardTopicArn = topicArn;

    const budget = new aws.budgets.Budget(
      name,
      {
        // Budget names are unique per account and a rename replaces the budget (the
        // provider forces a new one): the name is fixed from the lab and stack.
        name: args.budget.name,
        budgetType: "COST",
        timeUnit: "MONTHLY",
        // NumericValue, a string; whole dollars always match `([0-9]*\.)?[0-9]+`.
        limitAmount: String(args.budget.limitUsd),
        limitUnit: "USD",
        notifications: budgetNotifications(args.budget, topicArn),
        tags,
      },
      { parent: this },
    );
    this.budgetName = budget.name;

    this.registerOutputs({
      budgetName: this.budgetName,
      guardTopicArn: this.guardTopicArn,
      guardFunctionName: this.guardFunctionName,
    });
  }

  private guard(
    name: string,
    g: LabBudgetGuardArgs,
    tags: Record<string, string>,
  ): { topicArn: pulumi.Output<string>; functionName: pulumi.Output<string> } {
    const role = `${name}-guard`;

    // Unencrypted on purpose: Budgets can publish to a KMS-encrypted topic only with a key
    // policy for budgets.amazonaws.com, and the messages hold a budget name and an amount.
    const topic = new aws.sns.Topic(role, { tags }, { parent: this });

    // Only AWS Budgets, for this account, may publish. The source ARN form is the one AWS
    // documents for Budgets ("the value of aws:SourceArn must be
    // arn:aws:budgets::123456789012:budget/*", Cost Management user guide, "Cross-service
    // confused deputy prevention").
    new aws.sns.TopicPolicy(
      role,
      {
        arn: topic.arn,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "AWSBudgetsPublish",
              Effect: "Allow",
              Principal: { Service: "budgets.amazonaws.com" },
              Action: "SNS:Publish",
              Resource: topic.arn,
              Condition: {
                StringEquals: { "aws:SourceAccount": g.accountId },
                ArnLike: {
                  "aws:SourceArn": pulumi.interpolate`arn:${g.partition}:budgets::${g.accountId}:budget/*`,
                },
              },
            },
          ],
        }),
      },
      { parent: this },
    );

    const logGroup = new aws.cloudwatch.LogGroup(
      role,
      { name: g.logGroupName, retentionInDays: g.logRetentionDays, tags },
      { parent: this },
    );

    const executionRole = new aws.iam.Role(
      role,
      {
        description: "Nextflow Batch budget guard: disables this stack's job queues",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    // Exactly two things: UpdateJobQueue on this stack's queues (IAM's Service Authorization
    // Reference: resource type job-queue), and writing to the guard's own log group.
    new aws.iam.RolePolicy(
      role,
      {
        role: executionRole.name,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DisableJobQueues",
              Effect: "Allow",
              Action: ["batch:UpdateJobQueue"],
              Resource: g.queueArns,
            },
            {
              Sid: "WriteGuardLogs",
              Effect: "Allow",
              Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
              Resource: pulumi.interpolate`arn:${g.partition}:logs:${g.region}:${g.accountId}:log-group:${g.logGroupName}:log-stream:*`,
            },
          ],
        }),
      },
      { parent: this },
    );

    const fn = new aws.lambda.Function(
      role,
      {
        description: "Disables this stack's Batch job queues when the lab's monthly budget is spent",
        runtime: GUARD_RUNTIME,
        handler: "index.handler",
        code: new pulumi.asset.AssetArchive({
          "index.js": new pulumi.asset.StringAsset(fs.readFileSync(GUARD_SOURCE_FILE, "utf8")),
        }),
        role: executionRole.arn,
        timeout: 60,
        memorySize: 128,
        environment: { variables: { QUEUE_NAMES: JSON.stringify(g.queueNames) } },
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        tags,
      },
      { parent: this },
    );

    new aws.lambda.Permission(
      role,
      {
        action: "lambda:InvokeFunction",
        function: fn.name,
        principal: "sns.amazonaws.com",
        sourceArn: topic.arn,
      },
      { parent: this },
    );
    new aws.sns.TopicSubscription(
      role,
      { topic: topic.arn, protocol: "lambda", endpoint: fn.arn },
      { parent: this },
    );

    return { topicArn: topic.arn, functionName: fn.name };
  }
}
