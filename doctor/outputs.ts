/**
 * The stack's outputs, the doctor's only link to what `pulumi up` made: read with the Pulumi CLI
 * (`pulumi stack output --json`) or from a file with that command's output, then validated
 * against the output contract of program/stack.ts.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import type { StackOutputs } from "../program/stack";
import { FatalError, parseArn } from "./aws";

/** Output names are a public contract (program/stack.ts); `true` = every deployed stack has it. */
const OUTPUT_REQUIRED: { readonly [K in keyof StackOutputs]-?: boolean } = {
  spotQueueName: true,
  spotQueueArn: true,
  onDemandQueueName: false,
  onDemandQueueArn: false,
  workBucketName: true,
  workDir: true,
  jobRoleArn: true,
  launcherPolicyArn: true,
  logGroupName: true,
  vpcId: true,
  nextflowConfig: true,
  budgetName: false,
  containerCacheUris: false,
};

/** The outputs as plain values. */
export type DoctorOutputs = { readonly [K in keyof StackOutputs]: string } & {
  readonly onDemandQueueName?: string;
  readonly onDemandQueueArn?: string;
};

/** One of the stack's queues, as the outputs name it. */
export interface StackQueue {
  /** "spot" or "onDemand": which output pair it came from. */
  readonly role: "spot" | "onDemand";
  readonly name: string;
  readonly arn: string;
}

export function queuesOf(o: DoctorOutputs): StackQueue[] {
  return [
    { role: "spot" as const, name: o.spotQueueName, arn: o.spotQueueArn },
    ...(o.onDemandQueueName !== undefined && o.onDemandQueueArn !== undefined
      ? [{ role: "onDemand" as const, name: o.onDemandQueueName, arn: o.onDemandQueueArn }]
      : []),
  ];
}

const FIX_UNCHANGED = (stack: string) =>
  `Fix: pass the output of \`pulumi stack output --json --stack ${stack}\` unchanged`;

/**
 * Validates `raw` (the parsed JSON) as a deployed stack's outputs. Throws a one-line
 * {@link FatalError} naming the key, what it got, what is allowed and the fix.
 */
export function parseOutputs(raw: unknown, source: string, stack: string): DoctorOutputs {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new FatalError(
      `${source} must be a JSON object of stack outputs; got ${Array.isArray(raw) ? "an array" : typeof raw}. ${FIX_UNCHANGED(stack)}`,
    );
  }
  const o = raw as Record<string, unknown>;
  if (Object.keys(o).length === 0) {
    throw new FatalError(
      `stack ${stack} has no outputs: it has not been deployed, or its last \`pulumi up\` failed before creating them. Fix: pulumi up --stack ${stack}`,
    );
  }
  const out: Record<string, string> = {};
  for (const [key, required] of Object.entries(OUTPUT_REQUIRED)) {
    const v = o[key];
    if (v === undefined || v === null) {
      if (required) {
        throw new FatalError(
          `${source}: output ${key} is missing; a deployed nextflow-batch stack always has it. Fix: pulumi up --stack ${stack} (an older or failed deploy), then try again`,
        );
      }
      continue;
    }
    if (typeof v !== "string" || v.trim() === "") {
      throw new FatalError(
        `${source}: output ${key} must be a non-empty string; got ${JSON.stringify(v)}. ${FIX_UNCHANGED(stack)}`,
      );
    }
    out[key] = v;
  }
  if ((out.onDemandQueueName === undefined) !== (out.onDemandQueueArn === undefined)) {
    throw new FatalError(
      `${source}: onDemandQueueName and onDemandQueueArn come together; got only ${out.onDemandQueueName === undefined ? "onDemandQueueArn" : "onDemandQueueName"}. ${FIX_UNCHANGED(stack)}`,
    );
  }
  for (const key of ["spotQueueArn", "onDemandQueueArn"] as const) {
    const v = out[key];
    if (v === undefined) continue;
    const arn = parseArn(v);
    if (!arn || arn.service !== "batch" || !arn.resource.startsWith("job-queue/") || arn.region === "") {
      throw new FatalError(
        `${source}: ${key} must be a Batch job queue ARN (arn:aws:batch:<region>:<account>:job-queue/<name>); got ${JSON.stringify(v)}. ${FIX_UNCHANGED(stack)}`,
      );
    }
  }
  for (const key of ["jobRoleArn", "launcherPolicyArn"] as const) {
    const arn = parseArn(out[key]);
    if (!arn || arn.service !== "iam") {
      throw new FatalError(
        `${source}: ${key} must be an IAM ARN (arn:aws:iam::<account>:...); got ${JSON.stringify(out[key])}. ${FIX_UNCHANGED(stack)}`,
      );
    }
  }
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(out.workBucketName)) {
    throw new FatalError(
      `${source}: workBucketName must be an S3 bucket name (3-63 lower-case letters, digits, dots, hyphens); got ${JSON.stringify(out.workBucketName)}. ${FIX_UNCHANGED(stack)}`,
    );
  }
  if (!out.workDir.startsWith(`s3://${out.workBucketName}/`)) {
    throw new FatalError(
      `${source}: workDir must be s3://<workBucketName>/<prefix>; got ${JSON.stringify(out.workDir)} with workBucketName ${JSON.stringify(out.workBucketName)}. ${FIX_UNCHANGED(stack)}`,
    );
  }
  return out as unknown as DoctorOutputs;
}

/** The bits of the generated nextflow.config the doctor uses or cross-checks. */
export interface NextflowSettings {
  readonly queue?: string;
  readonly onDemandQueue?: string;
  readonly workDir?: string;
  readonly region?: string;
  readonly cliPath?: string;
  readonly jobRole?: string;
  readonly logsGroup?: string;
}

/** Reads the single-quoted values nextflow/config.ts writes (`key = 'value'`). */
export function parseNextflowConfig(text: string): NextflowSettings {
  const all = (key: string) =>
    [...text.matchAll(new RegExp(`^\\s*${key}\\s*=\\s*'((?:[^'\\\\]|\\\\.)*)'`, "gm"))].map((m) =>
      m[1].replace(/\\(.)/g, "$1"),
    );
  const queues = all("queue");
  return {
    queue: queues[0],
    onDemandQueue: queues[1],
    workDir: all("workDir")[0],
    region: all("region")[0],
    cliPath: all("cliPath")[0],
    jobRole: all("jobRole")[0],
    logsGroup: all("logsGroup")[0],
  };
}

/** Runs a program and returns its stdout; the seam tests replace. */
export type Exec = (
  file: string,
  args: readonly string[],
  cwd: string,
) => Promise<{ stdout: string; stderr: string }>;

export const realExec: Exec = (file, args, cwd) =>
  new Promise((resolve, reject) => {
    execFile(file, [...args], { cwd, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });

/** The raw outputs: from `file` when given, else from the Pulumi CLI in `cwd`. */
export async function loadOutputs(opts: {
  readonly stack: string;
  readonly file?: string;
  readonly cwd: string;
  readonly exec: Exec;
}): Promise<DoctorOutputs> {
  const { stack } = opts;
  if (opts.file !== undefined) {
    let text: string;
    try {
      text = fs.readFileSync(opts.file, "utf8");
    } catch (e) {
      throw new FatalError(
        `--outputs ${opts.file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message}). Fix: create it with \`pulumi stack output --json --stack ${stack} > ${opts.file}\``,
      );
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (e) {
      throw new FatalError(
        `--outputs ${opts.file}: not JSON (${(e as Error).message}). ${FIX_UNCHANGED(stack)}`,
      );
    }
    return parseOutputs(raw, opts.file, stack);
  }
  const args = ["stack", "output", "--json", "--stack", stack];
  let stdout: string;
  try {
    ({ stdout } = await opts.exec("pulumi", args, opts.cwd));
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stderr?: string };
    if (err.code === "ENOENT") {
      throw new FatalError(
        `the Pulumi CLI is not installed here, so the stack's outputs cannot be read. Fix: where it is, run \`pulumi stack output --json --stack ${stack} > ${stack}-outputs.json\` and pass --outputs ${stack}-outputs.json`,
      );
    }
    const detail = (err.stderr ?? "").trim().split("\n").filter(Boolean).pop() ?? err.message;
    if (/no stack named|not found|does not exist/i.test(detail)) {
      throw new FatalError(
        `stack ${stack} does not exist in the Pulumi backend you are logged in to (${detail}). Fix: \`pulumi stack ls\` to see the stacks, \`pulumi login\` to the right backend, or deploy it with \`pulumi up --stack ${stack}\``,
      );
    }
    throw new FatalError(
      `\`pulumi ${args.join(" ")}\` failed: ${detail}. Fix: run it yourself to see why (pulumi login?), or pass --outputs <file>`,
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stdout);
  } catch {
    throw new FatalError(
      `\`pulumi ${args.join(" ")}\` did not print JSON. Fix: update the Pulumi CLI, or pass --outputs <file>`,
    );
  }
  return parseOutputs(raw, `stack ${stack}`, stack);
}
