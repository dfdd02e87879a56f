/**
 * Network rules (subnets, routes, the S3 endpoint), table-tested from AWS response shapes
 * (fixtures.ts: each from its AWS API reference example). One change from the healthy fixture
 * per case.
 */
import assert from "node:assert/strict";
import type { RouteTable } from "@aws-sdk/client-ec2";
import { checkRoutes, checkSubnets } from "../../doctor/rules/network";
import * as F from "./fixtures";
import { ids } from "./ruleIds";

describe("doctor rules: network", () => {
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
});
