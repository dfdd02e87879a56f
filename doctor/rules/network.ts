/**
 * Network checks: do the compute environments' subnets exist in the stack's VPC, and does each
 * subnet have a way out (a working 0.0.0.0/0 route) and an S3 gateway endpoint? Pure functions
 * over AWS API response shapes; the AWS calls that fetch them are in doctor/lookups/network.ts.
 */
import type { RouteTable, Subnet, VpcEndpoint } from "@aws-sdk/client-ec2";
import { error, warning, type Finding, type Passed } from "../findings";
import { result, type RuleResult } from "./result";

export function checkSubnets(
  ceName: string,
  subnetIds: readonly string[],
  found: readonly Subnet[],
  vpcId: string,
): RuleResult {
  const findings: Finding[] = [];
  for (const id of subnetIds) {
    const s = found.find((x) => x.SubnetId === id);
    if (!s) {
      findings.push(
        error(
          "subnet-missing",
          `subnet ${id}`,
          `compute environment ${ceName} launches hosts in subnet ${id}, which does not exist.`,
          "give the stack existing private subnets (nextflow-batch:subnetIds) and pulumi up",
        ),
      );
    } else if (s.VpcId !== vpcId) {
      findings.push(
        error(
          "subnet-wrong-vpc",
          `subnet ${id}`,
          `subnet ${id} is in ${s.VpcId}, not the stack's VPC ${vpcId}: the hosts' security group cannot be used there.`,
          `list subnets of ${vpcId} in nextflow-batch:subnetIds and pulumi up`,
        ),
      );
    }
  }
  return result(findings);
}

const S3_SERVICE = (region: string) => `com.amazonaws.${region}.s3`;

/**
 * A subnet's way out. `table` is its route table (explicitly associated, else the VPC's main
 * one); `endpoints` the VPC endpoints its routes name.
 */
export function checkRoutes(
  subnetId: string,
  table: RouteTable | undefined,
  /** Undefined when they could not be read: then any gateway-endpoint route counts. */
  endpoints: readonly VpcEndpoint[] | undefined,
  region: string,
): RuleResult {
  const subject = `subnet ${subnetId}`;
  if (!table) {
    return result([
      error(
        "no-internet-route",
        subject,
        "the subnet has no route table, so hosts in it reach nothing outside the VPC: they cannot pull images, reach ECS and Batch, or install the AWS CLI; jobs stay RUNNABLE.",
        "associate a route table with a 0.0.0.0/0 route to a NAT gateway",
      ),
    ]);
  }
  const rtb = table.RouteTableId ?? "?";
  const routes = table.Routes ?? [];
  const def = routes.find((r) => r.DestinationCidrBlock === "0.0.0.0/0");
  const findings: Finding[] = [];
  const passed: Passed[] = [];
  if (!def) {
    findings.push(
      error(
        "no-internet-route",
        subject,
        `route table ${rtb} has no 0.0.0.0/0 route: hosts in this subnet cannot pull images, reach ECS and Batch, or install the AWS CLI, so they never join the cluster and jobs stay RUNNABLE.`,
        `add a 0.0.0.0/0 route to a NAT gateway in ${rtb} (a new-VPC stack: pulumi up restores it)`,
      ),
    );
  } else if (def.State === "blackhole") {
    const target = def.NatGatewayId ?? def.GatewayId ?? def.NetworkInterfaceId ?? def.TransitGatewayId ?? "?";
    findings.push(
      error(
        "internet-route-blackhole",
        subject,
        `route table ${rtb} sends 0.0.0.0/0 to ${target}, which is gone (the route is a blackhole): hosts cannot reach the internet, so they never join the cluster and jobs stay RUNNABLE.`,
        `point the route at a working NAT gateway (a new-VPC stack: pulumi refresh, then pulumi up)`,
      ),
    );
  } else {
    const via = def.NatGatewayId
      ? `NAT gateway ${def.NatGatewayId}`
      : def.GatewayId?.startsWith("igw-")
        ? `internet gateway ${def.GatewayId} (hosts need public IPs)`
        : (def.TransitGatewayId ?? def.NetworkInterfaceId ?? def.GatewayId ?? "?");
    passed.push({ subject, detail: `internet via ${via} (${rtb})` });
  }
  const s3 = routes.find(
    (r) =>
      r.DestinationPrefixListId !== undefined &&
      r.GatewayId?.startsWith("vpce-") &&
      r.State !== "blackhole" &&
      (endpoints === undefined ||
        endpoints.some((e) => e.VpcEndpointId === r.GatewayId && e.ServiceName === S3_SERVICE(region))),
  );
  if (s3) {
    passed.push({
      subject,
      detail: `S3 through gateway endpoint ${s3.GatewayId}${endpoints === undefined ? " (not verified as S3)" : ""}`,
    });
  } else {
    findings.push(
      warning(
        "no-s3-endpoint",
        subject,
        `route table ${rtb} has no route to an S3 gateway endpoint: task data to and from S3 goes through NAT, which bills every GB (it works, but costs more).`,
        `add an S3 gateway endpoint (${S3_SERVICE(region)}) on ${rtb} (a new-VPC stack: pulumi up restores it)`,
      ),
    );
  }
  return result(findings, passed);
}
