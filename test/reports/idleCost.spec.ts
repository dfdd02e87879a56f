// The idle-cost arithmetic per network choice and region, and how the plan and wizard print it.
import * as assert from "node:assert/strict";
import type { BudgetSpec, NetworkSpec } from "../../config/spec";
import {
  ASSUMED_BUCKET_GB,
  idleCost,
  natGatewayCount,
  networkIdleUsd,
  renderIdleCost,
} from "../../reports/idleCost";

const cents = (n: number | undefined) => (n === undefined ? undefined : Math.round(n * 100) / 100);
const newVpc = (natGateways: "single" | "onePerAz", availabilityZones = 3): NetworkSpec => ({
  mode: "new",
  natGateways,
  availabilityZones,
  cidrBlock: "10.0.0.0/16",
});
const EXISTING: NetworkSpec = { mode: "existing", vpcId: "vpc-0123456789abcdef0", subnetIds: [] };
const BUDGET: BudgetSpec = {
  name: "nextflow-batch-smith-lab-dev",
  limitUsd: 2000,
  alertEmails: ["pi@example.org"],
  alertPercent: 80,
  guard: false,
};

describe("idle cost", () => {
  // [what, region, network, NAT gateways, NAT $/month, IPv4 $/month, total $/month, prices at us-east-1's]
  const table: [string, string, NetworkSpec, number, number, number, number, string[]][] = [
    ["single NAT, us-east-1", "us-east-1", newVpc("single"), 1, 32.85, 3.65, 38.8, []],
    ["one NAT per AZ, 2 AZs", "us-east-1", newVpc("onePerAz", 2), 2, 65.7, 7.3, 75.3, []],
    [
      "one NAT per AZ, 3 AZs (the default count)",
      "us-east-1",
      newVpc("onePerAz"),
      3,
      98.55,
      10.95,
      111.8,
      [],
    ],
    [
      "one NAT per AZ, 6 AZs (the most allowed)",
      "us-east-1",
      newVpc("onePerAz", 6),
      6,
      197.1,
      21.9,
      221.3,
      [],
    ],
    // onePerAz with its 3 AZs does not matter to single: still one.
    ["single NAT with 6 AZs", "us-east-1", newVpc("single", 6), 1, 32.85, 3.65, 38.8, []],
    [
      "single NAT, eu-west-1 (its own NAT price)",
      "eu-west-1",
      newVpc("single"),
      1,
      35.04,
      3.65,
      40.99,
      ["public IPv4 address hour", "S3 Standard storage"],
    ],
    [
      "one NAT per AZ, eu-west-1",
      "eu-west-1",
      newVpc("onePerAz"),
      3,
      105.12,
      10.95,
      118.37,
      ["public IPv4 address hour", "S3 Standard storage"],
    ],
    [
      "single NAT, us-east-2",
      "us-east-2",
      newVpc("single"),
      1,
      32.85,
      3.65,
      38.8,
      ["public IPv4 address hour", "S3 Standard storage"],
    ],
    [
      "single NAT, a region with no confirmed price",
      "ap-southeast-2",
      newVpc("single"),
      1,
      32.85,
      3.65,
      38.8,
      ["NAT gateway hour", "public IPv4 address hour", "S3 Standard storage"],
    ],
  ];
  for (const [what, region, network, count, natUsd, ipUsd, totalUsd, fallbacks] of table) {
    it(`${what}: ${count} NAT gateway(s), $${totalUsd} a month`, () => {
      assert.equal(natGatewayCount(network), count);
      const c = idleCost({ region, network, budget: undefined });
      assert.deepEqual(
        c.lines.map((l) => [l.item, cents(l.monthlyUsd)]),
        [
          [
            `NAT gateway (natGateways ${network.mode === "new" && network.natGateways === "onePerAz" ? `onePerAz, ${count} AZs` : "single"})`,
            natUsd,
          ],
          ["its public IPv4 address (Elastic IP)", ipUsd],
          ["S3 gateway endpoint", 0],
          ["Batch hosts", 0],
          ["work bucket (S3 Standard)", 2.3],
          ["job and host logs (CloudWatch Logs)", undefined],
        ],
      );
      assert.equal(cents(c.totalUsd), totalUsd);
      assert.equal(cents(networkIdleUsd(region, network)), cents(natUsd + ipUsd));
      assert.deepEqual(c.unpriced, ["job and host logs (CloudWatch Logs)"]);
      assert.deepEqual(
        c.prices.filter((p) => p.fallback).map((p) => p.what),
        fallbacks,
      );
    });
  }

  it("existing VPC: the stack adds no NAT gateway or address; the lab's own NAT is not counted", () => {
    assert.equal(natGatewayCount(EXISTING), 0);
    const c = idleCost({ region: "us-east-1", network: EXISTING, budget: undefined });
    assert.deepEqual(
      c.lines.map((l) => [l.item, l.detail, cents(l.monthlyUsd)]),
      [
        [
          "NAT gateway",
          "none added: the lab's own VPC, whose NAT and addresses are the lab's and not counted",
          0,
        ],
        ["Batch hosts", "none run without a job (minVcpus 0)", 0],
        ["work bucket (S3 Standard)", `${ASSUMED_BUCKET_GB} GB assumed x $0.023/GB-month`, 2.3],
        ["job and host logs (CloudWatch Logs)", "1 GB assumed", undefined],
      ],
    );
    assert.equal(cents(c.totalUsd), 2.3);
    assert.equal(networkIdleUsd("eu-west-1", EXISTING), 0);
  });

  it("a budget adds a free line; its guard another, billed per use only", () => {
    const withBudget = idleCost({ region: "us-east-1", network: newVpc("single"), budget: BUDGET });
    assert.deepEqual(
      withBudget.lines.slice(-1).map((l) => [l.item, l.monthlyUsd]),
      [["monthly budget (notifications only)", 0]],
    );
    assert.equal(cents(withBudget.totalUsd), 38.8);
    const guarded = idleCost({
      region: "us-east-1",
      network: newVpc("single"),
      budget: { ...BUDGET, guard: true },
    });
    assert.deepEqual(
      guarded.lines.slice(-2).map((l) => [l.item, l.detail, l.monthlyUsd]),
      [
        ["monthly budget (notifications only)", "no charge for a budget without budget actions", 0],
        ["budget guard (SNS topic, Lambda function)", "billed per message and invocation only", 0],
      ],
    );
    assert.equal(
      guarded.prices.find((p) => p.what === "AWS Budgets budget-day")?.price.quote,
      "$0.00 for Budget-days",
    );
  });

  it("prints the items, the network choices and each price once with its source and date (the dev stack)", () => {
    const network = newVpc("single");
    assert.deepEqual(renderIdleCost(idleCost({ region: "us-east-1", network, budget: undefined }), network), [
      "Per month with no job running, us-east-1, 730 h a month, USD list prices:",
      "  NAT gateway (natGateways single)      1 x 730 h x $0.045/h                     $32.85",
      "  its public IPv4 address (Elastic IP)  1 x 730 h x $0.005/h                      $3.65",
      "  S3 gateway endpoint                   no hourly or data charge                  $0.00",
      "  Batch hosts                           none run without a job (minVcpus 0)       $0.00",
      "  work bucket (S3 Standard)             100 GB assumed x $0.023/GB-month          $2.30",
      "  job and host logs (CloudWatch Logs)   1 GB assumed                         not priced",
      "  total                                 of the priced lines                      $38.80",
      "  Not priced: job and host logs (CloudWatch Logs); no list price confirmed from an AWS source, so the total leaves it out.",
      "Network choices, NAT gateways and their addresses idle:",
      "  new VPC, natGateways single              $36.50  (this stack)",
      "  new VPC, natGateways onePerAz (3 AZs)   $109.50",
      "  existing VPC (its own NAT not counted)    $0.00",
      "Prices:",
      '  NAT gateway hour: $0.045 per hour, us-east-1, as of 2026-08: "$0.045 per NAT Gateway Hour" (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv)',
      '  public IPv4 address hour: $0.005 per hour, us-east-1, as of 2026-08: "Hourly charge for In-use Public IPv4 Address $0.005" (https://aws.amazon.com/vpc/pricing/)',
      '  S3 gateway endpoint: $0.000 per hour, every region, as of 2026-09: "There are no data processing or hourly charges for using Gateway Type VPC endpoints" (https://aws.amazon.com/vpc/pricing/)',
      '  S3 Standard storage: $0.023 per GB-month, us-east-1, as of 2026-08: "$0.023 per GB - first 50 TB / month of storage used" (https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonS3/current/index.csv)',
      "Regions priced: NAT gateway us-east-1, us-east-2, eu-west-1; public IPv4 us-east-1; S3 Standard us-east-1; elsewhere us-east-1 prices.",
    ]);
  });

  it("says which prices are us-east-1's where the region has none confirmed", () => {
    const network = newVpc("onePerAz", 2);
    const lines = renderIdleCost(idleCost({ region: "ap-southeast-2", network, budget: undefined }), network);
    assert.ok(
      lines.includes(
        "Priced at us-east-1 list prices: NAT gateway hour, public IPv4 address hour, S3 Standard storage (no ap-southeast-2 price confirmed; regional prices may differ).",
      ),
      lines.join("\n"),
    );
    assert.ok(
      lines.includes("  new VPC, natGateways onePerAz (2 AZs)   $73.00  (this stack)"),
      lines.join("\n"),
    );
  });
});
