// Entry point for `pulumi up`: read the stack config, look up what it depends on, build the
// lab's Batch environment and export what Nextflow users need. Everything lives in program/ so
// tests can build it too. An async export: Pulumi awaits it and exports every field of
// StackOutputs (program/stack.ts), whose names are the outputs' public contract.
import { runProgram } from "./program/run";

export = async () => ({ ...(await runProgram()) });
