/**
 * `npm run doctor`: the run loop. Reads the stack's outputs, resolves credentials and region
 * the way the wizard and `pulumi up` do, checks the stack's state, explains jobs stuck in
 * RUNNABLE, optionally runs a smoke job on every queue, and reports.
 *
 * Everything outside (AWS clients, the Pulumi CLI, the clock, output streams) comes in through
 * {@link DoctorDeps}, so tests run it end to end against aws-sdk-client-mock with waits that
 * take no time.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GetCallerIdentityCommand } from "@aws-sdk/client-sts";
import { DEFAULT_PRESET, PRESETS, type PresetName } from "../presets";
import { readStackFile, StackFileError, stackFilePath } from "../config/stackFile";
import {
  call,
  credentialsFor,
  FatalError,
  makeClients,
  parseArn,
  PermissionError,
  type AwsClients,
  type AwsCredentialIdentityProvider,
} from "./aws";
import { checkState, diagnoseWaiting } from "./checks";
import { EXIT, parseDoctorArgs, USAGE, UsageError } from "./cli";
import { hasErrors, type Finding } from "./findings";
import { Gatherer } from "./gather";
import { loadOutputs, parseNextflowConfig, queuesOf, realExec, type Exec } from "./outputs";
import { permissionsSummary } from "./permissions";
import { renderText, toJson, type DoctorReport } from "./report";
import { runSmoke } from "./smoke";

/** How often the smoke loop asks Batch for its jobs' state. */
export const POLL_MS = 10_000;

export interface DoctorDeps {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: { write(s: string): unknown };
  readonly stderr: { write(s: string): unknown };
  /** Runs the Pulumi CLI. */
  readonly exec: Exec;
  readonly credentials: (profile: string | undefined) => AwsCredentialIdentityProvider;
  readonly clients: (region: string, credentials: AwsCredentialIdentityProvider) => AwsClients;
  readonly now: () => Date;
  readonly sleep: (ms: number) => Promise<void>;
  /** A unique id for this run (names the smoke job's objects and tags). */
  readonly runId: () => string;
  readonly pollMs: number;
  /** Aborted on Ctrl-C: the smoke test stops, cleans up, and the doctor exits 130. */
  readonly signal?: AbortSignal;
}

export function realDeps(signal?: AbortSignal): DoctorDeps {
  return {
    signal,
    cwd: process.cwd(),
    env: process.env,
    stdout: process.stdout,
    stderr: process.stderr,
    exec: realExec,
    credentials: credentialsFor,
    clients: makeClients,
    now: () => new Date(),
    sleep: (ms) =>
      new Promise((resolve) => {
        const t = setTimeout(resolve, ms);
        signal?.addEventListener("abort", () => (clearTimeout(t), resolve()), { once: true });
      }),
    runId: () =>
      `${new Date().toISOString().replace(/[-:]/g, "").replace(/\..*$/, "").toLowerCase()}-${Math.random().toString(36).slice(2, 8)}`,
    pollMs: POLL_MS,
  };
}

interface StackFileSettings {
  readonly profile?: string;
  readonly region?: string;
  readonly preset?: PresetName;
  readonly file?: string;
}

/** aws:profile, aws:region and the preset from Pulumi.<stack>.yaml, when the file is here. */
function readStackSettings(dir: string, stack: string): StackFileSettings {
  const file = stackFilePath(dir, stack);
  if (!fs.existsSync(file)) return {};
  let config: Readonly<Record<string, unknown>>;
  try {
    config = readStackFile(file).config;
  } catch (e) {
    if (e instanceof StackFileError) throw new FatalError(e.message);
    throw e;
  }
  const str = (k: string) => (typeof config[k] === "string" ? (config[k] as string) : undefined);
  const preset = str("nextflow-batch:preset") ?? DEFAULT_PRESET;
  return {
    file: path.basename(file),
    profile: str("aws:profile"),
    region: str("aws:region"),
    preset: Object.prototype.hasOwnProperty.call(PRESETS, preset) ? (preset as PresetName) : undefined,
  };
}

/** Runs the doctor; returns the exit code. Never throws for user errors. */
export async function runDoctor(argv: readonly string[], deps: DoctorDeps): Promise<number> {
  let json = argv.includes("--json");
  const err = (line: string) => deps.stderr.write(`${line}\n`);
  try {
    const args = parseDoctorArgs(argv);
    json = args.json;
    if (args.help) {
      deps.stdout.write(`${USAGE}\n${permissionsSummary()}\n`);
      return EXIT.healthy;
    }
    // Progress goes where a person watches; with --json, stdout carries only the JSON.
    const progress = (line: string) => (json ? deps.stderr : deps.stdout).write(`${line}\n`);
    const dir = path.resolve(deps.cwd, args.dir ?? ".");
    const fromFile = readStackSettings(dir, args.stack);

    progress(
      `Reading the outputs of stack ${args.stack}${args.outputs ? ` from ${args.outputs}` : " (pulumi stack output)"} ...`,
    );
    const outputs = await loadOutputs({
      stack: args.stack,
      file: args.outputs === undefined ? undefined : path.resolve(deps.cwd, args.outputs),
      cwd: dir,
      exec: deps.exec,
    });
    const queues = queuesOf(outputs);
    const arn = parseArn(outputs.spotQueueArn)!;

    // Region: the stack lives where its queues are. An explicit region that disagrees is a mistake.
    const given = args.region
      ? { value: args.region, from: "--region" }
      : fromFile.region
        ? { value: fromFile.region, from: `aws:region in ${fromFile.file}` }
        : undefined;
    if (given && given.value !== arn.region) {
      throw new FatalError(
        `${given.from} is ${given.value}, but the stack's queues are in ${arn.region} (their ARNs say so). Fix: ${given.from === "--region" ? `use --region ${arn.region}, or leave it out` : `the stack file and the outputs disagree: pass the right --stack or --outputs`}`,
      );
    }
    const region = arn.region;
    const profile = args.profile ?? fromFile.profile;
    const clients = deps.clients(region, deps.credentials(profile));

    const identity = await call("sts:GetCallerIdentity", profile, () =>
      clients.sts.send(new GetCallerIdentityCommand({})),
    );
    if (arn.account !== "" && identity.Account !== arn.account) {
      throw new FatalError(
        `your credentials (${profile === undefined ? "default chain" : `profile ${profile}`}) are for account ${identity.Account}, but stack ${args.stack} is in account ${arn.account}. Fix: use the lab's profile (--profile, or aws:profile in the stack file)`,
      );
    }
    const caller = identity.Arn ?? "?";
    progress(`Stack ${args.stack}: account ${arn.account}, ${region}, checking as ${caller}`);

    const now = deps.now;
    const g = new Gatherer({
      clients,
      profile,
      callerArn: caller,
      launcherPolicyArn: outputs.launcherPolicyArn,
      stack: args.stack,
      now,
    });
    const settings = parseNextflowConfig(outputs.nextflowConfig);
    const state = await checkState(g, outputs, queues, settings, region, progress);
    const findings: Finding[] = [...state.findings];
    findings.push(...(await diagnoseWaiting(g, queues, state, args.runnableMinutes * 60_000, progress)));

    if (deps.signal?.aborted) {
      err("interrupted before the report; nothing was changed");
      return EXIT.interrupted;
    }

    let smoke: DoctorReport["smoke"];
    const passed = [...state.passed];
    if (args.smoke) {
      const cliPath = settings.cliPath;
      if (cliPath === undefined) {
        throw new FatalError(
          "the stack's nextflowConfig output sets no aws.batch.cliPath, so the smoke job cannot mount the host's AWS CLI as Nextflow would. Fix: pulumi up, then run the doctor again",
        );
      }
      const storage = fromFile.preset === undefined ? undefined : PRESETS[fromFile.preset].storage;
      const res = await runSmoke(
        g,
        {
          queues,
          image: args.image,
          cliPath,
          region,
          workBucketName: outputs.workBucketName,
          workDir: outputs.workDir,
          jobRoleArn: outputs.jobRoleArn,
          logGroupName: outputs.logGroupName,
          runId: deps.runId(),
          timeoutMs: args.timeoutMinutes * 60_000,
          runnableMs: args.runnableMinutes * 60_000,
          pollMs: deps.pollMs,
          storage,
        },
        state,
        { sleep: deps.sleep, progress, signal: deps.signal },
      );
      if (res.interrupted) {
        err("interrupted: the smoke jobs were stopped and what the smoke test made was removed");
        return EXIT.interrupted;
      }
      findings.push(...res.findings);
      passed.push(...res.passed);
      smoke = { jobs: res.jobs };
    }
    findings.unshift(...g.denied);

    const exitCode = hasErrors(findings) ? EXIT.findings : EXIT.healthy;
    const report: DoctorReport = {
      stack: args.stack,
      region,
      account: arn.account,
      caller,
      profile,
      exitCode,
      passed,
      findings,
      smoke,
    };
    if (json) deps.stdout.write(`${JSON.stringify(toJson(report), null, 2)}\n`);
    else for (const line of renderText(report)) deps.stdout.write(`${line}\n`);
    return exitCode;
  } catch (e) {
    const fail = (message: string) => {
      err(`error: ${message}`);
      // Machines reading --json get a document either way.
      if (json) deps.stdout.write(`${JSON.stringify({ error: message, exitCode: EXIT.invalid }, null, 2)}\n`);
      return EXIT.invalid;
    };
    if (e instanceof UsageError || e instanceof FatalError) return fail(e.message);
    if (e instanceof PermissionError) return fail(`${e.message}. Fix: ${permissionsSummary()}`);
    throw e;
  }
}
