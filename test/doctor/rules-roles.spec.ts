/**
 * Role rules (instance profile and role, job role), table-tested from IAM response shapes
 * (fixtures.ts: each from its AWS API reference example). One change from the healthy fixture
 * per case.
 */
import assert from "node:assert/strict";
import { checkInstanceRole, checkJobRole, trustedServices } from "../../doctor/rules/roles";
import * as F from "./fixtures";
import { ids } from "./ruleIds";

describe("doctor rules: roles", () => {
  describe("roles (GetInstanceProfile and GetRole examples)", () => {
    it("reads the URL-encoded trust policy IAM returns", () => {
      assert.deepEqual(trustedServices(F.jobRole()), ["ecs-tasks.amazonaws.com"]);
      assert.deepEqual(
        trustedServices({ ...F.jobRole(), AssumeRolePolicyDocument: "<URL-encoded-JSON>" }),
        [],
      );
    });
    const cases: [
      string,
      Parameters<typeof checkInstanceRole>[2],
      Parameters<typeof checkInstanceRole>[3],
      string[],
    ][] = [
      ["as the stack made it", F.instanceProfile(), [F.ECS_POLICY], []],
      ["profile gone", undefined, undefined, ["error instance-role-wrong"]],
      ["no role in the profile", { ...F.instanceProfile(), Roles: [] }, [], ["error instance-role-wrong"]],
      [
        "role trusts the wrong service",
        F.instanceProfile("lambda.amazonaws.com"),
        [F.ECS_POLICY],
        ["error instance-role-wrong"],
      ],
      ["ECS policy detached", F.instanceProfile(), [], ["error instance-role-wrong"]],
      ["policies not readable (no permission): not judged", F.instanceProfile(), undefined, []],
    ];
    for (const [name, profile, attached, want] of cases) {
      it(`instance role: ${name}`, () =>
        assert.deepEqual(
          ids(checkInstanceRole("ce", F.INSTANCE_PROFILE_ARN, profile, attached, F.STACK)),
          want,
        ));
    }
    it("job role: present and trusted, missing, wrong trust", () => {
      assert.deepEqual(ids(checkJobRole(F.JOB_ROLE_ARN, F.jobRole(), F.STACK)), []);
      assert.deepEqual(ids(checkJobRole(F.JOB_ROLE_ARN, undefined, F.STACK)), ["error job-role-wrong"]);
      assert.deepEqual(ids(checkJobRole(F.JOB_ROLE_ARN, F.jobRole("ec2.amazonaws.com"), F.STACK)), [
        "error job-role-wrong",
      ]);
    });
  });
});
