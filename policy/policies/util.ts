// Helpers shared by the policies. Side-effect free; no Pulumi resources.
import type { PolicyConfigSchema } from "@pulumi/policy";

/** Arguments that carry a `getConfig` (resource and stack validation args both do). */
interface HasConfig {
  getConfig<T extends object>(): T;
}

/**
 * The policy's config with the schema defaults filled in. The Pulumi CLI applies configSchema
 * defaults before it sends config to the pack, but a pack started without config (a test, a
 * `configure` call that never came) gets `{}` from getConfig, so the policies apply their own.
 */
export function configWithDefaults<T extends object>(args: HasConfig, defaults: T): T {
  return { ...defaults, ...args.getConfig<Partial<T>>() } as T;
}

/** The defaults a configSchema declares, keyed by property. */
export function schemaDefaults(schema: PolicyConfigSchema | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop !== null && typeof prop === "object" && "default" in prop) out[key] = prop.default;
  }
  return out;
}

/** A value as a list: undefined → [], a scalar → [it], a list → itself. */
export function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/** Only the strings of a list-or-scalar value. */
export function stringsOf(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === "string");
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads `a.b.c` from a props object; undefined if any step is missing. */
export function getPath(obj: unknown, ...keys: string[]): unknown {
  let cur: unknown = obj;
  for (const k of keys) {
    if (!isRecord(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

/** A value Terraform-derived providers pass as a string "true" or a boolean true. */
export function isTrue(value: unknown): boolean {
  return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}

/** JSON.stringify for messages: short and unambiguous. */
export function show(value: unknown): string {
  const s = JSON.stringify(value);
  return s === undefined ? String(value) : s.length > 200 ? s.slice(0, 197) + "..." : s;
}

/** Tags of a resource as a plain map (tags or tagsAll, which includes provider default tags). */
export function tagMap(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

/** The required keys missing from (or empty in) the union of the given tag maps. */
export function missingTags(required: readonly string[], ...maps: Record<string, unknown>[]): string[] {
  return required.filter(
    (key) => !maps.some((m) => typeof m[key] === "string" && (m[key] as string).trim() !== ""),
  );
}

/** Whether a resource is on an allowlist of logical names or URNs. */
export function isAllowlisted(allow: readonly string[], name: string, urn: string): boolean {
  return allow.includes(name) || allow.includes(urn);
}
