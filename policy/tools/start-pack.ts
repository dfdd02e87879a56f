// Packs a policy pack the way `pulumi policy publish` does, and starts one the way the engine
// does, for the gRPC test and the start-up measurement.
//
// Starting:
// `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with cwd = the pack dir
// (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin: analyzer plugins get the pack
// directory as the last argument and as working directory), the runner resolved from the pack's
// own node_modules (locateModule there). The pack prints its port as its first stdout line.
//
// Packing: `npm pack` in the pack directory (pkg/backend/httpstate/policypack.go, Publish, through
// sdk/nodejs/npm), so package.json "files" decides what is published; an installed pack is that
// tarball's package/ directory after `npm install` there (installRequiredPolicy).
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as readline from "node:readline";

/**
 * Packs `packDir` into `destDir` with npm pack and unpacks it there, as the service receives it.
 * Returns the unpacked directory (`destDir`/package) and the packed file list. With
 * `nodeModules`, the unpacked pack gets that directory as its node_modules (a link), in place of
 * the `npm install` an installation runs.
 */
export function packLikePublish(
  packDir: string,
  destDir: string,
  nodeModules?: string,
): { readonly dir: string; readonly files: string[] } {
  const out = execFileSync("npm", ["pack", "--json", "--pack-destination", destDir], {
    cwd: packDir,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
  const [info] = JSON.parse(out) as { filename: string; files: { path: string }[] }[];
  execFileSync("tar", ["-xzf", path.join(destDir, info.filename), "-C", destDir]);
  const dir = path.join(destDir, "package");
  if (nodeModules !== undefined) fs.symlinkSync(nodeModules, path.join(dir, "node_modules"), "dir");
  return { dir, files: info.files.map((f) => f.path).sort() };
}

export interface StartedPack {
  readonly child: ChildProcess;
  /** The analyzer's port on 127.0.0.1. */
  readonly port: number;
  /** Milliseconds from spawning the runner to the port line. */
  readonly startMs: number;
  /**
   * CPU milliseconds (user + system) the pack had used by then, from /proc (Linux; undefined
   * elsewhere). Unlike startMs it does not grow when other processes compete for the CPU.
   */
  readonly cpuMs: number | undefined;
  /** Everything the pack wrote to stderr so far (it keeps growing). */
  stderr(): string;
  /** Ends the pack and waits for it to exit. */
  stop(): Promise<void>;
}

// /proc/<pid>/stat counts CPU time in clock ticks; `getconf CLK_TCK` is 100 on Linux.
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of process `pid` in milliseconds, from /proc/<pid>/stat. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** The run-policy-pack entry point the engine would run for `packDir`. */
export function runPolicyPackPath(packDir: string): string {
  return path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack", { paths: [packDir] }));
}

export function startPack(packDir: string, engineAddress: string): Promise<StartedPack> {
  const started = process.hrtime.bigint();
  const child = spawn(process.execPath, [runPolicyPackPath(packDir), engineAddress, packDir], {
    cwd: packDir,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void =>
      reject(new Error(`run-policy-pack exited ${code} before printing its port: ${stderr}`));
    child.once("exit", onExit);
    readline.createInterface({ input: child.stdout! }).once("line", (line) => {
      const startMs = Number(process.hrtime.bigint() - started) / 1e6;
      const cpuMs = cpuMsOf(child.pid);
      child.off("exit", onExit);
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) {
        void stop();
        reject(new Error(`run-policy-pack printed ${JSON.stringify(line)} instead of a port: ${stderr}`));
        return;
      }
      resolve({ child, port, startMs, cpuMs, stderr: () => stderr, stop });
    });
  });
}
