// s3-block-public-access / s3-require-tls: stack policies pairing each bucket with the
// resources that protect it.
import * as aws from "@pulumi/aws";
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { asList, effectIs, isRecord, isTrue, statementsOf, stringsOf, type Statement } from "./util";

export const S3_BLOCK_PUBLIC_ACCESS = "s3-block-public-access";
export const S3_REQUIRE_TLS = "s3-require-tls";

/** Neither policy has settings; the interface exists so every policy has one. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface S3BucketHygieneConfig {}

const PAB_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

function isBucket(r: PolicyResource): boolean {
  // BucketV2 is the v6 name kept as an alias type in @pulumi/aws 7; both create the same bucket.
  return r.isType(aws.s3.Bucket) || r.isType(aws.s3.BucketV2);
}

/**
 * The attached resources (public access blocks, bucket policies) whose `bucket` names `bucket`.
 * First by the engine's property dependencies (known even in a preview, when the bucket's id is
 * not), then by value: the attached `bucket` equals the bucket's `id` or `bucket` (its name).
 */
function attachedTo(bucket: PolicyResource, candidates: readonly PolicyResource[]): PolicyResource[] {
  const byDependency = candidates.filter((c) =>
    (c.propertyDependencies?.bucket ?? []).some((d) => d.urn === bucket.urn),
  );
  if (byDependency.length > 0) return byDependency;
  const names = [bucket.props.id, bucket.props.bucket].filter(
    (v): v is string => typeof v === "string" && v !== "",
  );
  return candidates.filter((c) => typeof c.props.bucket === "string" && names.includes(c.props.bucket));
}

export const s3BlockPublicAccess: StackValidationPolicy = {
  name: S3_BLOCK_PUBLIC_ACCESS,
  description:
    "Requires every S3 bucket to have an aws.s3.BucketPublicAccessBlock with all four flags true " +
    "(blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets). The bucket holds " +
    "pipeline inputs, work files and results; a public one leaks data irreversibly. Mandatory.",
  enforcementLevel: "mandatory",
  configSchema: { properties: {} },
  validateStack: (args, report) => {
    const pabs = args.resources.filter((r) => r.isType(aws.s3.BucketPublicAccessBlock));
    for (const bucket of args.resources.filter(isBucket)) {
      const blocks = attachedTo(bucket, pabs);
      if (blocks.length === 0) {
        report(
          `Bucket "${bucket.name}" has no aws.s3.BucketPublicAccessBlock. Add one with bucket: <bucket>.id and ` +
            `${PAB_FLAGS.map((f) => `${f}: true`).join(", ")}.`,
          bucket.urn,
        );
        continue;
      }
      const complete = blocks.find((b) => PAB_FLAGS.every((f) => isTrue(b.props[f])));
      if (complete === undefined) {
        const b = blocks[0];
        const off = PAB_FLAGS.filter((f) => !isTrue(b.props[f]));
        report(
          `Bucket "${bucket.name}": public access block "${b.name}" leaves ${off.join(", ")} unset or false. ` +
            `Set all four flags to true.`,
          bucket.urn,
        );
      }
    }
  },
};

/** Whether a statement denies all S3 actions when aws:SecureTransport is false. */
export function deniesInsecureTransport(s: Statement): boolean {
  if (!effectIs(s, "deny")) return false;
  const actions = stringsOf(s.Action).map((a) => a.toLowerCase());
  if (!actions.includes("s3:*") && !actions.includes("*")) return false;
  const condition = s.Condition;
  if (!isRecord(condition)) return false;
  return ["Bool", "BoolIfExists"].some((op) => {
    const block = condition[op];
    if (!isRecord(block)) return false;
    const key = Object.keys(block).find((k) => k.toLowerCase() === "aws:securetransport");
    return key !== undefined && asList(block[key]).some((v) => v === false || v === "false");
  });
}

export const s3RequireTls: StackValidationPolicy = {
  name: S3_REQUIRE_TLS,
  description:
    "Requires every S3 bucket to have an aws.s3.BucketPolicy with a Deny of s3:* when aws:SecureTransport " +
    'is "false", so no client can read or write data over plain HTTP. Advisory by default: the AWS CLI ' +
    "and SDKs Nextflow uses already speak HTTPS, and a bucket has only one bucket policy, which some " +
    "organisations manage outside the stack; make it mandatory where the stack owns the bucket policy.",
  enforcementLevel: "advisory",
  configSchema: { properties: {} },
  validateStack: (args, report) => {
    const policies = args.resources.filter((r) => r.isType(aws.s3.BucketPolicy));
    for (const bucket of args.resources.filter(isBucket)) {
      const attached = attachedTo(bucket, policies);
      const ok = attached.some((p) => (statementsOf(p.props.policy) ?? []).some(deniesInsecureTransport));
      if (!ok) {
        const found =
          attached.length === 0
            ? "has no aws.s3.BucketPolicy"
            : `has bucket policy "${attached[0].name}" without a Deny on aws:SecureTransport = "false"`;
        report(
          `Bucket "${bucket.name}" ${found}. Add the statement { Effect: "Deny", Principal: "*", Action: "s3:*", ` +
            `Resource: [<bucket arn>, "<bucket arn>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`,
          bucket.urn,
        );
      }
    }
  },
};
