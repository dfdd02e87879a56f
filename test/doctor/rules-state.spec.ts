/**
 * State rules, table-tested from AWS response shapes (fixtures.ts: each from its AWS API
 * reference example). One change from the healthy fixture per case.
 */
import assert from "node:assert/strict";
import type { RouteTable } from "@aws-sdk/client-ec2";
import { parseNextflowConfig, parseOutputs } from "../../doctor/outputs";
import {
  checkComputeEnvironment,
  checkInstanceRole,
  checkJobRole,
  checkLaunchTemplate,
  checkNextflowConfig,
  checkQueue,
  checkRoutes,
  checkSubnets,
  trustedServices,
  type RuleResult,
} from "../../doctor/rules/state";
import * as F from "./fixtures";

const where = { region: F.REGION, stack: F.STACK };
const spot = { role: "spot" as const, name: F.SPOT_QUEUE, arn: F.queueArn(F.SPOT_QUEUE) };
const ids = (r: RuleResult) => r.findings.map((f) => `${f.severity} ${f.id}`);

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

  describe("checkSubnets", () => {
    it("all present in the stack's VPC", () => {
      assert.deepEqual(
        ids(
          checkSubnets(
            "ce",
            F.SUBNETS,
            F.SUBNETS.map((s) => F.subnet(s)),
            F.VPC,
          ),
        ),
        [],
      );
    });
    it("one missing, one in another VPC", () => {
      const r = checkSubnets("ce", F.SUBNETS, [F.subnet(F.SUBNETS[1], "vpc-other")], F.VPC);
      assert.deepEqual(ids(r), ["error subnet-missing", "error subnet-wrong-vpc"]);
    });
  });

  describe("checkRoutes (DescribeRouteTables example)", () => {
    const local = { DestinationCidrBlock: "10.0.0.0/16", GatewayId: "local", State: "active" as const };
    const s3 = { DestinationPrefixListId: "pl-63a5400a", GatewayId: F.S3_ENDPOINT, State: "active" as const };
    const cases: [string, RouteTable | undefined, string[], string[]][] = [
      [
        "NAT and S3 endpoint",
        F.routeTable("s"),
        [],
        [`internet via NAT gateway ${F.NAT} (rtb-1f382e7d)`, `S3 through gateway endpoint ${F.S3_ENDPOINT}`],
      ],
      [
        "the example table: local route only",
        F.routeTable("s", [local]),
        ["error no-internet-route", "warning no-s3-endpoint"],
        [],
      ],
      [
        "NAT gone",
        F.routeTable("s", [
          { DestinationCidrBlock: "0.0.0.0/0", NatGatewayId: F.NAT, State: "blackhole" },
          s3,
        ]),
        ["error internet-route-blackhole"],
        [`S3 through gateway endpoint ${F.S3_ENDPOINT}`],
      ],
      [
        "internet gateway (a public subnet)",
        F.routeTable("s", [{ DestinationCidrBlock: "0.0.0.0/0", GatewayId: "igw-1", State: "active" }, s3]),
        [],
        [
          "internet via internet gateway igw-1 (hosts need public IPs) (rtb-1f382e7d)",
          `S3 through gateway endpoint ${F.S3_ENDPOINT}`,
        ],
      ],
      ["no route table", undefined, ["error no-internet-route"], []],
    ];
    for (const [name, table, want, passed] of cases) {
      it(name, () => {
        const r = checkRoutes("s", table, [F.s3Endpoint()], F.REGION);
        assert.deepEqual(ids(r), want);
        assert.deepEqual(
          r.passed.map((p) => p.detail),
          passed,
        );
      });
    }
    it("endpoints that could not be read: a gateway-endpoint route counts, marked unverified", () => {
      const r = checkRoutes("s", F.routeTable("s"), undefined, F.REGION);
      assert.deepEqual(ids(r), []);
      assert.equal(r.passed[1].detail, `S3 through gateway endpoint ${F.S3_ENDPOINT} (not verified as S3)`);
    });
    it("an endpoint route to something other than S3 does not count", () => {
      const r = checkRoutes(
        "s",
        F.routeTable("s"),
        [{ ...F.s3Endpoint(), ServiceName: "com.amazonaws.us-east-1.dynamodb" }],
        F.REGION,
      );
      assert.deepEqual(ids(r), ["warning no-s3-endpoint"]);
    });
  });

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

  describe("checkNextflowConfig", () => {
    const o = parseOutputs(F.stackOutputs(), "outputs", F.STACK);
    it("the generated config matches the other outputs", () => {
      assert.deepEqual(ids(checkNextflowConfig(o, parseNextflowConfig(o.nextflowConfig), F.REGION)), []);
    });
    it("a stale config (another queue) and one without cliPath", () => {
      const stale = parseNextflowConfig(
        o.nextflowConfig
          .replace(`queue = '${F.SPOT_QUEUE}'`, "queue = 'old-queue'")
          .replace(/^.*cliPath.*$/m, ""),
      );
      const r = checkNextflowConfig(o, stale, F.REGION);
      assert.deepEqual(ids(r), ["warning config-mismatch", "warning config-mismatch"]);
      assert.match(r.findings[0].message, /process\.queue is "old-queue", expected "smith-lab-dev-spot"/);
    });
  });
});
