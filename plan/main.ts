/**
 * `npm run plan -- --stack <name> [--json]`: what `pulumi up` would create for a stack, worked
 * out on this machine with no AWS account, no Pulumi CLI and no provider plugin. The real
 * program runs in-process under Pulumi's mocks (plan/offline.ts); the policy pack checks
 * the result the way the engine would.
 *
 * Exit codes: 0 clean, 1 a mandatory policy is violated, 2 the config or arguments are invalid
 * (one line per problem, no stack trace).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { PROJECT } from "../config/keys";
import { parseStackConfig } from "../config/parse";
import { ConfigError, type StackSpec } from "../config/spec";
import { analyzeResources, type Violation } from "../policy/analyze";
import { isPresetName, PRESET_NAMES } from "../presets";
import type { StackOutputs } from "../program/stack";
import { amiAgeDays, amiReleaseDate, ecsAmiName, ecsAmiParameter } from "../hosts/ami";
import type { StackLookups } from "../program/stack";
import { zoneProblem } from "../config/zones";
import { engineConfig, EngineConfigError, type EngineConfig } from "../config/engineConfig";
import {
  assumedZones,
  knowsZonesOf,
  MOCK_ACCOUNT_ID,
  runOffline,
  toPulumiConfig,
  type OfflineRun,
} from "./offline";
import { renderTree, toJson } from "./render";

export const EXIT = { clean: 0, violation: 1, invalid: 2 } as const;

class UsageError extends Error {}

const USAGE = "usage: npm run plan -- --stack <name> [--json] | --preset <name> [--region <region>] [--json]";

/** What the plan had to assume, since only a real account can tell. */
export interface Assumptions {
  /** The zones a new VPC would use, from {@link assumedZones}; undefined with an existing VPC. */
  readonly availabilityZones: readonly string[] | undefined;
  /** Whether the region is in the offline zone table, or three zones were guessed. */
  readonly zonesKnown: boolean;
  readonly hostAmi: {
    readonly name: string;
    readonly ssmParameter: string;
    readonly released: string;
    readonly ageDays: number | undefined;
  };
  readonly accountId: string;
}

export interface PlanResult {
  readonly stack: string;
  readonly spec: StackSpec;
  readonly run: OfflineRun;
  readonly violations: Violation[];
  readonly assumptions: Assumptions;
  /** What the engine would warn about while loading the stack file. */
  readonly warnings: readonly string[];
}

/**
 * Reads `Pulumi.<stack>.yaml` in the project directory `dir` the way the Pulumi engine hands
 * it to the program (config/engineConfig.ts), with `Pulumi.yaml`'s declared defaults and types.
 */
export function readStackConfig(dir: string, stack: string): EngineConfig {
  const project = path.join(dir, "Pulumi.yaml");
  if (!fs.existsSync(project)) {
    throw new UsageError(
      `${dir} has no Pulumi.yaml, so it is not the project directory. Fix: run from the nextflow-batch checkout, or pass --dir <it>`,
    );
  }
  const file = path.join(dir, `Pulumi.${stack}.yaml`);
  if (!fs.existsSync(file)) {
    throw new UsageError(
      `--stack ${stack}: ${file} does not exist. Fix: create it with \`npm run wizard -- --stack ${stack}\` or name an existing stack`,
    );
  }
  return engineConfig(fs.readFileSync(file, "utf8"), fs.readFileSync(project, "utf8"), stack);
}

export interface PlanOptions {
  /** Builds a deliberately different stack from the resolved spec (tests of the policies). */
  readonly program?: (spec: StackSpec, lookups: StackLookups) => StackOutputs;
  /** The engine's warnings from loading the stack file. */
  readonly warnings?: readonly string[];
  /** When the plan runs: the AMI's age is measured to it. */
  readonly now?: Date;
  /** Declared-type problems the CLI would stop at (config/engineConfig.ts). */
  readonly typeProblems?: EngineConfig["typeProblems"];
}

/**
 * Parses like the program, failing where `pulumi preview` would fail: the parser's own line
 * for each bad key (it names the value and the fix), and the CLI's type line for any key the
 * parser let through.
 */
function parseAsPreview(
  values: Record<string, string>,
  stack: string,
  typeProblems: EngineConfig["typeProblems"],
) {
  let ours: readonly string[] = [];
  try {
    const spec = parseStackConfig(values, { project: PROJECT, stack });
    if (typeProblems.length === 0) return spec;
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    ours = e.problems;
  }
  const theirs = typeProblems.filter((t) => !ours.some((line) => line.startsWith(`${t.key} `)));
  throw new ConfigError([...ours, ...theirs.map((t) => t.line)]);
}

/**
 * Validates the config, runs the program offline and checks the result with the policy pack.
 * `config` holds fully qualified keys with the engine's text values (YAML-native values are
 * turned into that text first, as tests write them).
 */
export async function plan(
  stack: string,
  config: Record<string, unknown>,
  opts: PlanOptions = {},
): Promise<PlanResult> {
  const values = toPulumiConfig(config);
  const spec = parseAsPreview(values, stack, opts.typeProblems ?? []);
  const zones = assumedZones(spec.region);
  const zonesProblem = zoneProblem(spec, zones);
  if (zonesProblem)
    throw new ConfigError([`${zonesProblem} (offline: assumed the zones a typical account sees)`]);
  const lookups: StackLookups =
    spec.network.mode === "new"
      ? { availabilityZoneNames: zones.slice(0, spec.network.availabilityZones) }
      : {};
  const program = opts.program;
  const run = await runOffline(stack, values, program && (() => program(spec, lookups)));
  const violations = await analyzeResources(
    run.resources
      .filter((r) => r.custom)
      .map((r) => ({ type: r.type, name: r.name, urn: r.urn, props: r.state, parent: r.parent })),
  );
  const assumptions: Assumptions = {
    availabilityZones: lookups.availabilityZoneNames,
    zonesKnown: knowsZonesOf(spec.region),
    hostAmi: {
      name: ecsAmiName(spec.hostAmiVersion, spec.architecture),
      ssmParameter: ecsAmiParameter(spec.hostAmiVersion, spec.architecture),
      released: amiReleaseDate(spec.hostAmiVersion)?.toISOString().slice(0, 10) ?? "?",
      ageDays: amiAgeDays(spec.hostAmiVersion, opts.now ?? new Date()),
    },
    accountId: MOCK_ACCOUNT_ID,
  };
  return { stack, spec, run, violations, assumptions, warnings: opts.warnings ?? [] };
}

export function exitCodeFor(violations: readonly Violation[]): number {
  return violations.some((v) => v.enforcementLevel === "mandatory") ? EXIT.violation : EXIT.clean;
}

export async function main(
  argv: string[],
  cwd: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        options: {
          stack: { type: "string" },
          preset: { type: "string" },
          region: { type: "string" },
          json: { type: "boolean", default: false },
          dir: { type: "string" },
          help: { type: "boolean", default: false },
        },
        strict: true,
        allowPositionals: false,
      });
    } catch (e) {
      throw new UsageError(`${(e as Error).message.split("\n")[0]}. ${USAGE}`);
    }
    const o = parsed.values;
    if (o.help) return { code: 0, stdout: USAGE, stderr: "" };
    if ((o.stack === undefined) === (o.preset === undefined)) {
      throw new UsageError(
        `give exactly one of --stack or --preset; got ${o.stack === undefined ? "neither" : "both"}. ${USAGE}`,
      );
    }
    if (o.region !== undefined && o.preset === undefined) {
      throw new UsageError(`--region only goes with --preset (a stack's region is its aws:region). ${USAGE}`);
    }
    let stack: string;
    let config: Record<string, unknown>;
    let engine: EngineConfig | undefined;
    if (o.preset !== undefined) {
      if (!isPresetName(o.preset)) {
        throw new UsageError(
          `--preset must be one of ${PRESET_NAMES.join(", ")}; got "${o.preset}". Fix: pick one of those`,
        );
      }
      stack = o.preset;
      config = {
        "aws:region": o.region ?? "us-east-1",
        [`${PROJECT}:preset`]: o.preset,
        [`${PROJECT}:labName`]: "example-lab",
      };
    } else {
      stack = o.stack!;
      engine = readStackConfig(o.dir ?? cwd, stack);
      config = engine.values;
    }
    const result = await plan(stack, config, {
      warnings: engine?.warnings,
      typeProblems: engine?.typeProblems,
    });
    const stdout = o.json ? JSON.stringify(toJson(result), null, 2) : renderTree(result);
    const stderr = result.warnings.map((w) => `warning: ${w}`).join("\n");
    return { code: exitCodeFor(result.violations), stdout, stderr };
  } catch (e) {
    if (e instanceof ConfigError || e instanceof EngineConfigError) {
      return { code: EXIT.invalid, stdout: "", stderr: e.problems.map((p) => `error: ${p}`).join("\n") };
    }
    if (e instanceof UsageError) return { code: EXIT.invalid, stdout: "", stderr: `error: ${e.message}` };
    throw e;
  }
}

if (require.main === module) {
  main(process.argv.slice(2), process.cwd()).then(
    ({ code, stdout, stderr }) => {
      if (stdout) process.stdout.write(`${stdout}\n`);
      if (stderr) process.stderr.write(`${stderr}\n`);
      process.exitCode = code;
    },
    (e) => {
      process.stderr.write(`plan failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exitCode = 3;
    },
  );
}
