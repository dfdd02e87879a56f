/**
 * AWS list prices the idle-cost report uses, named once: each with its region, the date it was
 * read, the source and AWS's own words for the line. Pure data plus one lookup.
 *
 * Only prices read in an AWS source are here. The AWS pricing pages render their tables in
 * JavaScript, so most figures come from the AWS Price List API's offer files (the data those
 * pages are built from) as quoted in captures of them; the date is the file's publication
 * month. A region without a confirmed price falls back to us-east-1, and the report says so
 * ("priced at us-east-1 list prices") rather than inventing a regional figure.
 * (gp3 prices live with the gp3 limits in hosts/gp3.ts.)
 */

export interface ListPrice {
  /** US dollars per {@link unit}. */
  readonly usd: number;
  readonly unit: "hour" | "GB-month" | "budget-day";
  /** The region this price was read for; "all" where AWS states one price for every region. */
  readonly region: string;
  /** When the source was published or read (YYYY-MM, or the offer's effective date). */
  readonly asOf: string;
  readonly source: string;
  /** AWS's wording of the line, as the source has it. */
  readonly quote: string;
}

/** Prices of one item by region; "all" holds a price AWS states for every region. */
export type RegionalPrices = Readonly<Record<string, ListPrice>>;

/** Where prices are known best, and what a region without its own confirmed price is priced at. */
export const FALLBACK_PRICE_REGION = "us-east-1";

/** AWS's billing month, as hosts/gp3.ts uses it. */
export { HOURS_PER_MONTH } from "../hosts/gp3";

const EC2_OFFER_US_EAST_1 =
  "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv";

/**
 * A NAT gateway, per hour it exists (partial hours bill as full ones), whether or not any
 * traffic passes. Data processed costs extra per GB, but only while hosts run.
 */
export const NAT_GATEWAY_HOUR: RegionalPrices = {
  "us-east-1": {
    usd: 0.045,
    unit: "hour",
    region: "us-east-1",
    asOf: "2026-08",
    source: EC2_OFFER_US_EAST_1,
    quote: "$0.045 per NAT Gateway Hour",
  },
  "us-east-2": {
    usd: 0.045,
    unit: "hour",
    region: "us-east-2",
    asOf: "2026-09",
    source: "https://aws.amazon.com/vpc/pricing/",
    quote: "NAT Gateway (US East Ohio example) $0.045 per hour",
  },
  "eu-west-1": {
    usd: 0.048,
    unit: "hour",
    region: "eu-west-1",
    asOf: "2026-09",
    source:
      "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/20260925174521/eu-west-1/index.json",
    quote: "EU-NatGateway-Hours $0.048/Hrs",
  },
};

/**
 * A public IPv4 address, in use or idle, per hour: since 2024-02-01 this includes the Elastic
 * IP every NAT gateway holds ("service managed" addresses; only BYOIP is exempt:
 * https://aws.amazon.com/blogs/networking-and-content-delivery/identify-and-optimize-public-ipv4-address-usage-on-aws/).
 */
export const PUBLIC_IPV4_HOUR: RegionalPrices = {
  "us-east-1": {
    usd: 0.005,
    unit: "hour",
    region: "us-east-1",
    asOf: "2026-08",
    source: "https://aws.amazon.com/vpc/pricing/",
    quote: "Hourly charge for In-use Public IPv4 Address $0.005",
  },
};

/** S3 Standard storage, first 50 TB a month. */
export const S3_STANDARD_GB_MONTH: RegionalPrices = {
  "us-east-1": {
    usd: 0.023,
    unit: "GB-month",
    region: "us-east-1",
    asOf: "2026-08",
    source: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonS3/current/index.csv",
    quote: "$0.023 per GB - first 50 TB / month of storage used",
  },
};

/** The S3 gateway endpoint on the private route tables: free in every region. */
export const S3_GATEWAY_ENDPOINT_HOUR: RegionalPrices = {
  all: {
    usd: 0,
    unit: "hour",
    region: "all",
    asOf: "2026-09",
    source: "https://aws.amazon.com/vpc/pricing/",
    quote: "There are no data processing or hourly charges for using Gateway Type VPC endpoints",
  },
};

/**
 * An AWS Budgets budget with notifications only (no budget actions): free. Budgets is a
 * global service. Action-enabled budgets cost $0.10 a day beyond 62 budget-days a month
 * ("$0.10 per Action-enabled Budget-day"); the stack creates none.
 */
export const BUDGET_DAY: RegionalPrices = {
  all: {
    usd: 0,
    unit: "budget-day",
    region: "all",
    asOf: "2020-10-01",
    source: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AWSBudgets/current/index.csv",
    quote: "$0.00 for Budget-days",
  },
};

/** A price looked up for a region, and whether it is another region's (the fallback). */
export interface PriceInRegion {
  readonly price: ListPrice;
  /** True when the region has no confirmed price and {@link FALLBACK_PRICE_REGION}'s is used. */
  readonly fallback: boolean;
}

/** The price of an item in `region`: its own, else the every-region one, else us-east-1's (flagged). */
export function priceIn(prices: RegionalPrices, region: string): PriceInRegion {
  const own = prices[region] ?? prices.all;
  if (own !== undefined) return { price: own, fallback: false };
  const fallback = prices[FALLBACK_PRICE_REGION];
  if (fallback === undefined) throw new Error(`no ${FALLBACK_PRICE_REGION} price to fall back to`);
  return { price: fallback, fallback: true };
}

/** The regions a price table covers, for "regions priced". */
export function regionsPriced(prices: RegionalPrices): string[] {
  return Object.keys(prices);
}
