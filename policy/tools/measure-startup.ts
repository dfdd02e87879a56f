// Measures how long a policy pack takes from being spawned as the engine spawns it to printing
// its port (tools/start-pack.ts), alternating between the given pack directories so that load
// from other processes falls on each alike.
//
//   npx ts-node --transpile-only policy/tools/measure-startup.ts [--runs 7] <pack-dir>...
//
// Prints one JSON line per pack directory: wall-clock milliseconds to the port line per run and
// their median, and the median CPU milliseconds the pack used by then (which, unlike the wall
// clock, other processes on the machine do not inflate).
import * as path from "node:path";
import { parseArgs } from "node:util";
import { startPack } from "./start-pack";

/** The middle value (the upper middle one for an even count). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    options: { runs: { type: "string", default: "7" } },
    allowPositionals: true,
  });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || positionals.length === 0) {
    throw new Error("usage: measure-startup.ts [--runs N] <pack-dir>...");
  }
  const dirs = positionals.map((d) => path.resolve(d));
  const times = new Map<string, number[]>(dirs.map((d) => [d, []]));
  const cpu = new Map<string, number[]>(dirs.map((d) => [d, []]));
  for (let i = 0; i < runs; i++) {
    for (const dir of dirs) {
      // No engine listens there: a pack only calls the engine to log, and these start quietly.
      const pack = await startPack(dir, "127.0.0.1:1");
      times.get(dir)!.push(Math.round(pack.startMs));
      if (pack.cpuMs !== undefined) cpu.get(dir)!.push(pack.cpuMs);
      await pack.stop();
    }
  }
  for (const [dir, ms] of times) {
    const used = cpu.get(dir)!;
    console.log(
      JSON.stringify({
        pack: dir,
        runs: ms,
        medianMs: median(ms),
        medianCpuMs: used.length > 0 ? median(used) : undefined,
      }),
    );
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
