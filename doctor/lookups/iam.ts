/**
 * IAM lookups for the {@link Gatherer}: the hosts' instance profile, a role's attached
 * policies, a role. A missing profile or role is undefined (a finding), not an error.
 */
import {
  GetInstanceProfileCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  type AttachedPolicy,
  type InstanceProfile,
  type Role,
} from "@aws-sdk/client-iam";
import { codeOf, nameOf } from "../aws";
import type { Gatherer } from "../gather";
import { nameFromArn } from "../rules/result";

export async function instanceProfile(g: Gatherer, arn: string): Promise<InstanceProfile | undefined> {
  try {
    const res = await g.call("iam:GetInstanceProfile", () =>
      g.ctx.clients.iam.send(new GetInstanceProfileCommand({ InstanceProfileName: nameFromArn(arn) })),
    );
    return res.InstanceProfile;
  } catch (e) {
    if (nameOf(e) === "NoSuchEntityException" || codeOf(e) === "NoSuchEntity") return undefined;
    throw e;
  }
}

export async function attachedPolicies(g: Gatherer, roleName: string): Promise<AttachedPolicy[]> {
  const res = await g.call("iam:ListAttachedRolePolicies", () =>
    g.ctx.clients.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: roleName })),
  );
  return res.AttachedPolicies ?? [];
}

export async function role(g: Gatherer, arn: string): Promise<Role | undefined> {
  try {
    const res = await g.call("iam:GetRole", () =>
      g.ctx.clients.iam.send(new GetRoleCommand({ RoleName: nameFromArn(arn) })),
    );
    return res.Role;
  } catch (e) {
    if (nameOf(e) === "NoSuchEntityException" || codeOf(e) === "NoSuchEntity") return undefined;
    throw e;
  }
}
