// Drives the pack through its real analyzer gRPC interface, the way the Pulumi engine does:
// `node <@pulumi/pulumi>/cmd/run-policy-pack <engine-address> <pack-dir>` with cwd = the pack dir
// (ts-node type-checks policy/index.ts with policy/tsconfig.json), port on the first stdout line,
// then the Analyzer service. A fake Engine service records Log calls (the runner reports errors there).
import * as assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import * as path from "node:path";
import * as readline from "node:readline";
import * as aws from "@pulumi/aws";
import * as grpc from "@grpc/grpc-js";
import * as analyzerGrpc from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzerPb from "@pulumi/pulumi/proto/analyzer_pb";
import * as engineGrpc from "@pulumi/pulumi/proto/engine_grpc_pb";
import * as enginePb from "@pulumi/pulumi/proto/engine_pb";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { policies } from "../policies";
import { typeOf, urnOf } from "./helpers";

const PACK_DIR = path.resolve(__dirname, "..");
const RUN_POLICY_PACK = path.dirname(require.resolve("@pulumi/pulumi/cmd/run-policy-pack"));
/** The wire value of an unknown (computed) property, as the engine sends it during a preview. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

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

describe("policy pack over the analyzer gRPC interface (run-policy-pack)", function () {
  this.timeout(30000);
  let engine: grpc.Server;
  let child: ChildProcess | undefined;
  let client: analyzerGrpc.AnalyzerClient;
  const engineLogs: string[] = [];
  let stderr = "";

  before(async () => {
    engine = new grpc.Server();
    engine.addService(engineGrpc.EngineService, {
      log: (c: grpc.ServerUnaryCall<enginePb.LogRequest, Empty>, cb: grpc.sendUnaryData<Empty>) => {
        engineLogs.push(c.request.getMessage());
        cb(null, new Empty());
      },
      getRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.GetRootResourceResponse>) =>
        cb(null, new enginePb.GetRootResourceResponse()),
      setRootResource: (_c: unknown, cb: grpc.sendUnaryData<enginePb.SetRootResourceResponse>) =>
        cb(null, new enginePb.SetRootResourceResponse()),
    });
    const enginePort = await new Promise<number>((resolve, reject) =>
      engine.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (err, port) =>
        err ? reject(err) : resolve(port),
      ),
    );

    const proc = spawn(process.execPath, [RUN_POLICY_PACK, `127.0.0.1:${enginePort}`, PACK_DIR], {
      cwd: PACK_DIR,
      stdio: ["ignore", "pipe", "pipe"],
    });
    child = proc;
    proc.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      const lines = readline.createInterface({ input: proc.stdout! });
      lines.once("line", (line) => resolve(line.trim()));
      proc.once("exit", (code) =>
        reject(new Error(`run-policy-pack exited ${code}: ${stderr} ${engineLogs.join("\n")}`)),
      );
    });
    assert.match(port, /^\d+$/);
    client = new analyzerGrpc.AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  });

  after(async () => {
    client?.close();
    if (child !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    engine?.forceShutdown();
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
  });
});
