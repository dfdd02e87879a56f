/**
 * Reading the config table (./keys.ts) by key name, typed: a key's row, its built-in default
 * for a stack and preset, what Pulumi.yaml declares for it, how the README shows it. Pure.
 */
import { UNSET_LIST, UNSET_STRING } from "./defaults";
import {
  CONFIG,
  type DefaultContext,
  type KeyName,
  type KeyRow,
  type PartialValues,
  type ValueOf,
} from "./keys";

/** Sets one key's value, typed by its name. */
export function setValue<K extends KeyName>(values: PartialValues, name: K, value: ValueOf<K>): void {
  values[name] = value;
}

export function isKeyName(name: string): name is KeyName {
  return Object.prototype.hasOwnProperty.call(CONFIG, name);
}

/** The row of `name`, typed for its value. */
export function rowOf<K extends KeyName>(name: K): KeyRow<ValueOf<K>> {
  return CONFIG[name] as KeyRow<ValueOf<K>>;
}

/** The built-in default of a key for this stack and preset. */
export function defaultOf<K extends KeyName>(name: K, ctx: DefaultContext): ValueOf<K> {
  const d = rowOf(name).default;
  return isDerived(d) ? d(ctx) : d;
}

function isDerived<V>(d: V | ((ctx: DefaultContext) => V)): d is (ctx: DefaultContext) => V {
  return typeof d === "function";
}

/**
 * The value `Pulumi.yaml` declares for a key, which the engine hands the program when a stack
 * leaves it out. Pulumi makes a typed key without a default mandatory, so a key with no
 * constant default declares an empty one ("" or []), and a value equal to the declared one
 * counts as unset. Undefined: not declared (Pulumi's project config has no map type).
 */
export function declaredDefaultOf(name: KeyName): unknown {
  const r = rowOf(name);
  if (r.type === "map") return undefined;
  if (!isDerived(r.default)) return r.default;
  return r.type === "string[]" ? UNSET_LIST : UNSET_STRING;
}

/** The default as the README shows it. */
export function defaultTextOf(name: KeyName): string {
  const r = rowOf(name);
  if (r.defaultText !== undefined) return r.defaultText;
  return typeof r.default === "object" ? JSON.stringify(r.default) : String(r.default);
}
