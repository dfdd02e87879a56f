/**
 * Texts generated from the config table: `Pulumi.yaml`'s `config:` block and the README's key
 * table. Tests keep both files equal to what these functions produce. Pure.
 */
import { declaredDefaultOf, defaultTextOf, KEY_NAMES, rowOf } from "./keys";

export interface ProjectConfigDeclaration {
  readonly type: string;
  readonly items?: { readonly type: string };
  readonly description: string;
  readonly default: unknown;
}

/**
 * The `config:` block `Pulumi.yaml` declares. Pulumi's project config knows string, integer,
 * boolean and array; a map key (costTags) cannot be typed there and is left undeclared, which
 * Pulumi allows.
 */
export function projectConfigDeclarations(): Record<string, ProjectConfigDeclaration> {
  const out: Record<string, ProjectConfigDeclaration> = {};
  for (const name of KEY_NAMES) {
    const declared = declaredDefaultOf(name);
    if (declared === undefined) continue;
    const r = rowOf(name);
    out[name] = {
      type: r.type === "string[]" ? "array" : r.type,
      ...(r.type === "string[]" ? { items: { type: "string" } } : {}),
      description: r.description.replace(/`/g, ""),
      default: declared,
    };
  }
  return out;
}

/** The README's table of config keys, as Markdown lines. */
export function readmeKeyTable(): string[] {
  return [
    "| key | type | default | meaning |",
    "| --- | --- | --- | --- |",
    ...KEY_NAMES.map(
      (name) =>
        `| \`${name}\` | ${rowOf(name).type} | \`${defaultTextOf(name)}\` | ${rowOf(name).description} |`,
    ),
  ];
}
