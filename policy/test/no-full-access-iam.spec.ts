import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { awsManagedPolicyName } from "../iam/managed-policies";
import { FULL_ACCESS_IAM_TYPES, noFullAccessIam } from "../policies";
import { AWS, AWS_NATIVE } from "../policies/resource-types";
import { clone, policyDocument, res, resOfType, run, UNKNOWN } from "./helpers";

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

describe("no-full-access-iam: full access judged from the actions a statement matches", () => {
  const policyWith = (statement: unknown): ReturnType<typeof res> =>
    res(aws.iam.Policy, "p", { policy: JSON.stringify(policyDocument(statement)) });
  const allow = (action: unknown): Record<string, unknown> => ({
    Effect: "Allow",
    Action: action,
    Resource: "*",
  });

  const violations: [string, unknown, RegExp][] = [
    [
      "iam:**",
      allow("iam:**"),
      /statement 0 allows every action of a service \("iam:\*\*"\): all \d+ actions of iam\./,
    ],
    [
      "IAM:?*",
      allow(["s3:GetObject", "IAM:?*"]),
      /allows every action of a service \("IAM:\?\*"\): all \d+ actions of iam/,
    ],
    ["i?m:*", allow("i?m:*"), /allows every action of a service \("i\?m:\*"\)/],
    ["iam* (no colon)", allow("iam*"), /allows every action of a service \("iam\*"\)/],
    ["iam:*?", allow("iam:*?"), /allows every action of a service \("iam:\*\?"\)/],
    ["*:*", allow("*:*"), /statement 0 allows every action \("\*:\*"\): all [\d,]+ actions of \d+ services/],
    ["?*", allow("?*"), /statement 0 allows every action \("\?\*"\)/],
    [
      "s*:* (many services)",
      allow("s*:*"),
      /allows every action of \d+ services \("s\*:\*"\): all [\d,]+ actions of .*s3.* and \d+ more/,
    ],
    [
      "a service the action list does not know",
      allow("newsvc:*"),
      /allows every action of a service \("newsvc:\*"\): all actions of newsvc/,
    ],
    [
      "one pattern per initial letter",
      allow([..."abcdefghijklmnopqrstuvwxyz"].map((c) => `iam:${c}*`)),
      /allows every action of a service \("iam:a\*", "iam:c\*", "iam:d\*", "iam:e\*", "iam:g\*" and \d+ more\): all \d+ actions of iam/,
    ],
    [
      "statements that add up (iam:a-m in one, n-z in another)",
      [
        { Sid: "AtoM", ...allow([..."abcdefghijklm"].map((c) => `iam:${c}*`)) },
        { Sid: "Read", ...allow("s3:GetObject") },
        { Sid: "NtoZ", ...allow([..."nopqrstuvwxyz"].map((c) => `iam:${c}*`)) },
      ],
      /statements "AtoM", "NtoZ" together allow every action of a service \(.*\): all \d+ actions of iam/,
    ],
  ];
  for (const [label, statement, expect] of violations) {
    it(`rejects ${label}`, async () => {
      const v = await run(noFullAccessIam, [policyWith(statement)]);
      assert.equal(v.length, 1, JSON.stringify(v));
      assert.equal(v[0].enforcementLevel, "mandatory");
      assert.match(v[0].message, /^aws:iam\/policy:Policy "p": policy /);
      assert.match(v[0].message, expect);
      assert.match(v[0].message, /List the specific actions/);
    });
  }

  it("names every action of iam listed one by one, quoting the first five", async () => {
    const { matchingActions } = await import("../iam/action-patterns");
    const every = matchingActions("iam:*");
    const v = await run(noFullAccessIam, [policyWith(allow(every))]);
    assert.equal(v.length, 1);
    assert.match(
      v[0].message,
      new RegExp(`and ${every.length - 5} more\\): all ${every.length} actions of iam`),
    );
  });

  const nearMisses: [string, unknown][] = [
    ["s3:*Object", allow("s3:*Object")],
    ["iam:Get*", allow("iam:Get*")],
    [
      "partial wildcards across statements",
      [allow(["s3:Get*", "s3:Put*"]), allow(["s3:List*", "ec2:Describe*"])],
    ],
    ["iam actions of a few initials", allow(["iam:a*", "iam:c*", "iam:d*"])],
    ["a Deny of everything", { Effect: "Deny", Action: "*", Resource: "*" }],
    ["a Deny of iam:**", { Effect: "Deny", Action: "iam:**", Resource: "*" }],
    ["a Deny with NotAction", { Effect: "Deny", NotAction: "s3:GetObject", Resource: "*" }],
    [
      "Allow iam:* split between Allow and Deny",
      [allow("iam:Get*"), { Effect: "Deny", Action: "iam:*", Resource: "*" }],
    ],
  ];
  for (const [label, statement] of nearMisses) {
    it(`passes the near miss: ${label}`, async () => {
      assert.deepEqual(await run(noFullAccessIam, [policyWith(statement)]), []);
    });
  }

  it("reports NotResource statements by their actions, as before (resource scope does not exempt)", async () => {
    const wide = { Effect: "Allow", Action: "iam:*", NotResource: "arn:aws:iam::123456789012:role/admin" };
    assert.equal((await run(noFullAccessIam, [policyWith(wide)])).length, 1);
    const narrow = {
      Effect: "Allow",
      Action: "iam:GetRole",
      NotResource: "arn:aws:iam::123456789012:role/admin",
    };
    assert.deepEqual(await run(noFullAccessIam, [policyWith(narrow)]), []);
  });
});

describe("no-full-access-iam: a document it cannot read is reported, not passed", () => {
  const cases: [string, unknown, string][] = [
    ["text that is not JSON", '{"Statement": [', "it is not valid JSON ("],
    ["no Statement", JSON.stringify({ Version: "2012-10-17" }), 'it has no "Statement"'],
    [
      "an Effect IAM does not know",
      JSON.stringify(policyDocument({ Effect: "Permit", Action: "*" })),
      'has Effect "Permit"',
    ],
    [
      "an Action that is not a string",
      policyDocument({ Effect: "Allow", Action: 1, Resource: "*" }),
      "has Action 1",
    ],
  ];
  for (const [label, doc, reason] of cases) {
    it(`rejects ${label}`, async () => {
      const v = await run(noFullAccessIam, [res(aws.iam.RolePolicy, "doc", { role: "r", policy: doc })]);
      assert.equal(v.length, 1, JSON.stringify(v));
      assert.equal(v[0].enforcementLevel, "mandatory");
      assert.ok(
        v[0].message.startsWith(
          'aws:iam/rolePolicy:RolePolicy "doc": policy cannot be read as an IAM policy document, so what it grants cannot be checked: ',
        ),
        v[0].message,
      );
      assert.ok(v[0].message.includes(reason), v[0].message);
    });
  }

  it("names the inline policy, and passes inlinePolicies: [{}] (the provider's way to remove them all)", async () => {
    const role = (inlinePolicies: unknown): ReturnType<typeof res> =>
      res(aws.iam.Role, "role", { assumeRolePolicy: "{}", inlinePolicies });
    assert.deepEqual(await run(noFullAccessIam, [role([{}])]), []);
    const v = await run(noFullAccessIam, [role([{ name: "broken", policy: "not json" }])]);
    assert.equal(v.length, 1);
    assert.match(v[0].message, /inlinePolicies\["broken"\] cannot be read as an IAM policy document/);
  });

  it("an unknown document (a preview) is the analyzer's advisory, not a violation", async () => {
    const v = await run(noFullAccessIam, [res(aws.iam.Policy, "later", { policy: UNKNOWN })]);
    assert.deepEqual(v, [
      {
        policy: "no-full-access-iam",
        enforcementLevel: "advisory",
        resource: "later",
        urn: res(aws.iam.Policy, "later", {}).urn,
        message:
          "can't run policy 'no-full-access-iam' from policy pack 'nextflow-batch@v0.1.0' during preview: " +
          "string value at .policy can't be known during preview",
      },
    ]);
  });

  it("an unknown Resource does not stop the judgement of known actions", async () => {
    const doc = policyDocument([{ Effect: "Allow", Action: "iam:**", Resource: UNKNOWN }]);
    const v = await run(noFullAccessIam, [
      resOfType(AWS_NATIVE.iamManagedPolicy, "mp", { policyDocument: doc }),
    ]);
    assert.equal(v.length, 1);
    assert.equal(v[0].enforcementLevel, "mandatory");
  });
});

describe("no-full-access-iam: every resource type that grants the same access", () => {
  const ADMIN = "arn:aws:iam::aws:policy/AdministratorAccess";
  const READ_ONLY = "arn:aws:iam::aws:policy/ReadOnlyAccess";
  const wide = policyDocument([{ Effect: "Allow", Action: "IAM:**", Resource: "*" }]);
  const narrow = policyDocument([{ Effect: "Allow", Action: ["s3:Get*", "iam:Get*"], Resource: "*" }]);

  it("reads exactly these resource types", () => {
    assert.deepEqual([...FULL_ACCESS_IAM_TYPES].sort(), [
      "aws-native:iam:Group",
      "aws-native:iam:GroupPolicy",
      "aws-native:iam:ManagedPolicy",
      "aws-native:iam:Role",
      "aws-native:iam:RolePolicy",
      "aws-native:iam:User",
      "aws-native:iam:UserPolicy",
      "aws-native:sso:PermissionSet",
      "aws:iam/groupPolicy:GroupPolicy",
      "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
      "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive",
      "aws:iam/policy:Policy",
      "aws:iam/policyAttachment:PolicyAttachment",
      "aws:iam/role:Role",
      "aws:iam/rolePolicy:RolePolicy",
      "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
      "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
      "aws:iam/userPolicy:UserPolicy",
      "aws:iam/userPolicyAttachment:UserPolicyAttachment",
      "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive",
      "aws:ssoadmin/managedPolicyAttachment:ManagedPolicyAttachment",
      "aws:ssoadmin/managedPolicyAttachmentsExclusive:ManagedPolicyAttachmentsExclusive",
      "aws:ssoadmin/permissionSetInlinePolicy:PermissionSetInlinePolicy",
    ]);
  });

  const PERMISSION_SET = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
  const cases: {
    label: string;
    type: string;
    bad: Record<string, unknown>;
    good: Record<string, unknown>;
    expect: RegExp;
  }[] = [
    {
      label: "Identity Center ManagedPolicyAttachment",
      type: AWS.ssoadminManagedPolicyAttachment,
      bad: { instanceArn: "i", permissionSetArn: PERMISSION_SET, managedPolicyArn: ADMIN },
      good: { instanceArn: "i", permissionSetArn: PERMISSION_SET, managedPolicyArn: READ_ONLY },
      expect:
        /managedPolicyArn attaches AWS-managed policy "arn:aws:iam::aws:policy\/AdministratorAccess" \(administrator access\)/,
    },
    {
      label: "Identity Center ManagedPolicyAttachmentsExclusive",
      type: AWS.ssoadminManagedPolicyAttachmentsExclusive,
      bad: {
        instanceArn: "i",
        permissionSetArn: PERMISSION_SET,
        managedPolicyArns: [READ_ONLY, "arn:aws:iam::aws:policy/AmazonS3FullAccess"],
      },
      good: { instanceArn: "i", permissionSetArn: PERMISSION_SET, managedPolicyArns: [READ_ONLY] },
      expect:
        /managedPolicyArns attaches AWS-managed policy "arn:aws:iam::aws:policy\/AmazonS3FullAccess" \(full access\)/,
    },
    {
      label: "Identity Center PermissionSetInlinePolicy",
      type: AWS.ssoadminPermissionSetInlinePolicy,
      bad: { instanceArn: "i", permissionSetArn: PERMISSION_SET, inlinePolicy: JSON.stringify(wide) },
      good: { instanceArn: "i", permissionSetArn: PERMISSION_SET, inlinePolicy: JSON.stringify(narrow) },
      expect: /inlinePolicy statement 0 allows every action of a service \("IAM:\*\*"\)/,
    },
    {
      label: "aws-native iam.Role managedPolicyArns",
      type: AWS_NATIVE.iamRole,
      bad: { assumeRolePolicyDocument: {}, managedPolicyArns: [ADMIN] },
      good: { assumeRolePolicyDocument: {}, managedPolicyArns: [READ_ONLY] },
      expect: /managedPolicyArns attaches AWS-managed policy ".*AdministratorAccess"/,
    },
    {
      label: "aws-native iam.Role inline policies (object documents)",
      type: AWS_NATIVE.iamRole,
      bad: { assumeRolePolicyDocument: {}, policies: [{ policyName: "ops", policyDocument: wide }] },
      good: { assumeRolePolicyDocument: {}, policies: [{ policyName: "ops", policyDocument: narrow }] },
      expect: /policies\["ops"\] statement 0 allows every action of a service/,
    },
    {
      label: "aws-native iam.User",
      type: AWS_NATIVE.iamUser,
      bad: { policies: [{ policyName: "u", policyDocument: JSON.stringify(wide) }] },
      good: {
        policies: [{ policyName: "u", policyDocument: JSON.stringify(narrow) }],
        managedPolicyArns: [READ_ONLY],
      },
      expect: /policies\["u"\] statement 0 allows every action of a service/,
    },
    {
      label: "aws-native iam.Group",
      type: AWS_NATIVE.iamGroup,
      bad: { managedPolicyArns: ["arn:aws:iam::aws:policy/PowerUserAccess"] },
      good: { managedPolicyArns: [READ_ONLY], policies: [{ policyName: "g", policyDocument: narrow }] },
      expect: /"arn:aws:iam::aws:policy\/PowerUserAccess" \(on the denied list\)/,
    },
    {
      label: "aws-native iam.ManagedPolicy",
      type: AWS_NATIVE.iamManagedPolicy,
      bad: { policyDocument: wide, roles: ["r"] },
      good: { policyDocument: narrow, roles: ["r"] },
      expect: /policyDocument statement 0 allows every action of a service/,
    },
    {
      label: "aws-native iam.RolePolicy",
      type: AWS_NATIVE.iamRolePolicy,
      bad: { roleName: "r", policyName: "x", policyDocument: wide },
      good: { roleName: "r", policyName: "x", policyDocument: narrow },
      expect: /policyDocument statement 0 allows every action of a service/,
    },
    {
      label: "aws-native iam.UserPolicy",
      type: AWS_NATIVE.iamUserPolicy,
      bad: {
        userName: "u",
        policyName: "x",
        policyDocument: policyDocument({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
      },
      good: { userName: "u", policyName: "x", policyDocument: narrow },
      expect: /policyDocument statement 0 is Allow with NotAction "iam:\*"/,
    },
    {
      label: "aws-native iam.GroupPolicy",
      type: AWS_NATIVE.iamGroupPolicy,
      bad: { groupName: "g", policyName: "x", policyDocument: { Version: "2012-10-17" } },
      good: { groupName: "g", policyName: "x", policyDocument: narrow },
      expect:
        /policyDocument cannot be read as an IAM policy document, so what it grants cannot be checked: it has no "Statement"/,
    },
    {
      label: "aws-native sso.PermissionSet managedPolicies",
      type: AWS_NATIVE.ssoPermissionSet,
      bad: { instanceArn: "i", name: "admins", managedPolicies: [ADMIN] },
      good: { instanceArn: "i", name: "readers", managedPolicies: [READ_ONLY] },
      expect: /managedPolicies attaches AWS-managed policy ".*AdministratorAccess"/,
    },
    {
      label: "aws-native sso.PermissionSet inlinePolicy",
      type: AWS_NATIVE.ssoPermissionSet,
      bad: { instanceArn: "i", name: "ops", inlinePolicy: wide },
      good: { instanceArn: "i", name: "ops", inlinePolicy: narrow },
      expect: /inlinePolicy statement 0 allows every action of a service/,
    },
  ];
  for (const c of cases) {
    it(`rejects full access through ${c.label}, and passes the near miss`, async () => {
      const v = await run(noFullAccessIam, [resOfType(c.type, "target", c.bad)]);
      assert.equal(v.length, 1, JSON.stringify(v));
      assert.equal(v[0].enforcementLevel, "mandatory");
      assert.ok(v[0].message.startsWith(`${c.type} "target": `), v[0].message);
      assert.match(v[0].message, c.expect);
      assert.deepEqual(await run(noFullAccessIam, [resOfType(c.type, "target", c.good)]), []);
    });
  }
});
