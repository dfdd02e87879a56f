// Starts a policy pack the way the engine does, for the gRPC test and the start-up measurement:
// `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with cwd = the pack dir
// (sdk/nodejs/cmd/pulumi-language-nodejs/main.go, RunPlugin: analyzer plugins get the pack
// directory as the last argument and as working directory), the runner resolved from the pack's
// own node_modules (locateModule there). The pack prints its port as its first stdout line.
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";

export interface StartedPack {
  readonly child: ChildProcess;
  /** The analyzer's port on 127.0.0.1. */
  readonly port: number;
  /** Milliseconds from spawning the runner to the port line. */
  readonly startMs: number;
  /** Everything the pack wrote to stderr so far (it keeps growing). */
  stderr(): string;
  /** Ends the pack and waits for it to exit. */
  stop(): Promise<void>;
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
      child.off("exit", onExit);
      const port = Number(line.trim());
      if (!Number.isInteger(port) || port <= 0) {
        void stop();
        reject(new Error(`run-policy-pack printed ${JSON.stringify(line)} instead of a port: ${stderr}`));
        return;
      }
      resolve({ child, port, startMs, stderr: () => stderr, stop });
    });
  });
}
