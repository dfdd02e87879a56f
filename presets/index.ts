/**
 * Presets: the named, reviewed bundles of instance families and host storage a lab picks from.
 *
 * Each preset is consistent in CPU vendor and architecture on purpose: conda environments
 * built on an Intel host have crashed with illegal instructions on AMD hosts when one compute
 * environment mixed m5 and c6a (Bactopia, 67,000 genomes). test/presets.spec.ts checks every
 * preset's vendor, architecture, instance storage and gp3 limits against the EC2 instance
 * catalog, so a preset edited here into a mix fails the tests.
 *
 * This is pure data: no Pulumi resources, no I/O.
 */

/**
 * Where a host's Docker data (image layers, task scratch) lives:
 * - `gp3`: a gp3 root volume holds the OS, images and task data, sized per instance size;
 * - `instanceStore`: the instance's NVMe instance-store disks, striped as RAID0, hold
 *   `/var/lib/docker`; the gp3 root volume only carries the OS, so it stays small and cheap.
 */
export type HostStorageKind = "gp3" | "instanceStore";

/** One gp3 volume as a launch template provisions it. */
export interface Gp3Volume {
  /** Volume size. */
  readonly rootVolumeGiB: number;
  /** Provisioned gp3 IOPS (3,000 are free; at most 16,000 and 500 per GiB). */
  readonly iops: number;
  /** Provisioned gp3 throughput (125 MiB/s are free; at most 1,000 and 0.25 per IOPS). */
  readonly throughputMiBps: number;
}

/**
 * A preset's host storage. The volume figures mean, by kind:
 * - `gp3`: the largest root volume any host gets (the field's 1000 GiB / 16000 IOPS /
 *   1000 MiB/s recipe). Sizes whose EBS link carries it get exactly it; smaller sizes get a
 *   volume matched to their link and vCPUs (hosts/rootVolumes.ts, `rootVolumeFor`).
 * - `instanceStore`: the one OS-only root volume every host gets.
 */
export interface HostStorageSpec extends Gp3Volume {
  readonly kind: HostStorageKind;
}

export type CpuArchitecture = "x86_64" | "arm64";

export interface Preset {
  /** The name a stack config uses: `nextflow-batch:preset`. A public contract: never rename. */
  readonly name: PresetName;
  /** One line for the wizard and the README. */
  readonly summary: string;
  /** Instance families (or sizes) the compute environments may launch. One vendor, one architecture. */
  readonly instanceTypes: readonly string[];
  /** The CPU vendor every instance type above has, as EC2 reports it (`ProcessorInfo.Manufacturer`). */
  readonly manufacturer: "Intel" | "AMD" | "AWS";
  readonly architecture: CpuArchitecture;
  readonly storage: HostStorageSpec;
}

export const PRESET_NAMES = ["m5-gp3", "m5d-nvme", "c6a-gp3"] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/**
 * The big-disk gp3 volume the field settled on: room for large images and task data, and fast
 * enough that Docker does not time out (`CannotInspectContainerError`). Only sizes whose EBS
 * link carries it get all of it; see hosts/rootVolumes.ts for the rest.
 */
const FAST_GP3 = { kind: "gp3", rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 } as const;

/**
 * On instance-store hosts the root volume holds only the OS, the ECS agent and the AWS CLI;
 * images and task data live on the NVMe RAID. 100 GiB at gp3's free baseline leaves room
 * for a day of container logs without paying for IOPS nobody uses.
 */
const OS_ONLY_GP3 = { kind: "instanceStore", rootVolumeGiB: 100, iops: 3000, throughputMiBps: 125 } as const;

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  "m5-gp3": {
    name: "m5-gp3",
    summary:
      "Intel m5, gp3 root volume matched to each size (up to 1000 GiB, 16000 IOPS, 1000 MiB/s): the general-purpose default",
    instanceTypes: ["m5"],
    manufacturer: "Intel",
    architecture: "x86_64",
    storage: FAST_GP3,
  },
  "m5d-nvme": {
    name: "m5d-nvme",
    summary: "Intel m5d, NVMe instance-store disks striped as RAID0 under /var/lib/docker: fastest scratch",
    instanceTypes: ["m5d"],
    manufacturer: "Intel",
    architecture: "x86_64",
    storage: OS_ONLY_GP3,
  },
  "c6a-gp3": {
    name: "c6a-gp3",
    summary:
      "AMD c6a, gp3 root volume matched to each size (up to 1000 GiB, 16000 IOPS, 1000 MiB/s): cheaper compute-heavy work",
    instanceTypes: ["c6a"],
    manufacturer: "AMD",
    architecture: "x86_64",
    storage: FAST_GP3,
  },
};

/** The preset a stack gets when its config names none. */
export const DEFAULT_PRESET: PresetName = "m5-gp3";

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}
