// Generates policy/catalog/instance-types.json from EC2 DescribeInstanceTypes output.
//
//   npx ts-node policy/catalog/generate.ts <input.json> [out]
//   policy/catalog/regenerate.sh [input.json]          (no npm: node + ts-node from node_modules)
//
// The input is either the AWS CLI's own output (`{"InstanceTypes": [...]}`, from
// `aws ec2 describe-instance-types --output json`) or an object keyed by instance type whose
// values are the same items (the shape of /work/shared/data/ec2-instance-types.json, taken from
// moto's `instance_types.json`). A bare array of items is accepted too.
//
// The output is one instance type per line, sorted by name, keys in a fixed order, so that a
// regeneration shows up in `git diff` as the lines that really changed.
import * as fs from "fs";
import * as path from "path";
import type { CatalogFile, EbsInfo, InstanceStorageInfo, InstanceTypeInfo } from "./types";

/** The subset of a DescribeInstanceTypes item that the catalog reads. */
interface RawInstanceType {
  InstanceType?: string;
  CurrentGeneration?: boolean;
  SupportedUsageClasses?: string[];
  ProcessorInfo?: { Manufacturer?: string; SupportedArchitectures?: string[] };
  VCpuInfo?: { DefaultVCpus?: number };
  MemoryInfo?: { SizeInMiB?: number };
  EbsInfo?: {
    EbsOptimizedInfo?: {
      BaselineBandwidthInMbps?: number;
      MaximumBandwidthInMbps?: number;
      BaselineThroughputInMBps?: number;
      MaximumThroughputInMBps?: number;
      BaselineIops?: number;
      MaximumIops?: number;
    };
  };
  InstanceStorageSupported?: boolean;
  GpuInfo?: { Gpus?: { Count?: number; Manufacturer?: string }[] };
  InstanceStorageInfo?: {
    Disks?: { Count?: number; SizeInGB?: number; Type?: string }[];
    NvmeSupport?: string;
    TotalSizeInGB?: number;
  };
}

/** The items of a DescribeInstanceTypes dump, whichever of the accepted shapes it has. */
export function rawItems(input: unknown): RawInstanceType[] {
  if (Array.isArray(input)) return input as RawInstanceType[];
  if (typeof input !== "object" || input === null) {
    throw new Error("input must be a JSON object or array of DescribeInstanceTypes items");
  }
  const obj = input as Record<string, unknown>;
  if (Array.isArray(obj.InstanceTypes)) return obj.InstanceTypes as RawInstanceType[];
  // Keyed object: { "m5.large": { InstanceType: "m5.large", ... }, ... }
  return Object.entries(obj).map(([key, value]) => {
    if (typeof value !== "object" || value === null) {
      throw new Error(`input key ${JSON.stringify(key)} is not an instance type object`);
    }
    const item = value as RawInstanceType;
    if (item.InstanceType !== undefined && item.InstanceType !== key) {
      throw new Error(
        `input key ${JSON.stringify(key)} holds InstanceType ${JSON.stringify(item.InstanceType)}`,
      );
    }
    return { ...item, InstanceType: key };
  });
}

function required<T>(value: T | undefined, what: string, type: string): T {
  if (value === undefined || value === null) throw new Error(`${type}: missing ${what}`);
  return value;
}

function nvmeOf(value: string | undefined, type: string): InstanceStorageInfo["nvme"] {
  switch (value) {
    case "required":
    case "supported":
    case "unsupported":
      return value;
    case undefined:
      return "unsupported";
    default:
      throw new Error(`${type}: unexpected InstanceStorageInfo.NvmeSupport ${JSON.stringify(value)}`);
  }
}

/** Converts one DescribeInstanceTypes item; keys are built in the order the file keeps. */
export function convert(raw: RawInstanceType): InstanceTypeInfo {
  const instanceType = required(raw.InstanceType, "InstanceType", "?");
  const dot = instanceType.indexOf(".");
  if (dot <= 0) throw new Error(`${instanceType}: instance type has no "family.size" form`);
  const e = raw.EbsInfo?.EbsOptimizedInfo;
  const ebs: EbsInfo | undefined =
    e === undefined
      ? undefined
      : {
          baselineBandwidthMbps: required(e.BaselineBandwidthInMbps, "BaselineBandwidthInMbps", instanceType),
          maximumBandwidthMbps: required(e.MaximumBandwidthInMbps, "MaximumBandwidthInMbps", instanceType),
          baselineThroughputMBps: required(
            e.BaselineThroughputInMBps,
            "BaselineThroughputInMBps",
            instanceType,
          ),
          maximumThroughputMBps: required(e.MaximumThroughputInMBps, "MaximumThroughputInMBps", instanceType),
          baselineIops: required(e.BaselineIops, "BaselineIops", instanceType),
          maximumIops: required(e.MaximumIops, "MaximumIops", instanceType),
        };
  const s = raw.InstanceStorageInfo;
  const instanceStorage: InstanceStorageInfo | undefined =
    s === undefined || raw.InstanceStorageSupported === false
      ? undefined
      : {
          disks: (s.Disks ?? []).map((d) => ({
            count: required(d.Count, "Disks[].Count", instanceType),
            sizeGB: required(d.SizeInGB, "Disks[].SizeInGB", instanceType),
            type: required(d.Type, "Disks[].Type", instanceType),
          })),
          totalGB: required(s.TotalSizeInGB, "TotalSizeInGB", instanceType),
          nvme: nvmeOf(s.NvmeSupport, instanceType),
        };
  const usageClasses = [...(raw.SupportedUsageClasses ?? [])].sort();
  const gpuList = raw.GpuInfo?.Gpus ?? [];
  const gpus =
    gpuList.length === 0
      ? undefined
      : {
          count: gpuList.reduce((n, g) => n + required(g.Count, "GpuInfo.Gpus[].Count", instanceType), 0),
          manufacturer: [
            ...new Set(
              gpuList.map((g) => required(g.Manufacturer, "GpuInfo.Gpus[].Manufacturer", instanceType)),
            ),
          ].join("/"),
        };
  return {
    instanceType,
    family: instanceType.slice(0, dot),
    size: instanceType.slice(dot + 1),
    manufacturer: required(raw.ProcessorInfo?.Manufacturer, "ProcessorInfo.Manufacturer", instanceType),
    architectures: [
      ...required(raw.ProcessorInfo?.SupportedArchitectures, "SupportedArchitectures", instanceType),
    ],
    vcpus: required(raw.VCpuInfo?.DefaultVCpus, "VCpuInfo.DefaultVCpus", instanceType),
    memoryMiB: required(raw.MemoryInfo?.SizeInMiB, "MemoryInfo.SizeInMiB", instanceType),
    ebs,
    instanceStorage,
    gpus,
    usageClasses,
    spot: usageClasses.includes("spot"),
    currentGeneration: required(raw.CurrentGeneration, "CurrentGeneration", instanceType),
  };
}

/** Builds the catalog; throws if an instance type repeats or a family has two manufacturers. */
export function buildCatalog(input: unknown, source: string): CatalogFile {
  const types = rawItems(input).map(convert);
  const seen = new Set<string>();
  const vendorOfFamily = new Map<string, string>();
  for (const t of types) {
    if (seen.has(t.instanceType)) throw new Error(`${t.instanceType}: listed twice in the input`);
    seen.add(t.instanceType);
    const vendor = vendorOfFamily.get(t.family);
    if (vendor !== undefined && vendor !== t.manufacturer) {
      // The policies resolve a family entry ("m5") to one vendor; a split family would break that.
      throw new Error(`family ${t.family} has two manufacturers: ${vendor} and ${t.manufacturer}`);
    }
    vendorOfFamily.set(t.family, t.manufacturer);
  }
  types.sort((a, b) => (a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0));
  return { schemaVersion: 1, source, instanceTypes: types };
}

/** Serializes with one instance type per line (JSON.stringify drops `undefined` members). */
export function serializeCatalog(catalog: CatalogFile): string {
  const lines = catalog.instanceTypes.map((t) => "  " + JSON.stringify(t));
  return (
    `{"schemaVersion":${catalog.schemaVersion},"source":${JSON.stringify(catalog.source)},"instanceTypes":[\n` +
    lines.join(",\n") +
    "\n]}\n"
  );
}

/** The committed file next to this script. */
export const DEFAULT_OUT = path.join(__dirname, "instance-types.json");

export function generate(inputPath: string, outPath: string = DEFAULT_OUT): CatalogFile {
  const input: unknown = JSON.parse(fs.readFileSync(inputPath, "utf8"));
  const catalog = buildCatalog(input, path.basename(inputPath));
  fs.writeFileSync(outPath, serializeCatalog(catalog));
  return catalog;
}

if (require.main === module) {
  const [inputPath, outPath] = process.argv.slice(2);
  if (inputPath === undefined) {
    console.error("usage: generate.ts <describe-instance-types.json> [out.json]");
    process.exit(2);
  }
  try {
    const catalog = generate(inputPath, outPath ?? DEFAULT_OUT);
    console.log(`wrote ${catalog.instanceTypes.length} instance types to ${outPath ?? DEFAULT_OUT}`);
  } catch (e) {
    console.error(`generate.ts: ${(e as Error).message}`);
    process.exit(1);
  }
}
