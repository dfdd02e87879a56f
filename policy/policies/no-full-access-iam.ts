// no-full-access-iam: no AWS-managed full-access/admin policies, no wildcard Allow statements.
import * as aws from "@pulumi/aws";
import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { configWithDefaults, effectIs, isAllowlisted, isRecord, show, statementsOf, stringsOf } from "./util";

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

// AWS-managed policies live in the account "aws" of every partition, optionally under a path:
// arn:aws:iam::aws:policy/AdministratorAccess,
// arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role
// (docs.aws.amazon.com/aws-managed-policy/latest/reference/), and arn:aws-cn:/arn:aws-us-gov:
// (and the ISO partitions) in the other partitions.
const AWS_MANAGED_ARN = /^arn:aws(?:-[a-z-]+)?:iam::aws:policy\/(?:[^/]+\/)*([^/]+)$/;

/** The name of an AWS-managed policy ARN, or undefined for any other ARN. */
export function awsManagedPolicyName(arn: string): string | undefined {
  return AWS_MANAGED_ARN.exec(arn)?.[1];
}

/** Why an AWS-managed policy is denied, or undefined if it is not. */
function deniedManagedPolicy(arn: string, cfg: NoFullAccessIamConfig): string | undefined {
  const name = awsManagedPolicyName(arn);
  if (name === undefined) return undefined;
  if (cfg.allowedPolicies.includes(arn) || cfg.allowedPolicies.includes(name)) return undefined;
  // "*FullAccess" also catches versioned names such as CloudWatchFullAccessV2 and AWSLambda_FullAccess;
  // "AdministratorAccess-*" are the service-scoped admin policies (AdministratorAccess-Amplify).
  if (name.includes("FullAccess")) return "full access";
  if (name === "AdministratorAccess" || name.startsWith("AdministratorAccess-"))
    return "administrator access";
  if (cfg.deniedPolicyNames.includes(name)) return "on the denied list";
  return undefined;
}

const SERVICE_WILDCARD = /^[a-z0-9-]+:\*$/i;

/** Problems of one policy document: Allow with "*", "service:*" or NotAction. */
export function wildcardProblems(doc: unknown): string[] {
  const statements = statementsOf(doc);
  if (statements === undefined) return [];
  const problems: string[] = [];
  statements.forEach((s, i) => {
    if (!effectIs(s, "allow")) return;
    const where = typeof s.Sid === "string" && s.Sid !== "" ? `statement "${s.Sid}"` : `statement ${i}`;
    if (s.NotAction !== undefined) {
      problems.push(`${where} is Allow with NotAction ${show(s.NotAction)} (allows everything not listed)`);
    }
    for (const action of stringsOf(s.Action)) {
      const a = action.trim();
      if (a === "*" || a === "*:*") problems.push(`${where} allows every action ("${action}")`);
      else if (SERVICE_WILDCARD.test(a))
        problems.push(`${where} allows every action of a service ("${action}")`);
    }
  });
  return problems;
}

function validate(args: ResourceValidationArgs, report: (message: string) => void): void {
  const cfg = configWithDefaults(args, NO_FULL_ACCESS_IAM_DEFAULTS);
  if (isAllowlisted(cfg.allowedResources, args.name, args.urn)) return;
  const props = args.props;
  const fixArn =
    `Grant least privilege: attach a customer-managed policy listing the actions and resources the ` +
    `workload needs, or, if this is a deliberate exception, add the policy to ${NO_FULL_ACCESS_IAM}'s ` +
    `allowedPolicies (or "${args.name}" to allowedResources).`;
  const checkArns = (arns: unknown, prop: string): void => {
    for (const arn of stringsOf(arns)) {
      const why = deniedManagedPolicy(arn, cfg);
      if (why !== undefined) {
        report(
          `${args.type} "${args.name}": ${prop} attaches AWS-managed policy "${arn}" (${why}). ${fixArn}`,
        );
      }
    }
  };
  const checkDoc = (doc: unknown, prop: string): void => {
    for (const p of wildcardProblems(doc)) {
      report(
        `${args.type} "${args.name}": ${prop} ${p}. List the specific actions (e.g. "s3:GetObject") and ` +
          `resources instead, or add "${args.name}" to ${NO_FULL_ACCESS_IAM}'s allowedResources if deliberate.`,
      );
    }
  };

  if (
    args.isType(aws.iam.RolePolicyAttachment) ||
    args.isType(aws.iam.UserPolicyAttachment) ||
    args.isType(aws.iam.GroupPolicyAttachment) ||
    args.isType(aws.iam.PolicyAttachment)
  ) {
    checkArns(props.policyArn, "policyArn");
  } else if (
    args.isType(aws.iam.RolePolicyAttachmentsExclusive) ||
    args.isType(aws.iam.UserPolicyAttachmentsExclusive) ||
    args.isType(aws.iam.GroupPolicyAttachmentsExclusive)
  ) {
    checkArns(props.policyArns, "policyArns");
  } else if (args.isType(aws.iam.Role)) {
    checkArns(props.managedPolicyArns, "managedPolicyArns");
    const inline = Array.isArray(props.inlinePolicies) ? props.inlinePolicies : [];
    inline.forEach((p: unknown, i: number) => {
      if (!isRecord(p)) return;
      const label = typeof p.name === "string" && p.name !== "" ? `"${p.name}"` : `${i}`;
      checkDoc(p.policy, `inlinePolicies[${label}]`);
    });
  } else if (
    args.isType(aws.iam.Policy) ||
    args.isType(aws.iam.RolePolicy) ||
    args.isType(aws.iam.UserPolicy) ||
    args.isType(aws.iam.GroupPolicy)
  ) {
    checkDoc(props.policy, "policy");
  }
}

export const noFullAccessIam: ResourceValidationPolicy = {
  name: NO_FULL_ACCESS_IAM,
  description:
    "Rejects AWS-managed full-access and admin policies (AdministratorAccess, PowerUserAccess, any " +
    "*FullAccess, in every partition and path) attached by attachments, exclusive attachment lists or " +
    "a role's managedPolicyArns, and Allow statements with '*', 'service:*' or NotAction in " +
    "customer-managed and inline policies. Setup guides hand these out; security reviews require least privilege.",
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
