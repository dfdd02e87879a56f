/**
 * Answers as the wizard reads and shows them: every asked key's value as prompt or flag text
 * and back, checked with the config parser's own words. Pure.
 */
import { checkConfigValue } from "../config/parse";
import { requiredLine } from "../config/messages";
import { CONFIG, KEY_NAMES, PROJECT, type KeyName, type PartialValues, type ValueOf } from "../config/keys";
import { rowOf } from "../config/keyAccess";
import { SCOPES } from "../config/scopes";

/** The profile choice meaning "no aws:profile key": the AWS SDK's own chain (env vars, SSO, default profile). */
export const ENV_CREDENTIALS = "";

/** Every answer: the stack, its AWS credentials and region, and the keys the wizard asked. */
export interface Answers {
  readonly stack: string;
  /** A profile name, or {@link ENV_CREDENTIALS}. */
  readonly profile: string;
  readonly region: string;
  readonly values: Readonly<PartialValues>;
}

/** The keys the wizard asks, in the order it asks them: the lab's identity first, then the README's order. */
export const ASKED_KEYS: readonly KeyName[] = [
  ...KEY_NAMES.filter((k) => CONFIG[k].ask?.early === true),
  ...KEY_NAMES.filter((k) => CONFIG[k].ask !== undefined && CONFIG[k].ask?.early !== true),
];

/** `maxVcpus` → `max-vcpus`: a key's flag. */
export const flagOf = (name: KeyName) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

export function splitList(raw: string): string[] {
  return raw
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** `"key=value, key=value"` to a map; a problem line when a piece has no `=` or a key repeats. */
export function parseCostTags(raw: string): Record<string, string> | string {
  const tags: Record<string, string> = {};
  for (const piece of splitList(raw)) {
    const eq = piece.indexOf("=");
    if (eq <= 0) {
      return `cost tags must be "key=value" pairs separated by commas; ${JSON.stringify(piece)} has no key=value. Fix: e.g. grant=R01-GM000000, cost-center=1234`;
    }
    const k = piece.slice(0, eq).trim();
    if (Object.prototype.hasOwnProperty.call(tags, k)) {
      return `cost tags must not repeat a key; ${JSON.stringify(k)} appears twice. Fix: keep one`;
    }
    tags[k] = piece.slice(eq + 1).trim();
  }
  return tags;
}

export function formatCostTags(tags: Readonly<Record<string, string>>): string {
  return Object.entries(tags)
    .map(([k, v]) => `${k}=${v}`)
    .join(", ");
}

/** A value as prompt text: lists comma-separated, maps as `key=value` pairs. */
export function toText(value: unknown): string {
  if (Array.isArray(value)) return value.join(", ");
  if (typeof value === "object" && value !== null) return formatCostTags(value as Record<string, string>);
  return String(value);
}

/** Prompt or flag text as a value of `name`, or the line saying why it is not one. */
export function fromText<K extends KeyName>(
  name: K,
  text: string,
): { ok: true; value: ValueOf<K> } | { ok: false; problem: string } {
  const r = rowOf(name);
  let raw: unknown = text.trim();
  if (r.type === "string[]") raw = splitList(text);
  if (r.type === "map") {
    const tags = parseCostTags(text);
    if (typeof tags === "string") return { ok: false, problem: tags };
    raw = tags;
  }
  const problem = checkConfigValue(name, raw);
  return problem === undefined ? { ok: true, value: r.parse(raw) } : { ok: false, problem };
}

/** The empty values that mean "not set": "", [] and {}. */
export function isEmpty(value: unknown): boolean {
  if (value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && value !== null && Object.keys(value).length === 0;
}

/** The line a value fails with where its scope applies (required but empty), or undefined. */
export function requiredProblem(name: KeyName, value: unknown): string | undefined {
  const r = rowOf(name);
  return r.required && r.scope !== undefined && isEmpty(value)
    ? requiredLine(name, SCOPES[r.scope])
    : undefined;
}

/** The value of one of our keys in a stack file, parsed; undefined when absent, invalid or empty. */
export function currentValue<K extends KeyName>(
  config: Readonly<Record<string, unknown>>,
  name: K,
): ValueOf<K> | undefined {
  const raw = config[`${PROJECT}:${name}`];
  if (raw === undefined || checkConfigValue(name, raw) !== undefined) return undefined;
  const value = rowOf(name).parse(raw);
  return isEmpty(value) ? undefined : value;
}
