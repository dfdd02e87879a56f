/**
 * The host I/O and storage cost table: for every instance size a spec can launch, the root
 * volume it gets, what the Docker data disk really gives the host (shared by every task on it),
 * and what that storage costs per host-hour next to the instance's own price. Pure: no Pulumi
 * resources, no I/O beyond the instance catalog.
 *
 * Why it exists: a gp3 volume provisioned at 1000 MiB/s does nothing for an m5.large, whose EBS
 * link carries 81.25 MB/s at baseline; the lab pays for the volume either way. gp3 presets now
 * give each size a volume matched to its link (hosts/rootVolumes.ts); the table shows, per
 * size, the lesser of what the volume provides and what the link carries, how much of the I/O
 * the lab pays for the host can use, and the storage's share of the instance price, so an admin
 * sees at once what every host costs and gets.
 *
 * Sources:
 * - Per-type EBS link figures: the instance catalog (EC2 DescribeInstanceTypes,
 *   `EbsInfo.EbsOptimizedInfo`). "Burst" is its Maximum*: smaller sizes sustain it for at least
 *   30 minutes once every 24 hours, then fall back to baseline (Amazon EBS-optimized instances,
 *   https://docs.aws.amazon.com/ebs/latest/userguide/ebs-optimized.html).
 * - Instance-store disks: the catalog's `InstanceStorageInfo` (count, size, NVMe). That data has
 *   no per-type instance-store throughput or IOPS, so the table shows none rather than guess.
 * - Prices: {@link GP3_PRICES_USD} (hosts/gp3.ts) and {@link EC2_ON_DEMAND_PRICES_USD}
 *   (hosts/instancePrices.ts), us-east-1 list prices with source and date.
 */
import type { InstanceTypeInfo } from "../policy/catalog";
import type { Gp3Volume, HostStorageSpec } from "../presets";
import type { StackSpec } from "../config/spec";
import { GP3_LIMITS, GP3_PRICES_USD, HOURS_PER_MONTH, MB_PER_MIB, gp3MonthlyUsd } from "../hosts/gp3";
import { EC2_ON_DEMAND_PRICES_USD, onDemandUsdPerHour } from "../hosts/instancePrices";
import {
  launchableTypes,
  rootVolumeFor,
  rootVolumePlan,
  STORAGE_SHARE_CEILING,
  type RootVolumePlan,
} from "../hosts/rootVolumes";

export { MB_PER_MIB };

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
  /** The root volume hosts of this size get (hosts/rootVolumes.ts). */
  readonly volume: Gp3Volume;
  /**
   * gp3 presets only: what the Docker data volume gives the host, at EBS baseline and at burst
   * (the EBS link's maximum), and how much of the I/O the lab pays for the host can use.
   * Undefined for instance-store presets, and for types the catalog lists as not EBS-optimized.
   */
  readonly gp3?: {
    readonly baseline: EffectiveIo;
    readonly burst: EffectiveIo;
    /**
     * Share of the paid I/O (provisioned above gp3's free 3000 IOPS and 125 MiB/s) the link
     * carries at baseline: the lesser of the throughput and IOPS shares; 1 when nothing is paid.
     */
    readonly paidUsableAtBaseline: number;
    /** The volume pays for IOPS or throughput above what the link can ever carry (its maximum). */
    readonly paysForUnusableIo: boolean;
  };
  /** Instance-store presets only: the NVMe disks striped under /var/lib/docker. */
  readonly instanceStore?: {
    readonly disks: readonly { readonly count: number; readonly sizeGB: number; readonly type: string }[];
    readonly totalGB: number;
    readonly nvme: string;
  };
  /** List price of the host's gp3 root volume per host-hour (the instance itself not included). */
  readonly storageUsdPerHour: number;
  /** The instance's on-demand price per hour, when hosts/instancePrices.ts has one. */
  readonly instanceUsdPerHour?: number;
  /** storageUsdPerHour / instanceUsdPerHour, when the instance is priced. */
  readonly storageShareOfInstance?: number;
}

export interface HostIoTable {
  readonly storage: HostStorageSpec;
  /** The stack's region. */
  readonly region: string;
  /** The launch templates the rows' volumes come from: one default, the rest overrides. */
  readonly launchTemplates: RootVolumePlan;
  readonly rows: readonly HostIoRow[];
  /** instanceTypes entries the catalog does not know (no row for them). */
  readonly unknown: readonly string[];
  /** The one line a lab admin reads first: volumes, cost range, worst share, waste. */
  readonly summary: string;
  /** Advice, one line each; empty when nothing stands out. */
  readonly warnings: readonly string[];
}

export type HostIoInput = Pick<StackSpec, "instanceTypes" | "storage" | "region">;

function effective(linkMBps: number, linkIops: number, volumeMBps: number, volumeIops: number): EffectiveIo {
  return {
    throughputMBps: Math.min(linkMBps, volumeMBps),
    iops: Math.min(linkIops, volumeIops),
    throughputLimitedBy: linkMBps < volumeMBps ? "instance" : "volume",
    iopsLimitedBy: linkIops < volumeIops ? "instance" : "volume",
  };
}

/** The share of `paid` (above `free`) that `carried` covers; 1 when nothing above `free` is paid. */
function paidShare(provisioned: number, free: number, carried: number): number {
  const paid = provisioned - free;
  return paid <= 0 ? 1 : Math.min(1, Math.max(0, carried - free) / paid);
}

/**
 * What volume `v` gives a host of size `t`, and how much of it the host can use; undefined
 * when the catalog lists `t` as not EBS-optimized. Exported so that any volume (the seed
 * before per-size volumes, say) can be judged the same way.
 */
export function gp3Fit(t: InstanceTypeInfo, v: Gp3Volume): HostIoRow["gp3"] {
  if (t.ebs === undefined) return undefined;
  const volumeMBps = v.throughputMiBps * MB_PER_MIB;
  const freeMBps = GP3_LIMITS.baselineThroughputMiBps * MB_PER_MIB;
  const free = GP3_LIMITS.baselineIops;
  return {
    baseline: effective(t.ebs.baselineThroughputMBps, t.ebs.baselineIops, volumeMBps, v.iops),
    burst: effective(t.ebs.maximumThroughputMBps, t.ebs.maximumIops, volumeMBps, v.iops),
    paidUsableAtBaseline: Math.min(
      paidShare(volumeMBps, freeMBps, t.ebs.baselineThroughputMBps),
      paidShare(v.iops, free, t.ebs.baselineIops),
    ),
    paysForUnusableIo:
      volumeMBps > Math.max(freeMBps, t.ebs.maximumThroughputMBps) ||
      v.iops > Math.max(free, t.ebs.maximumIops),
  };
}

/** Rounds for display: whole MB/s and IOPS are what a reader compares. */
const whole = (n: number) => String(Math.round(n));
const usd = (n: number, digits: number) => `$${n.toFixed(digits)}`;
const pct = (share: number) => `${(100 * share).toFixed(1)}%`;
const volumeText = (v: Gp3Volume) => `${v.rootVolumeGiB} GiB ${v.iops} IOPS ${v.throughputMiBps} MiB/s`;

/** The host I/O and cost table of a spec; see the module comment for sources. */
export function hostIoTable(spec: HostIoInput): HostIoTable {
  const storage = spec.storage;
  const { types, unknown } = launchableTypes(spec.instanceTypes);

  const rows: HostIoRow[] = types.map((t) => {
    const volume = rootVolumeFor(t, storage);
    const storageUsdPerHour = gp3MonthlyUsd(volume) / HOURS_PER_MONTH;
    const instanceUsdPerHour = onDemandUsdPerHour(t.instanceType);
    const base = {
      instanceType: t.instanceType,
      vcpus: t.vcpus,
      memoryMiB: t.memoryMiB,
      volume,
      storageUsdPerHour,
      ...(instanceUsdPerHour === undefined
        ? {}
        : { instanceUsdPerHour, storageShareOfInstance: storageUsdPerHour / instanceUsdPerHour }),
    };
    switch (storage.kind) {
      case "gp3": {
        const gp3 = gp3Fit(t, volume);
        return gp3 === undefined ? base : { ...base, gp3 };
      }
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

  const launchTemplates = rootVolumePlan(spec.instanceTypes, storage);
  const warnings: string[] = [];
  for (const entry of unknown) {
    warnings.push(`"${entry}" is not an instance family or size in the instance catalog: no row for it`);
  }
  const expensive = rows.filter((r) => (r.storageShareOfInstance ?? 0) > STORAGE_SHARE_CEILING);
  if (storage.kind === "gp3" && expensive.length > 0) {
    warnings.push(
      `the root volume costs more than ${pct(STORAGE_SHARE_CEILING)} of the instance's on-demand price on ${expensive.map((r) => `${r.instanceType} (${pct(r.storageShareOfInstance!)})`).join(", ")}. Fix: drop those sizes from instanceTypes`,
    );
  }

  return {
    storage,
    region: spec.region,
    launchTemplates,
    rows,
    unknown,
    summary: summaryLine(storage, rows, launchTemplates),
    warnings,
  };
}

/** The stack-level line: what the hosts get and what it costs, worst case first. */
function summaryLine(storage: HostStorageSpec, rows: readonly HostIoRow[], plan: RootVolumePlan): string {
  if (rows.length === 0) return "No instance size in the catalog: nothing to show.";
  const perHour = rows.map((r) => r.storageUsdPerHour);
  const [low, high] = [Math.min(...perHour), Math.max(...perHour)];
  const cost = `${low === high ? usd(low, 4) : `${usd(low, 4)}-${usd(high, 4)}`} per host-hour`;
  const priced = rows.filter((r) => r.storageShareOfInstance !== undefined);
  const worst = priced.reduce<HostIoRow | undefined>(
    (w, r) => (w === undefined || r.storageShareOfInstance! > w.storageShareOfInstance! ? r : w),
    undefined,
  );
  const share =
    worst === undefined
      ? "instance prices unknown for these sizes"
      : `at most ${pct(worst.storageShareOfInstance!)} of the instance's on-demand price (${worst.instanceType})` +
        (priced.length < rows.length ? `; ${rows.length - priced.length} sizes unpriced` : "");
  switch (storage.kind) {
    case "gp3": {
      const gib = rows.map((r) => r.volume.rootVolumeGiB);
      const templates = 1 + plan.overrides.length;
      const waste = rows.filter((r) => r.gp3?.paysForUnusableIo).length;
      return (
        `Root volumes matched to ${rows.length} sizes (${templates} launch template${templates === 1 ? "" : "s"}, ${Math.min(...gib)}-${Math.max(...gib)} GiB): storage ${cost}, ${share}; ` +
        (waste === 0
          ? "no size pays for I/O its EBS link cannot carry."
          : `${waste} sizes pay for I/O their EBS link cannot carry.`)
      );
    }
    case "instanceStore":
      return `Docker data on NVMe instance store; every size gets the same ${volumeText(storage)} OS-only root volume: storage ${cost}, ${share}.`;
    default: {
      const never: never = storage.kind;
      throw new Error(`unknown storage kind ${String(never)}`);
    }
  }
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

const gib = (mib: number) => String(Math.round((mib / 1024) * 100) / 100);
const shareCell = (r: HostIoRow) =>
  r.storageShareOfInstance === undefined ? "n/a" : pct(r.storageShareOfInstance);

/**
 * The table as aligned text lines: the summary line, a header, one row per size, footnotes
 * naming the price sources, then the warnings.
 */
export function renderHostIoTable(table: HostIoTable): string[] {
  const s = table.storage;
  const lines: string[] = [table.summary];
  switch (s.kind) {
    case "gp3": {
      const mark = (io: EffectiveIo, which: "throughput" | "iops") =>
        (which === "throughput" ? io.throughputLimitedBy : io.iopsLimitedBy) === "volume" ? "*" : "";
      const cells = [
        [
          "instance type",
          "vCPUs",
          "memory GiB",
          "root volume",
          "MB/s base",
          "MB/s burst",
          "IOPS base",
          "IOPS burst",
          "paid I/O usable",
          "storage $/host-h",
          "share of instance $",
        ],
        ...table.rows.map((r) =>
          r.gp3 === undefined
            ? [
                r.instanceType,
                String(r.vcpus),
                gib(r.memoryMiB),
                volumeText(r.volume),
                "n/a",
                "n/a",
                "n/a",
                "n/a",
                "n/a",
                usd(r.storageUsdPerHour, 4),
                shareCell(r),
              ]
            : [
                r.instanceType,
                String(r.vcpus),
                gib(r.memoryMiB),
                volumeText(r.volume),
                whole(r.gp3.baseline.throughputMBps) + mark(r.gp3.baseline, "throughput"),
                whole(r.gp3.burst.throughputMBps) + mark(r.gp3.burst, "throughput"),
                whole(r.gp3.baseline.iops) + mark(r.gp3.baseline, "iops"),
                whole(r.gp3.burst.iops) + mark(r.gp3.burst, "iops"),
                `${whole(100 * r.gp3.paidUsableAtBaseline)}%`,
                usd(r.storageUsdPerHour, 4),
                shareCell(r),
              ],
        ),
      ];
      lines.push(...align(cells));
      lines.push(
        "Docker data on each host's gp3 root volume, shared by every task on the host. Each MB/s and IOPS figure is the lesser of the volume and the instance's EBS link; * = the volume is the limit.",
        "Burst is the link's maximum; where it exceeds baseline, AWS guarantees it for 30 minutes once every 24 hours.",
        "Paid I/O usable: the share of the IOPS and MiB/s bought above gp3's free 3000 IOPS / 125 MiB/s that the link carries at baseline.",
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
        `Docker data on the NVMe instance-store disks (included in the instance price); the gp3 root volume (${volumeText(s)}) holds only the OS.`,
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
  const e = EC2_ON_DEMAND_PRICES_USD;
  lines.push(
    `Storage cost: gp3 list prices for ${p.region} as of ${p.asOf} (aws.amazon.com/ebs/pricing): ${usd(p.perGiBMonth, 3)}/GiB-month, ${usd(p.perProvisionedIopsMonth, 3)}/IOPS-month above 3000, ${usd(p.perProvisionedMiBpsMonth, 3)}/MiB/s-month above 125; a month is ${HOURS_PER_MONTH} h.`,
    `Instance prices: ${e.region} Linux on-demand as of ${e.asOf} (${e.source}); only the presets' m5, m5d and c6a sizes are priced.` +
      (table.region === p.region ? "" : ` ${table.region} prices differ from ${p.region} by a few percent.`),
  );
  lines.push(...table.warnings.map((w) => `warning: ${w}`));
  return lines;
}
