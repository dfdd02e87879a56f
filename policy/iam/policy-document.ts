// Reads an IAM policy document (identity, permission set or bucket policy) into the statements
// the policies judge. A document that cannot be read is an answer of its own, with the reason:
// a check that skipped it would pass exactly the documents it does not understand.
//
// Documents arrive as JSON text (the aws provider) or as objects (aws-native, and aws inputs
// built with pulumi.jsonStringify before serialisation). During a preview the analyzer hands
// policies an unknown-checking proxy (@pulumi/policy proxy.js): reading an unknown value throws
// its UnknownValueError, which the analyzer reports as "can't run policy ... during preview".
// Nothing here catches that error; the only try/catch wraps JSON.parse of a plain string.
import { isRecord, show } from "../policies/util";

export type Effect = "Allow" | "Deny";

export interface PolicyStatement {
  /** For messages: `statement "Sid"`, or `statement <index>` when the statement has no Sid. */
  readonly label: string;
  readonly effect: Effect;
  /** The Action patterns, or undefined when the statement uses NotAction. */
  readonly actions: readonly string[] | undefined;
  /** The NotAction patterns, or undefined when the statement uses Action. */
  readonly notActions: readonly string[] | undefined;
  /** The statement as written, for checks of other elements (a bucket policy's Condition). */
  readonly raw: Readonly<Record<string, unknown>>;
}

export type ParsedPolicyDocument =
  | { readonly ok: true; readonly statements: readonly PolicyStatement[] }
  | { readonly ok: false; readonly reason: string };

const fail = (reason: string): ParsedPolicyDocument => ({ ok: false, reason });

/** A string or a list of strings (what Action and NotAction hold), or undefined for anything else. */
function patternList(value: unknown): string[] | undefined {
  if (typeof value === "string") return [value];
  if (!Array.isArray(value)) return undefined;
  const items: unknown[] = [...value];
  return items.every((v): v is string => typeof v === "string") ? items : undefined;
}

/**
 * The statements of `doc`, or why it is not an IAM policy document: not JSON, not an object, no
 * Statement, a statement that is not an object, an Effect other than Allow/Deny (any case), not
 * exactly one of Action and NotAction, or one that is not a string or a list of strings.
 */
export function parsePolicyDocument(doc: unknown): ParsedPolicyDocument {
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch (e) {
      return fail(`it is not valid JSON (${(e as Error).message})`);
    }
  }
  if (!isRecord(parsed)) return fail(`it is not a JSON object (got ${show(parsed)})`);
  const raw = parsed.Statement;
  if (raw === undefined) return fail(`it has no "Statement"`);
  const list: unknown[] = Array.isArray(raw) ? [...raw] : [raw];
  const statements: PolicyStatement[] = [];
  for (const [i, s] of list.entries()) {
    if (!isRecord(s)) return fail(`statement ${i} is not an object (got ${show(s)})`);
    const label = typeof s.Sid === "string" && s.Sid !== "" ? `statement "${s.Sid}"` : `statement ${i}`;
    const effect = typeof s.Effect === "string" ? s.Effect.toLowerCase() : undefined;
    if (effect !== "allow" && effect !== "deny") {
      return fail(`${label} has Effect ${show(s.Effect)}, neither "Allow" nor "Deny"`);
    }
    const hasAction = s.Action !== undefined;
    const hasNotAction = s.NotAction !== undefined;
    if (hasAction === hasNotAction) {
      return fail(`${label} has ${hasAction ? "both Action and NotAction" : "neither Action nor NotAction"}`);
    }
    const key = hasAction ? "Action" : "NotAction";
    const patterns = patternList(s[key]);
    if (patterns === undefined) {
      return fail(`${label} has ${key} ${show(s[key])}, not a string or a list of strings`);
    }
    statements.push({
      label,
      effect: effect === "allow" ? "Allow" : "Deny",
      actions: hasAction ? patterns : undefined,
      notActions: hasNotAction ? patterns : undefined,
      raw: s,
    });
  }
  return { ok: true, statements };
}
