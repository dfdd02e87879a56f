import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/keys";
import { parseStackConfig } from "../config/parse";
import { ConfigError, type StackSpec } from "../config/spec";
import { buildStack, StackOutputs } from "./stack";

/**
 * Reads this stack's config from the Pulumi runtime, validates all of it before any resource
 * exists, and builds the stack. Bad config ends the program with one line per problem
 * (a RunError prints no stack trace).
 */
export function runProgram(): StackOutputs {
  return buildStack(loadSpec());
}

export function loadSpec(): StackSpec {
  try {
    return parseStackConfig(pulumi.runtime.allConfig(), { project: PROJECT, stack: pulumi.getStack() });
  } catch (e) {
    if (e instanceof ConfigError) throw new pulumi.RunError(`invalid stack config:\n${e.message}`);
    throw e;
  }
}
