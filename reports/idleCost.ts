/**
 * What a stack costs per month with no job running, itemised: the figure a lab pays for
 * having the environment at all. The plan and the wizard print it. Pure.
 *
 * What bills while idle: each NAT gateway by the hour and the public IPv4 address (Elastic IP)
 * it holds; storage in the work bucket and the log groups. What does not: Batch hosts (both
 * compute environments have minVcpus 0, so no instance runs without a job), the S3 gateway
 * endpoint, a budget with notifications only, and the guard's topic and function (billed per
 * message and invocation).
 *
 * NAT counts follow awsx 3.9's Vpc (awsx/ec2/vpc.ts `shouldCreateNatGateway` and the EIP loop):
 * strategy Single makes one NAT gateway and one Elastic IP in the first AZ's public subnet;
 * OnePerAz makes one of each per AZ. Under the mocks awsx is one opaque resource, so the counts
 * come from the config, as components/network.ts passes it to awsx.
 */
import { DEFAULT_AVAILABILITY_ZONES } from "../config/keys";
import type { NetworkSpec, StackSpec } from "../config/spec";
import {
  BUDGET_DAY,
  FALLBACK_PRICE_REGION,
  HOURS_PER_MONTH,
  NAT_GATEWAY_HOUR,
  priceIn,
  PUBLIC_IPV4_HOUR,
  regionsPriced,
  S3_GATEWAY_ENDPOINT_HOUR,
  S3_STANDARD_GB_MONTH,
  type ListPrice,
  type RegionalPrices,
} from "./prices";

/** Results the work bucket is assumed to hold (only work/ expires): scale the line by what yours holds. */
export const ASSUMED_BUCKET_GB = 100;
/** Job and host logs the log groups are assumed to hold. */
export const ASSUMED_LOG_GB = 1;

/** A price as a line used it. */
export interface UsedPrice {
  /** What is priced, for the footnote ("NAT gateway hour"). */
  readonly what: string;
  readonly price: ListPrice;
  /** The stack's region had no confirmed price: {@link FALLBACK_PRICE_REGION}'s is used. */
  readonly fallback: boolean;
}

export interface IdleLine {
  readonly item: string;
  /** How the amount is made up ("1 x 730 h x $0.045/h"), or why there is none. */
  readonly detail: string;
  /** USD a month; undefined when no list price could be confirmed (the line says so). */
  readonly monthlyUsd: number | undefined;
  readonly prices: readonly UsedPrice[];
}

export interface IdleCost {
  readonly region: string;
  readonly lines: readonly IdleLine[];
  /** The sum of the priced lines. */
  readonly totalUsd: number;
  /** Items left out of the total for want of a confirmed price. */
  readonly unpriced: readonly string[];
  /** Every price used, once each, in first-use order. */
  readonly prices: readonly UsedPrice[];
}

export type IdleCostInput = Pick<StackSpec, "region" | "network" | "budget">;

const usd = (n: number) => `$${n.toFixed(2)}`;
/** A list price in full, for the footnotes. */
const usd3 = (n: number) => `$${n.toFixed(3)}`;
/** A unit price as the detail shows it: enough digits to read the list price back. */
const rate = (p: ListPrice) => `$${p.usd.toFixed(3).replace(/0$/, "")}`;

function use(what: string, prices: RegionalPrices, region: string): UsedPrice {
  const { price, fallback } = priceIn(prices, region);
  return { what, price, fallback };
}

/** How many NAT gateways (and Elastic IPs) the stack creates for a network choice. */
export function natGatewayCount(network: NetworkSpec): number {
  switch (network.mode) {
    case "existing":
      return 0;
    case "new":
      switch (network.natGateways) {
        case "single":
          return 1;
        case "onePerAz":
          return network.availabilityZones;
        default: {
          const never: never = network.natGateways;
          throw new Error(`unknown NAT gateway mode ${String(never)}`);
        }
      }
    default: {
      const never: never = network;
      throw new Error(`unknown network ${JSON.stringify(never)}`);
    }
  }
}

/** The network's idle lines: NAT gateways, their addresses, the S3 endpoint. */
export function networkLines(region: string, network: NetworkSpec): IdleLine[] {
  if (network.mode === "existing") {
    return [
      {
        item: "NAT gateway",
        detail: "none added: the lab's own VPC, whose NAT and addresses are the lab's and not counted",
        monthlyUsd: 0,
        prices: [],
      },
    ];
  }
  const n = natGatewayCount(network);
  const nat = use("NAT gateway hour", NAT_GATEWAY_HOUR, region);
  const ip = use("public IPv4 address hour", PUBLIC_IPV4_HOUR, region);
  const endpoint = use("S3 gateway endpoint", S3_GATEWAY_ENDPOINT_HOUR, region);
  const how = network.natGateways === "single" ? "natGateways single" : `natGateways onePerAz, ${n} AZs`;
  return [
    {
      item: `NAT gateway (${how})`,
      detail: `${n} x ${HOURS_PER_MONTH} h x ${rate(nat.price)}/h`,
      monthlyUsd: n * HOURS_PER_MONTH * nat.price.usd,
      prices: [nat],
    },
    {
      item: "its public IPv4 address (Elastic IP)",
      detail: `${n} x ${HOURS_PER_MONTH} h x ${rate(ip.price)}/h`,
      monthlyUsd: n * HOURS_PER_MONTH * ip.price.usd,
      prices: [ip],
    },
    {
      item: "S3 gateway endpoint",
      detail: "no hourly or data charge",
      monthlyUsd: 0,
      prices: [endpoint],
    },
  ];
}

/** The idle cost of a network choice alone: what the wizard shows beside each choice. */
export function networkIdleUsd(region: string, network: NetworkSpec): number {
  return networkLines(region, network).reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0);
}

/** The itemised idle cost of a stack. */
export function idleCost(spec: IdleCostInput): IdleCost {
  const region = spec.region;
  const s3 = use("S3 Standard storage", S3_STANDARD_GB_MONTH, region);
  const lines: IdleLine[] = [
    ...networkLines(region, spec.network),
    {
      item: "Batch hosts",
      detail: "none run without a job (minVcpus 0)",
      monthlyUsd: 0,
      prices: [],
    },
    {
      item: "work bucket (S3 Standard)",
      detail: `${ASSUMED_BUCKET_GB} GB assumed x ${rate(s3.price)}/GB-month`,
      monthlyUsd: ASSUMED_BUCKET_GB * s3.price.usd,
      prices: [s3],
    },
    {
      item: "job and host logs (CloudWatch Logs)",
      detail: `${ASSUMED_LOG_GB} GB assumed`,
      monthlyUsd: undefined,
      prices: [],
    },
  ];
  if (spec.budget !== undefined) {
    const budget = use("AWS Budgets budget-day", BUDGET_DAY, region);
    lines.push({
      item: "monthly budget (notifications only)",
      detail: "no charge for a budget without budget actions",
      monthlyUsd: 0,
      prices: [budget],
    });
    if (spec.budget.guard) {
      lines.push({
        item: "budget guard (SNS topic, Lambda function)",
        detail: "billed per message and invocation only",
        monthlyUsd: 0,
        prices: [],
      });
    }
  }

  const prices: UsedPrice[] = [];
  for (const p of lines.flatMap((l) => l.prices)) {
    if (!prices.some((q) => q.price === p.price)) prices.push(p);
  }
  return {
    region,
    lines,
    totalUsd: lines.reduce((sum, l) => sum + (l.monthlyUsd ?? 0), 0),
    unpriced: lines.filter((l) => l.monthlyUsd === undefined).map((l) => l.item),
    prices,
  };
}

/** The other network choices and their idle network cost, for comparison. */
export function networkAlternatives(
  region: string,
  availabilityZones: number,
): { readonly label: string; readonly monthlyUsd: number; readonly matches: (n: NetworkSpec) => boolean }[] {
  const newVpc = (natGateways: "single" | "onePerAz"): NetworkSpec => ({
    mode: "new",
    natGateways,
    availabilityZones,
    cidrBlock: "10.0.0.0/16",
  });
  const nat = (mode: "single" | "onePerAz") => (n: NetworkSpec) => n.mode === "new" && n.natGateways === mode;
  return [
    {
      label: "new VPC, natGateways single",
      monthlyUsd: networkIdleUsd(region, newVpc("single")),
      matches: nat("single"),
    },
    {
      label: `new VPC, natGateways onePerAz (${availabilityZones} AZs)`,
      monthlyUsd: networkIdleUsd(region, newVpc("onePerAz")),
      matches: nat("onePerAz"),
    },
    {
      label: "existing VPC (its own NAT not counted)",
      monthlyUsd: networkIdleUsd(region, { mode: "existing", vpcId: "", subnetIds: [] }),
      matches: (n) => n.mode === "existing",
    },
  ];
}

/** Lays out three columns: the last right-aligned when it holds an amount, else left-aligned. */
function align(rows: readonly (readonly [string, string, string])[]): string[] {
  const w = [0, 1, 2].map((c) => Math.max(...rows.map((r) => r[c].length)));
  const pad = (cell: string, c: number) =>
    /^\$/.test(cell) || cell === "not priced" ? cell.padStart(w[c]) : cell.padEnd(w[c]);
  return rows.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(w[0]) : pad(cell, c)))
      .join("  ")
      .trimEnd(),
  );
}

/** The idle cost as text lines: the items, the total, the network alternatives, then every price with its source and date. */
export function renderIdleCost(cost: IdleCost, network: NetworkSpec): string[] {
  const rows: [string, string, string][] = cost.lines.map((l) => [
    l.item,
    l.detail,
    l.monthlyUsd === undefined ? "not priced" : usd(l.monthlyUsd),
  ]);
  rows.push(["total", cost.unpriced.length > 0 ? "of the priced lines" : "", usd(cost.totalUsd)]);
  const lines = [
    `Per month with no job running, ${cost.region}, ${HOURS_PER_MONTH} h a month, USD list prices:`,
    ...align(rows).map((l) => `  ${l}`),
  ];
  for (const item of cost.unpriced) {
    lines.push(
      `  Not priced: ${item}; no list price confirmed from an AWS source, so the total leaves it out.`,
    );
  }
  const azs = network.mode === "new" ? network.availabilityZones : DEFAULT_AVAILABILITY_ZONES;
  const alternatives = networkAlternatives(cost.region, azs);
  lines.push(
    "Network choices, NAT gateways and their addresses idle:",
    ...align(
      alternatives.map((a) => [a.label, usd(a.monthlyUsd), a.matches(network) ? "(this stack)" : ""]),
    ).map((l) => `  ${l}`),
    "Prices:",
    ...cost.prices.map(
      (p) =>
        `  ${p.what}: ${usd3(p.price.usd)} per ${p.price.unit}, ${p.price.region === "all" ? "every region" : p.price.region}, as of ${p.price.asOf}: "${p.price.quote}" (${p.price.source})`,
    ),
  );
  const fallbacks = cost.prices.filter((p) => p.fallback).map((p) => p.what);
  if (fallbacks.length > 0) {
    lines.push(
      `Priced at ${FALLBACK_PRICE_REGION} list prices: ${fallbacks.join(", ")} (no ${cost.region} price confirmed; regional prices may differ).`,
    );
  }
  lines.push(
    `Regions priced: NAT gateway ${regionsPriced(NAT_GATEWAY_HOUR).join(", ")}; public IPv4 ${regionsPriced(PUBLIC_IPV4_HOUR).join(", ")}; S3 Standard ${regionsPriced(S3_STANDARD_GB_MONTH).join(", ")}; elsewhere ${FALLBACK_PRICE_REGION} prices.`,
  );
  return lines;
}
