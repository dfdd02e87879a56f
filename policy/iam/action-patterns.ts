// What IAM action patterns allow, judged from the actions they match rather than from how they
// are spelled: "iam:*", "IAM:**", "iam:?*", "i?m:*", "iam*", "*:*" and a list naming every iam
// action each allow every iam action. IAM reads an Action value as the whole "prefix:name"
// string, prefix and name case-insensitively, "*" matching any run of characters (none too) and
// "?" exactly one (docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html).
//
// @cloud-copilot/iam-expand answers the same question for a literal prefix, but returns nothing
// for a wildcard in the prefix ("*:*", "i?m:*") or a pattern without ":" ("iam*"), so those
// would pass; it is the test oracle for the cases it covers (policy/test/action-patterns.spec.ts).
import { serviceActions } from "./action-list";

/**
 * A pattern as IAM compares it: trimmed, lower case, and with `\uXXXX` escapes decoded as
 * iam-expand decodes them, so an escaped "*" cannot hide a wildcard.
 */
export function normalizeActionPattern(raw: string): string {
  return raw
    .trim()
    .replace(/\\u([0-9a-f]{4})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .toLowerCase();
}

/**
 * Whether `pattern` matches all of `text` ("*": any run, "?": one character; both lower case).
 * Linear backtracking to the last "*" instead of a regular expression, whose run time a pattern
 * of many stars can blow up.
 */
export function globMatch(pattern: string, text: string): boolean {
  let p = 0;
  let t = 0;
  let star = -1;
  let resume = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === "?" || pattern[p] === text[t])) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === "*") {
      star = p++;
      resume = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++resume;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === "*") p++;
  return p === pattern.length;
}

/** What a set of action patterns allows in full. */
export interface Coverage {
  /** Every action of every service IAM knows. */
  readonly everyAction: boolean;
  /** Services (prefixes, sorted) every action of which is allowed. */
  readonly fullServices: readonly string[];
  /** Services with at least one allowed action. */
  readonly touchedServices: ReadonlySet<string>;
}

/** The literal service prefix of a normalized pattern, or undefined if it has wildcards or no ":". */
function literalPrefix(pattern: string): string | undefined {
  const colon = pattern.indexOf(":");
  if (colon < 0) return undefined;
  const prefix = pattern.slice(0, colon);
  return /[*?]/.test(prefix) ? undefined : prefix;
}

/** Every listed action `pattern` matches, as lower-case "service:action". */
export function matchingActions(pattern: string): string[] {
  return matchNormalized(normalizeActionPattern(pattern));
}

function matchNormalized(p: string): string[] {
  if (p === "") return [];
  const services = serviceActions();
  const literal = literalPrefix(p);
  const candidates =
    literal === undefined ? [...services.values()] : [services.get(literal)].filter((s) => s !== undefined);
  return candidates.flatMap(({ actions }) => actions.filter((a) => globMatch(p, a)));
}

// A prefix the action list does not know (a service newer than the data) is still wholly allowed
// by a name part of wildcards only ("*", "?*"): action names are never empty.
const ANY_NAME = /^[*?]*\*[*?]*$/;

/** What the given patterns (say, one statement's Action list) allow together. */
export function coverage(patterns: readonly string[]): Coverage {
  const services = serviceActions();
  const matched = new Map<string, Set<string>>();
  const unlisted = new Set<string>();
  for (const pattern of patterns) {
    const p = normalizeActionPattern(pattern);
    const literal = literalPrefix(p);
    if (literal !== undefined && !services.has(literal)) {
      if (ANY_NAME.test(p.slice(literal.length + 1))) unlisted.add(literal);
      continue;
    }
    for (const action of matchNormalized(p)) {
      const service = action.slice(0, action.indexOf(":"));
      const hits = matched.get(service) ?? new Set<string>();
      hits.add(action);
      matched.set(service, hits);
    }
  }
  const full: string[] = [];
  let listedNonEmpty = 0;
  for (const { service, actions } of services.values()) {
    if (actions.length === 0) continue;
    listedNonEmpty++;
    if (matched.get(service)?.size === actions.length) full.push(service);
  }
  return {
    everyAction: listedNonEmpty > 0 && full.length === listedNonEmpty,
    fullServices: [...full, ...unlisted].sort(),
    touchedServices: new Set([...matched.keys(), ...unlisted]),
  };
}
