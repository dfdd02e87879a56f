/**
 * The wizard's questions. Each config key's question comes from its row in the config table
 * (message, choices, scope); the stack file's current value, else the built-in default, is the
 * prompt's default, and Enter keeps it exactly. An answer the final validation would refuse is
 * refused at its prompt. Flags answer questions; `--yes` takes the defaults.
 */
import * as path from "node:path";
import { PROJECT, type Choice, type KeyName, type PartialValues, type ValueOf } from "../config/keys";
import { defaultOf, rowOf, setValue } from "../config/keyAccess";
import { SCOPES } from "../config/scopes";
import { checkConfigValue, checkRegion } from "../config/parse";
import { DEFAULT_PRESET, PRESETS } from "../presets";
import { networkIdleUsd } from "../reports/idleCost";
import {
  ASKED_KEYS,
  currentValue,
  ENV_CREDENTIALS,
  flagOf,
  fromText,
  requiredProblem,
  toText,
  type Answers,
} from "./answers";
import type { FlagAnswers } from "./flags";
import { UsageError } from "./flags";
import type { AwsProfiles } from "./profiles";
import type { Prompts } from "./prompts";

export const DEFAULT_REGION = "us-east-1";

export interface AskContext {
  readonly flags: FlagAnswers;
  readonly prompts: Prompts;
  readonly stack: string;
  /** The stack file's `config:` map (empty for a new file) and its path. */
  readonly config: Readonly<Record<string, unknown>>;
  readonly file: string;
  readonly profiles: AwsProfiles;
  readonly env: NodeJS.ProcessEnv;
}

/** Asks (or takes from flags, or with --yes takes the default of) every question, in order. */
export async function askAll(ctx: AskContext): Promise<Answers> {
  const values: PartialValues = {};
  const asked = ASKED_KEYS.filter((k) => rowOf(k).ask?.early === true);
  for (const name of asked) await askKey(ctx, values, name);
  const profile = await askProfile(ctx);
  const region = await askRegion(ctx, profile);
  for (const name of ASKED_KEYS.filter((k) => !asked.includes(k))) await askKey(ctx, values, name, region);
  return { stack: ctx.stack, profile, region, values };
}

/** A key's value as things stand: answered, else the file's, else the built-in default. */
function valueSoFar<K extends KeyName>(ctx: AskContext, values: PartialValues, name: K): ValueOf<K> {
  return values[name] ?? currentValue(ctx.config, name) ?? defaultOf(name, defaultContext(ctx, values));
}

function defaultContext(ctx: AskContext, values: PartialValues) {
  const preset = values.preset ?? currentValue(ctx.config, "preset") ?? DEFAULT_PRESET;
  return { stack: ctx.stack, preset: PRESETS[preset] };
}

/** A value as one shell word for its flag: lists without spaces. */
const flagText = (value: unknown) => (Array.isArray(value) ? value.join(",") : toText(value));

/** The problem an answer for `name` has, in the parser's words; undefined when it is fine. */
function problemOf(name: KeyName, value: unknown): string | undefined {
  return checkConfigValue(name, value) ?? requiredProblem(name, value);
}

/**
 * What a choice costs to leave running, added to the row's own description: the network
 * choices' idle cost depends on the region and the AZ count, which the static row cannot know.
 */
function withCostNotes<K extends KeyName>(
  ctx: AskContext,
  values: PartialValues,
  name: K,
  choices: readonly Choice<ValueOf<K>>[],
  region: string | undefined,
): readonly Choice<ValueOf<K>>[] {
  if (name !== "network" || region === undefined) return choices;
  const azs = valueSoFar(ctx, values, "availabilityZones");
  const cost = (natGateways: "single" | "onePerAz") =>
    `$${networkIdleUsd(region, { mode: "new", natGateways, availabilityZones: azs, cidrBlock: "" }).toFixed(2)}`;
  const nat = valueSoFar(ctx, values, "natGateways");
  const other = nat === "single" ? "onePerAz" : "single";
  const notes: Record<string, string> = {
    new: `Idle: ${cost(nat)} a month in ${region} for natGateways ${nat} (NAT gateways and their public IPv4 addresses; ${other}${other === "onePerAz" ? ` with ${azs} AZs` : ""}: ${cost(other)})`,
    existing: `Idle: $0.00 a month added by this stack (the VPC's own NAT is the lab's, not counted)`,
  };
  return choices.map((c) => {
    const note = notes[String(c.value)];
    return note === undefined ? c : { ...c, description: c.description ? `${c.description}. ${note}` : note };
  });
}

async function askKey<K extends KeyName>(
  ctx: AskContext,
  values: PartialValues,
  name: K,
  region?: string,
): Promise<void> {
  const row = rowOf(name);
  const question = row.ask;
  if (question === undefined) return;
  const scope = row.scope === undefined ? undefined : SCOPES[row.scope];
  if (scope !== undefined && valueSoFar(ctx, values, scope.key) !== scope.value) return;

  // A value the file holds but AWS (or the parser) would refuse is shown, never dropped: the
  // prompt offers it for editing and refuses it as it stands; --yes stops with its problem.
  const raw = ctx.config[`${PROJECT}:${name}`];
  const rawProblem = raw === undefined ? undefined : checkConfigValue(name, raw);
  const builtIn = defaultOf(name, defaultContext(ctx, values));
  const def: ValueOf<K> | undefined =
    rawProblem !== undefined
      ? undefined
      : (currentValue(ctx.config, name) ??
        (problemOf(name, builtIn) === undefined ? builtIn : question.fallback));

  const given = ctx.flags.values[name];
  if (given !== undefined) {
    const problem = requiredProblem(name, given);
    if (problem) throw new UsageError(`--${flagOf(name)} ${JSON.stringify(toText(given))}: ${problem}`);
    return setValue(values, name, given);
  }
  if (ctx.flags.yes && rawProblem !== undefined) {
    throw new UsageError(
      `${path.basename(ctx.file)} holds a value --yes cannot keep: ${rawProblem.replace(/\. Fix: .*$/, "")}. Fix: pass --${flagOf(name)}, or correct the file`,
    );
  }
  if (ctx.flags.yes) {
    if (def === undefined) {
      const decider = scope ? ` with --${flagOf(scope.key)} ${String(scope.value)}` : "";
      throw new UsageError(
        `--${flagOf(name)} is required${decider} and --yes (${path.basename(ctx.file)} has none). Fix: pass --${flagOf(name)} ${flagText(row.parse(row.example))}`,
      );
    }
    return setValue(values, name, def);
  }

  if (row.type === "boolean") {
    const answer = await ctx.prompts.confirm({ name, message: question.message, default: def === true });
    return setValue(values, name, row.parse(answer));
  }
  if (question.choices !== undefined) {
    const answer = await ctx.prompts.select({
      name,
      message: question.message,
      choices: withCostNotes(ctx, values, name, question.choices, region),
      default: def,
    });
    return setValue(values, name, answer);
  }
  const defText = rawProblem !== undefined ? toText(raw) : def === undefined ? undefined : toText(def);
  const text = await ctx.prompts.input({
    name,
    message: question.message,
    default: defText,
    validate: (t) => {
      // Enter keeps the current value exactly, whatever characters it holds.
      if (t === defText) return rawProblem ?? true;
      const parsed = fromText(name, t);
      return parsed.ok ? (requiredProblem(name, parsed.value) ?? true) : parsed.problem;
    },
  });
  if (text === defText && def !== undefined) return setValue(values, name, def);
  const parsed = fromText(name, text);
  if (!parsed.ok) throw new UsageError(`${name}: ${parsed.problem}`);
  setValue(values, name, parsed.value);
}

async function askProfile(ctx: AskContext): Promise<string> {
  const { config, flags, profiles } = ctx;
  const currentProfile = typeof config["aws:profile"] === "string" ? config["aws:profile"] : undefined;
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
  const def = currentProfile ?? ENV_CREDENTIALS;
  if (flags.profile !== undefined) return flags.profile;
  if (flags.yes) return def;
  return ctx.prompts.select<string>({
    name: "profile",
    message: "AWS profile for this stack",
    default: def,
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
          : `from ${path.basename(ctx.file)}; not in your AWS files`,
      })),
    ],
  });
}

async function askRegion(ctx: AskContext, profile: string): Promise<string> {
  const { config, env, profiles } = ctx;
  const envProfile = env.AWS_PROFILE ?? "default";
  const def =
    (typeof config["aws:region"] === "string" ? config["aws:region"] : undefined) ??
    (profile !== ENV_CREDENTIALS
      ? profiles.regionOf(profile)
      : (env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? profiles.regionOf(envProfile))) ??
    DEFAULT_REGION;
  if (ctx.flags.region !== undefined) return ctx.flags.region;
  if (ctx.flags.yes) return def;
  const text = await ctx.prompts.input({
    name: "region",
    message: "AWS region",
    default: def,
    validate: (v) => checkRegion(v.trim()) ?? true,
  });
  return text.trim();
}
