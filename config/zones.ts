/**
 * A new VPC spreads its subnets over the first `availabilityZones` zones the account sees in
 * the region; a region with fewer fails inside awsx half-way through `pulumi up`
 * (pulumi-awsx awsx/ec2/vpc.ts `getDefaultAzs`). Checked here, with the key to change. Pure.
 */
import { PROJECT } from "./keys";
import type { StackSpec } from "./spec";

export function zoneProblem(
  spec: Pick<StackSpec, "network" | "region">,
  zoneNames: readonly string[],
): string | undefined {
  if (spec.network.mode !== "new" || spec.network.availabilityZones <= zoneNames.length) return undefined;
  return `${PROJECT}:availabilityZones must be at most ${zoneNames.length} in ${spec.region}, the zones this account sees there (${zoneNames.join(", ")}); got ${spec.network.availabilityZones}. Fix: pulumi config set ${PROJECT}:availabilityZones ${zoneNames.length}`;
}
