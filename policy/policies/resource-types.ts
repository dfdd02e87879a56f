// Pulumi type tokens of the resources the policies read: what the engine sends as a resource's
// `type`. The policies compare tokens instead of calling `isType(aws.iam.Role)`, so the published
// pack needs neither @pulumi/aws (84 MB installed, about 0.25 s of start-up) nor @pulumi/aws-native
// (90 MB), whose resources it checks too. policy/test/resource-types.spec.ts pins every "aws:" token
// to the class of the @pulumi/aws version the stack uses; the "aws-native:" tokens are each
// class's `__pulumiType` in @pulumi/aws-native 1.79.0 (iam/role.js: 'aws-native:iam:Role', ...).

/** Tokens of @pulumi/aws (the provider the stack uses). */
export const AWS = {
  batchComputeEnvironment: "aws:batch/computeEnvironment:ComputeEnvironment",
  batchJobQueue: "aws:batch/jobQueue:JobQueue",
  ec2LaunchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  s3Bucket: "aws:s3/bucket:Bucket",
  // BucketV2 is the v6 name kept as an alias type in @pulumi/aws 7; both create the same bucket.
  s3BucketV2: "aws:s3/bucketV2:BucketV2",
  s3BucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3BucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  iamRole: "aws:iam/role:Role",
  iamPolicy: "aws:iam/policy:Policy",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamUserPolicy: "aws:iam/userPolicy:UserPolicy",
  iamGroupPolicy: "aws:iam/groupPolicy:GroupPolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  iamUserPolicyAttachment: "aws:iam/userPolicyAttachment:UserPolicyAttachment",
  iamGroupPolicyAttachment: "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
  iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  iamRolePolicyAttachmentsExclusive: "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  iamUserPolicyAttachmentsExclusive: "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
  iamGroupPolicyAttachmentsExclusive:
    "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
  ssoadminManagedPolicyAttachment: "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
  ssoadminManagedPolicyAttachmentsExclusive:
    "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive",
  ssoadminPermissionSetInlinePolicy: "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
} as const;

/** Tokens of @pulumi/aws-native (CloudFormation's schemas through Cloud Control). */
export const AWS_NATIVE = {
  // The stack's gp3 presets make their compute environments with it (launch template overrides,
  // which @pulumi/aws cannot send): batch/computeEnvironment.js 'aws-native:batch:ComputeEnvironment'.
  batchComputeEnvironment: "aws-native:batch:ComputeEnvironment",
  iamRole: "aws-native:iam:Role",
  iamUser: "aws-native:iam:User",
  iamGroup: "aws-native:iam:Group",
  iamManagedPolicy: "aws-native:iam:ManagedPolicy",
  iamRolePolicy: "aws-native:iam:RolePolicy",
  iamUserPolicy: "aws-native:iam:UserPolicy",
  iamGroupPolicy: "aws-native:iam:GroupPolicy",
  ssoPermissionSet: "aws-native:sso:PermissionSet",
} as const;

/**
 * Compute environments of either provider. They carry the same fields under the same paths but
 * for three spellings: aws-native's `computeResources.maxvCpus` (CloudFormation's case), its ARN
 * output `computeEnvironmentArn`, and its name `computeEnvironmentName`.
 */
export const COMPUTE_ENVIRONMENT_TYPES: readonly string[] = [
  AWS.batchComputeEnvironment,
  AWS_NATIVE.batchComputeEnvironment,
];
