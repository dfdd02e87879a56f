// Shapes of the instance catalog. Shared by the generator and the runtime module; no Pulumi here.

/** CPU vendor as EC2 reports it in `ProcessorInfo.Manufacturer`. */
export type Manufacturer = "Intel" | "AMD" | "AWS" | "Apple" | string;

/** EBS-optimized link of an instance type (`EbsInfo.EbsOptimizedInfo`). */
export interface EbsInfo {
  readonly baselineBandwidthMbps: number;
  readonly maximumBandwidthMbps: number;
  readonly baselineThroughputMBps: number;
  readonly maximumThroughputMBps: number;
  readonly baselineIops: number;
  readonly maximumIops: number;
}

/** One group of identical instance-store disks. */
export interface InstanceStoreDisk {
  readonly count: number;
  readonly sizeGB: number;
  /** "ssd" or "hdd". */
  readonly type: string;
}

/** Instance-store volumes of an instance type (`InstanceStorageInfo`). */
export interface InstanceStorageInfo {
  readonly disks: readonly InstanceStoreDisk[];
  readonly totalGB: number;
  readonly nvme: "required" | "supported" | "unsupported";
}

/** One EC2 instance type, reduced to what the stack, the wizard and the policies need. */
export interface InstanceTypeInfo {
  /** e.g. "m5d.8xlarge". */
  readonly instanceType: string;
  /** The prefix before the first ".": "m5d", "u-6tb1", "mac2-m2pro". */
  readonly family: string;
  /** The part after the first ".": "8xlarge", "metal-24xl". */
  readonly size: string;
  readonly manufacturer: Manufacturer;
  /** As EC2 reports them: "x86_64", "arm64", "i386", "x86_64_mac", "arm64_mac". */
  readonly architectures: readonly string[];
  readonly vcpus: number;
  readonly memoryMiB: number;
  /** Undefined for types that are not EBS-optimized (old generations). */
  readonly ebs: EbsInfo | undefined;
  /** Undefined for types without instance-store disks (EBS only). */
  readonly instanceStorage: InstanceStorageInfo | undefined;
  /** `SupportedUsageClasses`: "on-demand", "spot", "capacity-block". */
  readonly usageClasses: readonly string[];
  /** GPUs (`GpuInfo.Gpus`): how many and whose; undefined for types without one. */
  readonly gpus: { readonly count: number; readonly manufacturer: string } | undefined;
  /** True when "spot" is one of the usage classes. */
  readonly spot: boolean;
  readonly currentGeneration: boolean;
}

/** The generated file's shape. */
export interface CatalogFile {
  readonly schemaVersion: 1;
  /** Where the data came from, as given to the generator (file name only, no timestamp: regeneration must diff cleanly). */
  readonly source: string;
  readonly instanceTypes: readonly InstanceTypeInfo[];
}
