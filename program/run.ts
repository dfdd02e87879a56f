import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { PROJECT } from "../config/keys";
import { parseStackConfig } from "../config/parse";
import { ConfigError, type StackSpec } from "../config/spec";
import { zoneProblem } from "../config/zones";
import { buildStack, type StackLookups, type StackOutputs } from "./stack";

/**
 * Reads this stack's config from the Pulumi runtime, validates all of it, looks up what the
 * config depends on in the account (the availability zones), and only then builds the stack:
 * bad config ends the program before any resource exists, with one line per problem (a
 * RunError prints no stack trace).
 */
export async function runProgram(): Promise<StackOutputs> {
  const spec = loadSpec();
  return buildStack(spec, await lookUp(spec));
}

export function loadSpec(): StackSpec {
  try {
    return parseStackConfig(pulumi.runtime.allConfig(), { project: PROJECT, stack: pulumi.getStack() });
  } catch (e) {
    throw asRunError(e);
  }
}

/** The zones a new VPC goes in: the first N the account lists, as awsx would pick them. */
export async function lookUp(spec: StackSpec): Promise<StackLookups> {
  if (spec.network.mode !== "new") return {};
  const zones = await aws.getAvailabilityZones({});
  const problem = zoneProblem(spec, zones.names);
  if (problem) throw asRunError(new ConfigError([problem]));
  return { availabilityZoneNames: zones.names.slice(0, spec.network.availabilityZones) };
}

function asRunError(e: unknown): unknown {
  return e instanceof ConfigError ? new pulumi.RunError(`invalid stack config:\n${e.message}`) : e;
}
