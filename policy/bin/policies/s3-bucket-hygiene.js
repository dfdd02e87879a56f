"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.s3RequireTls = exports.s3BlockPublicAccess = exports.S3_REQUIRE_TLS = exports.S3_BLOCK_PUBLIC_ACCESS = void 0;
exports.deniesInsecureTransport = deniesInsecureTransport;
const policy_document_1 = require("../iam/policy-document");
const resource_types_1 = require("./resource-types");
const util_1 = require("./util");
exports.S3_BLOCK_PUBLIC_ACCESS = "s3-block-public-access";
exports.S3_REQUIRE_TLS = "s3-require-tls";
const PAB_FLAGS = [
    "blockPublicAcls",
    "blockPublicPolicy",
    "ignorePublicAcls",
    "restrictPublicBuckets",
];
function isBucket(r) {
    return r.type === resource_types_1.AWS.s3Bucket || r.type === resource_types_1.AWS.s3BucketV2;
}
/**
 * The attached resources (public access blocks, bucket policies) whose `bucket` names `bucket`.
 * First by the engine's property dependencies (known even in a preview, when the bucket's id is
 * not), then by value: the attached `bucket` equals the bucket's `id` or `bucket` (its name).
 */
function attachedTo(bucket, candidates) {
    const byDependency = candidates.filter((c) => (c.propertyDependencies?.bucket ?? []).some((d) => d.urn === bucket.urn));
    if (byDependency.length > 0)
        return byDependency;
    const names = [bucket.props.id, bucket.props.bucket].filter((v) => typeof v === "string" && v !== "");
    return candidates.filter((c) => typeof c.props.bucket === "string" && names.includes(c.props.bucket));
}
exports.s3BlockPublicAccess = {
    name: exports.S3_BLOCK_PUBLIC_ACCESS,
    description: "Requires every S3 bucket to have an aws.s3.BucketPublicAccessBlock with all four flags true " +
        "(blockPublicAcls, blockPublicPolicy, ignorePublicAcls, restrictPublicBuckets). The bucket holds " +
        "pipeline inputs, work files and results; a public one leaks data irreversibly. Mandatory.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const pabs = args.resources.filter((r) => r.type === resource_types_1.AWS.s3BucketPublicAccessBlock);
        for (const bucket of args.resources.filter(isBucket)) {
            const blocks = attachedTo(bucket, pabs);
            if (blocks.length === 0) {
                report(`Bucket "${bucket.name}" has no aws.s3.BucketPublicAccessBlock. Add one with bucket: <bucket>.id and ` +
                    `${PAB_FLAGS.map((f) => `${f}: true`).join(", ")}.`, bucket.urn);
                continue;
            }
            const complete = blocks.find((b) => PAB_FLAGS.every((f) => (0, util_1.isTrue)(b.props[f])));
            if (complete === undefined) {
                const b = blocks[0];
                const off = PAB_FLAGS.filter((f) => !(0, util_1.isTrue)(b.props[f]));
                report(`Bucket "${bucket.name}": public access block "${b.name}" leaves ${off.join(", ")} unset or false. ` +
                    `Set all four flags to true.`, bucket.urn);
            }
        }
    },
};
/** Whether a statement denies all S3 actions when aws:SecureTransport is false. */
function deniesInsecureTransport(s) {
    if (s.effect !== "Deny" || s.actions === undefined)
        return false;
    const actions = s.actions.map((a) => a.trim().toLowerCase());
    if (!actions.includes("s3:*") && !actions.includes("*"))
        return false;
    const condition = s.raw.Condition;
    if (!(0, util_1.isRecord)(condition))
        return false;
    return ["Bool", "BoolIfExists"].some((op) => {
        const block = condition[op];
        if (!(0, util_1.isRecord)(block))
            return false;
        const key = Object.keys(block).find((k) => k.toLowerCase() === "aws:securetransport");
        return key !== undefined && (0, util_1.asList)(block[key]).some((v) => v === false || v === "false");
    });
}
/** Whether a bucket policy document holds such a Deny; an unreadable document does not. */
function requiresTls(doc) {
    const parsed = (0, policy_document_1.parsePolicyDocument)(doc);
    return parsed.ok && parsed.statements.some(deniesInsecureTransport);
}
exports.s3RequireTls = {
    name: exports.S3_REQUIRE_TLS,
    description: "Requires every S3 bucket to have an aws.s3.BucketPolicy with a Deny of s3:* when aws:SecureTransport " +
        'is "false", so no client can read or write data over plain HTTP. Advisory by default: the AWS CLI ' +
        "and SDKs Nextflow uses already speak HTTPS, and a bucket has only one bucket policy, which some " +
        "organisations manage outside the stack; make it mandatory where the stack owns the bucket policy.",
    enforcementLevel: "advisory",
    validateStack: (args, report) => {
        const policies = args.resources.filter((r) => r.type === resource_types_1.AWS.s3BucketPolicy);
        for (const bucket of args.resources.filter(isBucket)) {
            const attached = attachedTo(bucket, policies);
            const ok = attached.some((p) => requiresTls(p.props.policy));
            if (!ok) {
                const found = attached.length === 0
                    ? "has no aws.s3.BucketPolicy"
                    : `has bucket policy "${attached[0].name}" without a Deny on aws:SecureTransport = "false"`;
                report(`Bucket "${bucket.name}" ${found}. Add the statement { Effect: "Deny", Principal: "*", Action: "s3:*", ` +
                    `Resource: [<bucket arn>, "<bucket arn>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`, bucket.urn);
            }
        }
    },
};
