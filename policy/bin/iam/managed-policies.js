"use strict";
// AWS-managed policies by ARN: which ones grant full access or administrator rights.
Object.defineProperty(exports, "__esModule", { value: true });
exports.awsManagedPolicyName = awsManagedPolicyName;
exports.deniedManagedPolicy = deniedManagedPolicy;
// AWS-managed policies live in the account "aws" of every partition, optionally under a path:
// arn:aws:iam::aws:policy/AdministratorAccess,
// arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
// (docs.aws.amazon.com/aws-managed-policy/latest/reference/), and arn:aws-cn:/arn:aws-us-gov:
// (and the ISO partitions) in the other partitions.
const AWS_MANAGED_ARN = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/;
/** The name of an AWS-managed policy ARN, or undefined for any other ARN. */
function awsManagedPolicyName(arn) {
    return AWS_MANAGED_ARN.exec(arn)?.[1];
}
/** Why an attached policy ARN is denied ("full access", ...), or undefined if it is not. */
function deniedManagedPolicy(arn, rules) {
    const name = awsManagedPolicyName(arn);
    if (name === undefined)
        return undefined;
    if (rules.allowedPolicies.includes(arn) || rules.allowedPolicies.includes(name))
        return undefined;
    // "*FullAccess" also catches versioned names such as CloudWatchFullAccessV2 and AWSLambda_FullAccess;
    // "AdministratorAccess-*" are the service-scoped admin policies (AdministratorAccess-Amplify).
    if (name.includes("FullAccess"))
        return "full access";
    if (name === "AdministratorAccess" || name.startsWith("AdministratorAccess-"))
        return "administrator access";
    if (rules.deniedPolicyNames.includes(name))
        return "on the denied list";
    return undefined;
}
