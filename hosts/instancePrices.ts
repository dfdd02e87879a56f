/**
 * EC2 on-demand list prices of every size of the presets' families (m5, c6a; m5d for the
 * NVMe preset's summary line), named once. Pure.
 *
 * Used for one thing: to show what a host's root volume costs next to what the host itself
 * costs (reports/hostIo.ts), and to hold the per-size volume rule to its cost ceiling
 * (hosts/rootVolumes.ts, test/hosts/rootVolumes.spec.ts). Sizes not listed have no price
 * here; the table then says "n/a" instead of guessing.
 *
 * Source: us-east-1, Linux, shared tenancy, on-demand, USD per instance-hour, as the AWS Price
 * List API reported them on 2026-01-19: Karpenter's generated table
 * https://github.com/aws/karpenter-provider-aws/blob/031e72b6099630e960dacb88b48a7e9bb780945f/pkg/providers/pricing/zz_generated.pricing_aws.go
 * ("generated at 2026-01-19T13:23:24Z for us-east-1", written by hack/code/prices_gen from
 * the Price List API). The same figures are on https://aws.amazon.com/ec2/pricing/on-demand/
 * and https://instances.vantage.sh/ (m5.large $0.096, c6a.large $0.0765).
 */
export const EC2_ON_DEMAND_PRICES_USD = {
  region: "us-east-1",
  asOf: "2026-01-19",
  source:
    "AWS Price List API via github.com/aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go",
  perHour: {
    "m5.large": 0.096,
    "m5.xlarge": 0.192,
    "m5.2xlarge": 0.384,
    "m5.4xlarge": 0.768,
    "m5.8xlarge": 1.536,
    "m5.12xlarge": 2.304,
    "m5.16xlarge": 3.072,
    "m5.24xlarge": 4.608,
    "m5.metal": 4.608,
    "m5d.large": 0.113,
    "m5d.xlarge": 0.226,
    "m5d.2xlarge": 0.452,
    "m5d.4xlarge": 0.904,
    "m5d.8xlarge": 1.808,
    "m5d.12xlarge": 2.712,
    "m5d.16xlarge": 3.616,
    "m5d.24xlarge": 5.424,
    "m5d.metal": 5.424,
    "c6a.large": 0.0765,
    "c6a.xlarge": 0.153,
    "c6a.2xlarge": 0.306,
    "c6a.4xlarge": 0.612,
    "c6a.8xlarge": 1.224,
    "c6a.12xlarge": 1.836,
    "c6a.16xlarge": 2.448,
    "c6a.24xlarge": 3.672,
    "c6a.32xlarge": 4.896,
    "c6a.48xlarge": 7.344,
    "c6a.metal": 7.344,
  } as Readonly<Record<string, number>>,
} as const;

/** The on-demand price of one size per hour, or undefined when this table has none. */
export function onDemandUsdPerHour(instanceType: string): number | undefined {
  const prices = EC2_ON_DEMAND_PRICES_USD.perHour;
  return Object.prototype.hasOwnProperty.call(prices, instanceType) ? prices[instanceType] : undefined;
}
