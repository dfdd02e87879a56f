import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * The AWS-managed ECS container-instance policy: register with the cluster, pull from ECR,
 * report task state. Scoped to what the ECS agent needs; not a full-access policy.
 */
export const ECS_INSTANCE_POLICY_ARN_SUFFIX = "policy/service-role/AmazonEC2ContainerServiceforEC2Role";

export interface AccessArgs {
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** "aws", "aws-cn" or "aws-us-gov": managed policy and resource ARNs differ by partition. */
  readonly partition: pulumi.Input<string>;
  readonly bucketArn: pulumi.Input<string>;
  /** Buckets task containers may read (reference data such as iGenomes); never written. */
  readonly inputBucketNames: readonly string[];
  readonly logGroupArn: pulumi.Input<string>;
  /** The job queues the launcher may submit to. */
  readonly queueArns: pulumi.Input<string>[];
  /**
   * Repository ARN patterns of the stack's pull-through cache rules
   * (`arn:<partition>:ecr:<region>:<account>:repository/<rule prefix>/*`): hosts may import
   * upstream images into them and create their repositories on first pull.
   * @default - no image cache: no such permission
   */
  readonly cacheRepositoryArns?: readonly pulumi.Input<string>[];
  readonly tags: Readonly<Record<string, string>>;
}

type Statement = {
  Sid: string;
  Effect: "Allow" | "Deny";
  Action: string[];
  Resource: pulumi.Input<string> | pulumi.Input<string>[];
  Condition?: Record<string, Record<string, pulumi.Input<string> | string[]>>;
};

/**
 * The services a job role may be passed to. AWS's documents disagree: Batch's example
 * policies ("AWS Batch IAM policy examples": restrict role on job submission) name
 * batch.amazonaws.com, while the role's trust and ECS's docs name ecs-tasks.amazonaws.com; the
 * Service Authorization Reference lists the key without values. Both are allowed (either may
 * be what Batch sends in RegisterJobDefinition); any other service is not.
 */
export const JOB_ROLE_PASSED_TO = ["batch.amazonaws.com", "ecs-tasks.amazonaws.com"];
const doc = (statements: Statement[]) =>
  pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements });

/**
 * IAM for the stack, least privilege throughout, no `*` action anywhere:
 * - the host (instance) role: the ECS container-instance policy, plus writing to this stack's
 *   log group (the awslogs driver runs on the host), plus importing images into this stack's
 *   pull-through cache prefixes when it has a cache;
 * - the job role task containers get (Nextflow's `aws.batch.jobRole`): the work bucket
 *   read/write, input buckets read-only, trusted by ecs-tasks for this account only;
 * - the launcher policy, for whoever runs `nextflow run`: exactly the Batch, ECS/EC2 describe,
 *   logs and S3 calls Nextflow makes, and PassRole on the job role only. Attach it to the
 *   lab's users, group or CI role.
 */
export class Access extends pulumi.ComponentResource {
  public readonly instanceProfileArn: pulumi.Output<string>;
  public readonly instanceRoleArn: pulumi.Output<string>;
  public readonly jobRoleArn: pulumi.Output<string>;
  public readonly launcherPolicyArn: pulumi.Output<string>;

  constructor(name: string, args: AccessArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:access:Access", name, {}, opts);
    const tags = { ...args.tags };
    const p = args.partition;
    const logStreams = pulumi.interpolate`${args.logGroupArn}:log-stream:*`;

    // Host role.
    const instanceRole = new aws.iam.Role(
      `${name}-instance`,
      {
        description: "Nextflow Batch hosts: ECS agent and container logs",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-instance-ecs`,
      {
        role: instanceRole.name,
        policyArn: pulumi.interpolate`arn:${p}:iam::aws:${ECS_INSTANCE_POLICY_ARN_SUFFIX}`,
      },
      { parent: this },
    );
    new aws.iam.RolePolicy(
      `${name}-instance-logs`,
      {
        role: instanceRole.id,
        policy: doc([
          {
            Sid: "WriteJobLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: logStreams,
          },
          {
            Sid: "FindJobLogStreams",
            Effect: "Allow",
            Action: ["logs:DescribeLogStreams"],
            Resource: args.logGroupArn,
          },
        ]),
      },
      { parent: this },
    );
    // The ECS agent pulls ECR images with the instance role on EC2 hosts ("Amazon ECS on
    // Amazon EC2 instances - Use the container instance IAM role",
    // https://docs.aws.amazon.com/AmazonECR/latest/userguide/ECR_on_ECS.html), and Nextflow sets
    // no execution role unless aws.batch.executionRole is configured (AwsBatchTaskHandler.groovy
    // L587-588; our config does not). AmazonEC2ContainerServiceforEC2Role grants the pull
    // actions on "*" but not the two a pull through a cache rule needs: BatchImportUpstreamImage
    // ("retrieve the external image and import it to your private registry") and
    // CreateRepository ("required if the repository storing the cached images doesn't already
    // exist"), https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-iam.html.
    // Both take the `repository` resource type (Service Authorization Reference, ECR), so they
    // are scoped to this stack's prefixes and nothing else.
    const cacheArns = args.cacheRepositoryArns ?? [];
    if (cacheArns.length > 0) {
      new aws.iam.RolePolicy(
        `${name}-instance-ecr-cache`,
        {
          role: instanceRole.id,
          policy: doc([
            {
              Sid: "ImportIntoPullThroughCache",
              Effect: "Allow",
              Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
              Resource: [...cacheArns],
            },
          ]),
        },
        { parent: this },
      );
    }

    const profile = new aws.iam.InstanceProfile(
      `${name}-instance`,
      { role: instanceRole.name, tags },
      { parent: this },
    );

    // Job role.
    const jobRole = new aws.iam.Role(
      `${name}-job`,
      {
        description: "Nextflow task containers: the work bucket and nothing else",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Effect: "Allow",
              Principal: { Service: "ecs-tasks.amazonaws.com" },
              Action: "sts:AssumeRole",
              // Confused-deputy guard: only tasks in this account may assume it.
              Condition: { StringEquals: { "aws:SourceAccount": args.accountId } },
            },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const inputBucketArns = args.inputBucketNames.map((b) => pulumi.interpolate`arn:${p}:s3:::${b}`);
    // Reference data is listed and read by task containers and by Nextflow's head process
    // (checkIfExists, fromPath globs, file attributes for task hashes: nf-amazon's S3 file
    // system, S3FileSystemProvider and S3ObjectSummaryLookup). Never written.
    const readInputBuckets: Statement[] =
      inputBucketArns.length === 0
        ? []
        : [
            {
              Sid: "ListInputBuckets",
              Effect: "Allow",
              Action: ["s3:ListBucket", "s3:GetBucketLocation"],
              Resource: inputBucketArns,
            },
            {
              Sid: "ReadInputObjects",
              Effect: "Allow",
              Action: ["s3:GetObject"],
              Resource: inputBucketArns.map((arn) => pulumi.interpolate`${arn}/*`),
            },
          ];
    new aws.iam.RolePolicy(
      `${name}-job-s3`,
      {
        role: jobRole.id,
        policy: doc([...workBucketStatements(args.bucketArn), ...readInputBuckets]),
      },
      { parent: this },
    );

    // Launcher policy.
    const batchArn = pulumi.interpolate`arn:${p}:batch:${args.region}:${args.accountId}`;
    const launcher = new aws.iam.Policy(
      `${name}-launcher`,
      {
        description:
          "Run Nextflow pipelines on this stack's Batch queues (attach to lab users, groups or CI roles)",
        policy: doc([
          {
            Sid: "SubmitToTheseQueues",
            Effect: "Allow",
            Action: ["batch:SubmitJob"],
            // Nextflow registers one job definition per container image, named nf-<image>.
            // The Service Authorization Reference lists `job` as a required resource type of
            // SubmitJob too; Batch's examples name only the queue and definition. Both hold.
            Resource: [
              ...args.queueArns,
              pulumi.interpolate`${batchArn}:job-definition/nf-*`,
              pulumi.interpolate`${batchArn}:job/*`,
            ],
          },
          {
            Sid: "RegisterNextflowJobDefinitions",
            Effect: "Allow",
            Action: ["batch:RegisterJobDefinition"],
            Resource: pulumi.interpolate`${batchArn}:job-definition/nf-*`,
          },
          {
            // Nextflow tags every job definition it registers (nextflow.io/createdAt, /version)
            // and, with resourceLabels, its jobs; tagging on create needs TagResource on the
            // new revision (`job-definition/<name>:<revision>`) and the job.
            Sid: "TagNextflowJobDefinitionsAndJobs",
            Effect: "Allow",
            Action: ["batch:TagResource"],
            Resource: [
              pulumi.interpolate`${batchArn}:job-definition/nf-*:*`,
              pulumi.interpolate`${batchArn}:job/*`,
            ],
          },
          {
            Sid: "StopNextflowJobs",
            Effect: "Allow",
            Action: ["batch:CancelJob", "batch:TerminateJob"],
            Resource: pulumi.interpolate`${batchArn}:job/*`,
          },
          {
            // These calls do not support resource-level permissions; AWS requires "*" here.
            Sid: "DescribeWhatNextflowPolls",
            Effect: "Allow",
            Action: [
              "batch:DescribeJobQueues",
              "batch:DescribeComputeEnvironments",
              "batch:DescribeJobDefinitions",
              "batch:DescribeJobs",
              "batch:ListJobs",
              "ecs:DescribeTasks",
              "ecs:DescribeContainerInstances",
              "ec2:DescribeInstances",
              "ec2:DescribeInstanceTypes",
              "ec2:DescribeInstanceAttribute",
              "ec2:DescribeInstanceStatus",
            ],
            Resource: "*",
          },
          {
            Sid: "ReadJobLogs",
            Effect: "Allow",
            Action: ["logs:GetLogEvents"],
            Resource: logStreams,
          },
          {
            Sid: "FindJobLogs",
            Effect: "Allow",
            Action: ["logs:DescribeLogStreams", "logs:FilterLogEvents"],
            Resource: args.logGroupArn,
          },
          ...workBucketStatements(args.bucketArn),
          ...readInputBuckets,
          {
            Sid: "PassOnlyTheJobRole",
            Effect: "Allow",
            Action: ["iam:PassRole"],
            Resource: jobRole.arn,
            Condition: { StringEquals: { "iam:PassedToService": JOB_ROLE_PASSED_TO } },
          },
        ]),
        tags,
      },
      { parent: this },
    );

    this.instanceProfileArn = profile.arn;
    this.instanceRoleArn = instanceRole.arn;
    this.jobRoleArn = jobRole.arn;
    this.launcherPolicyArn = launcher.arn;
    this.registerOutputs({
      instanceProfileArn: this.instanceProfileArn,
      instanceRoleArn: this.instanceRoleArn,
      jobRoleArn: this.jobRoleArn,
      launcherPolicyArn: this.launcherPolicyArn,
    });
  }
}

/** Read/write on the work bucket's objects, listing it, and multipart uploads (large task outputs). */
function workBucketStatements(bucketArn: pulumi.Input<string>): Statement[] {
  return [
    {
      Sid: "ListWorkBucket",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      Resource: bucketArn,
    },
    {
      Sid: "ReadWriteWorkBucketObjects",
      Effect: "Allow",
      Action: [
        "s3:GetObject",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:GetObjectTagging",
        "s3:PutObjectTagging",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
      ],
      Resource: pulumi.interpolate`${bucketArn}/*`,
    },
  ];
}
