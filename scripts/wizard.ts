/**
 * `npm run wizard`: walks a lab admin through creating or updating `Pulumi.<stack>.yaml`.
 *
 * Every prompt has a default, so Enter throughout gives a valid, policy-clean stack; values
 * are checked as typed with `checkConfigValue`, the same messages `pulumi up` would give.
 * Before writing it shows the resolved settings (the would-be config must pass
 * `parseStackConfig`), the host I/O and cost table, and a key-level diff, then asks. An
 * existing file keeps every key, comment and secret the wizard did not ask about.
 *
 * Non-interactive: a flag per answer (see USAGE) plus `--yes` (defaults for the rest, no
 * confirmation). Exit codes: 0 written or nothing to change, 1 not confirmed, 2 invalid flag,
 * value or file, 130 cancelled (Ctrl-C).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { loadSharedConfigFiles, type SharedConfigInit } from "@smithy/shared-ini-file-loader";
import {
  checkConfigValue,
  checkRegion,
  ConfigError,
  CONFIG_KEYS,
  DEFAULT_MAX_VCPUS,
  DEFAULT_WORK_RETENTION_DAYS,
  parseStackConfig,
  PROJECT,
  type NetworkMode,
  type StackSpec,
} from "../components/config";
import { hostIoTable, renderHostIoTable } from "../components/hostIo";
import { DEFAULT_PRESET, PRESET_NAMES, PRESETS, type PresetName } from "../presets";
import {
  applyToConfig,
  applyToDocument,
  diffConfig,
  readStackFile,
  renderDiff,
  renderDocument,
  StackFileError,
  stackFilePath,
  writeAtomically,
  type ConfigEdit,
} from "./wizard/stackFile";

export const EXIT = { ok: 0, declined: 1, invalid: 2, cancelled: 130 } as const;

export const DEFAULT_STACK = "dev";
export const DEFAULT_REGION = "us-east-1";
/** The lab name offered when the stack name is not a valid one. */
export const FALLBACK_LAB_NAME = "my-lab";
/** The profile choice meaning "no aws:profile key": the AWS SDK's own chain (env vars, SSO, default profile). */
export const ENV_CREDENTIALS = "";

const key = (name: string) => `${PROJECT}:${name}`;

// ---------------------------------------------------------------------------------------------
// Prompts: an injectable seam. Each call carries a `name` so a test can answer by name.

export interface Choice<T> {
  readonly value: T;
  readonly name: string;
  readonly description?: string;
}

export interface Prompts {
  input(q: {
    name: string;
    message: string;
    default?: string;
    validate?: (value: string) => true | string;
  }): Promise<string>;
  select<T>(q: { name: string; message: string; choices: readonly Choice<T>[]; default?: T }): Promise<T>;
  confirm(q: { name: string; message: string; default: boolean }): Promise<boolean>;
}

type Inquirer = typeof import("@inquirer/prompts");

/**
 * How a real inquirer prompt is shown: by default it is simply called (stdin/stdout); a test
 * passes a runner that renders it on a virtual terminal (@inquirer/testing) instead.
 */
export type PromptRunner = <C, V>(prompt: (config: C) => Promise<V>, config: C, name: string) => Promise<V>;

/** The real prompts. Loaded lazily: @inquirer/prompts is ESM, and a flag-only run never needs it. */
export function inquirerPrompts(run: PromptRunner = (prompt, config) => prompt(config)): Prompts {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const load = () => require("@inquirer/prompts") as Inquirer;
  return {
    input: ({ name, message, default: def, validate }) =>
      run(load().input, { message, default: def, validate }, name),
    select: <T>({
      name,
      message,
      choices,
      default: def,
    }: Parameters<Prompts["select"]>[0] & { choices: readonly Choice<T>[]; default?: T }) =>
      run(
        load().select as (c: object) => Promise<T>,
        { message, choices: choices.map((c) => ({ ...c })), default: def, pageSize: 10 },
        name,
      ),
    confirm: ({ name, message, default: def }) => run(load().confirm, { message, default: def }, name),
  };
}

// ---------------------------------------------------------------------------------------------
// Flags.

export const USAGE = [
  "usage: npm run wizard -- [--stack <name>] [--lab-name <name>] [--profile <name> | --no-profile]",
  "         [--region <region>] [--preset <name>] [--max-vcpus <n>] [--on-demand-queue | --no-on-demand-queue]",
  "         [--network new|existing] [--vpc-id <vpc-...>] [--subnet-ids <subnet-a,subnet-b>]",
  "         [--work-retention-days <n>] [--cost-tags 'key=value, key=value'] [--yes] [--dir <project dir>]",
].join("\n");

const FLAG_OPTIONS = {
  stack: { type: "string" },
  "lab-name": { type: "string" },
  profile: { type: "string" },
  // Declared so parseArgs accepts it; with allowNegative it arrives as `profile: false`.
  "no-profile": { type: "boolean" },
  region: { type: "string" },
  preset: { type: "string" },
  "max-vcpus": { type: "string" },
  "on-demand-queue": { type: "boolean" },
  network: { type: "string" },
  "vpc-id": { type: "string" },
  "subnet-ids": { type: "string" },
  "work-retention-days": { type: "string" },
  "cost-tags": { type: "string" },
  yes: { type: "boolean" },
  dir: { type: "string" },
  help: { type: "boolean" },
} as const;

/** A bad flag, value or file: one line for the user, exit 2. */
class UsageError extends Error {}

/** Answers given on the command line, validated; undefined where not given. */
export interface FlagAnswers {
  stack?: string;
  labName?: string;
  /** A profile name, or {@link ENV_CREDENTIALS} for `--no-profile`. */
  profile?: string;
  region?: string;
  preset?: PresetName;
  maxVcpus?: number;
  onDemandQueue?: boolean;
  network?: NetworkMode;
  vpcId?: string;
  subnetIds?: string[];
  workRetentionDays?: number;
  costTags?: Record<string, string>;
  yes: boolean;
  dir?: string;
  help: boolean;
}

/** `--flag <value>`: the problem line of config key `name` for this value, as a flag error. */
function flagProblem(flag: string, name: string, value: unknown, raw: string): UsageError | undefined {
  const problem = checkConfigValue(name, value);
  return problem === undefined ? undefined : new UsageError(`--${flag} ${JSON.stringify(raw)}: ${problem}`);
}

export function parseFlags(argv: readonly string[]): FlagAnswers {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: FLAG_OPTIONS,
      strict: true,
      allowPositionals: false,
      allowNegative: true,
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}. Fix: see the usage below\n${USAGE}`);
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  const str = (f: string) => v[f] as string | undefined;
  const out: FlagAnswers = { yes: v.yes === true, help: v.help === true, dir: str("dir") };

  const check = <T>(flag: string, name: string, value: T, raw: string): T => {
    const e = flagProblem(flag, name, value, raw);
    if (e) throw e;
    return value;
  };

  if (str("stack") !== undefined) {
    const problem = checkStackName(str("stack")!);
    if (problem) throw new UsageError(`--stack ${JSON.stringify(str("stack"))}: ${problem}`);
    out.stack = str("stack");
  }
  if (str("lab-name") !== undefined)
    out.labName = check("lab-name", "labName", str("lab-name")!, str("lab-name")!);
  if (v.profile === false || v["no-profile"] === true) out.profile = ENV_CREDENTIALS;
  else if (str("profile") !== undefined) {
    if (str("profile")!.trim() === "") {
      throw new UsageError(
        `--profile "": give a profile name, or --no-profile for environment / default credentials`,
      );
    }
    out.profile = str("profile");
  }
  if (str("region") !== undefined) {
    const problem = checkRegion(str("region")!);
    if (problem) throw new UsageError(`--region ${JSON.stringify(str("region"))}: ${problem}`);
    out.region = str("region");
  }
  if (str("preset") !== undefined)
    out.preset = check("preset", "preset", str("preset")!, str("preset")!) as PresetName;
  if (str("max-vcpus") !== undefined) {
    out.maxVcpus = Number(check("max-vcpus", "maxVcpus", str("max-vcpus")!, str("max-vcpus")!));
  }
  if (typeof v["on-demand-queue"] === "boolean") out.onDemandQueue = v["on-demand-queue"];
  if (str("network") !== undefined)
    out.network = check("network", "network", str("network")!, str("network")!) as NetworkMode;
  if (str("vpc-id") !== undefined) out.vpcId = check("vpc-id", "vpcId", str("vpc-id")!, str("vpc-id")!);
  if (str("subnet-ids") !== undefined) {
    out.subnetIds = check("subnet-ids", "subnetIds", splitList(str("subnet-ids")!), str("subnet-ids")!);
  }
  if (str("work-retention-days") !== undefined) {
    const raw = str("work-retention-days")!;
    out.workRetentionDays = Number(check("work-retention-days", "workRetentionDays", raw, raw));
  }
  if (str("cost-tags") !== undefined) {
    const raw = str("cost-tags")!;
    const tags = parseCostTags(raw);
    if (typeof tags === "string") throw new UsageError(`--cost-tags ${JSON.stringify(raw)}: ${tags}`);
    out.costTags = check("cost-tags", "costTags", tags, raw);
  }
  if (out.network === "new" && (out.vpcId !== undefined || out.subnetIds !== undefined)) {
    throw new UsageError(
      `--vpc-id and --subnet-ids only go with --network existing; got them with --network new. Fix: drop them or pass --network existing`,
    );
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Value helpers shared by prompts and flags.

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export function checkStackName(name: string): string | undefined {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(name) && name !== "." && name !== ".."
    ? undefined
    : `a stack name must be 1 to 100 letters, digits, "-", "_" or "."; got ${JSON.stringify(name)}. Fix: e.g. ${DEFAULT_STACK}`;
}

export function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** `"key=value, key=value"` to a map; a problem line when a piece has no `=` or a key repeats. */
export function parseCostTags(raw: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const piece of splitList(raw)) {
    const eq = piece.indexOf("=");
    if (eq <= 0) {
      return `cost tags must be "key=value" pairs separated by commas; ${JSON.stringify(piece)} has no key=value. Fix: e.g. grant=R01-GM000000, cost-center=1234`;
    }
    const k = piece.slice(0, eq).trim();
    if (Object.prototype.hasOwnProperty.call(tags, k)) {
      return `cost tags must not repeat a key; ${JSON.stringify(k)} appears twice. Fix: keep one`;
    }
    tags[k] = piece.slice(eq + 1).trim();
  }
  return tags;
}

export function formatCostTags(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** The value of one of our keys in the file, parsed; undefined when absent or invalid. */
function parsedValue(config: Readonly<Record<string, unknown>>, name: string): unknown {
  const raw = config[key(name)];
  if (raw === undefined || checkConfigValue(name, raw) !== undefined) return undefined;
  return CONFIG_KEYS.find((k) => k.name === name)!.parse(raw);
}

// ---------------------------------------------------------------------------------------------
// AWS profiles, from the user's config and credentials files, through the SDK's own loader.

export interface AwsProfiles {
  /** Profile names, `default` first, then sorted. */
  readonly names: readonly string[];
  readonly regionOf: (profile: string) => string | undefined;
}

export async function loadAwsProfiles(init: SharedConfigInit = {}): Promise<AwsProfiles> {
  const files = await loadSharedConfigFiles({ ...init, ignoreCache: true });
  // The loader keys `[profile x]` as "x" and other sections as "sso-session.x", "services.x".
  const fromConfig = Object.keys(files.configFile).filter((n) => !n.includes("."));
  const names = [...new Set([...fromConfig, ...Object.keys(files.credentialsFile)])].sort((a, b) =>
    a === "default" ? -1 : b === "default" ? 1 : a.localeCompare(b),
  );
  return { names, regionOf: (p) => files.configFile[p]?.region ?? files.credentialsFile[p]?.region };
}

// ---------------------------------------------------------------------------------------------
// The flow.

export interface WizardOptions {
  /** The project directory (holds Pulumi.yaml); `--dir` overrides it. */
  readonly cwd: string;
  readonly argv: readonly string[];
  readonly prompts?: Prompts;
  /** Where AWS_PROFILE / AWS_REGION come from. */
  readonly env?: NodeJS.ProcessEnv;
  /** Which AWS config/credentials files to read; the loader's defaults (AWS_CONFIG_FILE, ~/.aws) when omitted. */
  readonly awsFiles?: SharedConfigInit;
  readonly stdout?: { write(s: string): unknown };
  readonly stderr?: { write(s: string): unknown };
  /** Whether prompts can be shown; defaults to stdin being a terminal when the real prompts are used. */
  readonly interactive?: boolean;
}

/** Every answer, resolved. */
export interface Answers {
  readonly stack: string;
  readonly labName: string;
  readonly profile: string;
  readonly region: string;
  readonly preset: PresetName;
  readonly maxVcpus: number;
  readonly onDemandQueue: boolean;
  readonly network: NetworkMode;
  readonly vpcId?: string;
  readonly subnetIds?: readonly string[];
  readonly workRetentionDays: number;
  readonly costTags: Readonly<Record<string, string>>;
}

const validator =
  (name: string, convert: (s: string) => unknown = (s) => s) =>
  (value: string): true | string =>
    checkConfigValue(name, convert(value.trim())) ?? true;

/** Asks (or takes from flags, or with --yes takes the default of) every question. */
async function ask(
  flags: FlagAnswers,
  prompts: Prompts,
  stack: string,
  config: Readonly<Record<string, unknown>>,
  file: string,
  profiles: AwsProfiles,
  env: NodeJS.ProcessEnv,
): Promise<Answers> {
  const take = async <T>(given: T | undefined, def: T, question: () => Promise<T>): Promise<T> =>
    given !== undefined ? given : flags.yes ? def : question();

  const labDefault =
    (parsedValue(config, "labName") as string | undefined) ??
    (checkConfigValue("labName", stack.toLowerCase()) === undefined
      ? stack.toLowerCase()
      : FALLBACK_LAB_NAME);
  const labName = await take(flags.labName, labDefault, async () =>
    (
      await prompts.input({
        name: "labName",
        message: "Lab name (the `lab` cost tag and resource name prefix)",
        default: labDefault,
        validate: validator("labName"),
      })
    ).trim(),
  );

  const currentProfile =
    typeof config["aws:profile"] === "string" ? (config["aws:profile"] as string) : undefined;
  const profileNames = [...profiles.names];
  if (currentProfile !== undefined && !profileNames.includes(currentProfile))
    profileNames.push(currentProfile);
  if (
    flags.profile !== undefined &&
    flags.profile !== ENV_CREDENTIALS &&
    !profileNames.includes(flags.profile)
  ) {
    throw new UsageError(
      `--profile ${JSON.stringify(flags.profile)}: not a profile in your AWS config or credentials files; allowed: ${profileNames.length > 0 ? profileNames.join(", ") : "none found"}. Fix: pick one of those, or --no-profile for environment / default credentials`,
    );
  }
  const profileDefault = currentProfile ?? ENV_CREDENTIALS;
  const profile = await take(flags.profile, profileDefault, () =>
    prompts.select<string>({
      name: "profile",
      message: "AWS profile for this stack",
      default: profileDefault,
      choices: [
        {
          value: ENV_CREDENTIALS,
          name: "environment / default credentials (no aws:profile)",
          description: "The AWS SDK's usual chain: AWS_PROFILE, AWS_ACCESS_KEY_ID, SSO, the default profile",
        },
        ...profileNames.map((p) => ({
          value: p,
          name: p,
          description: profiles.names.includes(p)
            ? `region ${profiles.regionOf(p) ?? "not set"}`
            : `from ${path.basename(file)}; not in your AWS files`,
        })),
      ],
    }),
  );

  const envProfile = env.AWS_PROFILE ?? "default";
  const regionDefault =
    (typeof config["aws:region"] === "string" ? (config["aws:region"] as string) : undefined) ??
    (profile !== ENV_CREDENTIALS
      ? profiles.regionOf(profile)
      : (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profiles.regionOf(envProfile))) ??
    DEFAULT_REGION;
  const region = await take(flags.region, regionDefault, async () =>
    (
      await prompts.input({
        name: "region",
        message: "AWS region",
        default: regionDefault,
        validate: (v) => checkRegion(v.trim()) ?? true,
      })
    ).trim(),
  );

  const presetDefault = (parsedValue(config, "preset") as PresetName | undefined) ?? DEFAULT_PRESET;
  const preset = await take(flags.preset, presetDefault, () =>
    prompts.select<PresetName>({
      name: "preset",
      message: "Preset (instance families and host storage)",
      default: presetDefault,
      choices: PRESET_NAMES.map((n) => {
        const p = PRESETS[n];
        const storage = p.storage.kind === "gp3" ? "gp3 root volume" : "NVMe instance store";
        return {
          value: n,
          name: `${n}  [${p.instanceTypes.join(", ")}; ${storage}]  ${p.summary}`,
        };
      }),
    }),
  );

  const maxDefault = (parsedValue(config, "maxVcpus") as number | undefined) ?? DEFAULT_MAX_VCPUS;
  const maxVcpus = await take(flags.maxVcpus, maxDefault, async () =>
    Number(
      (
        await prompts.input({
          name: "maxVcpus",
          message: "Max vCPUs of the spot compute environment (caps what a runaway pipeline can spend)",
          default: String(maxDefault),
          validate: validator("maxVcpus"),
        })
      ).trim(),
    ),
  );

  const odDefault = (parsedValue(config, "onDemandQueue") as boolean | undefined) ?? true;
  const onDemandQueue = await take(flags.onDemandQueue, odDefault, () =>
    prompts.confirm({
      name: "onDemandQueue",
      message: "Also build an on-demand queue, for tasks that must not be interrupted?",
      default: odDefault,
    }),
  );

  const netDefault = (parsedValue(config, "network") as NetworkMode | undefined) ?? "new";
  // --vpc-id or --subnet-ids without --network mean an existing VPC.
  const netGiven =
    flags.network ?? (flags.vpcId !== undefined || flags.subnetIds !== undefined ? "existing" : undefined);
  const network = await take(netGiven, netDefault, () =>
    prompts.select<NetworkMode>({
      name: "network",
      message: "Network",
      default: netDefault,
      choices: [
        { value: "new", name: "new VPC", description: "Private subnets across AZs, NAT and an S3 endpoint" },
        {
          value: "existing",
          name: "existing VPC",
          description: "The lab's own VPC and private subnets with egress",
        },
      ],
    }),
  );

  let vpcId: string | undefined;
  let subnetIds: string[] | undefined;
  if (network === "existing") {
    const vpcDefault = parsedValue(config, "vpcId") as string | undefined;
    if (flags.vpcId === undefined && flags.yes && vpcDefault === undefined) {
      throw new UsageError(
        `--vpc-id is required with --network existing and --yes (${path.basename(file)} has none). Fix: pass --vpc-id vpc-0123456789abcdef0`,
      );
    }
    vpcId = await take(flags.vpcId, vpcDefault!, async () =>
      (
        await prompts.input({
          name: "vpcId",
          message: "VPC id",
          default: vpcDefault,
          validate: validator("vpcId"),
        })
      ).trim(),
    );
    const subnetsDefault = parsedValue(config, "subnetIds") as string[] | undefined;
    if (flags.subnetIds === undefined && flags.yes && subnetsDefault === undefined) {
      throw new UsageError(
        `--subnet-ids is required with --network existing and --yes (${path.basename(file)} has none). Fix: pass --subnet-ids subnet-0123456789abcdef0,subnet-0fedcba9876543210`,
      );
    }
    subnetIds = await take(flags.subnetIds, subnetsDefault!, async () =>
      splitList(
        await prompts.input({
          name: "subnetIds",
          message: "Private subnet ids, comma-separated (several AZs)",
          default: subnetsDefault?.join(", "),
          validate: validator("subnetIds", splitList),
        }),
      ),
    );
  }

  const retentionDefault =
    (parsedValue(config, "workRetentionDays") as number | undefined) ?? DEFAULT_WORK_RETENTION_DAYS;
  const workRetentionDays = await take(flags.workRetentionDays, retentionDefault, async () =>
    Number(
      (
        await prompts.input({
          name: "workRetentionDays",
          message: "Days to keep Nextflow's work/ scratch in the bucket",
          default: String(retentionDefault),
          validate: validator("workRetentionDays"),
        })
      ).trim(),
    ),
  );

  const tagsDefault = (parsedValue(config, "costTags") as Record<string, string> | undefined) ?? {};
  const tagsDefaultText = formatCostTags(tagsDefault);
  const costTags = await take(flags.costTags, tagsDefault, async () => {
    const text = await prompts.input({
      name: "costTags",
      message: "Cost tags, key=value, comma-separated (empty for none)",
      default: tagsDefaultText,
      validate: (v) => {
        const tags = parseCostTags(v);
        return typeof tags === "string" ? tags : (checkConfigValue("costTags", tags) ?? true);
      },
    });
    // Enter on the default keeps the file's tags exactly, even values a comma would split.
    return text === tagsDefaultText ? tagsDefault : (parseCostTags(text) as Record<string, string>);
  });

  return {
    stack,
    labName,
    profile,
    region,
    preset,
    maxVcpus,
    onDemandQueue,
    network,
    vpcId,
    subnetIds,
    workRetentionDays,
    costTags,
  };
}

/**
 * The keys to set and remove. A new file gets every answer written out (a config that reads
 * on its own); an existing file changes only where the answer differs from what the file
 * means now (its value, or the built-in default when the key is absent).
 */
export function editFor(
  answers: Answers,
  config: Readonly<Record<string, unknown>>,
  isNew: boolean,
): ConfigEdit {
  const set: [string, unknown][] = [];
  const remove: string[] = [];
  const has = (k: string) => Object.prototype.hasOwnProperty.call(config, k);

  const setOurs = (name: string, value: unknown, builtInDefault: unknown) => {
    const current = has(key(name)) ? parsedValue(config, name) : builtInDefault;
    const invalidNow = has(key(name)) && current === undefined;
    if (isNew || invalidNow || !isDeepStrictEqual(current, value)) set.push([key(name), value]);
  };

  if (answers.profile === ENV_CREDENTIALS) {
    if (has("aws:profile")) remove.push("aws:profile");
  } else if (config["aws:profile"] !== answers.profile) set.push(["aws:profile", answers.profile]);
  if (config["aws:region"] !== answers.region) set.push(["aws:region", answers.region]);

  setOurs("labName", answers.labName, answers.stack.toLowerCase());
  setOurs("preset", answers.preset, DEFAULT_PRESET);
  setOurs("maxVcpus", answers.maxVcpus, DEFAULT_MAX_VCPUS);
  setOurs("onDemandQueue", answers.onDemandQueue, true);
  if (!answers.onDemandQueue && has(key("onDemandMaxVcpus"))) remove.push(key("onDemandMaxVcpus"));
  setOurs("network", answers.network, "new");
  if (answers.network === "existing") {
    setOurs("vpcId", answers.vpcId, undefined);
    setOurs("subnetIds", answers.subnetIds, undefined);
    for (const k of ["natGateways", "availabilityZones", "vpcCidr"]) if (has(key(k))) remove.push(key(k));
  } else {
    for (const k of ["vpcId", "subnetIds"]) if (has(key(k))) remove.push(key(k));
  }
  setOurs("workRetentionDays", answers.workRetentionDays, DEFAULT_WORK_RETENTION_DAYS);
  if (Object.keys(answers.costTags).length === 0) {
    if (has(key("costTags"))) remove.push(key("costTags"));
  } else {
    setOurs("costTags", answers.costTags, {});
  }
  return { set, remove };
}

/** The resolved settings, one per line. */
export function renderSummary(spec: StackSpec, answers: Answers, file: string, isNew: boolean): string[] {
  const s = spec.storage;
  const n = spec.network;
  return [
    `Stack ${spec.stack}: ${path.basename(file)}${isNew ? " (new file)" : ""}`,
    `  lab name         ${spec.labName}`,
    `  AWS credentials  ${answers.profile === ENV_CREDENTIALS ? "environment / default credentials (no aws:profile)" : `profile ${answers.profile}`}`,
    `  region           ${spec.region}`,
    `  preset           ${spec.preset.name}: ${spec.manufacturer} ${spec.architecture} ${spec.instanceTypes.join(", ")}; ${s.kind === "gp3" ? "Docker data on the gp3 root volume" : "Docker data on NVMe instance store (RAID0)"}, root ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s`,
    `  compute          spot up to ${spec.maxVcpus} vCPUs (bid ${spec.spotBidPercentage}% of on-demand); ${spec.onDemandMaxVcpus === undefined ? "no on-demand queue" : `on-demand queue up to ${spec.onDemandMaxVcpus} vCPUs`}`,
    `  network          ${n.mode === "new" ? `new VPC ${n.cidrBlock}, ${n.availabilityZones} AZs, NAT ${n.natGateways}` : `existing ${n.vpcId}, subnets ${n.subnetIds.join(", ")}`}`,
    `  work retention   ${spec.workRetentionDays} days (work/ prefix of the work bucket)`,
    `  tags             ${formatCostTags(spec.tags)}`,
  ];
}

export function nextSteps(stack: string, isNew: boolean): string[] {
  return [
    "Next steps:",
    ...(isNew ? [`  pulumi stack init ${stack}        # if the stack does not exist yet`] : []),
    `  npm run plan -- --stack ${stack}   # offline: resources, host I/O table, policy check`,
    `  pulumi up --stack ${stack}`,
    `  pulumi stack output nextflowConfig --stack ${stack} > nextflow.config`,
  ];
}

function isCancel(e: unknown): boolean {
  return e instanceof Error && (e.name === "ExitPromptError" || e.name === "AbortPromptError");
}

/** Runs the wizard; returns the exit code. Never throws for user errors or Ctrl-C. */
export async function runWizard(opts: WizardOptions): Promise<number> {
  const out = (line = "") => opts.stdout?.write(`${line}\n`) ?? process.stdout.write(`${line}\n`);
  const err = (line: string) => opts.stderr?.write(`${line}\n`) ?? process.stderr.write(`${line}\n`);
  const env = opts.env ?? process.env;
  try {
    const flags = parseFlags(opts.argv);
    if (flags.help) {
      out(USAGE);
      return EXIT.ok;
    }
    const prompts = opts.prompts ?? inquirerPrompts();
    const interactive = opts.interactive ?? (opts.prompts !== undefined || process.stdin.isTTY === true);
    if (!interactive && !flags.yes) {
      throw new UsageError(
        "stdin is not a terminal, so the wizard cannot ask. Fix: run it in a terminal, or pass --yes with flags for the answers",
      );
    }
    const dir = path.resolve(opts.cwd, flags.dir ?? ".");
    if (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
      throw new UsageError(
        `${dir} has no Pulumi.yaml, so it is not the project directory. Fix: run from the nextflow-batch checkout, or pass --dir <it>`,
      );
    }

    const stack =
      flags.stack ??
      (flags.yes
        ? DEFAULT_STACK
        : (
            await prompts.input({
              name: "stack",
              message: "Stack name (the file is Pulumi.<stack>.yaml)",
              default: DEFAULT_STACK,
              validate: (v) => checkStackName(v.trim()) ?? true,
            })
          ).trim());
    const file = readStackFile(stackFilePath(dir, stack));
    const isNew = file.original === undefined;
    out(isNew ? `Creating ${file.path}.` : `Updating ${file.path}: its current values are the defaults.`);

    let profiles: AwsProfiles;
    try {
      profiles = await loadAwsProfiles(opts.awsFiles);
    } catch (e) {
      err(`warning: could not read your AWS config files (${(e as Error).message}); offering no profiles`);
      profiles = { names: [], regionOf: () => undefined };
    }

    const answers = await ask(flags, prompts, stack, file.config, file.path, profiles, env);
    const edit = editFor(answers, file.config, isNew);
    const after = applyToConfig(file.config, edit);

    let spec: StackSpec;
    try {
      spec = parseStackConfig(after, { project: PROJECT, stack });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      for (const p of e.problems) err(`error: ${p}`);
      err(`${path.basename(file.path)} would not be valid with these answers; nothing written.`);
      return EXIT.invalid;
    }

    out();
    for (const line of renderSummary(spec, answers, file.path, isNew)) out(line);
    out();
    out("Host I/O and storage cost per instance size:");
    for (const line of renderHostIoTable(hostIoTable(spec))) out(`  ${line}`);
    out();

    const changes = diffConfig(file.config, after);
    if (changes.length === 0) {
      out(`${path.basename(file.path)} already has these settings; nothing written.`);
      for (const line of nextSteps(stack, false)) out(line);
      return EXIT.ok;
    }
    out(
      `${isNew ? "Will create" : "Changes to"} ${path.basename(file.path)} (+ added, ~ changed, - removed):`,
    );
    for (const line of renderDiff(changes)) out(`  ${line}`);
    out();
    if (!flags.yes) {
      const ok = await prompts.confirm({
        name: "write",
        message: `${isNew ? "Create" : "Update"} ${path.basename(file.path)}?`,
        default: true,
      });
      if (!ok) {
        out("Not confirmed; nothing written.");
        return EXIT.declined;
      }
    }
    applyToDocument(file, edit);
    writeAtomically(file.path, renderDocument(file), file.original);
    out(`Wrote ${file.path}.`);
    out();
    for (const line of nextSteps(stack, isNew)) out(line);
    return EXIT.ok;
  } catch (e) {
    if (isCancel(e)) {
      err("cancelled, nothing written");
      return EXIT.cancelled;
    }
    if (e instanceof UsageError || e instanceof StackFileError) {
      err(`error: ${e.message}`);
      return EXIT.invalid;
    }
    throw e;
  }
}

if (require.main === module) {
  runWizard({ cwd: process.cwd(), argv: process.argv.slice(2) }).then(
    (code) => {
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`wizard failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
