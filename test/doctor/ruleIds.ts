/** A rule's findings as "severity id" lines: what the rule specs compare. */
import type { RuleResult } from "../../doctor/rules/result";

export const ids = (r: RuleResult) => r.findings.map((f) => `${f.severity} ${f.id}`);
