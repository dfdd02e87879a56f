/**
 * What every state rule returns, and the ARN helper the rules share. Its own module so that
 * the rule modules (state, network, roles, nextflowConfig, waiting) import one declaration.
 */
import type { Finding, Passed } from "../findings";

export interface RuleResult {
  readonly findings: Finding[];
  readonly passed: Passed[];
}
export const result = (findings: Finding[] = [], passed: Passed[] = []): RuleResult => ({ findings, passed });

/** The last path segment of an ARN: a compute environment's or queue's name. */
export const nameFromArn = (arn: string) => arn.slice(arn.lastIndexOf("/") + 1);
