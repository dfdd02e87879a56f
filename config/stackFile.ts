/**
 * Reading, changing and writing `Pulumi.<stack>.yaml` (the wizard writes it; plan and doctor
 * read it). An edit rewrites only the lines of the keys it changes: it splices new text into
 * the file at the source ranges the `yaml` parser reports, so every other byte (comments,
 * spacing, quoting, line endings, `secure:` values, keys of other namespaces) stays as it was.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import * as YAML from "yaml";

/** A stack file that could not be read or edited; one line for the user. */
export class StackFileError extends Error {}

export interface StackFile {
  readonly path: string;
  /** The text as read; undefined for a file that does not exist yet. */
  readonly original: string | undefined;
  /** The `config:` map as plain values (secrets stay `{ secure: "..." }`). */
  readonly config: Readonly<Record<string, unknown>>;
}

export function stackFilePath(dir: string, stack: string): string {
  return path.join(dir, `Pulumi.${stack}.yaml`);
}

/** What a new stack file starts as, before the wizard's keys are added. */
export const NEW_FILE_TEXT =
  "# Written by `npm run wizard`; re-run it or edit by hand (`npm run plan` checks the result).\n\nconfig:\n";

function parse(file: string, text: string): YAML.Document.Parsed {
  const doc = YAML.parseDocument(text);
  if (doc.errors.length > 0) {
    throw new StackFileError(
      `${file} is not valid YAML: ${doc.errors[0].message.split("\n")[0]}. Fix: correct the file`,
    );
  }
  return doc;
}

export function readStackFile(file: string): StackFile {
  if (!fs.existsSync(file)) return { path: file, original: undefined, config: {} };
  const original = fs.readFileSync(file, "utf8");
  const body: unknown = parse(file, original).toJS() ?? {};
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new StackFileError(`${file} must be a YAML map with a config: key. Fix: correct the file`);
  }
  const config = (body as { config?: unknown }).config ?? {};
  if (typeof config !== "object" || config === null || Array.isArray(config)) {
    throw new StackFileError(`${file}: config must be a map of keys to values. Fix: correct the file`);
  }
  return { path: file, original, config: config as Record<string, unknown> };
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

const isPlainScalar = (v: unknown): v is string | number | boolean =>
  typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** A scalar as YAML text, in `type`'s quoting style when given (plain, quoted only where needed, otherwise). */
function scalarText(value: string | number | boolean, type?: YAML.Scalar.Type): string {
  const node = new YAML.Scalar(value);
  if (type !== undefined) node.type = type;
  return YAML.stringify(node, { lineWidth: 0 }).replace(/\n$/, "");
}

interface Layout {
  readonly eol: string;
  /** Indentation of the config map's keys. */
  readonly indent: string;
  /** Extra indentation of `- item` under a key: "" when the file writes sequences level with their key, as Pulumi does. */
  readonly seqIndent: string;
}

/** `key: value` (scalars and empty collections) or `key:` and indented lines, each ending in the file's line ending. */
function pairText(key: string, value: unknown, l: Layout): string {
  const k = scalarText(key);
  if (isPlainScalar(value)) return `${l.indent}${k}: ${scalarText(value)}${l.eol}`;
  if (Array.isArray(value)) {
    if (value.length === 0) return `${l.indent}${k}: []${l.eol}`;
    const items = value.map((v) => `${l.indent}${l.seqIndent}- ${scalarText(String(v))}${l.eol}`);
    return `${l.indent}${k}:${l.eol}${items.join("")}`;
  }
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value);
    if (entries.length === 0) return `${l.indent}${k}: {}${l.eol}`;
    const lines = entries.map(([ek, ev]) => pairText(ek, ev, { ...l, indent: `${l.indent}  ` }));
    return `${l.indent}${k}:${l.eol}${lines.join("")}`;
  }
  throw new StackFileError(`cannot write ${key}: ${String(value)} to a stack file`);
}

const lineStart = (text: string, at: number) => text.lastIndexOf("\n", at - 1) + 1;

/** One change to the text: replace [from, to) with `text`. */
interface Splice {
  readonly from: number;
  readonly to: number;
  readonly text: string;
}

/**
 * The file's text after `edit`. Only the lines of changed keys are rewritten: a scalar that
 * stays a scalar keeps its quoting style and the comment on its line; a removed key's lines
 * go (a comment above it stays, since it may describe more than that key); new keys are
 * appended to the `config:` map with its indentation and line endings.
 */
export function editedText(file: StackFile, edit: ConfigEdit): string {
  const text = file.original ?? NEW_FILE_TEXT;
  const doc = parse(file.path, text);
  const eol = text.includes("\r\n") ? "\r\n" : "\n";
  const configPair = YAML.isMap(doc.contents)
    ? doc.contents.items.find((p) => YAML.isScalar(p.key) && p.key.value === "config")
    : undefined;
  const map = configPair?.value;
  if (map !== undefined && map !== null && !YAML.isMap(map) && !(YAML.isScalar(map) && map.value === null)) {
    throw new StackFileError(`${file.path}: config must be a map of keys to values. Fix: correct the file`);
  }
  if (YAML.isMap(map) && map.flow) {
    throw new StackFileError(
      `${file.path}: the wizard edits a block-style config: map, and this one is a flow map ({ ... }). Fix: write it one key per line`,
    );
  }
  const pairs = YAML.isMap(map) ? map.items : [];
  const firstKey = pairs[0]?.key as YAML.Scalar | undefined;
  const indent = firstKey?.range ? " ".repeat(firstKey.range[0] - lineStart(text, firstKey.range[0])) : "  ";
  const unindentedSeq = /^( *)[^\s#-][^\r\n]*:[ \t]*\r?\n\1- /m.test(text);
  const layout: Layout = { eol, indent, seqIndent: unindentedSeq ? "" : "  " };

  const splices: Splice[] = [];
  const pairRange = (p: YAML.Pair) => {
    const key = p.key as YAML.Scalar;
    const value = p.value as YAML.Node | null;
    const end = value?.range?.[2] ?? key.range![2];
    return { from: lineStart(text, key.range![0]), to: end };
  };
  const find = (k: string) => pairs.find((p) => YAML.isScalar(p.key) && p.key.value === k);

  for (const k of edit.remove) {
    const p = find(k);
    if (p) splices.push({ ...pairRange(p), text: "" });
  }
  const appended: string[] = [];
  for (const [k, value] of edit.set) {
    const p = find(k);
    if (!p) {
      appended.push(pairText(k, value, layout));
      continue;
    }
    const node = p.value;
    if (YAML.isScalar(node) && node.range && isPlainScalar(node.value) && isPlainScalar(value)) {
      // Keep the file's style: Pulumi's CLI writes numbers and booleans as strings ("512").
      const typed = typeof node.value === "string" ? String(value) : value;
      splices.push({ from: node.range[0], to: node.range[1], text: scalarText(typed, node.type) });
    } else {
      const r = pairRange(p);
      const ends = text.slice(r.from, r.to).endsWith("\n");
      const body = pairText(k, value, layout);
      splices.push({ ...r, text: ends ? body : body.slice(0, -eol.length) });
    }
  }
  if (appended.length > 0) {
    // After the last key; after the `config:` line when the map is empty; else a new map at the end.
    const last = pairs[pairs.length - 1];
    const configKeyEnd = (configPair?.key as YAML.Scalar | undefined)?.range?.[2];
    const newline = configKeyEnd === undefined ? -1 : text.indexOf("\n", configKeyEnd);
    const at = last
      ? pairRange(last).to
      : configPair
        ? newline < 0
          ? text.length
          : newline + 1
        : text.length;
    const header = configPair ? "" : `config:${eol}`;
    const lead = at > 0 && !text.slice(0, at).endsWith("\n") ? eol : "";
    splices.push({ from: at, to: at, text: `${lead}${header}${appended.join("")}` });
  }
  let out = text;
  for (const s of [...splices].sort((a, b) => b.from - a.from)) {
    out = out.slice(0, s.from) + s.text + out.slice(s.to);
  }
  return out;
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
