/**
 * gp3 limits and list prices, named once. Pure.
 *
 * Limits: Amazon EBS volume types, "General Purpose SSD volumes (gp3)"
 * (https://docs.aws.amazon.com/ebs/latest/userguide/general-purpose.html): 1 GiB-16 TiB,
 * 3,000 IOPS and 125 MiB/s included, up to 16,000 IOPS at 500 IOPS per GiB, throughput up
 * to 1,000 MiB/s at 0.25 MiB/s per provisioned IOPS. (Newer EC2 API docs allow 2,000 MiB/s
 * on some volumes; we keep the ceiling every region documents.)
 */
import type { Gp3Volume } from "../presets";

export const GP3_LIMITS = {
  minSizeGiB: 1,
  maxSizeGiB: 16384,
  baselineIops: 3000,
  maxIops: 16000,
  maxIopsPerGiB: 500,
  baselineThroughputMiBps: 125,
  maxThroughputMiBps: 1000,
  maxThroughputMiBpsPerIops: 0.25,
} as const;

/**
 * us-east-1 gp3 list prices, USD, from https://aws.amazon.com/ebs/pricing/ as of 2026-11.
 * Other regions differ by a few percent; the cost table says which region it priced.
 */
export const GP3_PRICES_USD = {
  region: "us-east-1",
  asOf: "2026-11",
  perGiBMonth: 0.08,
  perProvisionedIopsMonth: 0.005,
  perProvisionedMiBpsMonth: 0.04,
} as const;

/** EBS gives volume throughput in MiB/s and instance links in MB/s: 1 MiB/s = 1.048576 MB/s. */
export const MB_PER_MIB = 1.048576;

/** AWS bills EBS per GB-month over a 730-hour month. */
export const HOURS_PER_MONTH = 730;

/** Monthly list price of one gp3 volume as configured. */
export function gp3MonthlyUsd(v: Gp3Volume): number {
  const p = GP3_PRICES_USD;
  return (
    v.rootVolumeGiB * p.perGiBMonth +
    Math.max(0, v.iops - GP3_LIMITS.baselineIops) * p.perProvisionedIopsMonth +
    Math.max(0, v.throughputMiBps - GP3_LIMITS.baselineThroughputMiBps) * p.perProvisionedMiBpsMonth
  );
}

/** Problems with a gp3 volume spec, one line each naming `where`; empty when valid. */
export function gp3Problems(where: string, v: Gp3Volume): string[] {
  const L = GP3_LIMITS;
  const out: string[] = [];
  const int = (n: number) => Number.isInteger(n);
  if (!int(v.rootVolumeGiB) || v.rootVolumeGiB < L.minSizeGiB || v.rootVolumeGiB > L.maxSizeGiB) {
    out.push(
      `${where}.rootVolumeGiB must be an integer from ${L.minSizeGiB} to ${L.maxSizeGiB}; got ${v.rootVolumeGiB}`,
    );
  }
  if (!int(v.iops) || v.iops < L.baselineIops || v.iops > L.maxIops) {
    out.push(`${where}.iops must be an integer from ${L.baselineIops} to ${L.maxIops}; got ${v.iops}`);
  } else if (v.iops > v.rootVolumeGiB * L.maxIopsPerGiB) {
    out.push(
      `${where}.iops must be at most ${L.maxIopsPerGiB} per GiB (${v.rootVolumeGiB * L.maxIopsPerGiB} for ${v.rootVolumeGiB} GiB); got ${v.iops}. Fix: lower iops or grow the volume`,
    );
  }
  if (
    !int(v.throughputMiBps) ||
    v.throughputMiBps < L.baselineThroughputMiBps ||
    v.throughputMiBps > L.maxThroughputMiBps
  ) {
    out.push(
      `${where}.throughputMiBps must be an integer from ${L.baselineThroughputMiBps} to ${L.maxThroughputMiBps}; got ${v.throughputMiBps}`,
    );
  } else if (v.throughputMiBps > v.iops * L.maxThroughputMiBpsPerIops) {
    out.push(
      `${where}.throughputMiBps must be at most ${L.maxThroughputMiBpsPerIops} MiB/s per provisioned IOPS (${v.iops * L.maxThroughputMiBpsPerIops} for ${v.iops} IOPS); got ${v.throughputMiBps}. Fix: raise iops or lower throughput`,
    );
  }
  return out;
}
