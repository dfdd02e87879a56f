/**
 * `npm run doctor` flags. Pure: parses argv into {@link DoctorArgs} or throws a one-line
 * {@link UsageError} naming the flag, the value, what is allowed and the fix.
 */
import { parseArgs } from "node:util";
import { checkRegion } from "../config/parse";
import { checkStackName } from "../wizard/flags";

/** Exit codes: 0 healthy, 1 findings, 2 bad arguments/config/credentials or unreadable stack outputs, 130 Ctrl-C. */
export const EXIT = { healthy: 0, findings: 1, invalid: 2, interrupted: 130 } as const;

/** A bad flag or value; exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * The smoke job's image: Amazon Linux 2023 from ECR Public. It has bash and coreutils (df,
 * cat, mktemp) and glibc, which the host's AWS CLI v2 bundle needs (it cannot run on musl,
 * so Alpine-based images would fail); ECR Public has no Docker Hub pull rate limit.
 */
export const DEFAULT_SMOKE_IMAGE = "public.ecr.aws/amazonlinux/amazonlinux:2023";
/** Jobs RUNNABLE longer than this are explained. Matches nothing Batch does itself; a cold start takes 3-8 minutes. */
export const DEFAULT_RUNNABLE_MINUTES = 10;
/** How long `--smoke` waits for its jobs: long enough for a cold start from 0 vCPUs and an image pull. */
export const DEFAULT_TIMEOUT_MINUTES = 30;

export const USAGE = [
  "usage: npm run doctor -- --stack <name> [--outputs <file>] [--smoke] [--json]",
  "         [--profile <name>] [--region <region>] [--dir <project dir>]",
  `         [--runnable-minutes <n, default ${DEFAULT_RUNNABLE_MINUTES}>] [--timeout-minutes <n, default ${DEFAULT_TIMEOUT_MINUTES}>] [--image <smoke image>]`,
  "exit codes: 0 healthy, 1 findings, 2 bad arguments, credentials, region or stack outputs, 130 interrupted",
].join("\n");

export interface DoctorArgs {
  readonly stack: string;
  /** A file with `pulumi stack output --json`; else the Pulumi CLI is asked. */
  readonly outputs?: string;
  readonly smoke: boolean;
  readonly json: boolean;
  /** Overrides the stack file's `aws:profile`. */
  readonly profile?: string;
  /** Overrides the stack file's `aws:region`. */
  readonly region?: string;
  /** The project directory: where Pulumi.<stack>.yaml is and the Pulumi CLI runs. */
  readonly dir?: string;
  readonly runnableMinutes: number;
  readonly timeoutMinutes: number;
  readonly image: string;
  readonly help: boolean;
}

const OPTIONS = {
  stack: { type: "string" },
  outputs: { type: "string" },
  smoke: { type: "boolean" },
  json: { type: "boolean" },
  profile: { type: "string" },
  region: { type: "string" },
  dir: { type: "string" },
  "runnable-minutes": { type: "string" },
  "timeout-minutes": { type: "string" },
  image: { type: "string" },
  help: { type: "boolean" },
} as const;

function minutes(flag: string, raw: string | undefined, def: number, max: number): number {
  if (raw === undefined) return def;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new UsageError(
      `--${flag} ${JSON.stringify(raw)}: must be a whole number of minutes from 1 to ${max}. Fix: e.g. --${flag} ${def}`,
    );
  }
  return n;
}

export function parseDoctorArgs(argv: readonly string[]): DoctorArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options: OPTIONS, strict: true, allowPositionals: false });
  } catch (e) {
    throw new UsageError(`${(e as Error).message.split("\n")[0]}. Fix: see the usage below\n${USAGE}`);
  }
  const v = parsed.values;
  const help = v.help === true;
  const stack = v.stack;
  if (stack === undefined) {
    if (help) return { ...defaults(), help, stack: "" };
    throw new UsageError(
      `--stack is required: the stack to check. Fix: npm run doctor -- --stack dev\n${USAGE}`,
    );
  }
  const stackProblem = checkStackName(stack);
  if (stackProblem) throw new UsageError(`--stack ${JSON.stringify(stack)}: ${stackProblem}`);
  if (v.profile !== undefined && v.profile.trim() === "") {
    throw new UsageError(`--profile "": give a profile name from ~/.aws/config, or leave the flag out`);
  }
  if (v.region !== undefined) {
    const problem = checkRegion(v.region);
    if (problem) {
      throw new UsageError(`--region ${JSON.stringify(v.region)}: ${problem.replace(/^aws:region /, "")}`);
    }
  }
  if (v.outputs !== undefined && v.outputs.trim() === "") {
    throw new UsageError(
      `--outputs "": give the file holding \`pulumi stack output --json --stack ${stack}\`, or leave the flag out`,
    );
  }
  if (v.image !== undefined && !/^[A-Za-z0-9][A-Za-z0-9._\-/:@]*$/.test(v.image)) {
    throw new UsageError(
      `--image ${JSON.stringify(v.image)}: must be a container image reference without spaces. Fix: e.g. --image ${DEFAULT_SMOKE_IMAGE}`,
    );
  }
  return {
    stack,
    outputs: v.outputs,
    smoke: v.smoke === true,
    json: v.json === true,
    profile: v.profile,
    region: v.region,
    dir: v.dir,
    runnableMinutes: minutes("runnable-minutes", v["runnable-minutes"], DEFAULT_RUNNABLE_MINUTES, 1440),
    timeoutMinutes: minutes("timeout-minutes", v["timeout-minutes"], DEFAULT_TIMEOUT_MINUTES, 240),
    image: v.image ?? DEFAULT_SMOKE_IMAGE,
    help,
  };
}

function defaults(): Omit<DoctorArgs, "stack" | "help"> {
  return {
    smoke: false,
    json: false,
    runnableMinutes: DEFAULT_RUNNABLE_MINUTES,
    timeoutMinutes: DEFAULT_TIMEOUT_MINUTES,
    image: DEFAULT_SMOKE_IMAGE,
  };
}
