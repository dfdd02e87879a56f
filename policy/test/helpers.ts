// Test helpers: resources built from the resource class's own type token, and policies run
// through policy/analyze.ts (which builds args the way @pulumi/policy's server does).
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { analyzeResources, type AnalyzedResource, type Violation } from "../analyze";

/** The Pulumi type token of a resource class (`__pulumiType`, not in the .d.ts). */
export function typeOf(resourceClass: unknown): string {
  const type = (resourceClass as { __pulumiType?: unknown }).__pulumiType;
  if (typeof type !== "string") throw new Error("not a Pulumi resource class");
  return type;
}

export function urnOf(type: string, name: string): string {
  return `urn:pulumi:test::nextflow-batch::${type}::${name}`;
}

/** A resource of `resourceClass` named `name` with `props`. */
export function res(resourceClass: unknown, name: string, props: Record<string, unknown>): AnalyzedResource {
  return resOfType(typeOf(resourceClass), name, props);
}

/**
 * A resource of type token `type`: for providers the repository does not install (@pulumi/aws-native),
 * whose tokens come from policies/resource-types.ts. Everything else goes through `res`.
 */
export function resOfType(type: string, name: string, props: Record<string, unknown>): AnalyzedResource {
  return { type, name, urn: urnOf(type, name), props };
}

/** What the engine sends for an unknown string during a preview (@pulumi/policy proxy.js). */
export const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** A policy document with `statement` (one object or a list) as its Statement. */
export function policyDocument(statement: unknown): { Version: string; Statement: unknown } {
  return { Version: "2012-10-17", Statement: statement };
}

/** Deep copy, so a case can change one field of a shared happy-path fixture. */
export function clone<T>(value: T): T {
  return structuredClone(value);
}

/** Runs one policy over `resources`. */
export function run(
  policy: ResourceValidationPolicy | StackValidationPolicy,
  resources: AnalyzedResource[],
  config: Record<string, unknown> = {},
): Promise<Violation[]> {
  return analyzeResources(resources, config, [policy]);
}
