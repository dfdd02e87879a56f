/**
 * Stack configuration: the one place raw `Pulumi.<stack>.yaml` values become a typed,
 * fully resolved {@link StackSpec}. Pure: no Pulumi resources, no I/O.
 *
 * Merge order, fixed: built-in defaults, then the preset, then stack config.
 *
 * Every key is described once, in {@link CONFIG_KEYS}; the parser, the wizard's as-you-type
 * validation, the README table and the `config:` block of `Pulumi.yaml` all come from it
 * (a test keeps the last two in step).
 */
import { classifyInstanceTypes } from "../policy/catalog";
import { gp3Problems } from "./gp3";
import {
  CpuArchitecture,
  DEFAULT_PRESET,
  HostStorageSpec,
  Preset,
  PRESET_NAMES,
  PRESETS,
  isPresetName,
} from "../presets";

/** The Pulumi project name, and so the namespace of every key below. A public contract. */
export const PROJECT = "nextflow-batch";

export type NatGatewayMode = "single" | "onePerAz";
export type NetworkMode = "new" | "existing";

export type NetworkSpec =
  | {
      readonly mode: "new";
      /** `single`: one NAT gateway for the VPC (cheap); `onePerAz`: one per AZ (survives an AZ outage). */
      readonly natGateways: NatGatewayMode;
      readonly availabilityZones: number;
      readonly cidrBlock: string;
    }
  | {
      readonly mode: "existing";
      readonly vpcId: string;
      readonly subnetIds: readonly string[];
    };

/** Everything the program builds from, resolved. */
export interface StackSpec {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  readonly labName: string;
  readonly preset: Preset;
  /** The instance families/sizes the compute environments launch (the preset's, or the override). */
  readonly instanceTypes: readonly string[];
  /** The single CPU vendor of {@link instanceTypes}, from the instance catalog. */
  readonly manufacturer: string;
  readonly architecture: CpuArchitecture;
  readonly storage: HostStorageSpec;
  readonly maxVcpus: number;
  readonly spotBidPercentage: number;
  /** Max vCPUs of the on-demand compute environment; `undefined` when the on-demand queue is off. */
  readonly onDemandMaxVcpus: number | undefined;
  readonly network: NetworkSpec;
  /** Buckets the job role may read (reference data); the work bucket is always read/write. */
  readonly inputBuckets: readonly string[];
  readonly workRetentionDays: number;
  readonly logRetentionDays: number;
  readonly runnableTimeoutMinutes: number;
  readonly maxSpotAttempts: number;
  /** Tags on every taggable resource, instances and volumes included: the lab's cost attribution. */
  readonly tags: Readonly<Record<string, string>>;
}

/** Raised with every problem found, one clear line each. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}

// Built-in defaults, named once.
export const DEFAULT_MAX_VCPUS = 1024;
export const DEFAULT_ON_DEMAND_MAX_VCPUS = 256;
export const DEFAULT_SPOT_BID_PERCENTAGE = 100;
export const DEFAULT_WORK_RETENTION_DAYS = 30;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_RUNNABLE_TIMEOUT_MINUTES = 30;
/** Nextflow's own default was 5 until 24.10 made it 0 (a reclaimed spot task then just fails). */
export const DEFAULT_MAX_SPOT_ATTEMPTS = 5;
export const DEFAULT_AVAILABILITY_ZONES = 3;
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
export const DEFAULT_NAT_GATEWAYS: NatGatewayMode = "single";

/** The values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Tag keys the stack sets itself; `costTags` may not override them. */
export const RESERVED_TAG_KEYS = ["lab", "managed-by", "pulumi-stack"] as const;

const LAB_NAME = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;

/** A problem with one key's value: the sentence after "<key> must be". */
class Invalid extends Error {
  constructor(
    readonly allowed: string,
    readonly fix?: string,
  ) {
    super(allowed);
  }
}

export type ConfigValueType = "string" | "integer" | "boolean" | "string[]" | "map";

/** One stack config key: how it is read, what it means, its default. */
export interface ConfigKey {
  /** The key without the project namespace, e.g. `maxVcpus`. */
  readonly name: string;
  readonly type: ConfigValueType;
  /** One sentence for the README and `Pulumi.yaml`. */
  readonly description: string;
  /** How the default reads in the README (`1024`, `the stack name`, `the preset's`). */
  readonly defaultText: string;
  /** An example value the fix hint suggests. */
  readonly example: string;
  /**
   * The default `Pulumi.yaml` declares, which the engine hands the program when a stack leaves
   * the key out. Pulumi makes a typed key without a default mandatory, so optional keys with
   * no built-in value declare an empty one ("" or []); a value equal to this counts as unset.
   * `undefined`: not declared (Pulumi's project config has no map type).
   */
  readonly declaredDefault: unknown;
  /** Parses one raw value (YAML-native or the string Pulumi passes); throws {@link Invalid}. */
  readonly parse: (raw: unknown) => unknown;
}

function integer(min: number, max: number) {
  return (raw: unknown): number => {
    const n = typeof raw === "string" && /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
    if (typeof n !== "number" || !Number.isInteger(n) || n < min || n > max) {
      throw new Invalid(`an integer from ${min} to ${max}`);
    }
    return n;
  };
}

function boolean(raw: unknown): boolean {
  if (raw === true || raw === "true") return true;
  if (raw === false || raw === "false") return false;
  throw new Invalid("true or false");
}

function oneOf<T extends string>(values: readonly T[]) {
  return (raw: unknown): T => {
    if (typeof raw !== "string" || !(values as readonly string[]).includes(raw)) {
      throw new Invalid(`one of ${values.map((v) => `"${v}"`).join(", ")}`);
    }
    return raw as T;
  };
}

function matching(pattern: RegExp, allowed: string) {
  return (raw: unknown): string => {
    if (typeof raw !== "string" || !pattern.test(raw)) throw new Invalid(allowed);
    return raw;
  };
}

/** "" is how Pulumi.yaml declares "no value" for an optional string key. */
function orEmpty(parse: (raw: unknown) => string) {
  return (raw: unknown): string => (raw === "" ? "" : parse(raw));
}

/** Pulumi hands structured values to the program as JSON text; YAML hands them over as-is. */
function structured(raw: unknown): unknown {
  if (typeof raw !== "string") return raw;
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function stringList(item: RegExp, itemAllowed: string, opts: { min: number; max: number }) {
  return (raw: unknown): string[] => {
    const value = structured(raw);
    const allowed = `a list of ${opts.min} to ${opts.max} ${itemAllowed}, without duplicates`;
    if (!Array.isArray(value) || value.length < opts.min || value.length > opts.max)
      throw new Invalid(allowed);
    if (value.some((v) => typeof v !== "string" || !item.test(v))) throw new Invalid(allowed);
    if (new Set(value).size !== value.length) throw new Invalid(allowed);
    return value as string[];
  };
}

/** AWS tag rules (1-128 character keys, values up to 256, no `aws:` prefix), minus our own keys. */
function costTags(raw: unknown): Record<string, string> {
  const value = structured(raw);
  const allowed =
    "a map of tag keys (1-128 characters, not starting with aws:) to string values (at most 256 characters)";
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new Invalid(allowed);
  const tags: Record<string, string> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k.length < 1 || k.length > 128 || k.toLowerCase().startsWith("aws:")) throw new Invalid(allowed);
    if (typeof v !== "string" || v.length > 256) throw new Invalid(allowed);
    if ((RESERVED_TAG_KEYS as readonly string[]).includes(k)) {
      throw new Invalid(
        `a map without the keys ${RESERVED_TAG_KEYS.join(", ")} (the stack sets those itself)`,
        `remove "${k}"; set the lab tag through nextflow-batch:labName`,
      );
    }
    tags[k] = v;
  }
  return tags;
}

function cidr16to24(raw: unknown): string {
  const allowed = "an IPv4 CIDR block from /16 to /24 in a private range, e.g. 10.0.0.0/16";
  if (typeof raw !== "string") throw new Invalid(allowed);
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(raw);
  if (!m) throw new Invalid(allowed);
  const [a, b, c, d, bits] = m.slice(1).map(Number);
  if ([a, b, c, d].some((o) => o > 255) || bits < 16 || bits > 24) throw new Invalid(allowed);
  const ip = ((a << 24) | (b << 16) | (c << 8) | d) >>> 0;
  if (ip & (2 ** (32 - bits) - 1))
    throw new Invalid(allowed, `use the network address, e.g. ${a}.${b}.0.0/${bits}`);
  const isPrivate = a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168);
  if (!isPrivate) throw new Invalid(allowed);
  return raw;
}

/** Every key a stack config may set under `nextflow-batch:`. Order is the README's order. */
export const CONFIG_KEYS: readonly ConfigKey[] = [
  {
    name: "preset",
    type: "string",
    description: `What gets built: instance families, CPU vendor and host storage. One of ${PRESET_NAMES.join(", ")}.`,
    defaultText: DEFAULT_PRESET,
    example: DEFAULT_PRESET,
    declaredDefault: DEFAULT_PRESET,
    parse: oneOf(PRESET_NAMES),
  },
  {
    name: "labName",
    type: "string",
    description:
      "The lab this account belongs to: the `lab` cost tag on every resource, and part of the queue and log group names.",
    defaultText: "the stack name",
    example: "smith-lab",
    declaredDefault: "",
    parse: orEmpty(
      matching(LAB_NAME, "3 to 30 lowercase letters, digits or hyphens, starting with a letter"),
    ),
  },
  {
    name: "maxVcpus",
    type: "integer",
    description:
      "Upper bound of the spot compute environment, in vCPUs: caps what a runaway pipeline can spend.",
    defaultText: String(DEFAULT_MAX_VCPUS),
    example: String(DEFAULT_MAX_VCPUS),
    declaredDefault: DEFAULT_MAX_VCPUS,
    parse: integer(1, 10000),
  },
  {
    name: "spotBidPercentage",
    type: "integer",
    description: "Highest spot price to pay, as a percentage of the on-demand price.",
    defaultText: String(DEFAULT_SPOT_BID_PERCENTAGE),
    example: "60",
    declaredDefault: DEFAULT_SPOT_BID_PERCENTAGE,
    parse: integer(1, 100),
  },
  {
    name: "onDemandQueue",
    type: "boolean",
    description:
      "Also build an on-demand compute environment and queue, for tasks that must not be interrupted.",
    defaultText: "true",
    example: "false",
    declaredDefault: true,
    parse: boolean,
  },
  {
    name: "onDemandMaxVcpus",
    type: "integer",
    description: "Upper bound of the on-demand compute environment, in vCPUs.",
    defaultText: String(DEFAULT_ON_DEMAND_MAX_VCPUS),
    example: String(DEFAULT_ON_DEMAND_MAX_VCPUS),
    declaredDefault: DEFAULT_ON_DEMAND_MAX_VCPUS,
    parse: integer(1, 10000),
  },
  {
    name: "instanceTypes",
    type: "string[]",
    description:
      "Override the preset's instance families or sizes (e.g. [m5, m5n]); one CPU vendor and architecture, no Batch keywords.",
    defaultText: "the preset's",
    example: '["m5", "m5n"]',
    declaredDefault: [],
    parse: stringList(
      /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)?$/,
      'instance families or sizes such as "m5" or "m5.8xlarge"',
      {
        min: 0,
        max: 20,
      },
    ),
  },
  {
    name: "network",
    type: "string",
    description:
      "`new`: a VPC with private subnets across several AZs, NAT and an S3 endpoint; `existing`: the lab's own VPC (set vpcId and subnetIds).",
    defaultText: "new",
    example: "existing",
    declaredDefault: "new",
    parse: oneOf<NetworkMode>(["new", "existing"]),
  },
  {
    name: "natGateways",
    type: "string",
    description:
      "New VPC only. `single`: one NAT gateway (cheaper); `onePerAz`: one per AZ (survives an AZ outage).",
    defaultText: DEFAULT_NAT_GATEWAYS,
    example: "onePerAz",
    declaredDefault: DEFAULT_NAT_GATEWAYS,
    parse: oneOf<NatGatewayMode>(["single", "onePerAz"]),
  },
  {
    name: "availabilityZones",
    type: "integer",
    description: "New VPC only. How many AZs get a private subnet; more AZs, more spot capacity pools.",
    defaultText: String(DEFAULT_AVAILABILITY_ZONES),
    example: "3",
    declaredDefault: DEFAULT_AVAILABILITY_ZONES,
    parse: integer(2, 6),
  },
  {
    name: "vpcCidr",
    type: "string",
    description: "New VPC only. Its IPv4 CIDR block; pick one that does not overlap networks you peer with.",
    defaultText: DEFAULT_VPC_CIDR,
    example: DEFAULT_VPC_CIDR,
    declaredDefault: DEFAULT_VPC_CIDR,
    parse: cidr16to24,
  },
  {
    name: "vpcId",
    type: "string",
    description: "Existing VPC only (required there). The VPC the hosts run in.",
    defaultText: "none",
    example: "vpc-0123456789abcdef0",
    declaredDefault: "",
    parse: orEmpty(matching(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'a VPC id such as "vpc-0123456789abcdef0"')),
  },
  {
    name: "subnetIds",
    type: "string[]",
    description:
      "Existing VPC only (required there). Private subnets with egress (NAT) for the hosts; several AZs for spot capacity.",
    defaultText: "none",
    example: '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
    declaredDefault: [],
    parse: stringList(/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, 'subnet ids such as "subnet-0123456789abcdef0"', {
      min: 0,
      max: 16,
    }),
  },
  {
    name: "inputBuckets",
    type: "string[]",
    description:
      "Buckets task containers may read, never write: reference data such as ngi-igenomes. The work bucket needs no entry.",
    defaultText: "[]",
    example: '["ngi-igenomes"]',
    declaredDefault: [],
    parse: stringList(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "S3 bucket names", { min: 0, max: 50 }),
  },
  {
    name: "workRetentionDays",
    type: "integer",
    description:
      "Days before objects under the work bucket's `work/` prefix (Nextflow's scratch) expire; nothing else expires.",
    defaultText: String(DEFAULT_WORK_RETENTION_DAYS),
    example: "14",
    declaredDefault: DEFAULT_WORK_RETENTION_DAYS,
    parse: integer(1, 3650),
  },
  {
    name: "logRetentionDays",
    type: "integer",
    description: "Days CloudWatch keeps job and host logs.",
    defaultText: String(DEFAULT_LOG_RETENTION_DAYS),
    example: "90",
    declaredDefault: DEFAULT_LOG_RETENTION_DAYS,
    parse: (raw) => {
      const n = integer(1, 3653)(raw);
      if (!(LOG_RETENTION_DAYS as readonly number[]).includes(n)) {
        throw new Invalid(`one of CloudWatch's retention values: ${LOG_RETENTION_DAYS.join(", ")}`);
      }
      return n;
    },
  },
  {
    name: "runnableTimeoutMinutes",
    type: "integer",
    description:
      "Cancel a job stuck in RUNNABLE this long because no allowed instance can ever run it (misconfiguration, not capacity).",
    defaultText: String(DEFAULT_RUNNABLE_TIMEOUT_MINUTES),
    example: "60",
    // jobStateTimeLimitActions.maxTimeSeconds accepts 600 to 86,400 seconds.
    declaredDefault: DEFAULT_RUNNABLE_TIMEOUT_MINUTES,
    parse: integer(10, 1440),
  },
  {
    name: "maxSpotAttempts",
    type: "integer",
    description: "Nextflow's `aws.batch.maxSpotAttempts`: how often a task reclaimed by spot is retried.",
    defaultText: String(DEFAULT_MAX_SPOT_ATTEMPTS),
    example: "3",
    declaredDefault: DEFAULT_MAX_SPOT_ATTEMPTS,
    parse: integer(0, 20),
  },
  {
    name: "costTags",
    type: "map",
    description:
      "Extra tags for cost attribution (e.g. grant, cost-center) on every resource, instances and volumes included.",
    defaultText: "{}",
    example: '{"grant": "R01-GM000000"}',
    declaredDefault: undefined,
    parse: costTags,
  },
];

const KEYS_BY_NAME: ReadonlyMap<string, ConfigKey> = new Map(CONFIG_KEYS.map((k) => [k.name, k]));

function show(raw: unknown): string {
  if (typeof raw === "string") return JSON.stringify(raw);
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

function problemLine(key: ConfigKey, raw: unknown, e: Invalid): string {
  const fix = e.fix ?? `set it with: pulumi config set ${PROJECT}:${key.name} ${shellQuote(key.example)}`;
  return `${PROJECT}:${key.name} must be ${e.allowed}; got ${show(raw)}. Fix: ${fix}`;
}

function shellQuote(s: string): string {
  return /^[\w.\-/:]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * Checks one value the way {@link parseStackConfig} would: the wizard validates as the user
 * types with this, so both speak with one voice. Returns the problem line, or undefined.
 */
export function checkConfigValue(name: string, raw: unknown): string | undefined {
  const key = KEYS_BY_NAME.get(name);
  if (!key)
    return `${PROJECT}:${name} is not a known key; known keys: ${CONFIG_KEYS.map((k) => k.name).join(", ")}`;
  try {
    key.parse(raw);
    return undefined;
  } catch (e) {
    if (e instanceof Invalid) return problemLine(key, raw, e);
    throw e;
  }
}

/** Checks `aws:region` (the provider's key, required here); the wizard asks with the same words. */
export function checkRegion(region: unknown): string | undefined {
  if (typeof region === "string" && /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)) return undefined;
  return `aws:region must be an AWS region such as "us-east-1"; got ${region === undefined ? "nothing" : show(region)}. Fix: pulumi config set aws:region us-east-1`;
}

/** Levenshtein distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

function suggestKey(name: string): string {
  const best = CONFIG_KEYS.map((k) => ({
    k: k.name,
    d: distance(name.toLowerCase(), k.name.toLowerCase()),
  })).sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3
    ? `did you mean ${PROJECT}:${best.k}?`
    : `known keys: ${CONFIG_KEYS.map((k) => k.name).join(", ")}`;
}

/**
 * The CPU profile of a list of instance families/sizes, checked against the instance catalog:
 * one vendor, one architecture, every entry known, no Batch keyword (AWS may move a keyword to
 * another vendor's generation under you), instance storage where the storage mode needs it.
 * Returns the problems (empty when fine) and the profile.
 */
export function checkInstanceSelection(
  where: string,
  entries: readonly string[],
  storageKind: HostStorageSpec["kind"],
): { problems: string[]; manufacturer?: string; architecture?: CpuArchitecture } {
  const c = classifyInstanceTypes(entries, { keywordsPinned: false });
  const problems: string[] = [];
  const got = show(entries);
  if (c.keywords.length > 0) {
    problems.push(
      `${where} must name instance families or sizes, not the Batch keywords ${c.keywords.join(", ")} (AWS may move them to another CPU vendor); got ${got}. Fix: list families such as "m5"`,
    );
  }
  if (c.unknown.length > 0) {
    problems.push(
      `${where} must name EC2 instance families or sizes in the instance catalog; ${c.unknown.map((u) => `"${u}"`).join(", ")} not found in ${got}. Fix: check the spelling (e.g. "m5", "m5d.8xlarge")`,
    );
  }
  // Old x86 types also report i386; what matters is one architecture every entry supports.
  const common = c.commonArchitectures.filter((a): a is CpuArchitecture => a === "x86_64" || a === "arm64");
  if (c.manufacturers.length > 1) {
    problems.push(
      `${where} must stay with one CPU vendor (conda tools built on one crash on the other); got ${got}, which mixes ${c.manufacturers.join(" and ")}. Fix: keep only families from one vendor`,
    );
  }
  if (c.types.length > 0 && common.length === 0) {
    problems.push(
      `${where} must share one CPU architecture, x86_64 or arm64 (AWS Batch rejects a mix in one compute environment); got ${got}, which spans ${c.architectures.join(" and ")}. Fix: keep only families of one architecture`,
    );
  }
  if (storageKind === "instanceStore" && c.withoutInstanceStorage.length > 0) {
    problems.push(
      `${where} must only name families with NVMe instance-store disks for an instance-store preset; ${c.withoutInstanceStorage.map((u) => `"${u}"`).join(", ")} have none. Fix: use a "d" family such as "m5d", or a gp3 preset`,
    );
  }
  if (problems.length > 0) return { problems };
  // x86_64 wins when an old type also lists i386; arm64 only when that is all there is.
  const architecture = common.includes("x86_64") ? "x86_64" : "arm64";
  return { problems, manufacturer: c.manufacturers[0], architecture };
}

export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

/**
 * Parses a stack's raw config (keys fully qualified, `nextflow-batch:maxVcpus`, `aws:region`;
 * values as YAML gives them or as the strings Pulumi passes a program) into a {@link StackSpec}.
 * Keys of other namespaces than ours and `aws:` are left alone. Throws {@link ConfigError}
 * listing every problem, one line each.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, id: StackIdentity): StackSpec {
  const problems: string[] = [];
  const values = new Map<string, unknown>();

  // Report in the README's key order, whatever order the file or the engine used.
  const rank = (fullKey: string) => {
    const i = CONFIG_KEYS.findIndex((k) => `${PROJECT}:${k.name}` === fullKey);
    return i < 0 ? CONFIG_KEYS.length : i;
  };
  const entries = Object.entries(raw).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [fullKey, value] of entries) {
    const sep = fullKey.indexOf(":");
    const ns = sep < 0 ? PROJECT : fullKey.slice(0, sep);
    const name = sep < 0 ? fullKey : fullKey.slice(sep + 1);
    if (ns !== PROJECT) continue;
    const key = KEYS_BY_NAME.get(name);
    if (!key) {
      problems.push(
        `${PROJECT}:${name} is not a known key (got ${show(value)}); ${suggestKey(name)} Fix: rename or remove it in Pulumi.${id.stack}.yaml`,
      );
      continue;
    }
    if (typeof value === "object" && value !== null && "secure" in value && !Array.isArray(value)) {
      problems.push(
        `${PROJECT}:${name} must be a plain value, not a secret (nothing in this stack's config is secret). Fix: pulumi config set ${PROJECT}:${name} <value>`,
      );
      continue;
    }
    try {
      const parsed = key.parse(value);
      // Equal to what Pulumi.yaml declares: the engine may have filled it in, so it is unset.
      if (JSON.stringify(parsed) !== JSON.stringify(key.declaredDefault)) values.set(name, parsed);
    } catch (e) {
      if (!(e instanceof Invalid)) throw e;
      problems.push(problemLine(key, value, e));
    }
  }

  const region = raw["aws:region"];
  const regionProblem = checkRegion(region);
  if (regionProblem) problems.push(regionProblem);

  const get = <T>(name: string): T | undefined => values.get(name) as T | undefined;
  // Set to something other than its declared default (invalid values were reported above).
  const has = (name: string) => values.has(name);

  // Contradictions between keys.
  const networkMode = get<NetworkMode>("network") ?? "new";
  const newOnly = ["natGateways", "availabilityZones", "vpcCidr"];
  const existingOnly = ["vpcId", "subnetIds"];
  if (networkMode === "existing") {
    for (const k of newOnly.filter(has)) {
      problems.push(
        `${PROJECT}:${k} only applies to network "new"; got it with network "existing". Fix: remove ${PROJECT}:${k}`,
      );
    }
    for (const k of existingOnly.filter((k) => !has(k))) {
      problems.push(
        `${PROJECT}:${k} is required with network "existing"; got nothing. Fix: pulumi config set ${PROJECT}:${k} ${shellQuote(KEYS_BY_NAME.get(k)!.example)}${k === "subnetIds" ? " (use --path or edit the YAML list)" : ""}`,
      );
    }
  } else {
    for (const k of existingOnly.filter(has)) {
      problems.push(
        `${PROJECT}:${k} only applies to network "existing"; got it with network "new". Fix: remove ${PROJECT}:${k}, or set ${PROJECT}:network existing`,
      );
    }
  }
  const onDemandQueue = get<boolean>("onDemandQueue") ?? true;
  if (!onDemandQueue && has("onDemandMaxVcpus")) {
    problems.push(
      `${PROJECT}:onDemandMaxVcpus only applies with onDemandQueue true; got it with onDemandQueue false. Fix: remove ${PROJECT}:onDemandMaxVcpus or turn the queue on`,
    );
  }

  const labName = get<string>("labName") ?? id.stack.toLowerCase();
  if (!has("labName") && !LAB_NAME.test(labName)) {
    problems.push(
      `${PROJECT}:labName must be 3 to 30 lowercase letters, digits or hyphens, starting with a letter; got nothing, and the stack name ${show(id.stack)} does not fit. Fix: pulumi config set ${PROJECT}:labName smith-lab`,
    );
  }

  const presetName = get<string>("preset") ?? DEFAULT_PRESET;
  const preset = isPresetName(presetName) ? PRESETS[presetName] : PRESETS[DEFAULT_PRESET];
  const instanceTypes = get<string[]>("instanceTypes") ?? [...preset.instanceTypes];
  const where = has("instanceTypes") ? `${PROJECT}:instanceTypes` : `preset "${preset.name}"'s instanceTypes`;
  const selection = checkInstanceSelection(where, instanceTypes, preset.storage.kind);
  problems.push(...selection.problems);
  if (!has("instanceTypes") && selection.problems.length === 0) {
    // The preset states its vendor and architecture; the catalog must agree.
    if (selection.manufacturer !== preset.manufacturer || selection.architecture !== preset.architecture) {
      problems.push(
        `preset "${preset.name}" declares ${preset.manufacturer} ${preset.architecture} but its instanceTypes ${show(preset.instanceTypes)} are ${selection.manufacturer} ${selection.architecture} in the instance catalog. Fix: correct the preset in presets/index.ts`,
      );
    }
  }
  problems.push(...gp3Problems(`preset "${preset.name}" storage`, preset.storage));

  if (problems.length > 0) throw new ConfigError(problems);

  const network: NetworkSpec =
    networkMode === "existing"
      ? { mode: "existing", vpcId: get<string>("vpcId")!, subnetIds: get<string[]>("subnetIds")! }
      : {
          mode: "new",
          natGateways: get<NatGatewayMode>("natGateways") ?? DEFAULT_NAT_GATEWAYS,
          availabilityZones: get<number>("availabilityZones") ?? DEFAULT_AVAILABILITY_ZONES,
          cidrBlock: get<string>("vpcCidr") ?? DEFAULT_VPC_CIDR,
        };

  return {
    project: id.project,
    stack: id.stack,
    region: region as string,
    labName,
    preset,
    instanceTypes,
    manufacturer: selection.manufacturer!,
    architecture: selection.architecture!,
    storage: preset.storage,
    maxVcpus: get<number>("maxVcpus") ?? DEFAULT_MAX_VCPUS,
    spotBidPercentage: get<number>("spotBidPercentage") ?? DEFAULT_SPOT_BID_PERCENTAGE,
    onDemandMaxVcpus: onDemandQueue
      ? (get<number>("onDemandMaxVcpus") ?? DEFAULT_ON_DEMAND_MAX_VCPUS)
      : undefined,
    network,
    inputBuckets: get<string[]>("inputBuckets") ?? [],
    workRetentionDays: get<number>("workRetentionDays") ?? DEFAULT_WORK_RETENTION_DAYS,
    logRetentionDays: get<number>("logRetentionDays") ?? DEFAULT_LOG_RETENTION_DAYS,
    runnableTimeoutMinutes: get<number>("runnableTimeoutMinutes") ?? DEFAULT_RUNNABLE_TIMEOUT_MINUTES,
    maxSpotAttempts: get<number>("maxSpotAttempts") ?? DEFAULT_MAX_SPOT_ATTEMPTS,
    tags: {
      ...(get<Record<string, string>>("costTags") ?? {}),
      lab: labName,
      "managed-by": PROJECT,
      "pulumi-stack": id.stack,
    },
  };
}

/**
 * The `config:` block `Pulumi.yaml` declares, derived from {@link CONFIG_KEYS} (a test keeps the
 * file equal to this). Pulumi's project config knows string, integer, boolean and array; a map
 * key (costTags) cannot be typed there and is left undeclared, which Pulumi allows.
 */
export function projectConfigDeclarations(): Record<
  string,
  { type: string; items?: { type: string }; description: string; default: unknown }
> {
  const out: Record<
    string,
    { type: string; items?: { type: string }; description: string; default: unknown }
  > = {};
  for (const k of CONFIG_KEYS) {
    if (k.declaredDefault === undefined) continue;
    const type = k.type === "string[]" ? "array" : k.type === "map" ? "object" : k.type;
    out[k.name] = {
      type,
      ...(k.type === "string[]" ? { items: { type: "string" } } : {}),
      description: k.description.replace(/`/g, ""),
      default: k.declaredDefault,
    };
  }
  return out;
}
