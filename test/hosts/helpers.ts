// Shared helpers for the host-bootstrap tests (test/bootstrap-*.spec.ts).
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import * as path from "node:path";

/** hosts/bootstrap: the scripts userData.ts assembles. */
export const BOOTSTRAP_DIR = path.join(__dirname, "..", "..", "hosts", "bootstrap");
/** test/fixtures/bootstrap: shims and helpers the tests run. */
export const FIXTURE_DIR = path.join(__dirname, "..", "fixtures", "bootstrap");
/**
 * Debian's python, which has the cloud-init package's modules. Not the pyenv python that
 * may come first on PATH.
 */
export const SYSTEM_PYTHON = "/usr/bin/python3";

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to completion and returns its exit status and output. */
export function run(command: string, args: readonly string[], options: SpawnSyncOptions = {}): RunResult {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) {
    throw new Error(`could not run ${command}: ${result.error.message}`);
  }
  return { status: result.status, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** Runs a command that must succeed; returns its stdout. */
export function runOk(command: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const result = run(command, args, options);
  if (result.status !== 0) {
    throw new Error(
      `${command} ${args.join(" ")} exited ${result.status}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`,
    );
  }
  return result.stdout;
}

/**
 * Fails (never skips: CI runs as root) when the tests cannot run as root, saying why.
 */
export function requireRoot(why: string): void {
  if (process.getuid?.() !== 0) {
    throw new Error(`this test must run as root (${why}); run it as root, as CI does (.ci/run)`);
  }
}

/** A command a test shells out to, and the Debian package that provides it. */
export interface Tool {
  readonly command: string;
  readonly debianPackage: string;
}

/** Fails, listing what is missing and which Debian packages provide it, if a tool is absent. */
export function requireTools(tools: readonly Tool[]): void {
  const missing = tools.filter((tool) => {
    const found = spawnSync("sh", ["-c", 'command -v "$1"', "sh", tool.command], { encoding: "utf8" });
    return found.status !== 0;
  });
  if (missing.length > 0) {
    const list = missing.map((tool) => `${tool.command} (Debian package ${tool.debianPackage})`).join(", ");
    throw new Error(
      `missing tools: ${list}. Install them with apt-get, as .ci/run does; these tests do not skip.`,
    );
  }
}
