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
  const type = typeOf(resourceClass);
  return { type, name, urn: urnOf(type, name), props };
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
