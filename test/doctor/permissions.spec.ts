/**
 * The doctor's permission table is honest: every AWS call in doctor/ names an action in it,
 * every action in it is called (or checked by AWS during a call it names), and what it says
 * the launcher policy grants is what the stack's real launcher policy document allows (built
 * by the program under Pulumi's mocks). The IAM simulation tests prove the same with AWS's
 * evaluation logic; this is the cheap guard against the table drifting.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  DOCTOR_PERMISSIONS,
  extraPermissions,
  permissionOf,
  permissionsSummary,
} from "../../doctor/permissions";
import { one, policyDoc, runStack } from "../helpers";

const DOCTOR_DIR = path.join(__dirname, "..", "..", "doctor");

/** Every `call("service:Action"` in the doctor's sources. */
function calledActions(): Set<string> {
  const out = new Set<string>();
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith(".ts")) {
        for (const m of fs.readFileSync(p, "utf8").matchAll(/\bcall\(\s*"([a-z0-9-]+:[A-Za-z0-9]+)"/g))
          out.add(m[1]);
      }
    }
  };
  walk(DOCTOR_DIR);
  return out;
}

/** Does an IAM Action entry (maybe with `*`) match `action`? */
const matches = (pattern: string, action: string) =>
  new RegExp(
    `^${pattern
      .split("*")
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
      .join(".*")}$`,
    "i",
  ).test(action);

describe("doctor permissions", () => {
  it("lists each action once", () => {
    const actions = DOCTOR_PERMISSIONS.map((p) => p.action);
    assert.equal(new Set(actions).size, actions.length);
  });

  it("every action the doctor calls is in the table, and every action in the table is called or checked during a call", () => {
    const called = calledActions();
    for (const a of called) assert.ok(permissionOf(a), `${a} is called but not in DOCTOR_PERMISSIONS`);
    for (const p of DOCTOR_PERMISSIONS) {
      const via = "checkedDuring" in p ? p.checkedDuring : undefined;
      assert.ok(
        called.has(p.action) || (via !== undefined && called.has(via)),
        `${p.action} is in the table but never used`,
      );
    }
  });

  it("what the table says the launcher policy grants is exactly what the stack's launcher policy allows", async function () {
    this.timeout(120_000);
    const run = await runStack({ preset: "m5-gp3" });
    const statements = policyDoc(
      one(run, "aws:iam/policy:Policy", "nextflow-access-launcher").inputs.policy,
    ).Statement;
    const allowed = (action: string) =>
      statements.some(
        (s: any) => s.Effect === "Allow" && [s.Action].flat().some((a: string) => matches(a, action)),
      );
    for (const p of DOCTOR_PERMISSIONS) {
      if (p.grantedBy === "launcher")
        assert.ok(allowed(p.action), `${p.action}: the table says the launcher policy grants it`);
      if (p.grantedBy === "extra")
        assert.ok(
          !allowed(p.action),
          `${p.action}: the table calls it an extra, but the launcher policy grants it`,
        );
    }
  });

  it("the extras are the table's non-launcher, non-free actions, in order, and the summary names them all", () => {
    assert.deepEqual(
      extraPermissions().map((p) => p.action),
      [
        "batch:DeregisterJobDefinition",
        "ecs:ListContainerInstances",
        "ec2:GetConsoleOutput",
        "ec2:DescribeSubnets",
        "ec2:DescribeRouteTables",
        "ec2:DescribeVpcEndpoints",
        "ec2:DescribeLaunchTemplateVersions",
        "iam:GetInstanceProfile",
        "iam:ListAttachedRolePolicies",
        "iam:GetRole",
        "autoscaling:DescribeAutoScalingGroups",
        "autoscaling:DescribeScalingActivities",
      ],
    );
    for (const p of extraPermissions()) assert.ok(permissionsSummary().includes(p.action));
    for (const p of DOCTOR_PERMISSIONS) assert.ok(p.why.length > 15, `${p.action} says why`);
  });
});
