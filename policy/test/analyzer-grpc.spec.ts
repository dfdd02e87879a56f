// Drives the published pack through its real analyzer gRPC interface, the way the Pulumi engine
// does. The pack is packed as `pulumi policy publish` packs it (npm pack, tools/start-pack.ts),
// unpacked to a temporary directory whose node_modules is the repository's (in place of the npm
// install an installation runs), and started as the engine starts it:
// `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with cwd = the pack dir,
// port on the first stdout line, then the Analyzer service. A fake Engine service records Log
// calls (the runner reports errors there). Verdicts are compared with policy/analyze.ts's.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as aws from "@pulumi/aws";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { analyzeResources, type Violation } from "../analyze";
import { packFile } from "../pack-files";
import { policies } from "../policies";
import { AWS, AWS_NATIVE } from "../policies/resource-types";
import { packLikePublish, startPack, type StartedPack } from "../tools/start-pack";
import { policyDocument, typeOf, UNKNOWN, urnOf } from "./helpers";

const PACK_DIR = packFile();
const REPO_NODE_MODULES = path.join(PACK_DIR, "..", "node_modules");

const LEVEL: Record<number, string> = {
  [analyzerPb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerPb.EnforcementLevel.MANDATORY]: "mandatory",
  [analyzerPb.EnforcementLevel.DISABLED]: "disabled",
  [analyzerPb.EnforcementLevel.REMEDIATE]: "remediate",
};

interface Diag {
  policy: string;
  level: string;
  urn: string;
  message: string;
}

interface Res {
  type: string;
  name: string;
  props: Record<string, unknown>;
  propertyDependencies?: Record<string, string[]>;
}

function r(
  resourceClass: unknown,
  name: string,
  props: Record<string, unknown>,
  deps?: Record<string, string[]>,
): Res {
  return { type: typeOf(resourceClass), name, props, propertyDependencies: deps };
}

/** A resource by type token, for providers the repository does not install (aws-native). */
function rt(
  type: string,
  name: string,
  props: Record<string, unknown>,
  deps?: Record<string, string[]>,
): Res {
  return { type, name, props, propertyDependencies: deps };
}

const urn = (x: Res): string => urnOf(x.type, x.name);

function diagnostics(resp: analyzerPb.AnalyzeResponse): Diag[] {
  return resp.getDiagnosticsList().map((d) => ({
    policy: d.getPolicyname(),
    level: LEVEL[d.getEnforcementlevel()],
    urn: d.getUrn(),
    message: d.getMessage(),
  }));
}

function call<Req, Resp>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, resp: Resp) => void) => unknown,
  req: Req,
): Promise<Resp> {
  return new Promise((resolve, reject) => fn(req, (err, resp) => (err ? reject(err) : resolve(resp))));
}

const ECS_ROLE = "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role";
const TLS_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [
    {
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
});

/** A clean stack: what the program is meant to produce. */
function cleanStack(): Res[] {
  const bucket = r(aws.s3.Bucket, "work", { bucket: "lab-work" });
  const flags = {
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  };
  const ceProps = (name: string, instanceTypes: string[]): Record<string, unknown> => ({
    name,
    arn: `arn:aws:batch:us-east-1:123456789012:compute-environment/${name}`,
    type: "MANAGED",
    tags: { lab: "smith" },
    computeResources: { type: "SPOT", maxVcpus: 512, instanceTypes, tags: { lab: "smith" } },
  });
  return [
    r(aws.iam.RolePolicyAttachment, "instance-ecs", { role: "instance", policyArn: ECS_ROLE }),
    bucket,
    // The bucket's id is unknown in a preview; the engine's property dependencies still link them.
    r(aws.s3.BucketPublicAccessBlock, "work-pab", { bucket: UNKNOWN, ...flags }, { bucket: [urn(bucket)] }),
    r(aws.s3.BucketPolicy, "work-tls", { bucket: "lab-work", policy: TLS_POLICY }),
    r(aws.ec2.LaunchTemplate, "lt", {
      metadataOptions: { httpTokens: "required" },
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted: "true" } }],
      tags: { lab: "smith" },
    }),
    r(aws.batch.ComputeEnvironment, "ce-a", ceProps("ce-a", ["m5d"])),
    r(aws.batch.ComputeEnvironment, "ce-b", ceProps("ce-b", ["c5d"])),
    // Unknown references (a first preview), linked to the environments by property dependencies.
    r(
      aws.batch.JobQueue,
      "queue",
      {
        name: "queue",
        computeEnvironmentOrders: [
          { order: 0, computeEnvironment: UNKNOWN },
          { order: 1, computeEnvironment: UNKNOWN },
        ],
      },
      {
        computeEnvironmentOrders: [
          urnOf(typeOf(aws.batch.ComputeEnvironment), "ce-a"),
          urnOf(typeOf(aws.batch.ComputeEnvironment), "ce-b"),
        ],
      },
    ),
  ];
}

/** The clean stack with an admin attachment, an AMD environment in the queue and no public access block. */
function violatingStack(): Res[] {
  return cleanStack()
    .filter((x) => x.name !== "work-pab")
    .map((x) =>
      x.name === "instance-ecs"
        ? { ...x, props: { ...x.props, policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" } }
        : x.name === "ce-b"
          ? {
              ...x,
              props: {
                ...x.props,
                computeResources: {
                  type: "SPOT",
                  maxVcpus: 512,
                  instanceTypes: ["c6a"],
                  tags: { lab: "smith" },
                },
              },
            }
          : x,
    );
}

function analyzeRequest(x: Res): analyzerPb.AnalyzeRequest {
  return new analyzerPb.AnalyzeRequest()
    .setType(x.type)
    .setName(x.name)
    .setUrn(urn(x))
    .setProperties(Struct.fromJavaScript(x.props as Record<string, never>))
    .setOptions(new analyzerPb.AnalyzerResourceOptions());
}

function stackRequest(stack: Res[]): analyzerPb.AnalyzeStackRequest {
  return new analyzerPb.AnalyzeStackRequest().setResourcesList(
    stack.map((x) => {
      const ar = new analyzerPb.AnalyzerResource()
        .setType(x.type)
        .setName(x.name)
        .setUrn(urn(x))
        .setProperties(Struct.fromJavaScript(x.props as Record<string, never>))
        .setOptions(new analyzerPb.AnalyzerResourceOptions());
      for (const [key, urns] of Object.entries(x.propertyDependencies ?? {})) {
        ar.getPropertydependenciesMap().set(
          key,
          new analyzerPb.AnalyzerPropertyDependencies().setUrnsList(urns),
        );
      }
      return ar;
    }),
  );
}

/** A fake Engine service on a free port; `logs` collects what the pack logs. */
async function fakeEngine(logs: string[]): Promise<{ server: grpc.Server; address: string }> {
  const server = new grpc.Server();
  server.addService(engineGrpc.EngineService, {
    log: (c: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
      logs.push(c.request.getMessage());
      cb(null, new Empty());
    },
    getRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) =>
      cb(null, new enginePb.GetRootResourceResponse()),
    setRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) =>
      cb(null, new enginePb.SetRootResourceResponse()),
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, p) =>
      err ? reject(err) : resolve(p),
    ),
  );
  return { server, address: `127.0.0.1:${port}` };
}

/** The resource as analyze.ts takes it. */
function analyzed(x: Res): Parameters<typeof analyzeResources>[0][number] {
  return {
    type: x.type,
    name: x.name,
    urn: urn(x),
    props: x.props,
    propertyDependencies: x.propertyDependencies,
  };
}

/**
 * analyze.ts's verdicts as the server words them: the server puts the policy's description
 * before a reported message; its "can't run ... during preview" messages stand alone.
 */
function asServerWords(v: readonly Violation[]): Diag[] {
  const described = new Map(policies.map((p) => [p.name, p.description]));
  return v.map((x) => ({
    policy: x.policy,
    level: x.enforcementLevel,
    urn: "",
    message: x.message.startsWith("can't run policy ")
      ? x.message
      : `${described.get(x.policy)}\n${x.message}`,
  }));
}

describe("policy pack over the analyzer gRPC interface (the published pack, run-policy-pack)", function () {
  this.timeout(60000);
  let engine: grpc.Server;
  let pack: StartedPack | undefined;
  let client: analyzerGrpc.AnalyzerClient;
  let tmp: string;
  const engineLogs: string[] = [];

  before(async () => {
    const fake = await fakeEngine(engineLogs);
    engine = fake.server;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nextflow-batch-published-"));
    const published = packLikePublish(PACK_DIR, tmp, REPO_NODE_MODULES);
    assert.ok(!published.files.some((f) => f.endsWith(".ts")), "the published pack holds TypeScript");
    pack = await startPack(published.dir, fake.address);
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    await pack?.stop();
    engine?.forceShutdown();
    if (tmp !== undefined) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it("GetAnalyzerInfo lists every policy with its enforcement level and config schema", async () => {
    const info = await call<Empty, analyzerPb.AnalyzerInfo>(client.getAnalyzerInfo.bind(client), new Empty());
    assert.equal(info.getName(), "nextflow-batch");
    assert.equal(info.getVersion(), "0.1.0");
    const got = info.getPoliciesList().map((p) => [p.getName(), LEVEL[p.getEnforcementlevel()]]);
    assert.deepEqual(got, [
      ["no-full-access-iam", "mandatory"],
      ["no-cpu-mix", "mandatory"],
      ["no-cpu-mix-job-queue", "mandatory"],
      ["launch-template-imdsv2", "mandatory"],
      ["launch-template-encrypted-ebs", "mandatory"],
      ["s3-block-public-access", "mandatory"],
      ["s3-require-tls", "advisory"],
      ["spot-max-vcpus", "advisory"],
      ["required-cost-tags", "advisory"],
    ]);
    assert.deepEqual(
      got.map(([n]) => n),
      policies.map((p) => p.name),
    );
    const spot = info.getPoliciesList().find((p) => p.getName() === "spot-max-vcpus");
    assert.deepEqual(spot?.getConfigschema()?.getProperties()?.toJavaScript().maxVcpus, {
      type: "integer",
      minimum: 1,
      default: 4096,
      description: "Largest maxVcpus allowed for a SPOT compute environment.",
    });
  });

  it("Analyze: the clean stack's resources have no diagnostics", async () => {
    for (const x of cleanStack()) {
      const resp = await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
        client.analyze.bind(client),
        analyzeRequest(x),
      );
      assert.deepEqual(diagnostics(resp), [], x.name);
    }
  });

  it("Analyze: an AdministratorAccess attachment is a mandatory no-full-access-iam diagnostic", async () => {
    const bad = violatingStack().find((x) => x.name === "instance-ecs")!;
    const d = diagnostics(
      await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
        client.analyze.bind(client),
        analyzeRequest(bad),
      ),
    );
    assert.deepEqual(
      d.map(({ policy, level, urn }) => ({ policy, level, urn })),
      [{ policy: "no-full-access-iam", level: "mandatory", urn: "" }],
    );
    assert.match(d[0].message, /"arn:aws:iam::aws:policy\/AdministratorAccess" \(administrator access\)/);
  });

  it("AnalyzeStack: the clean stack passes, unknown bucket id included", async () => {
    const resp = await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
      client.analyzeStack.bind(client),
      stackRequest(cleanStack()),
    );
    assert.deepEqual(diagnostics(resp), []);
  });

  it("AnalyzeStack: a mixed queue and a bucket without a public access block are reported on their URNs", async () => {
    const stack = violatingStack();
    const d = diagnostics(
      await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
        client.analyzeStack.bind(client),
        stackRequest(stack),
      ),
    );
    const byName = (n: string): string => urn(stack.find((x) => x.name === n)!);
    assert.deepEqual(
      d.map(({ policy, level, urn }) => ({ policy, level, urn })),
      [
        { policy: "no-cpu-mix-job-queue", level: "mandatory", urn: byName("queue") },
        { policy: "s3-block-public-access", level: "mandatory", urn: byName("work") },
      ],
    );
  });

  /** Resources for the new cases, each with the verdict analyze.ts gives (compared below). */
  function newCases(): Res[] {
    const doc = (statement: unknown): string => JSON.stringify(policyDocument(statement));
    const allow = (action: unknown): Record<string, unknown> => ({
      Effect: "Allow",
      Action: action,
      Resource: "*",
    });
    const ps = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
    return [
      r(aws.iam.Policy, "iam-double-star", { policy: doc(allow("iam:**")) }),
      r(aws.iam.Policy, "star-colon-star", { policy: doc(allow("*:*")) }),
      r(aws.iam.Policy, "s3-object-near-miss", { policy: doc(allow("s3:*Object")) }),
      r(aws.iam.Policy, "iam-get-near-miss", { policy: doc(allow("iam:Get*")) }),
      r(aws.iam.Policy, "deny-near-miss", { policy: doc({ Effect: "Deny", Action: "*", Resource: "*" }) }),
      r(aws.iam.RolePolicy, "unreadable", { role: "r", policy: "{ not json" }),
      r(aws.iam.Policy, "unknown-document", { policy: UNKNOWN }),
      r(aws.ssoadmin.ManagedPolicyAttachment, "sso-admin", {
        instanceArn: "i",
        permissionSetArn: ps,
        managedPolicyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      }),
      r(aws.ssoadmin.PermissionSetInlinePolicy, "sso-inline", {
        instanceArn: "i",
        permissionSetArn: ps,
        inlinePolicy: doc(allow("i?m:*")),
      }),
      rt(AWS_NATIVE.iamRole, "native-role", {
        assumeRolePolicyDocument: {},
        policies: [{ policyName: "ops", policyDocument: policyDocument(allow(["IAM:*"])) }],
      }),
      rt(AWS_NATIVE.ssoPermissionSet, "native-permission-set", {
        instanceArn: "i",
        name: "admins",
        managedPolicies: ["arn:aws:iam::aws:policy/AdministratorAccess"],
      }),
    ];
  }

  it("Analyze: the same verdicts as analyze.ts on new spellings, near misses, unreadable and unknown documents, Identity Center and aws-native", async () => {
    const levels: Record<string, string[]> = {};
    for (const x of newCases()) {
      const got = diagnostics(
        await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
          client.analyze.bind(client),
          analyzeRequest(x),
        ),
      );
      const expected = asServerWords(await analyzeResources([analyzed(x)]));
      assert.deepEqual(got, expected, x.name);
      levels[x.name] = got.map((d) => `${d.policy}:${d.level}`);
    }
    const mandatory = ["no-full-access-iam:mandatory"];
    assert.deepEqual(levels, {
      "iam-double-star": mandatory,
      "star-colon-star": mandatory,
      "s3-object-near-miss": [],
      "iam-get-near-miss": [],
      "deny-near-miss": [],
      unreadable: mandatory,
      "unknown-document": ["no-full-access-iam:advisory"],
      "sso-admin": mandatory,
      "sso-inline": mandatory,
      "native-role": mandatory,
      "native-permission-set": mandatory,
    });
  });

  it("AnalyzeStack: a queue through the deprecated computeEnvironments in a preview, linked by property dependencies, as analyze.ts judges it", async () => {
    const ceUrn = (name: string): string => urnOf(AWS.batchComputeEnvironment, name);
    const stack = cleanStack()
      .filter((x) => x.type !== AWS.batchJobQueue)
      .map((x) =>
        x.name === "ce-b"
          ? {
              ...x,
              props: {
                ...x.props,
                computeResources: {
                  type: "SPOT",
                  maxVcpus: 512,
                  instanceTypes: ["c6a"],
                  tags: { lab: "smith" },
                },
              },
            }
          : x,
      );
    const oldQueue = r(
      aws.batch.JobQueue,
      "old-queue",
      { name: "old-queue", state: "ENABLED", priority: 1, computeEnvironments: [UNKNOWN, UNKNOWN] },
      { computeEnvironments: [ceUrn("ce-a"), ceUrn("ce-b")] },
    );
    const got = diagnostics(
      await call<analyzerPb.AnalyzeStackRequest, analyzerPb.AnalyzeResponse>(
        client.analyzeStack.bind(client),
        stackRequest([...stack, oldQueue]),
      ),
    );
    assert.deepEqual(
      got.map(({ policy, level, urn }) => ({ policy, level, urn })),
      [{ policy: "no-cpu-mix-job-queue", level: "mandatory", urn: urn(oldQueue) }],
    );
    const inProcess = (await analyzeResources([...stack, oldQueue].map(analyzed))).filter(
      (v) => v.policy === "no-cpu-mix-job-queue",
    );
    assert.deepEqual(
      got.map((d) => d.message),
      asServerWords(inProcess).map((d) => d.message),
    );
  });

  it("Configure: policy config changes enforcement and settings, as `pulumi policy enable --config` does", async () => {
    const cfg = new analyzerPb.ConfigureAnalyzerRequest();
    cfg
      .getPolicyconfigMap()
      .set(
        "spot-max-vcpus",
        new analyzerPb.PolicyConfig()
          .setEnforcementlevel(analyzerPb.EnforcementLevel.MANDATORY)
          .setProperties(Struct.fromJavaScript({ maxVcpus: 256 })),
      );
    cfg.getPolicyconfigMap().set(
      "no-full-access-iam",
      // The CLI always sends a properties struct, and the server reads it unconditionally.
      new analyzerPb.PolicyConfig()
        .setEnforcementlevel(analyzerPb.EnforcementLevel.DISABLED)
        .setProperties(Struct.fromJavaScript({})),
    );
    await call<analyzerPb.ConfigureAnalyzerRequest, Empty>(client.configure.bind(client), cfg);
    const ce = cleanStack().find((x) => x.name === "ce-a")!;
    const d = diagnostics(
      await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
        client.analyze.bind(client),
        analyzeRequest(ce),
      ),
    );
    assert.deepEqual(
      d.map(({ policy, level }) => ({ policy, level })),
      [{ policy: "spot-max-vcpus", level: "mandatory" }],
    );
    assert.match(d[0].message, /maxVcpus is 512, above the cap of 256/);
    const admin = violatingStack().find((x) => x.name === "instance-ecs")!;
    assert.deepEqual(
      diagnostics(
        await call<analyzerPb.AnalyzeRequest, analyzerPb.AnalyzeResponse>(
          client.analyze.bind(client),
          analyzeRequest(admin),
        ),
      ),
      [],
    );
    assert.deepEqual(engineLogs, []);
    assert.equal(pack?.stderr(), "");
  });
});

describe("the pack directory in the repository (what `pulumi preview --policy-pack policy` starts)", function () {
  this.timeout(60000);

  it("starts from the compiled entry point and answers GetAnalyzerInfo", async () => {
    const logs: string[] = [];
    const fake = await fakeEngine(logs);
    const pack = await startPack(PACK_DIR, fake.address);
    const client = new analyzerGrpc.AnalyzerClient(
      `127.0.0.1:${pack.port}`,
      grpc.credentials.createInsecure(),
    );
    try {
      const info = await call<Empty, analyzerPb.AnalyzerInfo>(
        client.getAnalyzerInfo.bind(client),
        new Empty(),
      );
      assert.deepEqual(
        info.getPoliciesList().map((p) => p.getName()),
        policies.map((p) => p.name),
      );
      assert.deepEqual(logs, []);
    } finally {
      client.close();
      await pack.stop();
      fake.server.forceShutdown();
    }
  });
});
