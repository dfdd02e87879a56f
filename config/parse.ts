/**
 * Stack configuration: the one place raw `Pulumi.<stack>.yaml` values become a typed, fully
 * resolved {@link StackSpec}. Pure: no Pulumi resources, no I/O.
 *
 * Merge order, fixed: built-in defaults, then the preset, then stack config. Only what a stack
 * file says is checked here; the presets themselves are fixed data, checked by their tests.
 */
import { DEFAULT_PRESET, PRESETS } from "../presets";
import { budgetName, budgetNameProblem } from "./budget";
import { defaultCachePrefix, parseSecretArn, partitionOfRegion } from "./containerCache";
import { checkInstanceSelection, checkRootVolumeCount } from "./instances";
import {
  CONFIG,
  KEY_NAMES,
  LAB_NAME_ALLOWED,
  LAB_NAME_PATTERN,
  PROJECT,
  RESERVED_TAG_KEYS,
  type ConfigValues,
  type PartialValues,
  type DefaultContext,
  type KeyName,
  type ValueOf,
} from "./keys";
import { declaredDefaultOf, defaultOf, isKeyName, rowOf, setValue } from "./keyAccess";
import { SCOPES } from "./scopes";
import {
  closest,
  invalidLine,
  knownKeysText,
  outOfScopeLine,
  requiredLine,
  setHint,
  show,
  suggestKey,
} from "./messages";
import {
  ConfigError,
  type BudgetSpec,
  type ContainerCacheSpec,
  type NetworkSpec,
  type StackIdentity,
  type StackSpec,
} from "./spec";
import { MAX_TAGS_PER_RESOURCE } from "./awsRules";
import { stackNameProblems, stackNames } from "./names";
import { Invalid } from "./values";

/** Parses one value of `name`; the problem line, or the typed value. */
function parseValue<K extends KeyName>(
  name: K,
  raw: unknown,
): { ok: true; value: ValueOf<K> } | { ok: false; problem: string } {
  try {
    return { ok: true, value: rowOf(name).parse(raw) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, problem: invalidLine(name, raw, e) };
    throw e;
  }
}

/**
 * Checks one value the way {@link parseStackConfig} would: the wizard validates as the user
 * types with this, so both speak with one voice. Returns the problem line, or undefined.
 */
export function checkConfigValue(name: string, raw: unknown): string | undefined {
  if (!isKeyName(name)) return `${PROJECT}:${name} is not a known key; ${knownKeysText()}`;
  const r = parseValue(name, raw);
  return r.ok ? undefined : r.problem;
}

/**
 * Namespaces a stack file may hold keys of: ours, the providers this program uses or an org
 * may add (aws, awsx, aws-native), and Pulumi's own (pulumi:tags, pulumi:autonaming...).
 */
export const KNOWN_NAMESPACES = [PROJECT, "aws", "awsx", "aws-native", "pulumi"] as const;

/**
 * A key in a namespace nothing reads but close to ours (`nextflow_batch:maxVcpus`) is a typo
 * the engine would pass on silently; other namespaces are the org's business.
 */
function namespaceTypo(ns: string, name: string, stack: string): string | undefined {
  if ((KNOWN_NAMESPACES as readonly string[]).includes(ns)) return undefined;
  if (closest(ns, [PROJECT]) === undefined) return undefined;
  const key = isKeyName(name) ? name : (closest(name, KEY_NAMES) ?? name);
  return `${ns}:${name} is in the namespace "${ns}", which nothing reads; did you mean ${PROJECT}:${key}? Fix: rename it in Pulumi.${stack}.yaml`;
}

/**
 * Every resource carries the stack's own tags, the cost tags and the provider's default tags
 * (`aws:defaultTags`, which pulumi-aws adds to every taggable resource): at most 50 in all.
 */
function tagCountProblem(
  costTags: Readonly<Record<string, string>>,
  defaultTagsRaw: unknown,
): string | undefined {
  let defaults: unknown = defaultTagsRaw;
  if (typeof defaults === "string") {
    try {
      defaults = JSON.parse(defaults);
    } catch {
      return undefined;
    }
  }
  const tags = (defaults as { tags?: unknown } | undefined)?.tags;
  const defaultKeys = typeof tags === "object" && tags !== null ? Object.keys(tags) : [];
  const keys = new Set([...RESERVED_TAG_KEYS, ...Object.keys(costTags), ...defaultKeys]);
  if (keys.size <= MAX_TAGS_PER_RESOURCE || defaultKeys.length === 0) return undefined;
  return `${PROJECT}:costTags must leave room for aws:defaultTags: AWS allows ${MAX_TAGS_PER_RESOURCE} tags per resource, and the stack's ${RESERVED_TAG_KEYS.length}, the ${Object.keys(costTags).length} cost tags and the ${defaultKeys.length} default tags make ${keys.size}. Fix: remove ${keys.size - MAX_TAGS_PER_RESOURCE} cost or default tags`;
}

/** Checks `aws:region` (the provider's key, required here); the wizard asks with the same words. */
export function checkRegion(region: unknown): string | undefined {
  if (typeof region === "string" && /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d$/.test(region)) return undefined;
  return `aws:region must be an AWS region such as "us-east-1"; got ${region === undefined ? "nothing" : show(region)}. Fix: pulumi config set aws:region us-east-1`;
}

/** Every key's value: the stack's where it set one, else the built-in or preset default. */
function merge(set: PartialValues, ctx: DefaultContext): ConfigValues {
  const out: PartialValues = {};
  for (const name of KEY_NAMES) setValue(out, name, set[name] ?? defaultOf(name, ctx));
  // Every key now has a value; TypeScript cannot see that through a loop over the names.
  return out as ConfigValues;
}

/**
 * Parses a stack's raw config (keys fully qualified, `nextflow-batch:maxVcpus`, `aws:region`;
 * values as YAML gives them or as the strings Pulumi passes a program) into a {@link StackSpec}.
 * Keys of other namespaces than ours and `aws:` are left alone. Throws {@link ConfigError}
 * listing every problem, one line each.
 */
export function parseStackConfig(raw: Readonly<Record<string, unknown>>, id: StackIdentity): StackSpec {
  const problems: string[] = [];
  const set: PartialValues = {};

  // Report in the README's key order, whatever order the file or the engine used.
  const rank = (fullKey: string) => {
    const i = KEY_NAMES.findIndex((k) => `${PROJECT}:${k}` === fullKey);
    return i < 0 ? KEY_NAMES.length : i;
  };
  const entries = Object.entries(raw).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  for (const [fullKey, value] of entries) {
    const sep = fullKey.indexOf(":");
    const ns = sep < 0 ? PROJECT : fullKey.slice(0, sep);
    const name = sep < 0 ? fullKey : fullKey.slice(sep + 1);
    if (ns !== PROJECT) {
      const typo = namespaceTypo(ns, name, id.stack);
      if (typo) problems.push(typo);
      continue;
    }
    if (!isKeyName(name)) {
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
    const parsed = parseValue(name, value);
    if (!parsed.ok) problems.push(parsed.problem);
    // Equal to what Pulumi.yaml declares: the engine may have filled it in, so it is unset.
    else if (JSON.stringify(parsed.value) !== JSON.stringify(declaredDefaultOf(name)))
      setValue(set, name, parsed.value);
  }

  const region = raw["aws:region"];
  const regionProblem = checkRegion(region);
  if (regionProblem) problems.push(regionProblem);

  const preset = PRESETS[set.preset ?? DEFAULT_PRESET];
  const v = merge(set, { stack: id.stack, preset });

  // Contradictions between keys: a key set outside its scope, or missing inside it.
  for (const name of KEY_NAMES) {
    const scopeName = CONFIG[name].scope;
    if (scopeName === undefined) continue;
    const scope = SCOPES[scopeName];
    const isSet = set[name] !== undefined;
    if (!scope.applies(v) && isSet) problems.push(outOfScopeLine(name, scope));
    if (scope.applies(v) && CONFIG[name].required && !isSet) problems.push(requiredLine(name, scope));
  }

  if (set.labName === undefined && !LAB_NAME_PATTERN.test(v.labName)) {
    problems.push(
      `${PROJECT}:labName must be ${LAB_NAME_ALLOWED}; got nothing, and the stack name ${show(id.stack)} does not fit. Fix: pulumi config set ${PROJECT}:labName smith-lab`,
    );
  } else {
    problems.push(...stackNameProblems(v.labName, id.stack));
  }
  const tagsProblem = tagCountProblem(v.costTags, raw["aws:defaultTags"]);
  if (tagsProblem) problems.push(tagsProblem);

  // A budget value the parser refused already has its line; what would follow from it is noise.
  const refused = (name: KeyName) =>
    raw[`${PROJECT}:${name}`] !== undefined &&
    checkConfigValue(name, raw[`${PROJECT}:${name}`]) !== undefined;
  if (!refused("budgetMonthlyUsd"))
    problems.push(...budgetProblems(set, v, id, refused("budgetAlertEmails")));

  if (v.containerCache) problems.push(...containerCacheProblems(v, region));

  // A preset's own families are fixed data, checked against the catalog by its tests; an
  // override is the stack's input and is checked here.
  let manufacturer: string = preset.manufacturer;
  let architecture = preset.architecture;
  if (set.instanceTypes !== undefined) {
    const selection = checkInstanceSelection(
      `${PROJECT}:instanceTypes`,
      set.instanceTypes,
      preset.storage.kind,
    );
    problems.push(...selection.problems);
    if ("manufacturer" in selection) {
      ({ manufacturer, architecture } = selection);
      const volumes = checkRootVolumeCount(`${PROJECT}:instanceTypes`, set.instanceTypes, preset.storage);
      if (volumes !== undefined) problems.push(volumes);
    }
  }

  // The aws provider's own key; passed on to the aws-native provider, which does not read it.
  const awsProfile = raw["aws:profile"];
  if (awsProfile !== undefined && (typeof awsProfile !== "string" || awsProfile.trim() === "")) {
    problems.push(
      `aws:profile must be the name of a profile in your AWS config; got ${show(awsProfile)}. Fix: pulumi config set aws:profile <name>, or pulumi config rm aws:profile`,
    );
  }

  if (problems.length > 0 || typeof region !== "string") throw new ConfigError(problems);

  const network: NetworkSpec =
    v.network === "existing"
      ? { mode: "existing", vpcId: v.vpcId, subnetIds: v.subnetIds }
      : {
          mode: "new",
          natGateways: v.natGateways,
          availabilityZones: v.availabilityZones,
          cidrBlock: v.vpcCidr,
        };

  const budget: BudgetSpec | undefined =
    v.budgetMonthlyUsd > 0
      ? {
          name: budgetName(v.labName, id.stack),
          limitUsd: v.budgetMonthlyUsd,
          alertEmails: v.budgetAlertEmails,
          alertPercent: v.budgetAlertPercent,
          guard: v.budgetGuard,
        }
      : undefined;
  const containerCache: ContainerCacheSpec | undefined = v.containerCache
    ? {
        prefix:
          v.containerCachePrefix === "" ? defaultCachePrefix(v.labName, id.stack) : v.containerCachePrefix,
        unqualifiedImages: v.unqualifiedImages,
        dockerHubCredentialArn: v.dockerHubCredentialArn === "" ? undefined : v.dockerHubCredentialArn,
        cachedImageExpiryDays: v.cachedImageExpiryDays,
      }
    : undefined;

  return {
    project: id.project,
    stack: id.stack,
    region,
    awsProfile: typeof awsProfile === "string" ? awsProfile : undefined,
    labName: v.labName,
    preset,
    instanceTypes: v.instanceTypes,
    manufacturer,
    architecture,
    storage: preset.storage,
    maxVcpus: v.maxVcpus,
    spotBidPercentage: v.spotBidPercentage,
    onDemandMaxVcpus: v.onDemandQueue ? v.onDemandMaxVcpus : undefined,
    network,
    containerCache,
    inputBuckets: v.inputBuckets,
    workRetentionDays: v.workRetentionDays,
    logRetentionDays: v.logRetentionDays,
    runnableTimeoutMinutes: v.runnableTimeoutMinutes,
    maxSpotAttempts: v.maxSpotAttempts,
    hostAmiVersion: v.hostAmiVersion,
    names: stackNames(v.labName, id.stack),
    budget,
    tags: {
      ...v.costTags,
      lab: v.labName,
      "managed-by": PROJECT,
      "pulumi-stack": id.stack,
    },
  };
}

/** Keys that only mean something with a budget; set without one they are a contradiction. */
const BUDGET_ONLY_KEYS = ["budgetAlertEmails", "budgetAlertPercent", "budgetGuard"] as const;

/**
 * The budget keys together: the others only with an amount, alert addresses required with
 * one, and a budget name AWS accepts (config/budget.ts).
 */
function budgetProblems(
  set: PartialValues,
  v: ConfigValues,
  id: StackIdentity,
  emailsRefused: boolean,
): string[] {
  const problems: string[] = [];
  const amount = `${PROJECT}:budgetMonthlyUsd`;
  if (v.budgetMonthlyUsd === 0) {
    for (const name of BUDGET_ONLY_KEYS) {
      if (set[name] === undefined) continue;
      problems.push(
        `${PROJECT}:${name} only applies with a budget; got it with no ${amount}. Fix: remove ${PROJECT}:${name}, or set a budget: ${setHint("budgetMonthlyUsd")}`,
      );
    }
    return problems;
  }
  if (v.budgetAlertEmails.length === 0 && !emailsRefused) {
    problems.push(
      `${PROJECT}:budgetAlertEmails is required with ${amount} set (a budget nobody hears about alerts no one); got nothing. Fix: ${setHint("budgetAlertEmails")}`,
    );
  }
  const name = budgetName(v.labName, id.stack);
  const nameProblem = budgetNameProblem(name);
  if (nameProblem !== undefined) {
    problems.push(
      `${amount} needs a budget name AWS Budgets accepts, ${nameProblem}. Fix: use a shorter stack name or ${PROJECT}:labName`,
    );
  }
  return problems;
}

/**
 * What only the whole config can tell about the container cache: the Docker Hub secret must be
 * in the stack's region and partition ("The account and Region that the secret is in must
 * match the account and Region that the pull through cache rule is in",
 * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html;
 * the account is only known at deploy, where ECR checks it), and the Docker Hub cache needs it.
 */
function containerCacheProblems(v: ConfigValues, region: unknown): string[] {
  const problems: string[] = [];
  const key = `${PROJECT}:dockerHubCredentialArn`;
  const arn = v.dockerHubCredentialArn === "" ? undefined : parseSecretArn(v.dockerHubCredentialArn);
  if (arn !== undefined && typeof region === "string") {
    const partition = partitionOfRegion(region);
    if (arn.region !== region) {
      problems.push(
        `${key} must be a secret in the stack's region ${region} (ECR reads the credential only from the rule's own account and region); got one in ${arn.region}: ${show(v.dockerHubCredentialArn)}. Fix: create the secret in ${region} and give its ARN`,
      );
    } else if (partition !== undefined && arn.partition !== partition) {
      problems.push(
        `${key} must be an ARN of partition ${partition}, the partition of ${region}; got ${arn.partition}: ${show(v.dockerHubCredentialArn)}. Fix: copy the ARN from the secret itself`,
      );
    }
  }
  if (v.unqualifiedImages === "dockerHubCache" && v.dockerHubCredentialArn === "") {
    problems.push(
      `${PROJECT}:unqualifiedImages "dockerHubCache" needs ${key} (ECR caches Docker Hub only with a credential); got none. Fix: set ${key}, or set ${PROJECT}:unqualifiedImages quayCache`,
    );
  }
  return problems;
}
