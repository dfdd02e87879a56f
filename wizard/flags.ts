/**
 * The wizard's command line: a flag per asked key (its name in kebab case), plus the stack,
 * AWS profile and region, `--yes`, `--dir` and `--help`. Flags are checked with the config
 * parser's own words, so a bad one is one line and exit 2.
 */
import { parseArgs } from "node:util";
import { CONFIG, type KeyName, type PartialValues } from "../config/keys";
import { rowOf, setValue } from "../config/keyAccess";
import { SCOPES } from "../config/scopes";
import { checkRegion } from "../config/parse";
import { ASKED_KEYS, ENV_CREDENTIALS, flagOf, fromText } from "./answers";

/** A bad flag, value or file: one line for the user, exit 2. */
export class UsageError extends Error {}

export const DEFAULT_STACK = "dev";

/** Answers given on the command line, validated; undefined where not given. */
export interface FlagAnswers {
  readonly stack?: string;
  /** A profile name, or {@link ENV_CREDENTIALS} for `--no-profile`. */
  readonly profile?: string;
  readonly region?: string;
  readonly values: Readonly<PartialValues>;
  readonly yes: boolean;
  readonly dir?: string;
  readonly help: boolean;
}

function placeholder(name: KeyName): string {
  const r = rowOf(name);
  const flag = `--${flagOf(name)}`;
  if (r.type === "boolean") return `[${flag} | --no-${flagOf(name)}]`;
  if (r.ask?.choices) return `[${flag} ${r.ask.choices.map((c) => String(c.value)).join("|")}]`;
  if (r.type === "integer") return `[${flag} <n>]`;
  if (r.type === "string[]") return `[${flag} <a,b>]`;
  if (r.type === "map") return `[${flag} 'key=value, key=value']`;
  return `[${flag} <${flagOf(name)}>]`;
}

export const USAGE = [
  "usage: npm run wizard -- [--stack <name>] [--profile <name> | --no-profile] [--region <region>]",
  ...ASKED_KEYS.map(placeholder)
    .reduce<string[]>((lines, p) => {
      const last = lines[lines.length - 1];
      if (last !== undefined && last.length + p.length < 90) lines[lines.length - 1] = `${last} ${p}`;
      else lines.push(p);
      return lines;
    }, [])
    .map((l) => `         ${l}`),
  "         [--yes] [--dir <project dir>]",
].join("\n");

/** Pulumi stack names: letters, digits, `-`, `_`, `.`; at most 100 characters. */
export function checkStackName(name: string): string | undefined {
  return /^[A-Za-z0-9_.-]{1,100}$/.test(name) && name !== "." && name !== ".."
    ? undefined
    : `a stack name must be 1 to 100 letters, digits, "-", "_" or "."; got ${JSON.stringify(name)}. Fix: e.g. ${DEFAULT_STACK}`;
}

export function parseFlags(argv: readonly string[]): FlagAnswers {
  const options: Record<string, { type: "string" | "boolean" }> = {
    stack: { type: "string" },
    profile: { type: "string" },
    // Declared so parseArgs accepts it; with allowNegative it arrives as `profile: false`.
    "no-profile": { type: "boolean" },
    region: { type: "string" },
    yes: { type: "boolean" },
    dir: { type: "string" },
    help: { type: "boolean" },
  };
  for (const k of ASKED_KEYS)
    options[flagOf(k)] = { type: CONFIG[k].type === "boolean" ? "boolean" : "string" };

  let v: Record<string, string | boolean | undefined>;
  try {
    v = parseArgs({ args: [...argv], options, strict: true, allowPositionals: false, allowNegative: true })
      .values as Record<string, string | boolean | undefined>;
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}. Fix: see the usage below\n${USAGE}`);
  }
  const str = (f: string) => (typeof v[f] === "string" ? (v[f] as string) : undefined);

  const stack = str("stack");
  if (stack !== undefined) {
    const problem = checkStackName(stack);
    if (problem) throw new UsageError(`--stack ${JSON.stringify(stack)}: ${problem}`);
  }
  let profile: string | undefined;
  if (v.profile === false || v["no-profile"] === true) profile = ENV_CREDENTIALS;
  else if (str("profile") !== undefined) {
    profile = str("profile");
    if (profile?.trim() === "") {
      throw new UsageError(
        `--profile "": give a profile name, or --no-profile for environment / default credentials`,
      );
    }
  }
  const region = str("region");
  if (region !== undefined) {
    const problem = checkRegion(region);
    if (problem) throw new UsageError(`--region ${JSON.stringify(region)}: ${problem}`);
  }

  const values: PartialValues = {};
  for (const name of ASKED_KEYS) {
    const flag = flagOf(name);
    const given = v[flag];
    if (typeof given === "boolean") setValue(values, name, rowOf(name).parse(given));
    if (typeof given !== "string") continue;
    const parsed = fromText(name, given);
    if (!parsed.ok) throw new UsageError(`--${flag} ${JSON.stringify(given)}: ${parsed.problem}`);
    setValue(values, name, parsed.value);
  }

  // A flag of a scoped key implies its scope (--vpc-id means an existing VPC) and contradicts
  // the other mode given outright.
  for (const scope of Object.values(SCOPES)) {
    const given = ASKED_KEYS.filter((k) => {
      const s = CONFIG[k].scope;
      return s !== undefined && SCOPES[s] === scope && values[k] !== undefined;
    });
    if (given.length === 0) continue;
    const decider = values[scope.key];
    if (decider === undefined) setValue(values, scope.key, rowOf(scope.key).parse(scope.value));
    else if (decider !== scope.value) {
      const flags = given.map((k) => `--${flagOf(k)}`).join(" and ");
      const one = given.length === 1;
      throw new UsageError(
        `${flags} only ${one ? "goes" : "go"} with --${flagOf(scope.key)} ${String(scope.value)}; got ${one ? "it" : "them"} with --${flagOf(scope.key)} ${String(decider)}. Fix: drop ${one ? "it" : "them"} or pass --${flagOf(scope.key)} ${String(scope.value)}`,
      );
    }
  }

  return {
    stack,
    profile,
    region,
    values,
    yes: v.yes === true,
    dir: str("dir"),
    help: v.help === true,
  };
}
