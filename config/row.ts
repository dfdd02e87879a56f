/**
 * The shape of a config table row (./keys.ts): how a key is typed, parsed, defaulted, scoped
 * and asked. Types only.
 */
import type { Preset } from "../presets";
import type { Parser } from "./values";

export type ConfigValueType = "string" | "integer" | "boolean" | "string[]" | "map";

/** What a default may depend on: the stack's name and the preset chosen. */
export interface DefaultContext {
  readonly stack: string;
  readonly preset: Preset;
}

/** Keys that only mean something in one mode of another key (a new VPC, the on-demand queue, the image cache). */
export type ScopeName = "newVpc" | "existingVpc" | "onDemandQueue" | "containerCache";

/** A choice the wizard offers for a key. */
export interface Choice<V> {
  readonly value: V;
  readonly name: string;
  readonly description?: string;
}

/**
 * How the wizard asks a key. Its flag is the key name in kebab case (`maxVcpus`:
 * `--max-vcpus`); the prompt is a confirm for a boolean, a select when there are choices,
 * otherwise a text input (lists comma-separated, maps as `key=value` pairs).
 */
export interface Question<V> {
  readonly message: string;
  readonly choices?: readonly Choice<V>[];
  /** Asked right after the stack name, before credentials and region (the lab's identity). */
  readonly early?: boolean;
  /** Offered instead of the built-in default when that is not a valid answer. */
  readonly fallback?: V;
}

/** One stack config key. */
export interface KeyRow<V> {
  readonly type: ConfigValueType;
  /** One sentence for the README and `Pulumi.yaml`. */
  readonly description: string;
  /**
   * The built-in default (the merge order's first layer): a named constant, or derived from
   * the stack and preset. A key that must be given where it applies (`required`) defaults to
   * its empty value, which counts as unset.
   */
  readonly default: V | ((ctx: DefaultContext) => V);
  /** How the default reads in the README when it is not a plain constant. */
  readonly defaultText?: string;
  /** An example value the fix hint suggests. */
  readonly example: string;
  readonly parse: Parser<V>;
  /** The key only applies in this scope; set elsewhere it is a contradiction. */
  readonly scope?: ScopeName;
  /** Within its scope, the key must be set. */
  readonly required?: boolean;
  /** Absent: the wizard does not ask it. */
  readonly ask?: Question<V>;
}
