// Access: the instance role and profile, the job role, and the launcher policy, least
// privilege throughout. Baseline: the default stack with one input bucket; one change per case.
import assert from "node:assert/strict";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { DOCKER_HUB_SECRET_ARN, inputsOf, ofType, one, policyDoc, runStack, T } from "../helpers";
import { decide } from "../iamSimulate";

describe("component: Access", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof runStack>>;
  before(async () => {
    run = await runStack({ inputBuckets: ["ngi-igenomes"] });
  });

  const bucketArn = () => one(run, T.bucket, "nextflow-work").state.arn as string;
  const logGroupArn = `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/nextflow-batch/smith-lab/dev`;

  it("instance role: trusted by EC2, the ECS container-instance policy and this stack's logs only", () => {
    const role = inputsOf(run, T.role, "nextflow-access-instance");
    assert.deepEqual(policyDoc(role.assumeRolePolicy).Statement, [
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    assert.deepEqual(ofType(run, T.attachment).size, 1);
    assert.equal(
      one(run, T.attachment, "nextflow-access-instance-ecs").inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    );
    assert.deepEqual(
      policyDoc(one(run, T.rolePolicy, "nextflow-access-instance-logs").inputs.policy).Statement,
      [
        {
          Sid: "WriteJobLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
          Resource: `${logGroupArn}:log-stream:*`,
        },
        {
          Sid: "FindJobLogStreams",
          Effect: "Allow",
          Action: ["logs:DescribeLogStreams"],
          Resource: logGroupArn,
        },
      ],
    );
  });

  it("instance role: imports upstream images into this stack's cache prefixes only (ECR pull-through cache)", async () => {
    const repo = `arn:aws:ecr:us-east-1:${MOCK_ACCOUNT_ID}:repository`;
    const policy = policyDoc(one(run, T.rolePolicy, "nextflow-access-instance-ecr-cache").inputs.policy);
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ImportIntoPullThroughCache",
          Effect: "Allow",
          Action: ["ecr:BatchImportUpstreamImage", "ecr:CreateRepository"],
          Resource: [`${repo}/smith-lab-dev-quay/*`, `${repo}/smith-lab-dev-ecr-public/*`],
        },
      ],
    });
    assert.equal(
      one(run, T.rolePolicy, "nextflow-access-instance-ecr-cache").inputs.role,
      one(run, T.role, "nextflow-access-instance").state.name,
    );
    // What AWS would decide for the host, with this policy next to the stack's other inline one.
    const logs = policyDoc(one(run, T.rolePolicy, "nextflow-access-instance-logs").inputs.policy);
    const cases: [string, string, string][] = [
      ["ecr:BatchImportUpstreamImage", `${repo}/smith-lab-dev-quay/biocontainers/fastqc`, "Allowed"],
      ["ecr:CreateRepository", `${repo}/smith-lab-dev-quay/nf-core/ubuntu`, "Allowed"],
      ["ecr:BatchImportUpstreamImage", `${repo}/smith-lab-dev-ecr-public/docker/library/ubuntu`, "Allowed"],
      // Not another stack's cache, not a look-alike prefix, not the prefix itself, not Docker Hub without a rule.
      [
        "ecr:BatchImportUpstreamImage",
        `${repo}/smith-lab-prod-quay/biocontainers/fastqc`,
        "ImplicitlyDenied",
      ],
      ["ecr:CreateRepository", `${repo}/smith-lab-dev-quay-x/anything`, "ImplicitlyDenied"],
      ["ecr:CreateRepository", `${repo}/smith-lab-dev-quay`, "ImplicitlyDenied"],
      ["ecr:CreateRepository", `${repo}/smith-lab-dev-docker-hub/library/ubuntu`, "ImplicitlyDenied"],
      // Nothing broader than importing: no push, no delete, no tagging, no policy changes.
      ["ecr:PutImage", `${repo}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:DeleteRepository", `${repo}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:TagResource", `${repo}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:SetRepositoryPolicy", `${repo}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:CreatePullThroughCacheRule", "*", "ImplicitlyDenied"],
    ];
    for (const [action, resource, expected] of cases)
      assert.equal(await decide([policy, logs], action, resource), expected, `${action} ${resource}`);
  });

  it("instance role with a Docker Hub credential: the Docker Hub prefix too", async () => {
    const hub = await runStack({ dockerHubCredentialArn: DOCKER_HUB_SECRET_ARN });
    const repo = `arn:aws:ecr:us-east-1:${MOCK_ACCOUNT_ID}:repository`;
    assert.deepEqual(
      policyDoc(one(hub, T.rolePolicy, "nextflow-access-instance-ecr-cache").inputs.policy).Statement[0]
        .Resource,
      [
        `${repo}/smith-lab-dev-quay/*`,
        `${repo}/smith-lab-dev-ecr-public/*`,
        `${repo}/smith-lab-dev-docker-hub/*`,
      ],
    );
  });

  it("containerCache false: the instance role gets no ECR permission beyond the managed policy", async () => {
    const off = await runStack({ containerCache: false });
    assert.deepEqual([...ofType(off, T.rolePolicy).keys()].sort(), [
      "nextflow-access-instance-logs",
      "nextflow-access-job-s3",
    ]);
  });

  it("job role: trusted by ECS tasks of this account; work bucket read/write, input buckets read-only", () => {
    const role = inputsOf(run, T.role, "nextflow-access-job");
    assert.deepEqual(policyDoc(role.assumeRolePolicy).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
      },
    ]);
    const statements = policyDoc(one(run, T.rolePolicy, "nextflow-access-job-s3").inputs.policy).Statement;
    assert.deepEqual(statements, [
      {
        Sid: "ListWorkBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
        Resource: bucketArn(),
      },
      {
        Sid: "ReadWriteWorkBucketObjects",
        Effect: "Allow",
        Action: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:GetObjectTagging",
          "s3:PutObjectTagging",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
        ],
        Resource: `${bucketArn()}/*`,
      },
      {
        Sid: "ListInputBuckets",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation"],
        Resource: ["arn:aws:s3:::ngi-igenomes"],
      },
      {
        Sid: "ReadInputObjects",
        Effect: "Allow",
        Action: ["s3:GetObject"],
        Resource: ["arn:aws:s3:::ngi-igenomes/*"],
      },
    ]);
  });

  it("launcher policy: these queues, nf-* job definitions, describe calls, logs, the bucket, PassRole on the job role only", () => {
    const statements = policyDoc(one(run, T.policy, "nextflow-access-launcher").inputs.policy).Statement;
    const batch = `arn:aws:batch:us-east-1:${MOCK_ACCOUNT_ID}`;
    const bySid = new Map(statements.map((s: any) => [s.Sid, s]));
    assert.deepEqual(
      [...bySid.keys()],
      [
        "SubmitToTheseQueues",
        "RegisterNextflowJobDefinitions",
        "TagNextflowJobDefinitionsAndJobs",
        "StopNextflowJobs",
        "DescribeWhatNextflowPolls",
        "ReadJobLogs",
        "FindJobLogs",
        "ListWorkBucket",
        "ReadWriteWorkBucketObjects",
        "ListInputBuckets",
        "ReadInputObjects",
        "PassOnlyTheJobRole",
      ],
    );
    assert.deepEqual(bySid.get("SubmitToTheseQueues").Resource, [
      `${batch}:job-queue/smith-lab-dev-spot`,
      `${batch}:job-queue/smith-lab-dev-ondemand`,
      `${batch}:job-definition/nf-*`,
      `${batch}:job/*`,
    ]);
    // Nextflow's head process lists and reads inputs itself, not only the task containers.
    assert.deepEqual(
      [bySid.get("ListInputBuckets"), bySid.get("ReadInputObjects")],
      [
        {
          Sid: "ListInputBuckets",
          Effect: "Allow",
          Action: ["s3:ListBucket", "s3:GetBucketLocation"],
          Resource: ["arn:aws:s3:::ngi-igenomes"],
        },
        {
          Sid: "ReadInputObjects",
          Effect: "Allow",
          Action: ["s3:GetObject"],
          Resource: ["arn:aws:s3:::ngi-igenomes/*"],
        },
      ],
    );
    assert.deepEqual(
      [
        "RegisterNextflowJobDefinitions",
        "TagNextflowJobDefinitionsAndJobs",
        "StopNextflowJobs",
        "ReadJobLogs",
        "FindJobLogs",
      ].map((sid) => [bySid.get(sid).Action, bySid.get(sid).Resource]),
      [
        [["batch:RegisterJobDefinition"], `${batch}:job-definition/nf-*`],
        [["batch:TagResource"], [`${batch}:job-definition/nf-*:*`, `${batch}:job/*`]],
        [["batch:CancelJob", "batch:TerminateJob"], `${batch}:job/*`],
        [
          ["logs:GetLogEvents"],
          `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/nextflow-batch/smith-lab/dev:log-stream:*`,
        ],
        [
          ["logs:DescribeLogStreams", "logs:FilterLogEvents"],
          `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/nextflow-batch/smith-lab/dev`,
        ],
      ],
    );
    assert.deepEqual(bySid.get("PassOnlyTheJobRole"), {
      Sid: "PassOnlyTheJobRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: one(run, T.role, "nextflow-access-job").state.arn,
      Condition: {
        StringEquals: { "iam:PassedToService": ["batch.amazonaws.com", "ecs-tasks.amazonaws.com"] },
      },
    });
    // The queue ARNs the policy names are the queues' real ARNs.
    assert.equal(one(run, T.queue, "nextflow-batch-spot").state.arn, `${batch}:job-queue/smith-lab-dev-spot`);
  });

  it("no `*` or `service:*` action and no AWS-managed full-access policy anywhere", () => {
    const docs = [
      ...[...ofType(run, T.rolePolicy).values()].map((r) => r.inputs.policy),
      ...[...ofType(run, T.policy).values()].map((r) => r.inputs.policy),
    ].map(policyDoc);
    for (const doc of docs) {
      for (const s of doc.Statement) {
        for (const action of [s.Action].flat()) assert.doesNotMatch(action, /(^\*$|:\*$)/, JSON.stringify(s));
        assert.equal(s.NotAction, undefined);
      }
    }
    for (const a of ofType(run, T.attachment).values())
      assert.doesNotMatch(String(a.inputs.policyArn), /FullAccess|Administrator|PowerUser/);
  });

  it("onDemandQueue false: the launcher may submit to the spot queue only", async () => {
    const spotOnly = await runStack({ onDemandQueue: false });
    const launcher = policyDoc(one(spotOnly, T.policy, "nextflow-access-launcher").inputs.policy)
      .Statement[0];
    assert.equal(launcher.Resource.length, 3, "the spot queue, job definitions and jobs");
    assert.ok(!launcher.Resource.some((r: string) => r.endsWith("-ondemand")));
  });
});
