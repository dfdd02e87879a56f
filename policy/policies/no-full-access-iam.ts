// no-full-access-iam: no AWS-managed full-access or admin policy, and no Allow statement whose
// actions add up to every action of a service, in any resource that grants IAM permissions.
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { actionCount } from "../iam/action-list";
import { coverage, type Coverage } from "../iam/action-patterns";
import { deniedManagedPolicy } from "../iam/managed-policies";
import { parsePolicyDocument, type PolicyStatement } from "../iam/policy-document";
import { AWS, AWS_NATIVE } from "./resource-types";
import { configWithDefaults, isAllowlisted, isRecord, show, stringsOf } from "./util";

export const NO_FULL_ACCESS_IAM = "no-full-access-iam";

export interface NoFullAccessIamConfig {
  /** Policy ARNs or policy names (e.g. "AmazonS3FullAccess") that may be attached anyway. */
  readonly allowedPolicies: string[];
  /** Resource logical names or URNs exempt from this policy (deliberate exceptions). */
  readonly allowedResources: string[];
  /** AWS-managed policy names denied besides every name containing "FullAccess". */
  readonly deniedPolicyNames: string[];
}

export const NO_FULL_ACCESS_IAM_DEFAULTS: NoFullAccessIamConfig = {
  allowedPolicies: [],
  allowedResources: [],
  deniedPolicyNames: ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"],
};

/** Where a resource type holds what it grants. Every property is optional in the resource. */
interface GrantProps {
  /** Properties holding a policy ARN or a list of them (attachments, managed policy lists). */
  readonly policyArns?: readonly string[];
  /** Properties holding one policy document: JSON text (aws) or an object (aws-native). */
  readonly documents?: readonly string[];
  /** A list of inline policies: the list property, and each item's name and document keys. */
  readonly inlinePolicies?: { readonly list: string; readonly name: string; readonly document: string };
}

const AWS_ROLE_INLINE = { list: "inlinePolicies", name: "name", document: "policy" } as const;
// aws-native's Role, User and Group take CloudFormation's Policies: [{ PolicyName, PolicyDocument }].
const NATIVE_INLINE = { list: "policies", name: "policyName", document: "policyDocument" } as const;

// Property names from @pulumi/aws 7.48 and @pulumi/aws-native 1.79 (each class's .d.ts). Left out
// on purpose: permissions boundaries (they limit, never grant), trust policies (who may assume a
// role, not what it may do) and customer-managed policy references by name (ssoadmin
// CustomerManagedPolicyAttachment, a permission set's customerManagedPolicyReferences), whose
// documents live outside the stack; the same stack's documents are checked where they are defined.
const GRANTS: ReadonlyMap<string, GrantProps> = new Map<string, GrantProps>([
  [AWS.iamRole, { policyArns: ["managedPolicyArns"], inlinePolicies: AWS_ROLE_INLINE }],
  [AWS.iamPolicy, { documents: ["policy"] }],
  [AWS.iamRolePolicy, { documents: ["policy"] }],
  [AWS.iamUserPolicy, { documents: ["policy"] }],
  [AWS.iamGroupPolicy, { documents: ["policy"] }],
  [AWS.iamRolePolicyAttachment, { policyArns: ["policyArn"] }],
  [AWS.iamUserPolicyAttachment, { policyArns: ["policyArn"] }],
  [AWS.iamGroupPolicyAttachment, { policyArns: ["policyArn"] }],
  [AWS.iamPolicyAttachment, { policyArns: ["policyArn"] }],
  [AWS.iamRolePolicyAttachmentsExclusive, { policyArns: ["policyArns"] }],
  [AWS.iamUserPolicyAttachmentsExclusive, { policyArns: ["policyArns"] }],
  [AWS.iamGroupPolicyAttachmentsExclusive, { policyArns: ["policyArns"] }],
  [AWS.ssoadminManagedPolicyAttachment, { policyArns: ["managedPolicyArn"] }],
  [AWS.ssoadminManagedPolicyAttachmentsExclusive, { policyArns: ["managedPolicyArns"] }],
  [AWS.ssoadminPermissionSetInlinePolicy, { documents: ["inlinePolicy"] }],
  [AWS_NATIVE.iamRole, { policyArns: ["managedPolicyArns"], inlinePolicies: NATIVE_INLINE }],
  [AWS_NATIVE.iamUser, { policyArns: ["managedPolicyArns"], inlinePolicies: NATIVE_INLINE }],
  [AWS_NATIVE.iamGroup, { policyArns: ["managedPolicyArns"], inlinePolicies: NATIVE_INLINE }],
  [AWS_NATIVE.iamManagedPolicy, { documents: ["policyDocument"] }],
  [AWS_NATIVE.iamRolePolicy, { documents: ["policyDocument"] }],
  [AWS_NATIVE.iamUserPolicy, { documents: ["policyDocument"] }],
  [AWS_NATIVE.iamGroupPolicy, { documents: ["policyDocument"] }],
  [AWS_NATIVE.ssoPermissionSet, { policyArns: ["managedPolicies"], documents: ["inlinePolicy"] }],
]);

/** The resource types this policy reads (tests and the README list them from here). */
export const FULL_ACCESS_IAM_TYPES: readonly string[] = [...GRANTS.keys()];

/** What is wrong with one policy document. */
export type DocumentFinding =
  | { readonly kind: "unreadable"; readonly reason: string }
  | { readonly kind: "grant"; readonly text: string };

const QUOTED_MAX = 5;
const LISTED_SERVICES_MAX = 10;

function quoted(patterns: readonly string[]): string {
  const shown = patterns
    .slice(0, QUOTED_MAX)
    .map((p) => JSON.stringify(p))
    .join(", ");
  return patterns.length > QUOTED_MAX ? `${shown} and ${patterns.length - QUOTED_MAX} more` : shown;
}

function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
}

/** "every action (...)" or "every action of a service (...): all 190 actions of iam". */
function scope(c: Coverage, patterns: readonly string[]): string {
  const services = c.fullServices;
  const actions = plural(
    services.reduce((n, s) => n + actionCount(s), 0),
    "action",
    "actions",
  );
  if (c.everyAction) {
    return `every action (${quoted(patterns)}): all ${actions} of ${plural(services.length, "service", "services")}`;
  }
  const names = services.slice(0, LISTED_SERVICES_MAX).join(", ");
  const more =
    services.length > LISTED_SERVICES_MAX ? ` and ${services.length - LISTED_SERVICES_MAX} more` : "";
  // A service the action list does not know yet: its actions cannot be counted.
  const what = services.every((s) => actionCount(s) > 0) ? `all ${actions}` : "all actions";
  return services.length === 1
    ? `every action of a service (${quoted(patterns)}): ${what} of ${names}`
    : `every action of ${services.length} services (${quoted(patterns)}): ${what} of ${names}${more}`;
}

/** The patterns to name for `full`: those that cover it alone, else those that match any of it. */
function culprits(patterns: readonly string[], full: Coverage): string[] {
  const own = patterns.map((p) => ({ p, c: coverage([p]) }));
  const wanted = new Set(full.fullServices);
  const alone = own.filter(({ c }) =>
    full.everyAction ? c.everyAction : c.fullServices.some((s) => wanted.has(s)),
  );
  if (alone.length > 0) return alone.map(({ p }) => p);
  return own.filter(({ c }) => [...c.touchedServices].some((s) => wanted.has(s))).map(({ p }) => p);
}

/** Only the services of `c` that are not in `known`, as a coverage of its own. */
function without(c: Coverage, known: ReadonlySet<string>, everyKnown: boolean): Coverage | undefined {
  if (c.everyAction) return everyKnown ? undefined : c;
  const rest = c.fullServices.filter((s) => !known.has(s));
  return rest.length === 0 ? undefined : { ...c, fullServices: rest };
}

/**
 * What `doc` grants too widely: Allow with NotAction (everything not listed), Allow statements whose
 * Action patterns cover every action of a service or of all services (each statement, then all
 * Allow statements together), or why the document cannot be read. Deny statements grant nothing.
 */
export function judgeDocument(doc: unknown): DocumentFinding[] {
  const parsed = parsePolicyDocument(doc);
  if (!parsed.ok) return [{ kind: "unreadable", reason: parsed.reason }];
  const findings: DocumentFinding[] = [];
  const allows = parsed.statements.filter((s) => s.effect === "Allow");
  for (const s of allows) {
    if (s.notActions !== undefined) {
      findings.push({
        kind: "grant",
        text: `${s.label} is Allow with NotAction ${show(s.raw.NotAction)} (allows everything not listed)`,
      });
    }
  }
  const withActions = allows.filter(
    (s): s is PolicyStatement & { actions: readonly string[] } => s.actions !== undefined,
  );
  const covered = new Set<string>();
  let everyCovered = false;
  for (const s of withActions) {
    const c = coverage(s.actions);
    if (!c.everyAction && c.fullServices.length === 0) continue;
    findings.push({ kind: "grant", text: `${s.label} allows ${scope(c, culprits(s.actions, c))}` });
    for (const service of c.fullServices) covered.add(service);
    everyCovered ||= c.everyAction;
  }
  // Statements that each stay below a service can add up to all of it ("s3:Get*" in one,
  // "s3:Put*" and the rest in others): judge the Allow statements together too.
  if (withActions.length > 1) {
    const all = withActions.flatMap((s) => s.actions);
    const together = without(coverage(all), covered, everyCovered);
    if (together !== undefined) {
      const wanted = new Set(together.fullServices);
      const members = withActions.filter(
        (s) => together.everyAction || [...coverage(s.actions).touchedServices].some((x) => wanted.has(x)),
      );
      const labels = members.map((s) => s.label.replace(/^statement /, ""));
      findings.push({
        kind: "grant",
        text: `statements ${labels.join(", ")} together allow ${scope(together, culprits(all, together))}`,
      });
    }
  }
  return findings;
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  const grants = GRANTS.get(args.type);
  if (grants === undefined) return;
  const cfg = configWithDefaults(args, NO_FULL_ACCESS_IAM_DEFAULTS);
  if (isAllowlisted(cfg.allowedResources, args.name, args.urn)) return;
  const subject = `${args.type} "${args.name}"`;
  const exception = `add "${args.name}" to ${NO_FULL_ACCESS_IAM}'s allowedResources if deliberate`;

  const checkArns = (value: unknown, prop: string): void => {
    for (const arn of stringsOf(value)) {
      const why = deniedManagedPolicy(arn, cfg);
      if (why === undefined) continue;
      report(
        `${subject}: ${prop} attaches AWS-managed policy "${arn}" (${why}). Grant least privilege: attach a ` +
          `customer-managed policy listing the actions and resources the workload needs, or, if this is a ` +
          `deliberate exception, add the policy to ${NO_FULL_ACCESS_IAM}'s allowedPolicies (or "${args.name}" ` +
          `to allowedResources).`,
      );
    }
  };
  const checkDocument = (doc: unknown, prop: string): void => {
    // Absent (or null) is no document: aws.iam.Role's documented `inlinePolicies: [{}]` removes them all.
    if (doc === undefined || doc === null) return;
    for (const f of judgeDocument(doc)) {
      if (f.kind === "unreadable") {
        report(
          `${subject}: ${prop} cannot be read as an IAM policy document, so what it grants cannot be checked: ` +
            `${f.reason}. Give a JSON object with a Statement whose items each have Effect "Allow" or "Deny" and ` +
            `an Action or NotAction string or list, or ${exception}.`,
        );
      } else {
        report(
          `${subject}: ${prop} ${f.text}. List the specific actions (e.g. "s3:GetObject") and resources ` +
            `instead, or ${exception}.`,
        );
      }
    }
  };

  for (const prop of grants.policyArns ?? []) checkArns(args.props[prop], prop);
  for (const prop of grants.documents ?? []) checkDocument(args.props[prop], prop);
  const inline = grants.inlinePolicies;
  if (inline !== undefined) {
    const list: unknown = args.props[inline.list];
    (Array.isArray(list) ? [...list] : []).forEach((item: unknown, i) => {
      if (!isRecord(item)) return;
      const name = item[inline.name];
      const label = typeof name === "string" && name !== "" ? JSON.stringify(name) : `${i}`;
      checkDocument(item[inline.document], `${inline.list}[${label}]`);
    });
  }
}

export const noFullAccessIam: ResourceValidationPolicy = {
  name: NO_FULL_ACCESS_IAM,
  description:
    "Rejects full access however it is granted: AWS-managed full-access and admin policies (AdministratorAccess, " +
    "PowerUserAccess, any *FullAccess, in every partition and path) attached to IAM roles, users, groups or " +
    "Identity Center permission sets; and, in any inline or customer-managed policy document, Allow statements " +
    "with NotAction or whose actions (case-insensitive, with * and ?) cover every action of a service or of all " +
    "services, judged against the Service Authorization Reference's action list. A document that cannot be read " +
    "is reported, not passed. Covers @pulumi/aws (iam, ssoadmin) and @pulumi/aws-native (iam, sso). Setup " +
    "guides hand out full access; security reviews require least privilege.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedPolicies: {
        type: "array",
        items: { type: "string" },
        default: NO_FULL_ACCESS_IAM_DEFAULTS.allowedPolicies,
        description: "Policy ARNs or names allowed despite this policy.",
      },
      allowedResources: {
        type: "array",
        items: { type: "string" },
        default: NO_FULL_ACCESS_IAM_DEFAULTS.allowedResources,
        description: "Resource logical names or URNs exempt from this policy.",
      },
      deniedPolicyNames: {
        type: "array",
        items: { type: "string" },
        default: NO_FULL_ACCESS_IAM_DEFAULTS.deniedPolicyNames,
        description: "AWS-managed policy names denied besides every *FullAccess and AdministratorAccess*.",
      },
    },
  },
  validateResource: validate,
};
