/**
 * Reading, changing and writing `Pulumi.<stack>.yaml` for the wizard, through the `yaml`
 * library's Document API so that every key, comment and secret (`secure:` value) the wizard
 * did not ask about survives byte for byte where the library allows (it re-indents nothing it
 * does not have to; see {@link renderDocument}).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as YAML from "yaml";

/** A stack file that could not be read; one line for the user. */
export class StackFileError extends Error {}

export interface StackFile {
  readonly path: string;
  /** The text as read; undefined for a file that does not exist yet. */
  readonly original: string | undefined;
  readonly doc: YAML.Document;
  /** The `config:` map as plain values (secrets stay `{ secure: "..." }`). */
  readonly config: Readonly<Record<string, unknown>>;
}

export function stackFilePath(dir: string, stack: string): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

const NEW_FILE_HEADER =
  " Written by `npm run wizard`; re-run it or edit by hand (`npm run plan` checks the result).";

export function readStackFile(file: string): StackFile {
  if (!fs.existsSync(file)) {
    const doc = new YAML.Document({ config: {} });
    doc.commentBefore = NEW_FILE_HEADER;
    return { path: file, original: undefined, doc, config: {} };
  }
  const original = fs.readFileSync(file, "utf8");
  const doc = YAML.parseDocument(original);
  if (doc.errors.length > 0) {
    throw new StackFileError(
      `${file} is not valid YAML: ${doc.errors[0].message.split("\n")[0]}. Fix: correct the file`,
    );
  }
  const body: unknown = doc.toJS() ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new StackFileError(`${file} must be a YAML map with a config: key. Fix: correct the file`);
  }
  const config = (body as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${file}: config must be a map of keys to values. Fix: correct the file`);
  }
  return { path: file, original, doc, config: config as Record<string, unknown> };
}

/** What the wizard does to the `config:` map: keys to set (in this order for new keys) and keys to remove. */
export interface ConfigEdit {
  readonly set: ReadonlyArray<readonly [key: string, value: unknown]>;
  readonly remove: readonly string[];
}

export interface KeyChange {
  readonly kind: "added" | "changed" | "removed";
  readonly key: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

/** The config the file would hold after `edit`, as plain values. */
export function applyToConfig(
  config: Readonly<Record<string, unknown>>,
  edit: ConfigEdit,
): Record<string, unknown> {
  const out: Record<string, unknown> = { ...config };
  for (const k of edit.remove) delete out[k];
  for (const [k, v] of edit.set) out[k] = v;
  return out;
}

/** Key-level differences between two `config:` maps, in the order keys appear (old keys first). */
export function diffConfig(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): KeyChange[] {
  const changes: KeyChange[] = [];
  const has = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  for (const key of Object.keys(before)) {
    if (!has(after, key)) changes.push({ kind: "removed", key, before: before[key] });
    else if (!isDeepStrictEqual(before[key], after[key])) {
      changes.push({ kind: "changed", key, before: before[key], after: after[key] });
    }
  }
  for (const key of Object.keys(after)) {
    if (!has(before, key)) changes.push({ kind: "added", key, after: after[key] });
  }
  return changes;
}

function showValue(v: unknown): string {
  if (typeof v === "object" && v !== null && !Array.isArray(v) && "secure" in v) return "[secret]";
  if (typeof v === "string" && /^[\w.\-/:]+$/.test(v)) return v;
  return JSON.stringify(v);
}

/** One line per changed key: `+ key: value`, `~ key: old -> new`, `- key: value`. */
export function renderDiff(changes: readonly KeyChange[]): string[] {
  return changes.map((c) => {
    switch (c.kind) {
      case "added":
        return `+ ${c.key}: ${showValue(c.after)}`;
      case "changed":
        return `~ ${c.key}: ${showValue(c.before)} -> ${showValue(c.after)}`;
      case "removed":
        return `- ${c.key}: ${showValue(c.before)}`;
      default: {
        const never: never = c.kind;
        throw new Error(`unknown change ${String(never)}`);
      }
    }
  });
}

const isPlainScalar = (v: unknown) =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/**
 * Applies `edit` to the document in place. A scalar that changes keeps its node, so a comment
 * on its line survives; structured values (lists, maps) get a new node; a removed key takes the
 * comment attached to it along.
 */
export function applyToDocument(file: StackFile, edit: ConfigEdit): void {
  const doc = file.doc;
  let map = doc.get("config", true);
  if (!YAML.isMap(map)) {
    map = doc.createNode({});
    doc.set("config", map);
  }
  const config = map as YAML.YAMLMap;
  for (const key of edit.remove) config.delete(key);
  for (const [key, value] of edit.set) {
    const node = config.get(key, true);
    if (YAML.isScalar(node) && isPlainScalar(value) && isPlainScalar(node.value)) {
      // Keep the file's style: Pulumi's CLI writes numbers and booleans as strings ("512").
      node.value = typeof node.value === "string" ? String(value) : value;
    } else {
      config.set(key, doc.createNode(value));
    }
  }
}

/**
 * The document as text. Sequence indentation follows the file's own (Pulumi writes `- item`
 * level with its key), and flow collections keep `[a, b]` without inner padding.
 */
export function renderDocument(file: StackFile): string {
  const unindentedSeq = file.original !== undefined && /^( *)[^\s#-][^\n]*:[ \t]*\n\1- /m.test(file.original);
  return file.doc.toString({ lineWidth: 0, flowCollectionPadding: false, indentSeq: !unindentedSeq });
}

/**
 * Writes `text` to `file` atomically: a temporary file in the same directory (same
 * filesystem, so the rename is atomic), flushed, given the old file's mode, then renamed over
 * it. If the file changed on disk since it was read (`expected`), nothing is written.
 */
export function writeAtomically(file: string, text: string, expected: string | undefined): void {
  const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined;
  if (current !== expected) {
    throw new StackFileError(
      `${file} changed on disk while the wizard ran; nothing written. Fix: run the wizard again`,
    );
  }
  const mode = current === undefined ? undefined : fs.statSync(file).mode & 0o7777;
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    const fd = fs.openSync(tmp, "wx", mode ?? 0o666);
    try {
      fs.writeFileSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    // openSync's mode is filtered by the umask; the old file's mode must survive exactly.
    if (mode !== undefined) fs.chmodSync(tmp, mode);
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}
