// LabBudget: the monthly budget, its notifications and subscribers, and the optional guard.
// Baseline: the default stack with a budget; one change per case.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import { GUARD_RUNTIME, GUARD_SOURCE_FILE } from "../../components/labBudget";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { BASE_TAGS, inputsOf, ofType, one, policyDoc, runStack, T } from "../helpers";

const EMAILS = ["pi@example.org", "lab-admin@example.org"];
const BUDGET = { budgetMonthlyUsd: 2000, budgetAlertEmails: EMAILS };
const GUARD_TYPES = [
  T.topic,
  T.topicPolicy,
  T.subscription,
  T.lambda,
  T.permission,
  T.role,
  T.rolePolicy,
  T.logGroup,
];
/** The guard's resources: every type, one each, all named nextflow-budget-guard. */
const guardSet = (run: Awaited<ReturnType<typeof runStack>>) =>
  run.resources
    .filter((r) => r.name === "nextflow-budget-guard")
    .map((r) => r.type)
    .sort();

const notification = (notificationType: string, threshold: number, sns?: string[]) => ({
  comparisonOperator: "GREATER_THAN",
  notificationType,
  threshold,
  thresholdType: "PERCENTAGE",
  subscriberEmailAddresses: EMAILS,
  ...(sns ? { subscriberSnsTopicArns: sns } : {}),
});

describe("component: LabBudget", function () {
  this.timeout(60000);

  it("absent when budgetMonthlyUsd is unset: no budget, no guard, no budgetName output", async () => {
    const run = await runStack({});
    assert.equal(ofType(run, T.budgetComponent).size, 0);
    assert.equal(ofType(run, T.budget).size, 0);
    assert.deepEqual(guardSet(run), []);
    assert.equal(run.outputs.budgetName, undefined);
    assert.deepEqual(one(run, T.queue, "nextflow-batch-spot").ignoreChanges, []);
  });

  describe("a budget without the guard", () => {
    let run: Awaited<ReturnType<typeof runStack>>;
    before(async () => {
      run = await runStack(BUDGET);
    });

    it("is a monthly USD cost budget for the whole account, named after the lab and stack, tagged", () => {
      const budget = one(run, T.budget, "nextflow-budget");
      assert.equal(budget.parent?.split("::").pop(), "nextflow-budget");
      assert.deepEqual(budget.inputs, {
        name: "nextflow-batch-smith-lab-dev",
        budgetType: "COST",
        timeUnit: "MONTHLY",
        limitAmount: "2000",
        limitUnit: "USD",
        notifications: [
          notification("ACTUAL", 80),
          notification("ACTUAL", 100),
          notification("FORECASTED", 100),
        ],
        tags: BASE_TAGS,
      });
      assert.equal(run.outputs.budgetName, "nextflow-batch-smith-lab-dev");
    });

    it("has no guard, and Pulumi keeps owning the queues' state", () => {
      assert.deepEqual(guardSet(run), []);
      for (const q of ofType(run, T.queue).values()) assert.deepEqual(q.ignoreChanges, [], q.name);
    });
  });

  it("budgetAlertPercent moves the early alert only", async () => {
    const run = await runStack({ ...BUDGET, budgetAlertPercent: 50 });
    assert.deepEqual(inputsOf(run, T.budget, "nextflow-budget").notifications, [
      notification("ACTUAL", 50),
      notification("ACTUAL", 100),
      notification("FORECASTED", 100),
    ]);
  });

  it("cost tags reach the budget", async () => {
    const run = await runStack({ ...BUDGET, costTags: { grant: "R01-GM000000" } });
    assert.deepEqual(inputsOf(run, T.budget, "nextflow-budget").tags, {
      grant: "R01-GM000000",
      ...BASE_TAGS,
    });
  });

  describe("with the guard", () => {
    let run: Awaited<ReturnType<typeof runStack>>;
    before(async () => {
      run = await runStack({ ...BUDGET, budgetGuard: true, costTags: { grant: "R01-GM000000" } });
    });
    const tags = { grant: "R01-GM000000", ...BASE_TAGS };
    const topicArn = () => one(run, T.topic, "nextflow-budget-guard").state.arn as string;
    const fnArn = () => one(run, T.lambda, "nextflow-budget-guard").state.arn as string;

    it("creates exactly one topic, topic policy, subscription, function, permission, role, role policy and log group, under the component", () => {
      assert.deepEqual(guardSet(run), [...GUARD_TYPES].sort());
      for (const r of run.resources.filter((x) => x.name === "nextflow-budget-guard")) {
        assert.equal(r.parent?.split("::").pop(), "nextflow-budget", r.type);
      }
    });

    it("the limit notification also goes to the guard's topic; the others stay email only", () => {
      assert.match(topicArn(), /^arn:aws:sns:us-east-1:123456789012:nextflow-budget-guard-/);
      assert.deepEqual(inputsOf(run, T.budget, "nextflow-budget").notifications, [
        notification("ACTUAL", 80),
        notification("ACTUAL", 100, [topicArn()]),
        notification("FORECASTED", 100),
      ]);
    });

    it("only AWS Budgets of this account may publish to the topic", () => {
      const i = inputsOf(run, T.topicPolicy, "nextflow-budget-guard");
      assert.equal(i.arn, topicArn());
      assert.deepEqual(policyDoc(i.policy), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AWSBudgetsPublish",
            Effect: "Allow",
            Principal: { Service: "budgets.amazonaws.com" },
            Action: "SNS:Publish",
            Resource: topicArn(),
            Condition: {
              StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID },
              ArnLike: { "aws:SourceArn": `arn:aws:budgets::${MOCK_ACCOUNT_ID}:budget/*` },
            },
          },
        ],
      });
    });

    it("the function runs the guard file, told which queues to disable; SNS alone may invoke it", () => {
      const fn = inputsOf(run, T.lambda, "nextflow-budget-guard");
      assert.equal(fn.runtime, GUARD_RUNTIME);
      assert.equal(fn.handler, "index.handler");
      assert.deepEqual(fn.environment, {
        variables: { QUEUE_NAMES: JSON.stringify(["smith-lab-dev-spot", "smith-lab-dev-ondemand"]) },
      });
      assert.deepEqual(fn.loggingConfig, {
        logFormat: "Text",
        logGroup: "/nextflow-batch/smith-lab/dev/budget-guard",
      });
      assert.equal(fn.role, one(run, T.role, "nextflow-budget-guard").state.arn);
      assert.equal(fn.timeout, 60);
      assert.deepEqual(fn.tags, tags);
      assert.ok(fs.readFileSync(GUARD_SOURCE_FILE, "utf8").includes("exports"), "the shipped source exists");
      assert.deepEqual(inputsOf(run, T.permission, "nextflow-budget-guard"), {
        action: "lambda:InvokeFunction",
        function: one(run, T.lambda, "nextflow-budget-guard").state.name,
        principal: "sns.amazonaws.com",
        sourceArn: topicArn(),
      });
      assert.deepEqual(inputsOf(run, T.subscription, "nextflow-budget-guard"), {
        topic: topicArn(),
        protocol: "lambda",
        endpoint: fnArn(),
      });
    });

    it("its role: trusted by Lambda; UpdateJobQueue on this stack's queues and writing its own log group, nothing else", () => {
      const role = inputsOf(run, T.role, "nextflow-budget-guard");
      assert.deepEqual(policyDoc(role.assumeRolePolicy), {
        Version: "2012-10-17",
        Statement: [
          { Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" },
        ],
      });
      assert.deepEqual(role.tags, tags);
      const policy = inputsOf(run, T.rolePolicy, "nextflow-budget-guard");
      assert.equal(policy.role, one(run, T.role, "nextflow-budget-guard").state.name);
      assert.deepEqual(policyDoc(policy.policy), {
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "DisableJobQueues",
            Effect: "Allow",
            Action: ["batch:UpdateJobQueue"],
            Resource: [
              `arn:aws:batch:us-east-1:${MOCK_ACCOUNT_ID}:job-queue/smith-lab-dev-spot`,
              `arn:aws:batch:us-east-1:${MOCK_ACCOUNT_ID}:job-queue/smith-lab-dev-ondemand`,
            ],
          },
          {
            Sid: "WriteGuardLogs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/nextflow-batch/smith-lab/dev/budget-guard:log-stream:*`,
          },
        ],
      });
      // The queue ARNs the guard may touch are exactly the queues' own.
      const queueArns = [...ofType(run, T.queue).values()].map((q) => q.state.arn).sort();
      assert.deepEqual([...policyDoc(policy.policy).Statement[0].Resource].sort(), queueArns);
    });

    it("its log group is its own, kept as long as the stack's logs, tagged", () => {
      assert.deepEqual(inputsOf(run, T.logGroup, "nextflow-budget-guard"), {
        name: "/nextflow-batch/smith-lab/dev/budget-guard",
        retentionInDays: 30,
        tags,
      });
    });

    it("every guard resource that takes tags carries the cost tags", () => {
      for (const type of [T.topic, T.lambda, T.role, T.logGroup, T.budget]) {
        for (const r of ofType(run, type).values()) {
          if (r.name.startsWith("nextflow-budget"))
            assert.deepEqual(r.inputs.tags, tags, `${type} ${r.name}`);
        }
      }
    });

    it("Pulumi leaves the queues' state to the guard and the admin after creating them ENABLED", () => {
      for (const q of ofType(run, T.queue).values()) {
        assert.equal(q.inputs.state, "ENABLED", q.name);
        assert.deepEqual(q.ignoreChanges, ["state"], q.name);
      }
    });
  });

  it("with the on-demand queue off the guard disables the spot queue alone", async () => {
    const run = await runStack({ ...BUDGET, budgetGuard: true, onDemandQueue: false });
    assert.deepEqual(inputsOf(run, T.lambda, "nextflow-budget-guard").environment.variables, {
      QUEUE_NAMES: JSON.stringify(["smith-lab-dev-spot"]),
    });
    assert.deepEqual(
      policyDoc(inputsOf(run, T.rolePolicy, "nextflow-budget-guard").policy).Statement[0].Resource,
      [`arn:aws:batch:us-east-1:${MOCK_ACCOUNT_ID}:job-queue/smith-lab-dev-spot`],
    );
  });
});
