/**
 * The host I/O and storage cost table: for every instance size a spec can launch, what the
 * Docker data disk gives a host (shared by every task on it), and what that storage costs per
 * host-hour. Pure: no Pulumi resources, no I/O beyond the instance catalog.
 *
 * Why it exists: a gp3 volume provisioned at 1000 MiB/s does nothing for an m5.large, whose
 * EBS link carries 81.25 MB/s at baseline; the lab pays for the volume either way. The table
 * shows, per size, the lesser of what the volume provides and what the instance's EBS link
 * carries, so an admin sees which sizes waste the provisioned performance.
 *
 * Sources:
 * - Per-type EBS link figures: the instance catalog (EC2 DescribeInstanceTypes,
 *   `EbsInfo.EbsOptimizedInfo`). "Burst" is its Maximum*: smaller sizes sustain it for at least
 *   30 minutes once every 24 hours, then fall back to baseline (Amazon EBS-optimized instances,
 *   https://docs.aws.amazon.com/ebs/latest/userguide/ebs-optimized.html).
 * - Instance-store disks: the catalog's `InstanceStorageInfo` (count, size, NVMe). That data has
 *   no per-type instance-store throughput or IOPS, so the table shows none rather than guess.
 * - Prices: {@link GP3_PRICES_USD} (us-east-1 list prices, source and date in hosts/gp3.ts).
 *
 * Metal sizes are kept: AWS Batch launches "any instance type within those families" when
 * `instanceTypes` names a family (ComputeResource.instanceTypes), metal included.
 */
import { familyTypes, lookupInstanceType, type InstanceTypeInfo } from "../policy/catalog";
import type { HostStorageSpec } from "../presets";
import type { StackSpec } from "../config/spec";
import { GP3_PRICES_USD, HOURS_PER_MONTH, gp3MonthlyUsd } from "../hosts/gp3";

/** EBS gives volume throughput in MiB/s and instance links in MB/s: 1 MiB/s = 1.048576 MB/s. */
export const MB_PER_MIB = 1.048576;

/**
 * When a warning fires: more than {@link WASTE_SHARE_OF_SIZES} of the sizes in play carry less
 * than {@link WASTE_SHARE_OF_VOLUME} of the volume's provisioned throughput (or IOPS) at their
 * EBS baseline. Strictly more than half of the sizes, strictly less than half of the volume.
 */
export const WASTE_SHARE_OF_SIZES = 0.5;
export const WASTE_SHARE_OF_VOLUME = 0.5;

/** What the gp3 volume or the instance's EBS link allows, whichever is lower. */
export interface EffectiveIo {
  /** MB/s (decimal), not MiB/s. */
  readonly throughputMBps: number;
  readonly iops: number;
  /** Which side sets the throughput figure: the instance's EBS link or the volume. */
  readonly throughputLimitedBy: "instance" | "volume";
  readonly iopsLimitedBy: "instance" | "volume";
}

export interface HostIoRow {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  /**
   * gp3 presets only: what the Docker data volume gives the host, at EBS baseline and at
   * burst (the EBS link's maximum). Undefined for instance-store presets, and for types the
   * catalog lists as not EBS-optimized.
   */
  readonly gp3?: { readonly baseline: EffectiveIo; readonly burst: EffectiveIo };
  /** Instance-store presets only: the NVMe disks striped under /var/lib/docker. */
  readonly instanceStore?: {
    readonly disks: readonly { readonly count: number; readonly sizeGB: number; readonly type: string }[];
    readonly totalGB: number;
    readonly nvme: string;
  };
  /** List price of the host's gp3 root volume per host-hour (the instance itself not included). */
  readonly storageUsdPerHour: number;
}

export interface HostIoTable {
  readonly storage: HostStorageSpec;
  /** The stack's region. */
  readonly region: string;
  /** What the volume provides, MB/s: throughputMiBps x {@link MB_PER_MIB}. */
  readonly volumeThroughputMBps: number;
  readonly volumeIops: number;
  readonly storageUsdPerMonth: number;
  readonly storageUsdPerHour: number;
  readonly rows: readonly HostIoRow[];
  /** instanceTypes entries the catalog does not know (no row for them). */
  readonly unknown: readonly string[];
  /** Advice, one line each; empty when nothing stands out. */
  readonly warnings: readonly string[];
}

export type HostIoInput = Pick<StackSpec, "instanceTypes" | "storage" | "region">;

/** Every size the entries can launch, de-duplicated, in entry order (a family's sizes by vCPUs, then name). */
function launchableTypes(entries: readonly string[]): { types: InstanceTypeInfo[]; unknown: string[] } {
  const types = new Map<string, InstanceTypeInfo>();
  const unknown: string[] = [];
  for (const entry of entries) {
    const single = lookupInstanceType(entry);
    const resolved = single !== undefined ? [single] : familyTypes(entry);
    if (resolved.length === 0) unknown.push(entry);
    for (const t of resolved) if (!types.has(t.instanceType)) types.set(t.instanceType, t);
  }
  return { types: [...types.values()], unknown };
}

function effective(linkMBps: number, linkIops: number, volumeMBps: number, volumeIops: number): EffectiveIo {
  return {
    throughputMBps: Math.min(linkMBps, volumeMBps),
    iops: Math.min(linkIops, volumeIops),
    throughputLimitedBy: linkMBps < volumeMBps ? "instance" : "volume",
    iopsLimitedBy: linkIops < volumeIops ? "instance" : "volume",
  };
}

/** Rounds for display: whole MB/s and IOPS are what a reader compares. */
const whole = (n: number) => String(Math.round(n));

/** The host I/O and cost table of a spec; see the module comment for sources. */
export function hostIoTable(spec: HostIoInput): HostIoTable {
  const storage = spec.storage;
  const volumeThroughputMBps = storage.throughputMiBps * MB_PER_MIB;
  const volumeIops = storage.iops;
  const storageUsdPerMonth = gp3MonthlyUsd(storage);
  const storageUsdPerHour = storageUsdPerMonth / HOURS_PER_MONTH;
  const { types, unknown } = launchableTypes(spec.instanceTypes);

  const rows: HostIoRow[] = types.map((t) => {
    const base = { instanceType: t.instanceType, vcpus: t.vcpus, memoryMiB: t.memoryMiB, storageUsdPerHour };
    switch (storage.kind) {
      case "gp3":
        return t.ebs === undefined
          ? base
          : {
              ...base,
              gp3: {
                baseline: effective(
                  t.ebs.baselineThroughputMBps,
                  t.ebs.baselineIops,
                  volumeThroughputMBps,
                  volumeIops,
                ),
                burst: effective(
                  t.ebs.maximumThroughputMBps,
                  t.ebs.maximumIops,
                  volumeThroughputMBps,
                  volumeIops,
                ),
              },
            };
      case "instanceStore":
        return t.instanceStorage === undefined
          ? base
          : {
              ...base,
              instanceStore: {
                disks: t.instanceStorage.disks.map((d) => ({
                  count: d.count,
                  sizeGB: d.sizeGB,
                  type: d.type,
                })),
                totalGB: t.instanceStorage.totalGB,
                nvme: t.instanceStorage.nvme,
              },
            };
      default: {
        const never: never = storage.kind;
        throw new Error(`unknown storage kind ${String(never)}`);
      }
    }
  });

  const warnings: string[] = [];
  for (const entry of unknown) {
    warnings.push(`"${entry}" is not an instance family or size in the instance catalog: no row for it`);
  }
  if (storage.kind === "gp3") {
    const withLink = types.filter((t) => t.ebs !== undefined);
    const check = (
      what: string,
      provided: number,
      providedText: string,
      carried: (t: InstanceTypeInfo) => number,
      unit: string,
    ) => {
      const short = withLink.filter((t) => carried(t) < provided * WASTE_SHARE_OF_VOLUME);
      if (withLink.length === 0 || short.length <= withLink.length * WASTE_SHARE_OF_SIZES) return;
      const detail = short.map((t) => `${t.instanceType} carries ${whole(carried(t))} ${unit}`).join(", ");
      warnings.push(
        `most of the provisioned gp3 ${what} is unusable: ${short.length} of ${withLink.length} sizes carry less than half of the ${providedText} provisioned at EBS baseline (${detail}). Fix: drop the small sizes from instanceTypes, or provision less`,
      );
    };
    check(
      "throughput",
      volumeThroughputMBps,
      `${whole(volumeThroughputMBps)} MB/s (${storage.throughputMiBps} MiB/s)`,
      (t) => t.ebs!.baselineThroughputMBps,
      "MB/s",
    );
    check("IOPS", volumeIops, `${volumeIops} IOPS`, (t) => t.ebs!.baselineIops, "IOPS");
  }

  return {
    storage,
    region: spec.region,
    volumeThroughputMBps,
    volumeIops,
    storageUsdPerMonth,
    storageUsdPerHour,
    rows,
    unknown,
    warnings,
  };
}

/** Lays out cells as left-aligned first column, right-aligned others, two spaces apart. */
function align(table: readonly (readonly string[])[]): string[] {
  const widths = table[0].map((_, c) => Math.max(...table.map((r) => r[c].length)));
  return table.map((r) =>
    r
      .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join("  ")
      .trimEnd(),
  );
}

const usd = (n: number, digits: number) => `$${n.toFixed(digits)}`;
const gib = (mib: number) => String(Math.round((mib / 1024) * 100) / 100);

/** The table as aligned text lines: a header, one row per size, footnotes naming the price source, then the warnings. */
export function renderHostIoTable(table: HostIoTable): string[] {
  const s = table.storage;
  const lines: string[] = [];
  switch (s.kind) {
    case "gp3": {
      const mark = (io: EffectiveIo, which: "throughput" | "iops") =>
        (which === "throughput" ? io.throughputLimitedBy : io.iopsLimitedBy) === "volume" ? "*" : "";
      const cells = [
        [
          "instance type",
          "vCPUs",
          "memory GiB",
          "MB/s base",
          "MB/s burst",
          "IOPS base",
          "IOPS burst",
          "% of vol MB/s",
          "storage $/host-h",
        ],
        ...table.rows.map((r) =>
          r.gp3 === undefined
            ? [
                r.instanceType,
                String(r.vcpus),
                gib(r.memoryMiB),
                "n/a",
                "n/a",
                "n/a",
                "n/a",
                "n/a",
                usd(r.storageUsdPerHour, 4),
              ]
            : [
                r.instanceType,
                String(r.vcpus),
                gib(r.memoryMiB),
                whole(r.gp3.baseline.throughputMBps) + mark(r.gp3.baseline, "throughput"),
                whole(r.gp3.burst.throughputMBps) + mark(r.gp3.burst, "throughput"),
                whole(r.gp3.baseline.iops) + mark(r.gp3.baseline, "iops"),
                whole(r.gp3.burst.iops) + mark(r.gp3.burst, "iops"),
                `${whole((100 * r.gp3.baseline.throughputMBps) / table.volumeThroughputMBps)}%`,
                usd(r.storageUsdPerHour, 4),
              ],
        ),
      ];
      lines.push(...align(cells));
      lines.push(
        `Docker data on a gp3 root volume of ${s.rootVolumeGiB} GiB, ${s.iops} IOPS, ${s.throughputMiBps} MiB/s (= ${whole(table.volumeThroughputMBps)} MB/s), shared by every task on the host.`,
        "Each figure is the lesser of the volume and the instance's EBS link; * = the volume is the limit.",
        "Burst is the link's maximum; where it exceeds baseline, AWS guarantees it for 30 minutes once every 24 hours.",
      );
      break;
    }
    case "instanceStore": {
      const cells = [
        [
          "instance type",
          "vCPUs",
          "memory GiB",
          "instance store (RAID0 at /var/lib/docker)",
          "root gp3 $/host-h",
        ],
        ...table.rows.map((r) => [
          r.instanceType,
          String(r.vcpus),
          gib(r.memoryMiB),
          r.instanceStore === undefined
            ? "none"
            : `${r.instanceStore.disks.map((d) => `${d.count} x ${d.sizeGB} GB ${d.type.toUpperCase()}`).join(" + ")} = ${r.instanceStore.totalGB} GB${r.instanceStore.nvme === "unsupported" ? "" : " NVMe"}`,
          usd(r.storageUsdPerHour, 4),
        ]),
      ];
      lines.push(...align(cells));
      lines.push(
        `Docker data on the NVMe instance-store disks (included in the instance price); the gp3 root volume (${s.rootVolumeGiB} GiB, ${s.iops} IOPS, ${s.throughputMiBps} MiB/s) holds only the OS.`,
        "AWS publishes no per-type instance-store throughput or IOPS in the DescribeInstanceTypes data, so none is shown.",
      );
      break;
    }
    default: {
      const never: never = s.kind;
      throw new Error(`unknown storage kind ${String(never)}`);
    }
  }
  const p = GP3_PRICES_USD;
  lines.push(
    `Storage cost: gp3 list prices for ${p.region} as of ${p.asOf} (aws.amazon.com/ebs/pricing): ${usd(p.perGiBMonth, 3)}/GiB-month, ${usd(p.perProvisionedIopsMonth, 3)}/IOPS-month above 3000, ${usd(p.perProvisionedMiBpsMonth, 3)}/MiB/s-month above 125.`,
    `  ${usd(table.storageUsdPerMonth, 2)}/month / ${HOURS_PER_MONTH} h = ${usd(table.storageUsdPerHour, 4)} per host-hour; instance prices not included.` +
      (table.region === p.region ? "" : ` ${table.region} prices differ from ${p.region} by a few percent.`),
  );
  lines.push(...table.warnings.map((w) => `warning: ${w}`));
  return lines;
}
