// WorkBucket: encrypted, public access blocked, TLS only, kept on destroy, work/ expiring.
// Baseline: the default stack; one change per case.
import assert from "node:assert/strict";
import { inputsOf, one, policyDoc, runStack, T } from "../helpers";

const BUCKET_ARN_PREFIX = "arn:aws:s3:::nextflow-work-";

describe("component: WorkBucket", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof runStack>>;
  before(async () => {
    run = await runStack({});
  });

  it("bucket: encrypted, public access blocked, TLS only, kept on destroy", () => {
    const bucket = one(run, T.bucket, "nextflow-work");
    assert.equal((bucket.inputs as any).forceDestroy, false);
    const bucketId = bucket.state.bucket;
    assert.deepEqual(one(run, T.sse, "nextflow-work-encryption").inputs, {
      bucket: bucketId,
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    assert.deepEqual(one(run, T.pab, "nextflow-work-public-access").inputs, {
      bucket: bucketId,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    const arn = bucket.state.arn as string;
    assert.ok(arn.startsWith(BUCKET_ARN_PREFIX));
    assert.deepEqual(policyDoc(one(run, T.bucketPolicy, "nextflow-work-tls-only").inputs.policy), {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ],
    });
  });

  it("lifecycle expires only work/ and aborts stale multipart uploads", () => {
    assert.deepEqual(inputsOf(run, T.lifecycle, "nextflow-work-lifecycle").rules, [
      {
        id: "expire-nextflow-work",
        status: "Enabled",
        filter: { prefix: "work/" },
        expiration: { days: 30 },
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
      {
        id: "abort-incomplete-uploads",
        status: "Enabled",
        filter: {},
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      },
    ]);
  });

  it("workRetentionDays shorter than a week also aborts work/ uploads sooner", async () => {
    const short = await runStack({ workRetentionDays: 3 });
    const rules = inputsOf(short, T.lifecycle, "nextflow-work-lifecycle").rules;
    assert.deepEqual(rules[0].expiration, { days: 3 });
    assert.deepEqual(rules[0].abortIncompleteMultipartUpload, { daysAfterInitiation: 3 });
  });
});
