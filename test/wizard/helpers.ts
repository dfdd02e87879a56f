// Shared by the wizard specs: a temporary project directory, prompts answered by name, and
// a wizard run that captures its output.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { runWizard } from "../../wizard/main";
import type { Choice, Prompts } from "../../wizard/prompts";

export const ROOT = path.join(__dirname, "..", "..");
export const FIXTURES = path.join(__dirname, "..", "fixtures", "wizard");
export const AWS_FILES = {
  configFilepath: path.join(FIXTURES, "aws", "config"),
  filepath: path.join(FIXTURES, "aws", "credentials"),
};

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary project directory: Pulumi.yaml and nothing else. */
export function projectDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-spec-"));
  tempDirs.push(dir);
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  return dir;
}

export interface Asked {
  name: string;
  default: unknown;
  choices?: readonly Choice<unknown>[];
}

/**
 * Prompts answered by name; a name without an answer takes the prompt's default (Enter).
 * A string answer goes through the prompt's own validate, as typing it would.
 */
export function scripted(answers: Record<string, unknown>, asked: Asked[] = []): Prompts {
  const answer = (
    q: { name: string; default?: unknown; validate?: (v: string) => true | string },
    choices?: readonly Choice<unknown>[],
  ) => {
    asked.push({ name: q.name, default: q.default, choices });
    const v = Object.prototype.hasOwnProperty.call(answers, q.name) ? answers[q.name] : q.default;
    if (v instanceof Error) throw v;
    if (v === undefined) throw new Error(`prompt ${q.name} has no answer and no default`);
    if (q.validate && typeof v === "string") {
      const ok = q.validate(v);
      if (ok !== true) throw new Error(`prompt ${q.name} rejected ${JSON.stringify(v)}: ${ok}`);
    }
    return v;
  };
  return {
    input: async (q) => answer(q) as string,
    select: async <T>(q: { name: string; message: string; choices: readonly Choice<T>[]; default?: T }) =>
      answer(q, q.choices) as T,
    confirm: async (q) => answer(q) as boolean,
  };
}

export class ExitPromptError extends Error {
  override name = "ExitPromptError";
}

export async function wizard(dir: string, argv: string[], prompts?: Prompts, env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runWizard({
    cwd: dir,
    argv,
    prompts,
    env,
    awsFiles: AWS_FILES,
    interactive: true,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

export const read = (dir: string, stack: string) =>
  fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");

export const NEW_DEFAULTS = `# Written by \`npm run wizard\`; re-run it or edit by hand (\`npm run plan\` checks the result).

config:
  aws:region: eu-west-1
  nextflow-batch:labName: dev
  nextflow-batch:preset: m5-gp3
  nextflow-batch:maxVcpus: 1024
  nextflow-batch:onDemandQueue: true
  nextflow-batch:network: new
  nextflow-batch:workRetentionDays: 30
`;
