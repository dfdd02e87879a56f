/** Network lookups for the {@link Gatherer}: subnets, their route tables, VPC endpoints (EC2). */
import {
  DescribeRouteTablesCommand,
  DescribeSubnetsCommand,
  DescribeVpcEndpointsCommand,
  type RouteTable,
  type Subnet,
  type VpcEndpoint,
} from "@aws-sdk/client-ec2";
import type { Gatherer } from "../gather";

export async function subnets(g: Gatherer, ids: readonly string[]): Promise<Subnet[]> {
  const res = await g.call("ec2:DescribeSubnets", () =>
    g.ctx.clients.ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: "subnet-id", Values: [...ids] }] }),
    ),
  );
  return res.Subnets ?? [];
}

/** The route table a subnet uses: its explicit association, else the VPC's main table. */
export async function routeTable(
  g: Gatherer,
  subnetId: string,
  vpcId: string,
): Promise<RouteTable | undefined> {
  const explicit = await g.call("ec2:DescribeRouteTables", () =>
    g.ctx.clients.ec2.send(
      new DescribeRouteTablesCommand({ Filters: [{ Name: "association.subnet-id", Values: [subnetId] }] }),
    ),
  );
  if (explicit.RouteTables?.[0]) return explicit.RouteTables[0];
  const main = await g.call("ec2:DescribeRouteTables", () =>
    g.ctx.clients.ec2.send(
      new DescribeRouteTablesCommand({
        Filters: [
          { Name: "vpc-id", Values: [vpcId] },
          { Name: "association.main", Values: ["true"] },
        ],
      }),
    ),
  );
  return main.RouteTables?.[0];
}

export async function vpcEndpoints(g: Gatherer, ids: readonly string[]): Promise<VpcEndpoint[]> {
  if (ids.length === 0) return [];
  const res = await g.call("ec2:DescribeVpcEndpoints", () =>
    g.ctx.clients.ec2.send(
      new DescribeVpcEndpointsCommand({ Filters: [{ Name: "vpc-endpoint-id", Values: [...ids] }] }),
    ),
  );
  return res.VpcEndpoints ?? [];
}
