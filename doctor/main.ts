// Entry point of `npm run doctor`: the real AWS clients, clock and streams; the exit code.
import { realDeps, runDoctor } from "./run";

// The first Ctrl-C stops the smoke test and lets it clean up; a second one quits at once.
const interrupt = new AbortController();
process.on("SIGINT", () => {
  if (interrupt.signal.aborted) process.exit(130);
  process.stderr.write("\nStopping: cleaning up the smoke test (Ctrl-C again to quit at once) ...\n");
  interrupt.abort();
});

runDoctor(process.argv.slice(2), realDeps(interrupt.signal)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A bug, not a user error: show it, with a code of its own.
    process.stderr.write(`doctor failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
