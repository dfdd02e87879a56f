/**
 * How config problems read: one line naming the key, the value received, what is allowed
 * and the fix. Pure.
 */
import { CONFIG, KEY_NAMES, PROJECT, type KeyName } from "./keys";
import { rowOf } from "./keyAccess";
import { type Scope } from "./scopes";
import type { Invalid } from "./values";

/** A value as the user wrote it, for "got …". */
export function show(raw: unknown): string {
  if (typeof raw === "string") return JSON.stringify(raw);
  try {
    return JSON.stringify(raw) ?? String(raw);
  } catch {
    return String(raw);
  }
}

export function shellQuote(s: string): string {
  return /^[\w.\-/:]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** `pulumi config set` for a key's example value; lists and maps need --path or YAML. */
export function setHint(name: KeyName): string {
  const r = rowOf(name);
  const list = r.type === "string[]" ? " (use --path or edit the YAML list)" : "";
  return `pulumi config set ${PROJECT}:${name} ${shellQuote(r.example)}${list}`;
}

/** The line for a value its key's parser refused. */
export function invalidLine(name: KeyName, raw: unknown, e: Invalid): string {
  const fix = e.fix ?? `set it with: pulumi config set ${PROJECT}:${name} ${shellQuote(rowOf(name).example)}`;
  return `${PROJECT}:${name} must be ${e.allowed}; got ${show(raw)}. Fix: ${fix}`;
}

/** The line for a key set outside the scope it applies to. */
export function outOfScopeLine(name: KeyName, scope: Scope): string {
  return `${PROJECT}:${name} only applies ${scope.appliesText}; got it with ${scope.oppositeText}. Fix: remove ${PROJECT}:${name}${scope.enableHint ?? ""}`;
}

/** The line for a key its scope requires but nobody set. */
export function requiredLine(name: KeyName, scope: Scope): string {
  return `${PROJECT}:${name} is required with ${scope.scopeText}; got nothing. Fix: ${setHint(name)}`;
}

/** Levenshtein distance, for "did you mean" on misspelt keys. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

/** The closest of `candidates` to `name` within 3 edits, case-insensitively; undefined when none is close. */
export function closest(name: string, candidates: readonly string[]): string | undefined {
  const best = candidates
    .map((c) => ({ c, d: distance(name.toLowerCase(), c.toLowerCase()) }))
    .sort((x, y) => x.d - y.d)[0];
  return best && best.d <= 3 ? best.c : undefined;
}

export function knownKeysText(): string {
  return `known keys: ${KEY_NAMES.join(", ")}`;
}

/** "did you mean …?" for a misspelt key, else the list of known keys. */
export function suggestKey(name: string): string {
  const best = closest(name, Object.keys(CONFIG));
  return best !== undefined ? `did you mean ${PROJECT}:${best}?` : knownKeysText();
}
