/**
 * Shared test helpers: run the real program under Pulumi's mocks (scripts/offline.ts records
 * every resource and throws on an unmocked invoke) and pick resources out of the result.
 */
import assert from "node:assert/strict";
import { OfflineRun, PlannedResource, runOffline, toPulumiConfig } from "../scripts/offline";

export const STACK = "dev";

/** Runs the program for a stack whose config is `config` (short keys are namespaced for you). */
export function runStack(config: Record<string, unknown>, stack = STACK): Promise<OfflineRun> {
  return runOffline(stack, toPulumiConfig({ "aws:region": "us-east-1", labName: "smith-lab", ...config }));
}

/** The one resource of `type` named `name`; fails if there is none or several. */
export function one(run: OfflineRun, type: string, name: string): PlannedResource {
  const found = run.resources.filter((r) => r.type === type && r.name === name);
  assert.equal(found.length, 1, `expected one ${type} named ${name}, found ${found.length}`);
  return found[0];
}

/** Every resource of `type`, by name. */
export function ofType(run: OfflineRun, type: string): Map<string, PlannedResource> {
  return new Map(run.resources.filter((r) => r.type === type).map((r) => [r.name, r]));
}

/** `type name` for every resource, sorted: the exact resource set. */
export function resourceSet(run: OfflineRun): string[] {
  return run.resources.map((r) => `${r.type} ${r.name}`).sort();
}

/** Parses an IAM or bucket policy document the program sent as JSON text. */
export function policyDoc(value: unknown): { Version: string; Statement: any[] } {
  assert.equal(typeof value, "string", "policy documents go to AWS as JSON text");
  return JSON.parse(value as string);
}
