/**
 * `npm run wizard`: walks a lab admin through creating or updating `Pulumi.<stack>.yaml`.
 *
 * Every prompt has a default, so Enter throughout gives a valid, policy-clean stack; answers
 * are checked as typed with the config parser's own messages. Before writing it shows the
 * resolved settings, the host I/O and cost table, the idle cost, and a key-level diff, then
 * asks. An update
 * rewrites only the lines of the keys it changes.
 *
 * Non-interactive: a flag per answer (see USAGE) plus `--yes` (defaults for the rest, no
 * confirmation). Exit codes: 0 written or nothing to change, 1 not confirmed, 2 invalid flag,
 * value or file, 130 cancelled (Ctrl-C).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PROJECT } from "../config/keys";
import { parseStackConfig } from "../config/parse";
import { ConfigError, type StackSpec } from "../config/spec";
import {
  applyToConfig,
  diffConfig,
  editedText,
  readStackFile,
  renderDiff,
  StackFileError,
  stackFilePath,
  writeAtomically,
} from "../config/stackFile";
import { hostIoTable, renderHostIoTable } from "../reports/hostIo";
import { idleCost, renderIdleCost } from "../reports/idleCost";
import { editFor } from "./edit";
import { checkStackName, DEFAULT_STACK, parseFlags, USAGE, UsageError } from "./flags";
import { loadAwsProfiles, type AwsProfiles } from "./profiles";
import { inquirerPrompts, isCancel, type Prompts } from "./prompts";
import { askAll } from "./questions";
import { nextSteps, renderSummary } from "./summary";
import type { SharedConfigInit } from "@smithy/shared-ini-file-loader";

export const EXIT = { ok: 0, declined: 1, invalid: 2, cancelled: 130 } as const;

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

/** Runs the wizard; returns the exit code. Never throws for user errors or Ctrl-C. */
export async function runWizard(opts: WizardOptions): Promise<number> {
  const out = (line = "") => opts.stdout?.write(`${line}\n`) ?? process.stdout.write(`${line}\n`);
  const err = (line: string) => opts.stderr?.write(`${line}\n`) ?? process.stderr.write(`${line}\n`);
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

    const env = opts.env ?? process.env;
    const answers = await askAll({
      flags,
      prompts,
      stack,
      config: file.config,
      file: file.path,
      profiles,
      env,
    });
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
    for (const line of renderSummary(spec, answers.profile, file.path, isNew)) out(line);
    out();
    out("Host I/O and storage cost per instance size:");
    for (const line of renderHostIoTable(hostIoTable(spec))) out(`  ${line}`);
    out();
    out("Idle cost (what the stack bills with no job running):");
    for (const line of renderIdleCost(idleCost(spec), spec.network)) out(`  ${line}`);
    out();

    const changes = diffConfig(file.config, after);
    const name = path.basename(file.path);
    if (changes.length === 0) {
      out(`${name} already has these settings; nothing written.`);
      for (const line of nextSteps(stack, false)) out(line);
      return EXIT.ok;
    }
    out(`${isNew ? "Will create" : "Changes to"} ${name} (+ added, ~ changed, - removed):`);
    for (const line of renderDiff(changes)) out(`  ${line}`);
    out();
    if (!flags.yes) {
      const ok = await prompts.confirm({
        name: "write",
        message: `${isNew ? "Create" : "Update"} ${name}?`,
        default: true,
      });
      if (!ok) {
        out("Not confirmed; nothing written.");
        return EXIT.declined;
      }
    }
    writeAtomically(file.path, editedText(file, edit), file.original);
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
