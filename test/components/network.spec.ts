// Network: a new awsx VPC with an S3 gateway endpoint, or the lab's existing VPC; a host
// security group with no ingress either way. Baseline: the default stack; one change per case.
import assert from "node:assert/strict";
import { inputsOf, one, runStack, T } from "../helpers";

describe("component: Network", function () {
  this.timeout(60000);

  it("new VPC: private subnets across AZs, NAT as configured, S3 endpoint on the private route tables", async () => {
    const run = await runStack({ natGateways: "onePerAz", availabilityZones: 2, vpcCidr: "10.20.0.0/16" });
    const vpc = one(run, T.vpc, "nextflow-network-vpc");
    assert.deepEqual(
      { ...(vpc.inputs as any), tags: undefined },
      {
        cidrBlock: "10.20.0.0/16",
        availabilityZoneNames: ["us-east-1a", "us-east-1b"],
        natGateways: { strategy: "OnePerAz" },
        subnetSpecs: [{ type: "Public" }, { type: "Private" }],
        subnetStrategy: "Auto",
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: undefined,
      },
    );
    const endpoint = inputsOf(run, T.endpoint, "nextflow-network-s3");
    assert.equal(endpoint.serviceName, "com.amazonaws.us-east-1.s3");
    assert.equal(endpoint.vpcEndpointType, "Gateway");
    const privateTables = (vpc.state.routeTableAssociations as any[])
      .filter((a) => (vpc.state.privateSubnetIds as string[]).includes(a.subnetId))
      .map((a) => a.routeTableId)
      .sort();
    assert.equal(privateTables.length, 2);
    assert.deepEqual(endpoint.routeTableIds, privateTables);
    const sg = inputsOf(run, T.sg, "nextflow-network-hosts");
    assert.deepEqual(sg.ingress, []);
    assert.deepEqual(sg.egress, [
      { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
    ]);
  });

  it("existing VPC: no VPC or endpoint is created; hosts go in the given subnets", async () => {
    const subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
    const run = await runStack({ network: "existing", vpcId: "vpc-0123456789abcdef0", subnetIds: subnets });
    assert.equal(run.resources.filter((r) => r.type === T.vpc || r.type === T.endpoint).length, 0);
    assert.equal(one(run, T.sg, "nextflow-network-hosts").inputs.vpcId, "vpc-0123456789abcdef0");
    assert.deepEqual(inputsOf(run, T.sg, "nextflow-network-hosts").ingress, []);
    assert.deepEqual(inputsOf(run, T.nativeCe, "nextflow-batch-spot").computeResources.subnets, subnets);
    assert.equal(run.outputs.vpcId, "vpc-0123456789abcdef0");
  });
});
