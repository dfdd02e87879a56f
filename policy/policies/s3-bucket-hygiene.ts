// s3-block-public-access / s3-require-tls: stack policies pairing each bucket with the
// resources that protect it.
import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { parsePolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { AWS } from "./resource-types";
import { asList, isRecord, isTrue } from "./util";

export const S3_BLOCK_PUBLIC_ACCESS = "s3-block-public-access";
export const S3_REQUIRE_TLS = "s3-require-tls";

const PAB_FLAGS = [
  "blockPublicAcls",
  "blockPublicPolicy",
  "ignorePublicAcls",
  "restrictPublicBuckets",
] as const;

function isBucket(r: PolicyResource): boolean {
  return r.type === AWS.s3Bucket || r.type === AWS.s3BucketV2;
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
  validateStack: (args, report) => {
    const pabs = args.resources.filter((r) => r.type === AWS.s3BucketPublicAccessBlock);
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
export function deniesInsecureTransport(s: PolicyStatement): boolean {
  if (s.effect !== "Deny" || s.actions === undefined) return false;
  const actions = s.actions.map((a) => a.trim().toLowerCase());
  if (!actions.includes("s3:*") && !actions.includes("*")) return false;
  const condition = s.raw.Condition;
  if (!isRecord(condition)) return false;
  return ["Bool", "BoolIfExists"].some((op) => {
    const block = condition[op];
    if (!isRecord(block)) return false;
    const key = Object.keys(block).find((k) => k.toLowerCase() === "aws:securetransport");
    return key !== undefined && asList(block[key]).some((v) => v === false || v === "false");
  });
}

/** Whether a bucket policy document holds such a Deny; an unreadable document does not. */
function requiresTls(doc: unknown): boolean {
  const parsed = parsePolicyDocument(doc);
  return parsed.ok && parsed.statements.some(deniesInsecureTransport);
}

export const s3RequireTls: StackValidationPolicy = {
  name: S3_REQUIRE_TLS,
  description:
    "Requires every S3 bucket to have an aws.s3.BucketPolicy with a Deny of s3:* when aws:SecureTransport " +
    'is "false", so no client can read or write data over plain HTTP. Advisory by default: the AWS CLI ' +
    "and SDKs Nextflow uses already speak HTTPS, and a bucket has only one bucket policy, which some " +
    "organisations manage outside the stack; make it mandatory where the stack owns the bucket policy.",
  enforcementLevel: "advisory",
  validateStack: (args, report) => {
    const policies = args.resources.filter((r) => r.type === AWS.s3BucketPolicy);
    for (const bucket of args.resources.filter(isBucket)) {
      const attached = attachedTo(bucket, policies);
      const ok = attached.some((p) => requiresTls(p.props.policy));
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
