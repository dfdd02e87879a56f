/**
 * State rules for queues, compute environments and launch templates, table-tested from AWS
 * response shapes (fixtures.ts: each from its AWS API reference example). One change from the
 * healthy fixture per case.
 */
import assert from "node:assert/strict";
import { checkComputeEnvironment, checkLaunchTemplate, checkQueue } from "../../doctor/rules/state";
import * as F from "./fixtures";
import { ids } from "./ruleIds";

const where = { region: F.REGION, stack: F.STACK };
const spot = { role: "spot" as const, name: F.SPOT_QUEUE, arn: F.queueArn(F.SPOT_QUEUE) };

describe("doctor rules: state", () => {
  describe("checkQueue", () => {
    const cases: [string, Parameters<typeof checkQueue>[1], string[]][] = [
      ["healthy (DescribeJobQueues example)", F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE), []],
      ["missing", undefined, ["error queue-missing"]],
      ["DISABLED", F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, { state: "DISABLED" }), ["error queue-disabled"]],
      [
        "INVALID",
        F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, { status: "INVALID", statusReason: "CLIENT_ERROR - x" }),
        ["error queue-invalid"],
      ],
      [
        "no compute environment",
        F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, { computeEnvironmentOrder: [] }),
        ["error queue-not-wired"],
      ],
    ];
    for (const [name, detail, want] of cases) {
      it(name, () => assert.deepEqual(ids(checkQueue(spot, detail, where)), want));
    }
    it("passes with the environments it runs on, in order", () => {
      const r = checkQueue(
        spot,
        F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, {
          computeEnvironmentOrder: [
            { computeEnvironment: F.ceArn("b"), order: 2 },
            { computeEnvironment: F.ceArn("a"), order: 1 },
          ],
        }),
        where,
      );
      assert.deepEqual(r.passed, [
        { subject: `queue ${F.SPOT_QUEUE}`, detail: "VALID, ENABLED, priority 10, runs on a, b" },
      ]);
    });
    it("an INVALID queue quotes AWS's reason", () => {
      const r = checkQueue(
        spot,
        F.jobQueue(F.SPOT_QUEUE, F.SPOT_CE, { status: "INVALID", statusReason: "CLIENT_ERROR - bad" }),
        where,
      );
      assert.match(r.findings[0].message, /the queue is INVALID: CLIENT_ERROR - bad/);
    });
  });

  describe("checkComputeEnvironment", () => {
    const cases: [string, Parameters<typeof checkComputeEnvironment>[1], string[], RegExp?][] = [
      ["healthy (DescribeComputeEnvironments example)", F.computeEnvironment(F.SPOT_CE), []],
      ["missing", undefined, ["error ce-missing"]],
      [
        "INVALID: instance profile",
        F.computeEnvironment(F.SPOT_CE, {
          status: "INVALID",
          statusReason: "CLIENT_ERROR - Instance profile arn:... does not exist",
        }),
        ["error ce-invalid"],
        /instance profile is missing or wrong/,
      ],
      [
        "INVALID: service-linked role",
        F.computeEnvironment(F.SPOT_CE, {
          status: "INVALID",
          statusReason: "CLIENT_ERROR - Unable to assume the service linked role",
        }),
        ["error ce-invalid"],
        /AWSServiceRoleForBatch/,
      ],
      [
        "INVALID: launch template",
        F.computeEnvironment(F.SPOT_CE, {
          status: "INVALID",
          statusReason: "CLIENT_ERROR - The specified launch template, with template ID lt-1, does not exist",
        }),
        ["error ce-invalid"],
        /launch template or its version is gone/,
      ],
      ["DISABLED", F.computeEnvironment(F.SPOT_CE, { state: "DISABLED" }), ["error ce-disabled"]],
      ["UPDATING", F.computeEnvironment(F.SPOT_CE, { status: "UPDATING" }), ["warning ce-updating"]],
    ];
    for (const [name, detail, want, fix] of cases) {
      it(name, () => {
        const r = checkComputeEnvironment(F.ceArn(F.SPOT_CE), detail, F.STACK);
        assert.deepEqual(ids(r), want);
        if (fix) assert.match(r.findings[0].fix, fix);
        if (want.length === 0) assert.equal(r.passed.length, 1);
      });
    }
  });

  describe("checkLaunchTemplate (DescribeLaunchTemplateVersions example)", () => {
    const lt = { launchTemplateId: F.LT_ID, version: "2" };
    const cases: [
      string,
      Parameters<typeof checkLaunchTemplate>[1],
      Parameters<typeof checkLaunchTemplate>[2],
      string[],
    ][] = [
      ["pinned to the latest", lt, F.launchTemplateVersions(2), []],
      ["$Latest", { ...lt, version: "$Latest" }, F.launchTemplateVersions(2), []],
      ["behind the latest", lt, F.launchTemplateVersions(3), ["warning launch-template-outdated"]],
      [
        "pinned version gone",
        { ...lt, version: "9" },
        F.launchTemplateVersions(3),
        ["error launch-template-version-missing"],
      ],
      ["template gone", lt, undefined, ["error launch-template-missing"]],
      ["no template at all", undefined, undefined, ["error launch-template-missing"]],
    ];
    for (const [name, spec, versions, want] of cases) {
      it(name, () => assert.deepEqual(ids(checkLaunchTemplate(F.SPOT_CE, spec, versions, F.STACK)), want));
    }
  });
});
