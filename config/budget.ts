/**
 * AWS Budgets' rules for the values the stack sends it: the budget name, the limit amount and
 * the alert email addresses. Pure.
 *
 * Source: the AWS Budgets API model, botocore `botocore/data/budgets/2016-10-20/service-2.json`
 * (commit cd9207757d459bba9c524475b601e59f55760a3a), shapes BudgetName, NumericValue,
 * Subscriber, SubscriberAddress, Subscribers, Notification, NotificationWithSubscribersList;
 * the same text is the API reference,
 * https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Subscriber.html.
 * The terraform provider behind @pulumi/aws checks the name's length and characters and
 * nothing about email addresses, so these checks are ours to make.
 */
import { Invalid, structured, type Parser } from "./values";

export const BUDGET_LIMITS = {
  /** BudgetName: min 1, max 100. */
  maxNameLength: 100,
  /** "A notification can have one SNS subscriber and up to 10 email subscribers, for a total of 11." */
  maxEmailSubscribers: 10,
  /**
   * "A budget can have up to five notifications" (CreateBudgetRequest); the list shape allows 10
   * and the Notification doc says ten. We stay within five.
   */
  maxNotifications: 5,
  /**
   * Our own bounds on the monthly limit in whole US dollars: AWS takes any NumericValue
   * (pattern `([0-9]*\.)?[0-9]+`); whole dollars always match it, and a limit above a million
   * a month is a typo for a lab.
   */
  minLimitUsd: 1,
  maxLimitUsd: 1_000_000,
  /**
   * RFC 5321 section 4.5.3.1: a local part is at most 64 octets and a path at most 256, so an
   * address at most 254. AWS checks none of this (SubscriberAddress: 1 or more characters, "can't
   * contain line breaks"); a typo would only surface as mail that never arrives.
   */
  maxEmailLength: 254,
  maxEmailLocalPartLength: 64,
} as const;

/**
 * BudgetName's pattern in the API model: no ":" or "\\", no "/action/" substring, no
 * `<script>...</script>`. AWS also screens names for content it does not specify (phone
 * numbers, URLs or email addresses with certain terms); ours hold none of those.
 */
const BUDGET_NAME_PATTERN = /^(?![^:\\]*\/action\/|.*<script>.*<\/script>.*)[^:\\]+$/is;

/** The budget's name: unique per account, so it names the project, the lab and the stack. */
export function budgetName(labName: string, stack: string): string {
  return `nextflow-batch-${labName}-${stack}`;
}

/** Why AWS would refuse `name` as a budget name; undefined when it would take it. */
export function budgetNameProblem(name: string): string | undefined {
  if (name.length < 1 || name.length > BUDGET_LIMITS.maxNameLength) {
    return `at most ${BUDGET_LIMITS.maxNameLength} characters; ${JSON.stringify(name)} has ${name.length}`;
  }
  if (!BUDGET_NAME_PATTERN.test(name)) {
    return `free of ":", "\\", "/action/" and <script> tags; got ${JSON.stringify(name)}`;
  }
  return undefined;
}

/** The monthly limit: whole US dollars, 0 meaning no budget (the declared default). */
export const budgetAmount: Parser<number> = (raw) => {
  const { minLimitUsd: min, maxLimitUsd: max } = BUDGET_LIMITS;
  const allowed = `a whole number of US dollars from ${min} to ${max}, or 0 for no budget`;
  const text = typeof raw === "string" ? raw.trim() : undefined;
  const n = text !== undefined && /^\d+$/.test(text) ? Number(text) : raw;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0 || n > max || (n > 0 && n < min)) {
    const fix =
      text !== undefined && /^\$?\d[\d,]*\.\d+$/.test(text)
        ? `round it to whole dollars, e.g. pulumi config set nextflow-batch:budgetMonthlyUsd ${Math.round(Number(text.replace(/[$,]/g, "")))}`
        : undefined;
    throw new Invalid(allowed, fix);
  }
  return n;
};

const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~.-]+$/;
const DOMAIN = /^(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$/;

/** Why `address` is not an email address we send AWS Budgets; undefined when it is one. */
export function emailProblem(address: string): string | undefined {
  if (/[\r\n]/.test(address))
    return "contains a line break (AWS refuses line breaks in a subscriber address)";
  if (address.length > BUDGET_LIMITS.maxEmailLength)
    return `is longer than ${BUDGET_LIMITS.maxEmailLength} characters`;
  const at = address.lastIndexOf("@");
  if (at <= 0 || address.indexOf("@") !== at) return "needs exactly one @ with a name before it";
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > BUDGET_LIMITS.maxEmailLocalPartLength)
    return `has a name before the @ longer than ${BUDGET_LIMITS.maxEmailLocalPartLength} characters`;
  if (!LOCAL_PART.test(local) || local.startsWith(".") || local.endsWith(".") || local.includes(".."))
    return "has spaces or characters an address cannot have before the @";
  if (!DOMAIN.test(domain)) return 'needs a domain such as "example.org" after the @';
  return undefined;
}

/** The alert addresses: up to 10 (one notification's email subscribers), each an email address, no repeats. */
export const emailList: Parser<readonly string[]> = (raw) => {
  const max = BUDGET_LIMITS.maxEmailSubscribers;
  const allowed = `a list of 0 to ${max} email addresses (AWS Budgets allows ${max} email subscribers per notification), without duplicates`;
  const value = structured(raw);
  if (!Array.isArray(value) || value.length > max) throw new Invalid(allowed);
  const seen = new Set<string>();
  const out: string[] = [];
  for (const v of value) {
    if (typeof v !== "string") throw new Invalid(allowed);
    const problem = emailProblem(v);
    if (problem !== undefined) throw new Invalid(`${allowed}; ${JSON.stringify(v)} ${problem}`);
    // Domains are case-insensitive and mailboxes nearly always are: A@x.org and a@x.org are one reader.
    if (seen.has(v.toLowerCase())) throw new Invalid(`${allowed}; ${JSON.stringify(v)} is listed twice`);
    seen.add(v.toLowerCase());
    out.push(v);
  }
  return out;
};
