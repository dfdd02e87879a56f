/**
 * The root volume each instance size gets, and the launch templates that carry them. Pure:
 * no Pulumi resources, no I/O beyond the instance catalog.
 *
 * Why: the gp3 presets used to give every host the field's 1000 GiB / 16000 IOPS /
 * 1000 MiB/s volume (about $180 a month, $0.2466 per host-hour) whatever its size, but a host
 * can only move what its EBS link carries: an m5.large carries 81.25 MB/s and 3600 IOPS at
 * baseline, so the volume cost 257% of the instance and most of its I/O could never be used.
 *
 * The rule ({@link rootVolumeFor}), for a gp3 preset whose volume is the "seed":
 * - A size whose EBS link carries the seed at baseline (throughput and IOPS) gets exactly the
 *   seed: m5.12xlarge and up, c6a.8xlarge and up keep 1000 GiB / 16000 IOPS / 1000 MiB/s.
 * - Any other size gets its link's baseline: IOPS = the link's baseline IOPS, throughput = the
 *   link's baseline MB/s in whole MiB/s rounded down (1 MiB/s = 1.048576 MB/s), each at most the
 *   seed's and at least gp3's free 3000 IOPS / 125 MiB/s. So the volume never provisions more
 *   than the link sustains (only the free baseline can exceed a small link, at no cost), and
 *   never less than 99.9% of it: what the link carries at baseline, a task gets.
 * - Capacity: {@link ROOT_VOLUME_RULE} 16 GiB per vCPU (one concurrent 1-vCPU task's share of
 *   image cache and scratch), at least 100 GiB (OS, ECS agent, AWS CLI and a few images on the
 *   smallest host), at most the seed's 1000 GiB. The seed itself gives 10-31 GiB per vCPU on
 *   the sizes that keep it (1000 GiB on 96 and 32 vCPUs), so 16 is within the field's recipe.
 * Result: storage costs at most 27.8% of the instance's on-demand price on every m5 and c6a size
 * (worst: c6a.2xlarge; test/hosts/rootVolumes.spec.ts holds it under 30% against
 * hosts/instancePrices.ts), and no size pays for I/O its link cannot carry.
 *
 * Why baseline, not the burst maximum: smaller sizes reach their maximum for 30 minutes once a
 * day (Amazon EBS-optimized instances,
 * https://docs.aws.amazon.com/ebs/latest/userguide/ebs-optimized.html); provisioning for it
 * would cost most of the budget for half an hour a day. Only the free gp3 baseline (125 MiB/s)
 * reaches above a small link's baseline, so m5.large still bursts to 131 MB/s for nothing.
 *
 * Sizes with the same volume share one launch template ({@link rootVolumePlan}): the one most
 * sizes get is the compute environment's default template, every other one a launch template
 * override targeting its sizes (Batch allows {@link MAX_LAUNCH_TEMPLATE_OVERRIDES}).
 */
import {
  familyOf,
  familyTypes,
  isBatchInstanceKeyword,
  lookupInstanceType,
  type InstanceTypeInfo,
} from "../policy/catalog";
import type { Gp3Volume, HostStorageSpec } from "../presets";
import { GP3_LIMITS, MB_PER_MIB } from "./gp3";

/** How capacity scales with a size's vCPUs (concurrent 1-vCPU tasks). See the module comment. */
export const ROOT_VOLUME_RULE = {
  gibPerVcpu: 16,
  minGiB: 100,
} as const;

/**
 * What a host's root volume may cost at most, as a share of the instance's on-demand price
 * (issue #10): the rule above stays under it on every m5 and c6a size (worst: c6a.2xlarge,
 * 27.8%); the report warns when an instanceTypes override brings in a priced size above it.
 */
export const STORAGE_SHARE_CEILING = 0.3;

/**
 * Batch takes one default launch template plus at most ten overrides per compute environment
 * (AWS Batch API, LaunchTemplateSpecificationOverride: "You can define up to ten (10) overrides
 * for each compute environment",
 * https://docs.aws.amazon.com/batch/latest/APIReference/API_LaunchTemplateSpecificationOverride.html).
 */
export const MAX_LAUNCH_TEMPLATE_OVERRIDES = 10;

const clamp = (n: number, lo: number, hi: number) => Math.min(hi, Math.max(lo, n));

/** Just the volume fields of a storage spec. */
function volumeOf(v: Gp3Volume): Gp3Volume {
  return { rootVolumeGiB: v.rootVolumeGiB, iops: v.iops, throughputMiBps: v.throughputMiBps };
}

/** Whether a size's EBS link carries `v` in full at baseline, throughput and IOPS. */
export function linkCarries(t: InstanceTypeInfo, v: Gp3Volume): boolean {
  return (
    t.ebs !== undefined &&
    t.ebs.baselineIops >= v.iops &&
    t.ebs.baselineThroughputMBps >= v.throughputMiBps * MB_PER_MIB
  );
}

/**
 * The root volume a host of size `t` gets under `storage` (see the module comment for the
 * rule). Instance-store presets give every size their one OS-only volume. A size the catalog
 * lists as not EBS-optimized gets gp3's free baseline I/O.
 */
export function rootVolumeFor(t: InstanceTypeInfo, storage: HostStorageSpec): Gp3Volume {
  switch (storage.kind) {
    case "instanceStore":
      return volumeOf(storage);
    case "gp3": {
      if (linkCarries(t, storage)) return volumeOf(storage);
      const L = GP3_LIMITS;
      const iops = clamp(t.ebs?.baselineIops ?? 0, L.baselineIops, storage.iops);
      const linkMiBps = Math.floor((t.ebs?.baselineThroughputMBps ?? 0) / MB_PER_MIB);
      const throughputMiBps = Math.min(
        clamp(linkMiBps, L.baselineThroughputMiBps, storage.throughputMiBps),
        // gp3: at most 0.25 MiB/s per provisioned IOPS (never binding for EBS links, checked anyway).
        Math.floor(iops * L.maxThroughputMiBpsPerIops),
      );
      const rootVolumeGiB = clamp(
        t.vcpus * ROOT_VOLUME_RULE.gibPerVcpu,
        ROOT_VOLUME_RULE.minGiB,
        storage.rootVolumeGiB,
      );
      return { rootVolumeGiB, iops, throughputMiBps };
    }
    default: {
      const never: never = storage.kind;
      throw new Error(`unknown storage kind ${String(never)}`);
    }
  }
}

/**
 * Every size the entries can launch, de-duplicated, in entry order (a family's sizes by vCPUs,
 * then name), and the entries the catalog does not know. Batch launches "any instance type
 * within those families" when `instanceTypes` names a family (ComputeResource.instanceTypes),
 * metal included. Batch keywords resolve to nothing here: the stack never sends one.
 */
export function launchableTypes(entries: readonly string[]): {
  types: InstanceTypeInfo[];
  unknown: string[];
} {
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

/** One volume and the sizes that get it. */
export interface RootVolumeGroup {
  readonly volume: Gp3Volume;
  /** Instance sizes (never families), in the order of {@link launchableTypes}. */
  readonly instanceTypes: readonly string[];
}

/** The launch templates a compute environment needs for a storage spec and its instance types. */
export interface RootVolumePlan {
  /** The volume of the compute environment's default launch template: the one most sizes get. */
  readonly default: RootVolumeGroup;
  /** One launch template override per other volume, ordered by their smallest size. */
  readonly overrides: readonly RootVolumeGroup[];
}

const sameVolume = (a: Gp3Volume, b: Gp3Volume) =>
  a.rootVolumeGiB === b.rootVolumeGiB && a.iops === b.iops && a.throughputMiBps === b.throughputMiBps;

/** Larger first: capacity, then IOPS, then throughput. */
const largerFirst = (a: Gp3Volume, b: Gp3Volume) =>
  b.rootVolumeGiB - a.rootVolumeGiB || b.iops - a.iops || b.throughputMiBps - a.throughputMiBps;

/**
 * Groups the sizes `instanceTypes` can launch by the root volume each gets. The default
 * template carries the volume most sizes get (ties: the larger volume), so a compute
 * environment needs the fewest overrides; for the gp3 presets that is the seed, the volume the
 * stack's one launch template had before sizes got their own. With no known size, the default
 * is the storage spec's own volume.
 */
export function rootVolumePlan(instanceTypes: readonly string[], storage: HostStorageSpec): RootVolumePlan {
  const groups: { volume: Gp3Volume; types: InstanceTypeInfo[] }[] = [];
  for (const t of launchableTypes(instanceTypes).types) {
    const volume = rootVolumeFor(t, storage);
    const group = groups.find((g) => sameVolume(g.volume, volume));
    if (group) group.types.push(t);
    else groups.push({ volume, types: [t] });
  }
  if (groups.length === 0)
    return { default: { volume: volumeOf(storage), instanceTypes: [] }, overrides: [] };
  const byCount = [...groups].sort(
    (a, b) => b.types.length - a.types.length || largerFirst(a.volume, b.volume),
  );
  const chosen = byCount[0];
  const smallest = (g: (typeof groups)[number]) => Math.min(...g.types.map((t) => t.vcpus));
  const toGroup = (g: (typeof groups)[number]): RootVolumeGroup => ({
    volume: g.volume,
    instanceTypes: g.types.map((t) => t.instanceType),
  });
  return {
    default: toGroup(chosen),
    overrides: groups
      .filter((g) => g !== chosen)
      .sort((a, b) => smallest(a) - smallest(b) || largerFirst(b.volume, a.volume))
      .map(toGroup),
  };
}

/**
 * What AWS Batch rejects in a compute environment's launch template overrides, one line each;
 * empty when valid. From the API reference (LaunchTemplateSpecificationOverride,
 * targetInstanceTypes): at most ten overrides; every override names at least one target; no
 * Batch keyword (optimal, default_x86_64, default_arm64); every target is one of
 * `ComputeResource.instanceTypes` or a size of a family listed there; targets never overlap,
 * within one override or across overrides, and a family and a size of it count as overlapping.
 */
export function launchTemplateOverrideProblems(
  instanceTypes: readonly string[],
  overrides: readonly { readonly targetInstanceTypes: readonly string[] }[],
): string[] {
  const out: string[] = [];
  if (overrides.length > MAX_LAUNCH_TEMPLATE_OVERRIDES) {
    out.push(
      `a compute environment takes at most ${MAX_LAUNCH_TEMPLATE_OVERRIDES} launch template overrides; got ${overrides.length}`,
    );
  }
  const seen: string[] = [];
  overrides.forEach((o, i) => {
    if (o.targetInstanceTypes.length === 0) out.push(`override ${i} targets no instance type`);
    for (const target of o.targetInstanceTypes) {
      if (isBatchInstanceKeyword(target)) {
        out.push(`override ${i} targets the Batch keyword "${target}", which overrides may not name`);
        continue;
      }
      if (!instanceTypes.includes(target) && !instanceTypes.includes(familyOf(target))) {
        out.push(
          `override ${i} targets "${target}", which is not in instanceTypes ${JSON.stringify(instanceTypes)} (by size or family)`,
        );
      }
      const clash = seen.find((s) => s === target || s === familyOf(target) || familyOf(s) === target);
      if (clash !== undefined) out.push(`override ${i} targets "${target}", which overlaps "${clash}"`);
      seen.push(target);
    }
  });
  return out;
}
