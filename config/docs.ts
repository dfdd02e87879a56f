/**
 * Texts generated from the config table: `Pulumi.yaml`'s `config:` block and the README's key
 * table. Tests keep both files equal to what these functions produce. Pure, but for the
 * command at the bottom that rewrites both after a key changes:
 *   npx ts-node --transpile-only config/docs.ts
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { KEY_NAMES } from "./keys";
import { declaredDefaultOf, defaultTextOf, rowOf } from "./keyAccess";

export interface ProjectConfigDeclaration {
  readonly type: string;
  readonly items?: { readonly type: string };
  readonly description: string;
  readonly default: unknown;
}

/**
 * The `config:` block `Pulumi.yaml` declares. A map key (costTags) is left undeclared, which
 * Pulumi allows: `type: object` only exists from Pulumi CLI 3.187 on, and a lab's CLI may be
 * older.
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
      default: structuredClone(declared),
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

/** Rewrites the README's key table and Pulumi.yaml's config block in `root` from the table. */
export function writeGeneratedDocs(root: string): void {
  const readmePath = path.join(root, "README.md");
  const readme = fs.readFileSync(readmePath, "utf8");
  const table = readmeKeyTable();
  const start = readme.indexOf(`${table[0]}\n`);
  if (start < 0) throw new Error(`${readmePath} has no key table starting with ${table[0]}`);
  const rest = readme.slice(start).split("\n");
  const end = rest.findIndex((line) => !line.startsWith("|"));
  fs.writeFileSync(readmePath, readme.slice(0, start) + [...table, ...rest.slice(end)].join("\n"));
  const projectPath = path.join(root, "Pulumi.yaml");
  const doc = YAML.parseDocument(fs.readFileSync(projectPath, "utf8"));
  doc.set("config", doc.createNode(projectConfigDeclarations()));
  fs.writeFileSync(projectPath, doc.toString({ lineWidth: 0 }));
}

if (require.main === module) writeGeneratedDocs(path.join(__dirname, ".."));
