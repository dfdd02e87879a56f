import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import * as native from "@pulumi/aws-native";
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

  // The program itself uses @pulumi/aws-native (the gp3 presets' compute environments), so its
  // classes are installed and every token is checked against the class it names.
  const NATIVE_CLASSES: Record<keyof typeof AWS_NATIVE, unknown> = {
    batchComputeEnvironment: native.batch.ComputeEnvironment,
    iamRole: native.iam.Role,
    iamUser: native.iam.User,
    iamGroup: native.iam.Group,
    iamManagedPolicy: native.iam.ManagedPolicy,
    iamRolePolicy: native.iam.RolePolicy,
    iamUserPolicy: native.iam.UserPolicy,
    iamGroupPolicy: native.iam.GroupPolicy,
    ssoPermissionSet: native.sso.PermissionSet,
  };
  for (const [key, cls] of Object.entries(NATIVE_CLASSES)) {
    it(`AWS_NATIVE.${key} is the token of the @pulumi/aws-native class`, () => {
      assert.equal(AWS_NATIVE[key as keyof typeof AWS_NATIVE], typeOf(cls));
    });
  }
});
