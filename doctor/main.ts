// Entry point of `npm run doctor`: the real AWS clients, clock and streams; the exit code.
import { realDeps, runDoctor } from "./run";

runDoctor(process.argv.slice(2), realDeps()).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    // A bug, not a user error: show it, with a code of its own.
    process.stderr.write(`doctor failed unexpectedly: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exitCode = 3;
  },
);
