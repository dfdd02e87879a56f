import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/** The prefix Nextflow's workDir lives under; the only prefix the lifecycle rule expires. */
export const WORK_PREFIX = "work/";

/** Incomplete multipart uploads are invisible but billed; a week is long enough for any retry. */
export const ABORT_INCOMPLETE_UPLOADS_DAYS = 7;

export interface WorkBucketArgs {
  /** Days after which objects under {@link WORK_PREFIX} expire. */
  readonly workRetentionDays: number;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The S3 bucket holding Nextflow's work directory (and, usually, the lab's results).
 *
 * Encrypted (SSE-S3), public access blocked, ACLs off, non-TLS requests denied, and a
 * lifecycle that expires only `work/`. Every piece is `retainOnDelete`: `pulumi destroy`
 * must never take results with it, and a retained bucket must not lose its protections.
 * To really delete it, empty and delete it in the console or with the CLI after destroy.
 */
export class WorkBucket extends pulumi.ComponentResource {
  public readonly bucketName: pulumi.Output<string>;
  public readonly bucketArn: pulumi.Output<string>;

  constructor(name: string, args: WorkBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:storage:WorkBucket", name, {}, opts);
    const keep = { parent: this, retainOnDelete: true };

    const bucket = new aws.s3.Bucket(name, { forceDestroy: false, tags: { ...args.tags } }, keep);
    this.bucketName = bucket.bucket;
    this.bucketArn = bucket.arn;

    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket: bucket.id,
        // SSE-S3: no KMS key policy to get wrong and no per-request KMS cost on millions of
        // small task files; matches Nextflow's aws.client.storageEncryption = 'AES256'.
        rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
      },
      keep,
    );
    const publicAccess = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      keep,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      keep,
    );
    new aws.s3.BucketPolicy(
      `${name}-tls-only`,
      { bucket: bucket.id, policy: pulumi.jsonStringify(denyInsecureTransport(bucket.arn)) },
      // After the public access block, so S3 never evaluates the policy on an unguarded bucket.
      { ...keep, dependsOn: [publicAccess] },
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      { bucket: bucket.id, rules: lifecycleRules(args.workRetentionDays) },
      keep,
    );

    this.registerOutputs({ bucketName: this.bucketName, bucketArn: this.bucketArn });
  }
}

/** A bucket policy that refuses any request not made over TLS. */
export function denyInsecureTransport(bucketArn: pulumi.Input<string>) {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [bucketArn, pulumi.interpolate`${bucketArn}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  };
}

/**
 * Two rules: `work/` objects expire after the retention period (Nextflow's scratch; `-resume`
 * needs it only while a run may be resumed), and incomplete multipart uploads anywhere are
 * aborted, which removes only invisible upload parts, never a stored object.
 */
export function lifecycleRules(
  workRetentionDays: number,
): aws.types.input.s3.BucketLifecycleConfigurationRule[] {
  return [
    {
      id: "expire-nextflow-work",
      status: "Enabled",
      filter: { prefix: WORK_PREFIX },
      expiration: { days: workRetentionDays },
      abortIncompleteMultipartUpload: {
        daysAfterInitiation: Math.min(ABORT_INCOMPLETE_UPLOADS_DAYS, workRetentionDays),
      },
    },
    {
      id: "abort-incomplete-uploads",
      status: "Enabled",
      filter: {},
      abortIncompleteMultipartUpload: { daysAfterInitiation: ABORT_INCOMPLETE_UPLOADS_DAYS },
    },
  ];
}
