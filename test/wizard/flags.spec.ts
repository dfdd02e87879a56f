// The wizard driven by flags and --yes, and bad flags: one line, exit 2.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkConfigValue } from "../../config/parse";
import { parseCostTags } from "../../wizard/answers";
import { NEW_DEFAULTS, projectDir, read, scripted, wizard } from "./helpers";

describe("wizard flags", () => {
  it("--yes with flags for every answer writes without asking", async () => {
    const dir = projectDir();
    const r = await wizard(dir, [
      "--stack=prod",
      "--lab-name=jones-lab",
      "--profile=ci",
      "--region=eu-central-1",
      "--preset=m5d-nvme",
      "--max-vcpus=256",
      "--no-on-demand-queue",
      "--network=existing",
      "--vpc-id=vpc-0123456789abcdef0",
      "--subnet-ids=subnet-0123456789abcdef0,subnet-0fedcba9876543210",
      "--work-retention-days=14",
      "--cost-tags=grant=R01, cost-center=42",
      "--yes",
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      read(dir, "prod"),
      `# Written by \`npm run wizard\`; re-run it or edit by hand (\`npm run plan\` checks the result).

config:
  aws:profile: ci
  aws:region: eu-central-1
  nextflow-batch:labName: jones-lab
  nextflow-batch:preset: m5d-nvme
  nextflow-batch:maxVcpus: 256
  nextflow-batch:onDemandQueue: false
  nextflow-batch:network: existing
  nextflow-batch:vpcId: vpc-0123456789abcdef0
  nextflow-batch:subnetIds:
    - subnet-0123456789abcdef0
    - subnet-0fedcba9876543210
  nextflow-batch:workRetentionDays: 14
  nextflow-batch:costTags:
    grant: R01
    cost-center: "42"
`,
    );
  });

  it("--yes alone takes every default", async () => {
    const dir = projectDir();
    const r = await wizard(dir, ["--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(read(dir, "dev"), NEW_DEFAULTS);
  });

  const bad: [string, string[], string][] = [
    [
      "a value config parsing rejects, in its words",
      ["--max-vcpus", "lots"],
      `error: --max-vcpus "lots": ${checkConfigValue("maxVcpus", "lots")}`,
    ],
    ["an unknown flag", ["--max-cpus", "8"], "error: Unknown option '--max-cpus'. Fix: see the usage below"],
    [
      "a profile the AWS files do not have",
      ["--profile", "nope", "--yes"],
      'error: --profile "nope": not a profile in your AWS config or credentials files; allowed: default, ci, lab, sandbox. Fix: pick one of those, or --no-profile for environment / default credentials',
    ],
    [
      "an existing network without a VPC id",
      ["--network", "existing", "--yes"],
      "error: --vpc-id is required with --network existing and --yes (Pulumi.dev.yaml has none). Fix: pass --vpc-id vpc-0123456789abcdef0",
    ],
    [
      "a malformed cost tag",
      ["--cost-tags", "grant"],
      'error: --cost-tags "grant": cost tags must be "key=value" pairs separated by commas; "grant" has no key=value. Fix: e.g. grant=R01-GM000000, cost-center=1234',
    ],
    [
      "a reserved cost tag",
      ["--cost-tags", "lab=x"],
      `error: --cost-tags "lab=x": ${checkConfigValue("costTags", { lab: "x" })}`,
    ],
    [
      "a bad region",
      ["--region", "mars-1"],
      `error: --region "mars-1": aws:region must be an AWS region such as "us-east-1"; got "mars-1". Fix: pulumi config set aws:region us-east-1`,
    ],
    [
      "a bad stack name",
      ["--stack", "a/b"],
      'error: --stack "a/b": a stack name must be 1 to 100 letters, digits, "-", "_" or "."; got "a/b". Fix: e.g. dev',
    ],
  ];
  for (const [what, argv, line] of bad) {
    it(`exits 2 with one line for ${what}`, async () => {
      const dir = projectDir();
      const r = await wizard(dir, argv, scripted({}));
      assert.equal(r.code, 2);
      assert.equal(r.stderr.split("\n")[0], line);
      if (what !== "an unknown flag") assert.equal(r.stderr, `${line}\n`);
      assert.deepEqual(fs.readdirSync(dir), ["Pulumi.yaml"]);
    });
  }

  it("exits 2 outside a project directory", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-spec-"));
    const r = await wizard(dir, ["--yes"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .* has no Pulumi\.yaml, so it is not the project directory\. Fix: /);
  });

  it("parses cost tags as key=value pairs", () => {
    assert.deepEqual(parseCostTags(" grant = R01 , cost-center=1234,"), {
      grant: "R01",
      "cost-center": "1234",
    });
    assert.deepEqual(parseCostTags(""), {});
    assert.equal(
      parseCostTags("a=1, a=2"),
      'cost tags must not repeat a key; "a" appears twice. Fix: keep one',
    );
  });
});
