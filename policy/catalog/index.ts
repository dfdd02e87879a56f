// EC2 instance catalog: lookups over the generated policy/catalog/instance-types.json.
// Pure (no Pulumi); the stack's config validation, the wizard and the policy pack import it.
import * as fs from "fs";
import { packFile } from "../pack-files";
import type { CatalogFile, InstanceTypeInfo } from "./types";

export type {
  EbsInfo,
  InstanceStoreDisk,
  InstanceStorageInfo,
  InstanceTypeInfo,
  Manufacturer,
} from "./types";

/** Path of the generated catalog file (regenerate with policy/catalog/regenerate.sh). */
export const CATALOG_PATH = packFile("catalog", "instance-types.json");

interface Index {
  readonly byType: ReadonlyMap<string, InstanceTypeInfo>;
  readonly byFamily: ReadonlyMap<string, readonly InstanceTypeInfo[]>;
}

let index: Index | undefined;

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

// Loaded on first use and read with fs rather than `import`, so that type-checking a consumer
// does not infer a type for 1,373 literal objects, and so that the compiled pack (bin/) reads the
// one copy under policy/catalog/ instead of a second one emitted next to it.
function load(): Index {
  if (index !== undefined) return index;
  const file = JSON.parse(fs.readFileSync(CATALOG_PATH, "utf8")) as CatalogFile;
  if (file.schemaVersion !== 1)
    throw new Error(`${CATALOG_PATH}: unsupported schemaVersion ${file.schemaVersion}`);
  const byType = new Map<string, InstanceTypeInfo>();
  const byFamily = new Map<string, InstanceTypeInfo[]>();
  for (const raw of file.instanceTypes) {
    // The file omits `ebs`/`instanceStorage` when absent; give every record both keys.
    const t = deepFreeze({
      ...raw,
      ebs: raw.ebs ?? undefined,
      instanceStorage: raw.instanceStorage ?? undefined,
      gpus: raw.gpus ?? undefined,
    });
    byType.set(t.instanceType, t);
    const list = byFamily.get(t.family) ?? [];
    list.push(t);
    byFamily.set(t.family, list);
  }
  for (const list of byFamily.values()) list.sort(byVcpusThenName);
  index = { byType, byFamily };
  return index;
}

function byVcpusThenName(a: InstanceTypeInfo, b: InstanceTypeInfo): number {
  if (a.vcpus !== b.vcpus) return a.vcpus - b.vcpus;
  return a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0;
}

/** The family of an instance type name: the prefix before the first "." ("u-6tb1.metal" → "u-6tb1"). */
export function familyOf(name: string): string {
  const dot = name.indexOf(".");
  return dot < 0 ? name : name.slice(0, dot);
}

/** One instance type ("m5d.8xlarge"), or undefined when the catalog does not have it. */
export function lookupInstanceType(name: string): InstanceTypeInfo | undefined {
  return load().byType.get(name);
}

/** The sizes of a family, sorted by vCPUs then name; a new array each call (empty for an unknown family). */
export function familyTypes(family: string): InstanceTypeInfo[] {
  return [...(load().byFamily.get(family) ?? [])];
}

/** Every family in the catalog, sorted. */
export function allFamilies(): string[] {
  return [...load().byFamily.keys()].sort();
}

/** Every instance type in the catalog, sorted by name; a new array each call. */
export function allInstanceTypes(): InstanceTypeInfo[] {
  return [...load().byType.values()];
}

export type BatchInstanceKeyword = "optimal" | "default_x86_64" | "default_arm64";

/**
 * The families behind AWS Batch's instance-type keywords, as the Batch API reference documents
 * them (ComputeResource.instanceTypes, e.g. the SDK mirrors at
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/batch/aws.sdk.kotlin.services.batch.model/-compute-resource/instance-types.html
 * and the CDK's DefaultInstanceClass):
 * - `optimal`: "c4, m4, r4, c5, m5, and r5"; "starting on 11/01/2025 the behavior of optimal is
 *   going to be changed to match default_x86_64", so both sets are listed (it may launch either
 *   while AWS migrates an environment).
 * - `default_x86_64`: "m6i, c6i, r6i, and c7i".
 * - `default_arm64`: "m6g, c6g, r6g, and c7g".
 * AWS says it may move these keywords to newer generations, so the vendor behind a keyword is
 * not pinned: treat these lists as today's documentation, not a guarantee.
 */
export const BATCH_INSTANCE_KEYWORDS: Readonly<Record<BatchInstanceKeyword, readonly string[]>> =
  Object.freeze({
    optimal: Object.freeze(["c4", "m4", "r4", "c5", "m5", "r5", "m6i", "c6i", "r6i", "c7i"]),
    default_x86_64: Object.freeze(["m6i", "c6i", "r6i", "c7i"]),
    default_arm64: Object.freeze(["m6g", "c6g", "r6g", "c7g"]),
  });

/** The architecture a keyword's name guarantees, whatever families AWS picks behind it. */
const KEYWORD_ARCHITECTURE: Readonly<Record<BatchInstanceKeyword, string>> = Object.freeze({
  optimal: "x86_64",
  default_x86_64: "x86_64",
  default_arm64: "arm64",
});

export function isBatchInstanceKeyword(entry: string): entry is BatchInstanceKeyword {
  return Object.prototype.hasOwnProperty.call(BATCH_INSTANCE_KEYWORDS, entry);
}

export interface InstanceTypeClassification {
  /** Distinct manufacturers of the resolved entries, sorted. Unpinned keywords add none. */
  readonly manufacturers: string[];
  /** Distinct architectures of the resolved entries (union), sorted. */
  readonly architectures: string[];
  /**
   * Architectures every resolved entry supports, sorted. Empty (with at least one entry resolved)
   * means the entries cannot share one AMI/container architecture. Old types report
   * ["i386", "x86_64"], so this, not `architectures.length`, is the test for an architecture mix.
   */
  readonly commonArchitectures: string[];
  /** Entries that are neither catalog families, catalog instance types nor Batch keywords, in input order. */
  readonly unknown: string[];
  /** Batch keywords found, in input order. */
  readonly keywords: string[];
  /** Entries (families, sizes, keywords) some of whose types have no instance store, in input order. */
  readonly withoutInstanceStorage: string[];
  /** Entries some of whose types have GPUs, in input order. */
  readonly withGpus: string[];
  /** Entries some of whose types are never sold as spot (`SupportedUsageClasses`), in input order. */
  readonly withoutSpot: string[];
  /** Every concrete type the entries can launch, de-duplicated, in entry order (a family's sizes by vCPUs, then name). */
  readonly types: InstanceTypeInfo[];
}

/**
 * Classifies a compute environment's `instanceTypes` entries: families ("m5"), sizes
 * ("m5.8xlarge") or Batch keywords.
 *
 * With `keywordsPinned: false` (the default) a keyword counts only for the architecture its name
 * guarantees; its vendor is unknown, so it adds no manufacturer and no types. With
 * `keywordsPinned: true` it resolves to its documented families (BATCH_INSTANCE_KEYWORDS).
 */
export function classifyInstanceTypes(
  entries: readonly string[],
  opts?: { keywordsPinned?: boolean },
): InstanceTypeClassification {
  const keywordsPinned = opts?.keywordsPinned ?? false;
  const manufacturers = new Set<string>();
  const architectures = new Set<string>();
  let common: Set<string> | undefined;
  const unknown: string[] = [];
  const keywords: string[] = [];
  const withoutInstanceStorage: string[] = [];
  const withGpus: string[] = [];
  const withoutSpot: string[] = [];
  const types = new Map<string, InstanceTypeInfo>();

  const addArchitectures = (archs: readonly string[]): void => {
    for (const a of archs) architectures.add(a);
    common = common === undefined ? new Set(archs) : new Set([...common].filter((a) => archs.includes(a)));
  };

  for (const entry of entries) {
    let resolved: InstanceTypeInfo[];
    if (isBatchInstanceKeyword(entry)) {
      keywords.push(entry);
      if (!keywordsPinned) {
        addArchitectures([KEYWORD_ARCHITECTURE[entry]]);
        // The documented keyword families are all EBS-only, and an unpinned one promises nothing.
        withoutInstanceStorage.push(entry);
        continue;
      }
      resolved = BATCH_INSTANCE_KEYWORDS[entry].flatMap((f) => familyTypes(f));
    } else {
      const single = lookupInstanceType(entry);
      resolved = single !== undefined ? [single] : familyTypes(entry);
    }
    if (resolved.length === 0) {
      unknown.push(entry);
      continue;
    }
    for (const t of resolved) {
      manufacturers.add(t.manufacturer);
      addArchitectures(t.architectures);
      types.set(t.instanceType, t);
    }
    if (resolved.some((t) => t.instanceStorage === undefined)) withoutInstanceStorage.push(entry);
    if (resolved.some((t) => t.gpus !== undefined)) withGpus.push(entry);
    if (resolved.some((t) => !t.spot)) withoutSpot.push(entry);
  }

  return {
    manufacturers: [...manufacturers].sort(),
    architectures: [...architectures].sort(),
    commonArchitectures: [...(common ?? [])].sort(),
    unknown,
    keywords,
    withoutInstanceStorage,
    withGpus,
    withoutSpot,
    types: [...types.values()],
  };
}
