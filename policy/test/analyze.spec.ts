import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { analyzeResources } from "../analyze";
import { policies } from "../policies";
import { res, UNKNOWN } from "./helpers";

const adminAttachment = res(aws.iam.RolePolicyAttachment, "admin", {
  role: "r",
  policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
});
const bigSpot = res(aws.batch.ComputeEnvironment, "ce", {
  type: "MANAGED",
  tags: { lab: "smith" },
  computeResources: { type: "SPOT", maxVcpus: 9000, instanceTypes: ["m5"], tags: { lab: "smith" } },
});
const bareBucket = res(aws.s3.Bucket, "work", { id: "w", bucket: "w" });

/** A policy that records what it is given, to check how args are built. */
function probe(seen: unknown[]): ResourceValidationPolicy {
  return {
    name: "probe",
    description: "records its args",
    configSchema: {
      properties: { limit: { type: "integer", default: 7 }, keys: { type: "array", default: ["lab"] } },
    },
    validateResource: (args, report) => {
      seen.push({
        config: args.getConfig(),
        isBucket: args.isType(aws.s3.Bucket),
        asBucket: args.asType(aws.s3.Bucket) !== undefined,
        parent: args.opts.parent,
      });
      report("probe says hi");
    },
  };
}

describe("analyzeResources", () => {
  it("runs the whole pack: resource policies per resource in order, then stack policies", async () => {
    const v = await analyzeResources([adminAttachment, bigSpot, bareBucket]);
    assert.deepEqual(
      v.map((x) => [x.policy, x.enforcementLevel, x.resource]),
      [
        ["no-full-access-iam", "mandatory", "admin"],
        ["spot-max-vcpus", "advisory", "ce"],
        ["s3-block-public-access", "mandatory", "work"],
        ["s3-require-tls", "advisory", "work"],
      ],
    );
    assert.equal(v[2].urn, bareBucket.urn);
  });

  it("returns nothing for no resources, and is deterministic", async () => {
    assert.deepEqual(await analyzeResources([]), []);
    const a = await analyzeResources([adminAttachment, bigSpot, bareBucket]);
    const b = await analyzeResources([adminAttachment, bigSpot, bareBucket]);
    assert.deepEqual(a, b);
  });

  it("applies standard config: a level string, {enforcementLevel, ...props}, disabled, all", async () => {
    const levels = async (config: Record<string, unknown>): Promise<string[]> =>
      (await analyzeResources([adminAttachment, bigSpot], config)).map(
        (x) => `${x.policy}:${x.enforcementLevel}`,
      );
    assert.deepEqual(await levels({ "spot-max-vcpus": "mandatory" }), [
      "no-full-access-iam:mandatory",
      "spot-max-vcpus:mandatory",
    ]);
    assert.deepEqual(await levels({ "spot-max-vcpus": { maxVcpus: 10000 } }), [
      "no-full-access-iam:mandatory",
    ]);
    assert.deepEqual(await levels({ "no-full-access-iam": "disabled" }), ["spot-max-vcpus:advisory"]);
    assert.deepEqual(await levels({ all: "advisory" }), [
      "no-full-access-iam:advisory",
      "spot-max-vcpus:advisory",
    ]);
    assert.deepEqual(await levels({ all: { enforcementLevel: "disabled" }, "spot-max-vcpus": "advisory" }), [
      "spot-max-vcpus:advisory",
    ]);
    // A remediate level reports as mandatory, as the server does for validations.
    assert.deepEqual(await levels({ "spot-max-vcpus": "remediate" }), [
      "no-full-access-iam:mandatory",
      "spot-max-vcpus:mandatory",
    ]);
  });

  it("rejects a malformed enforcement level", async () => {
    await assert.rejects(
      analyzeResources([], { "spot-max-vcpus": "strict" }),
      /spot-max-vcpus: enforcementLevel must be one of/,
    );
  });

  it("builds args like the server: schema defaults under config, isType/asType from the type token, parent", async () => {
    const seen: unknown[] = [];
    const child = { ...bareBucket, parent: "urn:pulumi:test::nextflow-batch::component::parent" };
    const v = await analyzeResources([child, bigSpot], { probe: { limit: 9 } }, [probe(seen)]);
    assert.deepEqual(seen, [
      { config: { limit: 9, keys: ["lab"] }, isBucket: true, asBucket: true, parent: child.parent },
      { config: { limit: 9, keys: ["lab"] }, isBucket: false, asBucket: false, parent: undefined },
    ]);
    // No level anywhere: the pack default, advisory.
    assert.deepEqual(
      v.map((x) => [x.policy, x.enforcementLevel, x.resource, x.message]),
      [
        ["probe", "advisory", "work", "probe says hi"],
        ["probe", "advisory", "ce", "probe says hi"],
      ],
    );
  });

  it("stack policies see parents linked and notApplicable skips", async () => {
    const parents: (string | undefined)[] = [];
    const stackProbe: StackValidationPolicy = {
      name: "stack-probe",
      description: "d",
      enforcementLevel: "mandatory",
      validateStack: (args) => {
        for (const r of args.resources) parents.push(r.parent?.name);
        args.notApplicable("nothing to do");
      },
    };
    const parent = res(aws.s3.Bucket, "parent", {});
    const kid = { ...res(aws.s3.BucketPolicy, "kid", {}), parent: parent.urn };
    assert.deepEqual(await analyzeResources([parent, kid], {}, [stackProbe]), []);
    assert.deepEqual(parents, [undefined, "parent"]);
  });

  it("every pack policy runs with no config", async () => {
    for (const p of policies) {
      await analyzeResources([adminAttachment, bigSpot, bareBucket], {}, [p]);
    }
  });

  it("policy-config.example.json names every policy once, with the schema defaults", async () => {
    const example = JSON.parse(
      fs.readFileSync(path.join(__dirname, "..", "policy-config.example.json"), "utf8"),
    ) as Record<string, unknown>;
    assert.deepEqual(
      Object.keys(example),
      policies.map((p) => p.name),
    );
    for (const p of policies) {
      const entry = example[p.name];
      const level =
        typeof entry === "string" ? entry : (entry as { enforcementLevel: string }).enforcementLevel;
      assert.equal(level, p.enforcementLevel, p.name);
      const props = typeof entry === "string" ? {} : { ...(entry as Record<string, unknown>) };
      delete props.enforcementLevel;
      const defaults = Object.fromEntries(
        Object.entries(p.configSchema?.properties ?? {}).map(([k, v]) => [
          k,
          (v as { default?: unknown }).default,
        ]),
      );
      assert.deepEqual(props, defaults, p.name);
    }
    assert.deepEqual(await analyzeResources([], example), []);
  });

  it("a policy that reads an unknown value is reported as the server reports it: advisory, its message", async () => {
    // The engine's sentinel (a gRPC preview) and @pulumi/pulumi's unknown (an offline preview under mocks).
    const engine = res(aws.iam.Policy, "engine", { policy: UNKNOWN, name: "x" });
    const mocks = res(aws.iam.Policy, "mocks", { policy: pulumi.unknown, name: "x" });
    const v = await analyzeResources([engine, mocks], {}, [policies[0]]);
    const message = (prop: string): string =>
      "can't run policy 'no-full-access-iam' from policy pack 'nextflow-batch@v0.1.0' during preview: " +
      `string value at .${prop} can't be known during preview`;
    assert.deepEqual(v, [
      {
        policy: "no-full-access-iam",
        enforcementLevel: "advisory",
        resource: "engine",
        urn: engine.urn,
        message: message("policy"),
      },
      {
        policy: "no-full-access-iam",
        enforcementLevel: "advisory",
        resource: "mocks",
        urn: mocks.urn,
        message: message("policy"),
      },
    ]);
  });

  it("keeps what a policy reported before it read an unknown value, and reads known values around it", async () => {
    const seen: unknown[] = [];
    const partial: ResourceValidationPolicy = {
      name: "partial",
      description: "d",
      enforcementLevel: "mandatory",
      validateResource: (args, report) => {
        seen.push(args.props.known, Object.keys(args.props).sort());
        report("before");
        seen.push(args.props.later);
      },
    };
    const r = res(aws.s3.Bucket, "b", { known: "yes", later: UNKNOWN });
    const v = await analyzeResources([r], {}, [partial]);
    assert.deepEqual(seen, ["yes", ["known", "later"]]);
    assert.deepEqual(
      v.map((x) => [x.enforcementLevel, x.message]),
      [
        ["mandatory", "before"],
        [
          "advisory",
          "can't run policy 'partial' from policy pack 'nextflow-batch@v0.1.0' during preview: string value at .later can't be known during preview",
        ],
      ],
    );
  });

  it("stack policies see dependencies and property dependencies linked by URN, others dropped", async () => {
    const links: unknown[] = [];
    const stackProbe: StackValidationPolicy = {
      name: "links",
      description: "d",
      validateStack: (args) => {
        for (const r of args.resources) {
          links.push([
            r.name,
            r.dependencies.map((d) => d.name),
            Object.fromEntries(
              Object.entries(r.propertyDependencies).map(([k, ds]) => [k, ds.map((d) => d.name)]),
            ),
          ]);
        }
      },
    };
    const bucket = res(aws.s3.Bucket, "bucket", {});
    const block = {
      ...res(aws.s3.BucketPublicAccessBlock, "block", { bucket: UNKNOWN }),
      dependencies: [bucket.urn, "urn:pulumi:test::nextflow-batch::elsewhere::gone"],
      propertyDependencies: { bucket: [bucket.urn] },
    };
    assert.deepEqual(await analyzeResources([bucket, block], {}, [stackProbe]), []);
    assert.deepEqual(links, [
      ["bucket", [], {}],
      ["block", ["bucket"], { bucket: ["bucket"] }],
    ]);
  });
});
