/**
 * What the doctor is given: flags, the stack's outputs, the generated nextflow.config, AWS
 * errors, and AWS profiles read through the SDK's own loaders.
 */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  classify,
  credentialsFor,
  deniedAction,
  FatalError,
  parseArn,
  PermissionError,
} from "../../doctor/aws";
import { DEFAULT_SMOKE_IMAGE, parseDoctorArgs, UsageError } from "../../doctor/cli";
import { loadOutputs, parseNextflowConfig, parseOutputs, queuesOf } from "../../doctor/outputs";
import * as F from "./fixtures";

describe("doctor inputs", () => {
  describe("flags", () => {
    it("defaults", () => {
      assert.deepEqual(parseDoctorArgs(["--stack", "dev"]), {
        stack: "dev",
        outputs: undefined,
        smoke: false,
        json: false,
        profile: undefined,
        region: undefined,
        dir: undefined,
        runnableMinutes: 10,
        timeoutMinutes: 30,
        image: DEFAULT_SMOKE_IMAGE,
        help: false,
      });
    });
    it("every flag", () => {
      const a = parseDoctorArgs([
        "--stack",
        "smith-lab",
        "--outputs",
        "o.json",
        "--smoke",
        "--json",
        "--profile",
        "lab",
        "--region",
        "eu-west-1",
        "--dir",
        "..",
        "--runnable-minutes",
        "5",
        "--timeout-minutes",
        "45",
        "--image",
        "public.ecr.aws/docker/library/ubuntu:24.04",
      ]);
      assert.deepEqual(
        [
          a.stack,
          a.outputs,
          a.smoke,
          a.json,
          a.profile,
          a.region,
          a.dir,
          a.runnableMinutes,
          a.timeoutMinutes,
          a.image,
        ],
        [
          "smith-lab",
          "o.json",
          true,
          true,
          "lab",
          "eu-west-1",
          "..",
          5,
          45,
          "public.ecr.aws/docker/library/ubuntu:24.04",
        ],
      );
    });
    const bad: [string[], RegExp][] = [
      [[], /^--stack is required: the stack to check\. Fix: npm run doctor -- --stack dev/],
      [["--stack", "dev", "--bogus"], /^Unknown option '--bogus'.*Fix: see the usage below/],
      [["--stack", "dev", "extra"], /Unexpected argument 'extra'/],
      [["--stack", "a/b"], /^--stack "a\/b": a stack name must be 1 to 100 letters/],
      [
        ["--stack", "dev", "--region", "moon-1"],
        /^--region "moon-1": must be an AWS region such as "us-east-1"; got "moon-1"/,
      ],
      [["--stack", "dev", "--profile", " "], /^--profile "": give a profile name/],
      [
        ["--stack", "dev", "--runnable-minutes", "1.5"],
        /^--runnable-minutes "1\.5": must be a whole number of minutes from 1 to 1440\. Fix: e\.g\. --runnable-minutes 10/,
      ],
      [["--stack", "dev", "--timeout-minutes", "999"], /^--timeout-minutes "999": .* from 1 to 240/],
      [
        ["--stack", "dev", "--image", "my image"],
        /^--image "my image": must be a container image reference without spaces/,
      ],
      [["--stack", "dev", "--outputs", ""], /^--outputs "": give the file/],
    ];
    for (const [argv, want] of bad) {
      it(`rejects ${argv.join(" ") || "no flags"}`, () => {
        assert.throws(
          () => parseDoctorArgs(argv),
          (e: Error) => e instanceof UsageError && want.test(e.message),
        );
      });
    }
    it("--help needs no stack", () => assert.equal(parseDoctorArgs(["--help"]).help, true));
  });

  describe("stack outputs", () => {
    it("a deployed stack's outputs, with and without the on-demand queue", () => {
      const o = parseOutputs(F.stackOutputs(), "x", "dev");
      assert.deepEqual(queuesOf(o), [
        { role: "spot", name: F.SPOT_QUEUE, arn: F.queueArn(F.SPOT_QUEUE) },
        { role: "onDemand", name: F.OD_QUEUE, arn: F.queueArn(F.OD_QUEUE) },
      ]);
      assert.deepEqual(
        queuesOf(parseOutputs(F.stackOutputs({ onDemand: false }), "x", "dev")).map((q) => q.role),
        ["spot"],
      );
      // Unknown outputs (a newer stack) pass.
      assert.equal(parseOutputs({ ...F.stackOutputs(), somethingNew: 1 }, "x", "dev").vpcId, F.VPC);
    });
    const bad: [string, unknown, RegExp][] = [
      ["not an object", [1], /x must be a JSON object of stack outputs; got an array/],
      [
        "no outputs (never deployed)",
        {},
        /stack dev has no outputs: it has not been deployed.*Fix: pulumi up --stack dev/,
      ],
      [
        "a required output missing",
        { ...F.stackOutputs(), jobRoleArn: undefined },
        /output jobRoleArn is missing; a deployed nextflow-batch stack always has it/,
      ],
      [
        "a masked value",
        { ...F.stackOutputs(), workBucketName: "[secret]", workDir: "s3://[secret]/work" },
        /workBucketName must be an S3 bucket name .*got "\[secret\]"/,
      ],
      ["a number", { ...F.stackOutputs(), vpcId: 7 }, /output vpcId must be a non-empty string; got 7/],
      [
        "half the on-demand pair",
        { ...F.stackOutputs(), onDemandQueueArn: undefined },
        /onDemandQueueName and onDemandQueueArn come together; got only onDemandQueueName/,
      ],
      [
        "a queue ARN that is not one",
        { ...F.stackOutputs(), onDemandQueueArn: F.ceArn("x") },
        /onDemandQueueArn must be a Batch job queue ARN/,
      ],
      [
        "an IAM ARN that is not one",
        { ...F.stackOutputs(), jobRoleArn: "role/x" },
        /jobRoleArn must be an IAM ARN/,
      ],
      [
        "workDir off the bucket",
        { ...F.stackOutputs(), workDir: "s3://other/work" },
        /workDir must be s3:\/\/<workBucketName>\/<prefix>/,
      ],
    ];
    for (const [name, raw, want] of bad) {
      it(`rejects ${name}, in one line with a fix`, () => {
        assert.throws(
          () => parseOutputs(raw, "x", "dev"),
          (e: Error) =>
            e instanceof FatalError &&
            want.test(e.message) &&
            !e.message.includes("\n") &&
            /Fix: /.test(e.message),
        );
      });
    }
    it("an outputs file that is missing or not JSON", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-doctor-out-"));
      try {
        const exec = async () => ({ stdout: "", stderr: "" });
        await assert.rejects(
          loadOutputs({ stack: "dev", file: path.join(dir, "nope.json"), cwd: dir, exec }),
          /cannot read it \(ENOENT\)\. Fix: create it with `pulumi stack output --json --stack dev >/,
        );
        fs.writeFileSync(path.join(dir, "bad.json"), "Current stack outputs (11):");
        await assert.rejects(
          loadOutputs({ stack: "dev", file: path.join(dir, "bad.json"), cwd: dir, exec }),
          /not JSON/,
        );
        await assert.rejects(
          loadOutputs({ stack: "dev", cwd: dir, exec: async () => ({ stdout: "warning: x", stderr: "" }) }),
          /did not print JSON/,
        );
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  it("nextflowConfig: reads back what nextflow/config.ts writes", () => {
    assert.deepEqual(parseNextflowConfig(F.stackOutputs().nextflowConfig), {
      queue: F.SPOT_QUEUE,
      onDemandQueue: F.OD_QUEUE,
      workDir: `s3://${F.BUCKET}/work`,
      region: F.REGION,
      cliPath: "/opt/aws-cli/bin/aws",
      jobRole: F.JOB_ROLE_ARN,
      logsGroup: F.LOG_GROUP,
    });
    assert.equal(parseNextflowConfig("    queue = 'it\\'s'\n").queue, "it's");
  });

  describe("AWS errors", () => {
    it("parses ARNs", () => {
      assert.deepEqual(parseArn(F.queueArn("q")), {
        partition: "aws",
        service: "batch",
        region: F.REGION,
        account: F.ACCOUNT,
        resource: "job-queue/q",
      });
      assert.equal(parseArn(F.JOB_ROLE_ARN)?.region, "");
      assert.equal(parseArn("nope"), undefined);
    });
    it("names the action AWS denied", () => {
      assert.equal(
        deniedAction("User: arn:aws:iam::1:user/a is not authorized to perform: iam:PassRole on resource: x"),
        "iam:PassRole",
      );
      assert.equal(deniedAction("Access Denied"), undefined);
    });
    const err = (name: string, message: string) => Object.assign(new Error(message), { name });
    const cases: [string, Error, (e: Error) => boolean][] = [
      [
        "AccessDeniedException",
        err("AccessDeniedException", "User: u is not authorized to perform: batch:SubmitJob on resource: q"),
        (e) => e instanceof PermissionError && e.action === "batch:SubmitJob",
      ],
      [
        "Batch's ClientException for IAM",
        err("ClientException", "User: u is not authorized to perform: iam:PassRole on resource: r"),
        (e) => e instanceof PermissionError && e.action === "iam:PassRole",
      ],
      [
        "EC2 UnauthorizedOperation without an action: the one called",
        err("UnauthorizedOperation", "You are not authorized to perform this operation."),
        (e) => e instanceof PermissionError && e.action === "ec2:DescribeRouteTables",
      ],
      [
        "no credentials",
        err("CredentialsProviderError", "Could not load credentials from any providers"),
        (e) => e instanceof FatalError && /no AWS credentials for profile lab/.test(e.message),
      ],
      [
        "expired SSO token",
        err("TokenRefreshRequired", "the SSO session has expired"),
        (e) => e instanceof FatalError && /have expired.*aws sso login --profile lab/.test(e.message),
      ],
      [
        "bad keys",
        err("InvalidClientTokenId", "The security token included in the request is invalid."),
        (e) => e instanceof FatalError && /AWS rejected the credentials/.test(e.message),
      ],
      [
        "no network",
        err("Error", "getaddrinfo ENOTFOUND batch.us-east-1.amazonaws.com"),
        (e) => e instanceof FatalError && /cannot reach AWS/.test(e.message),
      ],
      [
        "anything else passes through",
        err("ServerException", "boom"),
        (e) => !(e instanceof FatalError) && !(e instanceof PermissionError) && e.message === "boom",
      ],
    ];
    for (const [name, e, ok] of cases) {
      it(name, () => assert.ok(ok(classify("ec2:DescribeRouteTables", e, "lab"))));
    }
  });

  describe("AWS profiles, through the SDK's own loaders (as the wizard reads them)", () => {
    const saved = { ...process.env };
    let dir: string;
    beforeEach(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-doctor-aws-"));
      fs.writeFileSync(path.join(dir, "config"), "[profile smith-lab]\nregion = us-east-1\n");
      fs.writeFileSync(
        path.join(dir, "credentials"),
        "[smith-lab]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n",
      );
      process.env.AWS_CONFIG_FILE = path.join(dir, "config");
      process.env.AWS_SHARED_CREDENTIALS_FILE = path.join(dir, "credentials");
      for (const k of ["AWS_PROFILE", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"])
        delete process.env[k];
    });
    afterEach(() => {
      process.env = { ...saved };
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("the stack's aws:profile gives that profile's keys", async () => {
      const c = await credentialsFor("smith-lab")();
      assert.equal(c.accessKeyId, "AKIAIOSFODNN7EXAMPLE");
    });
    it("a profile that is not in the files is a clear, fatal error", async () => {
      const e = await credentialsFor("nobody")().then(
        () => undefined,
        (x: Error) => x,
      );
      assert.ok(e);
      const c = classify("sts:GetCallerIdentity", e, "nobody");
      assert.ok(c instanceof FatalError, String(c));
      assert.match(c.message, /no AWS credentials for profile nobody: .*Fix: aws sso login --profile nobody/);
    });
    it("without a profile, the default chain honours AWS_PROFILE", async () => {
      process.env.AWS_PROFILE = "smith-lab";
      const c = await credentialsFor(undefined)();
      assert.equal(c.accessKeyId, "AKIAIOSFODNN7EXAMPLE");
    });
  });
});
