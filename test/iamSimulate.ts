/**
 * Runs a request against identity policies with AWS's evaluation logic
 * (@cloud-copilot/iam-simulate, which also validates the action and the resource ARN against
 * the Service Authorization Reference). Same-account requests, no SCPs or boundaries.
 */
import { runSimulation } from "@cloud-copilot/iam-simulate";
import { MOCK_ACCOUNT_ID } from "../plan/offline";

export type Decision = "Allowed" | "ExplicitlyDenied" | "ImplicitlyDenied";

/** The decision for `principal` calling `action` on `resource`; throws if the simulator rejects the request. */
export async function decide(
  policies: readonly { Version: string; Statement: unknown[] }[],
  action: string,
  resource: string,
  principal = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/nextflow-test`,
): Promise<Decision> {
  const response = await runSimulation(
    {
      identityPolicies: policies.map((policy, i) => ({ name: `policy${i}`, policy: policy as any })),
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      request: {
        action,
        principal,
        resource: { accountId: MOCK_ACCOUNT_ID, resource },
        contextVariables: {},
      },
    },
    {},
  );
  if (response.resultType === "error")
    throw new Error(`simulation refused: ${JSON.stringify(response.errors)}`);
  return response.overallResult as Decision;
}
