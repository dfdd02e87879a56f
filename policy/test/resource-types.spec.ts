import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { AWS, AWS_NATIVE } from "../policies/resource-types";
import { typeOf } from "./helpers";

/** Every token of AWS, by the @pulumi/aws class it must equal (the Record type makes this list complete). */
const CLASSES: Record<keyof typeof AWS, unknown> = {
  batchComputeEnvironment: aws.batch.ComputeEnvironment,
  batchJobQueue: aws.batch.JobQueue,
  ec2LaunchTemplate: aws.ec2.LaunchTemplate,
  s3Bucket: aws.s3.Bucket,
  s3BucketV2: aws.s3.BucketV2,
  s3BucketPublicAccessBlock: aws.s3.BucketPublicAccessBlock,
  s3BucketPolicy: aws.s3.BucketPolicy,
  iamRole: aws.iam.Role,
  iamPolicy: aws.iam.Policy,
  iamRolePolicy: aws.iam.RolePolicy,
  iamUserPolicy: aws.iam.UserPolicy,
  iamGroupPolicy: aws.iam.GroupPolicy,
  iamRolePolicyAttachment: aws.iam.RolePolicyAttachment,
  iamUserPolicyAttachment: aws.iam.UserPolicyAttachment,
  iamGroupPolicyAttachment: aws.iam.GroupPolicyAttachment,
  iamPolicyAttachment: aws.iam.PolicyAttachment,
  iamRolePolicyAttachmentsExclusive: aws.iam.RolePolicyAttachmentsExclusive,
  iamUserPolicyAttachmentsExclusive: aws.iam.UserPolicyAttachmentsExclusive,
  iamGroupPolicyAttachmentsExclusive: aws.iam.GroupPolicyAttachmentsExclusive,
  ssoadminManagedPolicyAttachment: aws.ssoadmin.ManagedPolicyAttachment,
  ssoadminManagedPolicyAttachmentsExclusive: aws.ssoadmin.ManagedPolicyAttachmentsExclusive,
  ssoadminPermissionSetInlinePolicy: aws.ssoadmin.PermissionSetInlinePolicy,
};

describe("resource type tokens", () => {
  for (const [key, cls] of Object.entries(CLASSES)) {
    it(`AWS.${key} is the token of the @pulumi/aws class`, () => {
      assert.equal(AWS[key as keyof typeof AWS], typeOf(cls));
    });
  }

  it("aws-native tokens have the provider's module:Type form (each checked against @pulumi/aws-native 1.79.0)", () => {
    // @pulumi/aws-native is 90 MB and not installed here; its classes' __pulumiType values were
    // read from the package (iam/role.js: 'aws-native:iam:Role', sso/permissionSet.js, ...).
    assert.deepEqual(Object.values(AWS_NATIVE), [
      "aws-native:iam:Role",
      "aws-native:iam:User",
      "aws-native:iam:Group",
      "aws-native:iam:ManagedPolicy",
      "aws-native:iam:RolePolicy",
      "aws-native:iam:UserPolicy",
      "aws-native:iam:GroupPolicy",
      "aws-native:sso:PermissionSet",
    ]);
  });
});
