import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { awsManagedPolicyName } from "../iam/managed-policies";
import { noFullAccessIam } from "../policies";
import { clone, res, run } from "./helpers";

const ECS_INSTANCE_ROLE_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
const LEAST_PRIVILEGE_DOC = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Work",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject", "s3:List*"],
      Resource: "arn:aws:s3:::lab/*",
    },
    { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "false" } } },
  ],
};

/** The happy path: what the stack attaches. Every case changes one thing. */
const happy = {
  attachment: { role: "instance-role", policyArn: ECS_INSTANCE_ROLE_POLICY },
  role: {
    assumeRolePolicy: "{}",
    managedPolicyArns: [ECS_INSTANCE_ROLE_POLICY],
    inlinePolicies: [{ name: "work", policy: JSON.stringify(LEAST_PRIVILEGE_DOC) }],
  },
  policy: { policy: JSON.stringify(LEAST_PRIVILEGE_DOC) },
};

describe("no-full-access-iam", () => {
  it("passes the stack's own attachments (AmazonEC2ContainerServiceforEC2Role is not full access)", async () => {
    const v = await run(noFullAccessIam, [
      res(aws.iam.RolePolicyAttachment, "ecs", clone(happy.attachment)),
      res(aws.iam.Role, "role", clone(happy.role)),
      res(aws.iam.Policy, "policy", clone(happy.policy)),
      res(aws.iam.RolePolicy, "inline", clone(happy.policy)),
      res(aws.iam.RolePolicyAttachmentsExclusive, "excl", {
        roleName: "r",
        policyArns: [ECS_INSTANCE_ROLE_POLICY],
      }),
    ]);
    assert.deepEqual(v, []);
  });

  it("recognises AWS-managed ARNs in every partition and path, and only those", () => {
    assert.equal(awsManagedPolicyName("arn:aws:iam::aws:policy/AdministratorAccess"), "AdministratorAccess");
    assert.equal(awsManagedPolicyName("arn:aws-cn:iam::aws:policy/AmazonS3FullAccess"), "AmazonS3FullAccess");
    assert.equal(awsManagedPolicyName("arn:aws-us-gov:iam::aws:policy/IAMFullAccess"), "IAMFullAccess");
    assert.equal(awsManagedPolicyName(ECS_INSTANCE_ROLE_POLICY), "AmazonEC2ContainerServiceforEC2Role");
    assert.equal(
      awsManagedPolicyName("arn:aws:iam::aws:policy/job-function/SystemAdministrator"),
      "SystemAdministrator",
    );
    assert.equal(awsManagedPolicyName("arn:aws:iam::123456789012:policy/MyFullAccess"), undefined);
  });

  const attachmentCases: {
    label: string;
    cls: unknown;
    props: Record<string, unknown>;
    offending: string;
  }[] = [
    {
      label: "RolePolicyAttachment AdministratorAccess",
      cls: aws.iam.RolePolicyAttachment,
      props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
      offending: "arn:aws:iam::aws:policy/AdministratorAccess",
    },
    {
      label: "UserPolicyAttachment PowerUserAccess",
      cls: aws.iam.UserPolicyAttachment,
      props: { user: "u", policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
      offending: "arn:aws:iam::aws:policy/PowerUserAccess",
    },
    {
      label: "GroupPolicyAttachment IAMFullAccess",
      cls: aws.iam.GroupPolicyAttachment,
      props: { group: "g", policyArn: "arn:aws:iam::aws:policy/IAMFullAccess" },
      offending: "arn:aws:iam::aws:policy/IAMFullAccess",
    },
    {
      label: "PolicyAttachment (generic) AmazonS3FullAccess in aws-cn",
      cls: aws.iam.PolicyAttachment,
      props: { name: "x", roles: ["r"], policyArn: "arn:aws-cn:iam::aws:policy/AmazonS3FullAccess" },
      offending: "arn:aws-cn:iam::aws:policy/AmazonS3FullAccess",
    },
    {
      label: "RolePolicyAttachment AmazonEC2FullAccess in aws-us-gov",
      cls: aws.iam.RolePolicyAttachment,
      props: { role: "r", policyArn: "arn:aws-us-gov:iam::aws:policy/AmazonEC2FullAccess" },
      offending: "arn:aws-us-gov:iam::aws:policy/AmazonEC2FullAccess",
    },
    {
      label: "a *FullAccess under the service-role/ path",
      cls: aws.iam.RolePolicyAttachment,
      props: { role: "r", policyArn: "arn:aws:iam::aws:policy/service-role/AWSBatchFullAccess" },
      offending: "arn:aws:iam::aws:policy/service-role/AWSBatchFullAccess",
    },
    {
      label: "Role managedPolicyArns",
      cls: aws.iam.Role,
      props: {
        ...clone(happy.role),
        managedPolicyArns: [ECS_INSTANCE_ROLE_POLICY, "arn:aws:iam::aws:policy/AWSBatchFullAccess"],
      },
      offending: "arn:aws:iam::aws:policy/AWSBatchFullAccess",
    },
    {
      label: "RolePolicyAttachmentsExclusive policyArns",
      cls: aws.iam.RolePolicyAttachmentsExclusive,
      props: {
        roleName: "r",
        policyArns: [ECS_INSTANCE_ROLE_POLICY, "arn:aws:iam::aws:policy/AdministratorAccess"],
      },
      offending: "arn:aws:iam::aws:policy/AdministratorAccess",
    },
    {
      label: "UserPolicyAttachmentsExclusive policyArns",
      cls: aws.iam.UserPolicyAttachmentsExclusive,
      props: { userName: "u", policyArns: ["arn:aws:iam::aws:policy/CloudWatchFullAccessV2"] },
      offending: "arn:aws:iam::aws:policy/CloudWatchFullAccessV2",
    },
    {
      label: "GroupPolicyAttachmentsExclusive policyArns",
      cls: aws.iam.GroupPolicyAttachmentsExclusive,
      props: { groupName: "g", policyArns: ["arn:aws:iam::aws:policy/AdministratorAccess-Amplify"] },
      offending: "arn:aws:iam::aws:policy/AdministratorAccess-Amplify",
    },
  ];
  for (const c of attachmentCases) {
    it(`rejects ${c.label}`, async () => {
      const v = await run(noFullAccessIam, [res(c.cls, "target", c.props)]);
      assert.equal(v.length, 1, JSON.stringify(v));
      assert.equal(v[0].policy, "no-full-access-iam");
      assert.equal(v[0].enforcementLevel, "mandatory");
      assert.equal(v[0].resource, "target");
      assert.ok(v[0].message.includes(`"target"`), v[0].message);
      assert.ok(v[0].message.includes(`"${c.offending}"`), v[0].message);
      assert.ok(v[0].message.includes("least privilege"), v[0].message);
    });
  }

  const withStatement = (statement: unknown): unknown => ({ Version: "2012-10-17", Statement: statement });
  const docCases: { label: string; cls: unknown; props: Record<string, unknown>; expect: RegExp }[] = [
    {
      label: 'Policy with Action "*" (JSON string)',
      cls: aws.iam.Policy,
      props: { policy: JSON.stringify(withStatement([{ Effect: "Allow", Action: "*", Resource: "*" }])) },
      expect: /statement 0 allows every action \("\*"\)/,
    },
    {
      label: "Policy with a service wildcard inside an action list, any case (object document)",
      cls: aws.iam.Policy,
      props: {
        policy: withStatement([{ Effect: "Allow", Action: ["s3:GetObject", "S3:*"], Resource: "*" }]),
      },
      expect: /allows every action of a service \("S3:\*"\)/,
    },
    {
      label: "RolePolicy with a hyphenated service prefix",
      cls: aws.iam.RolePolicy,
      props: {
        role: "r",
        policy: JSON.stringify(
          withStatement({ Sid: "Tags", Effect: "Allow", Action: "resource-groups:*", Resource: "*" }),
        ),
      },
      expect: /statement "Tags" allows every action of a service \("resource-groups:\*"\)/,
    },
    {
      label: "UserPolicy with Allow + NotAction (Statement as an object)",
      cls: aws.iam.UserPolicy,
      props: {
        user: "u",
        policy: JSON.stringify(withStatement({ Effect: "Allow", NotAction: "iam:*", Resource: "*" })),
      },
      expect: /Allow with NotAction "iam:\*"/,
    },
    {
      label: "GroupPolicy with iam:*",
      cls: aws.iam.GroupPolicy,
      props: {
        group: "g",
        policy: JSON.stringify(withStatement([{ Effect: "Allow", Action: ["iam:*"], Resource: "*" }])),
      },
      expect: /"iam:\*"/,
    },
    {
      label: "Role inlinePolicies with ec2:*",
      cls: aws.iam.Role,
      props: {
        ...clone(happy.role),
        inlinePolicies: [
          {
            name: "wide",
            policy: JSON.stringify(withStatement([{ Effect: "Allow", Action: "ec2:*", Resource: "*" }])),
          },
        ],
      },
      expect: /inlinePolicies\["wide"\] statement 0 allows every action of a service \("ec2:\*"\)/,
    },
  ];
  for (const c of docCases) {
    it(`rejects ${c.label}`, async () => {
      const v = await run(noFullAccessIam, [res(c.cls, "doc", c.props)]);
      assert.equal(v.length, 1, JSON.stringify(v));
      assert.equal(v[0].resource, "doc");
      assert.match(v[0].message, c.expect);
      assert.match(v[0].message, /List the specific actions/);
    });
  }

  it("passes Deny wildcards, partial wildcards and customer-managed policy ARNs", async () => {
    const doc = withStatement([
      { Effect: "Deny", Action: "*", Resource: "*" },
      { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" },
      { Effect: "Allow", Action: ["s3:Get*", "batch:Describe*"], Resource: "*" },
    ]);
    const v = await run(noFullAccessIam, [
      res(aws.iam.Policy, "p", { policy: JSON.stringify(doc) }),
      res(aws.iam.RolePolicyAttachment, "a", {
        role: "r",
        policyArn: "arn:aws:iam::123456789012:policy/LabFullAccess",
      }),
    ]);
    assert.deepEqual(v, []);
  });

  it("honours the allowlists: by policy name, by policy ARN, by resource name", async () => {
    const admin = res(aws.iam.RolePolicyAttachment, "break-glass", {
      role: "r",
      policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });
    const wide = res(aws.iam.Policy, "wide", {
      policy: JSON.stringify(withStatement([{ Effect: "Allow", Action: "*", Resource: "*" }])),
    });
    assert.equal((await run(noFullAccessIam, [admin, wide])).length, 2);
    assert.deepEqual(
      await run(noFullAccessIam, [admin], {
        "no-full-access-iam": { allowedPolicies: ["AdministratorAccess"] },
      }),
      [],
    );
    assert.deepEqual(
      await run(noFullAccessIam, [admin], {
        "no-full-access-iam": { allowedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"] },
      }),
      [],
    );
    assert.deepEqual(
      await run(noFullAccessIam, [admin, wide], {
        "no-full-access-iam": { allowedResources: ["break-glass", wide.urn] },
      }),
      [],
    );
  });

  it("denies extra names from deniedPolicyNames", async () => {
    const readOnly = res(aws.iam.RolePolicyAttachment, "ro", {
      role: "r",
      policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess",
    });
    assert.deepEqual(await run(noFullAccessIam, [readOnly]), []);
    const v = await run(noFullAccessIam, [readOnly], {
      "no-full-access-iam": { deniedPolicyNames: ["ReadOnlyAccess"] },
    });
    assert.equal(v.length, 1);
    assert.match(v[0].message, /on the denied list/);
  });

  it("ignores unrelated resource types", async () => {
    assert.deepEqual(
      await run(noFullAccessIam, [
        res(aws.s3.Bucket, "b", { policy: "arn:aws:iam::aws:policy/AdministratorAccess" }),
      ]),
      [],
    );
  });
});
