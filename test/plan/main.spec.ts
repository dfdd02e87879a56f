import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESET_NAMES } from "../../presets";
import { main } from "../../plan/main";

const ROOT = path.join(__dirname, "..", "..");

function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-plan-"));
  for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
  return dir;
}

describe("npm run plan", function () {
  this.timeout(60000);

  it("--stack dev prints the tree, the host I/O table, the outputs, nextflowConfig and the policy verdict", async () => {
    const r = await main(["--stack", "dev"], ROOT);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stderr, "");
    for (const expected of [
      "nextflow-batch / dev: preset m5-gp3 (Intel x86_64: m5), region us-east-1, lab dev-lab",
      "  + nextflow-batch:compute:BatchCompute  nextflow-batch",
      "  hosts: gp3 root volume holds Docker data, matched to each size (up to 1000 GiB 16000 IOPS 1000 MiB/s; see the I/O table)",
      "    + aws-native:batch:ComputeEnvironment  nextflow-batch-spot",
      "        SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5, vCPUs 0-1024, bid 100%; 5 launch template overrides: m5.large; m5.xlarge; m5.2xlarge; m5.4xlarge; m5.8xlarge",
      "    + pulumi:providers:aws-native  nextflow-batch-aws-native\n        region us-east-1",
      "    + aws:ec2/launchTemplate:LaunchTemplate  nextflow-hosts-m5.large\n        root gp3 100 GiB 3600 IOPS 125 MiB/s encrypted=true, IMDS tokens required, hop limit 1",
      "27 cloud resources in 6 components.",
      "Host I/O and storage cost per instance size:\n  Root volumes matched to 9 sizes (6 launch templates, 100-1000 GiB)",
      "  spotQueueName: dev-lab-dev-spot",
      "  |     executor = 'awsbatch'",
      "Policy pack:\n  no violations",
    ]) {
      assert.ok(r.stdout.includes(expected), `missing: ${expected}`);
    }
  });

  it("--json gives resources (type, name, inputs), outputs and violations", async () => {
    const r = await main(["--stack", "dev", "--json"], ROOT);
    assert.equal(r.code, 0);
    const plan = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(plan), ["stack", "preset", "resources", "outputs", "violations"]);
    assert.equal(plan.resources.length, 33);
    for (const res of plan.resources) assert.deepEqual(Object.keys(res), ["type", "name", "inputs"]);
    assert.deepEqual(plan.violations, []);
    assert.equal(plan.outputs.spotQueueName, "dev-lab-dev-spot");
    assert.match(plan.outputs.nextflowConfig, /^workDir = 's3:\/\/nextflow-work-[0-9a-f]{7}\/work'$/m);
  });

  it("--preset m5d-nvme keeps its one launch template on an aws.batch compute environment", async () => {
    const r = await main(["--preset", "m5d-nvme"], ROOT);
    assert.equal(r.code, 0, r.stderr);
    for (const expected of [
      "  hosts: NVMe instance store (RAID0) holds /var/lib/docker; root 100 GiB 3000 IOPS 125 MiB/s",
      "    + aws:batch/computeEnvironment:ComputeEnvironment  nextflow-batch-spot\n        SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5d, vCPUs 0-1024, bid 100%\n",
      "21 cloud resources in 6 components.",
    ]) {
      assert.ok(r.stdout.includes(expected), `missing: ${expected}`);
    }
    assert.ok(!r.stdout.includes("aws-native"));
  });

  for (const preset of PRESET_NAMES) {
    it(`--preset ${preset} plans cleanly`, async () => {
      const r = await main(["--preset", preset, "--json"], ROOT);
      assert.equal(r.code, 0, r.stderr);
      const plan = JSON.parse(r.stdout);
      assert.equal(plan.preset, preset);
      assert.deepEqual(plan.violations, []);
    });
  }

  it("the same stack plans to the same JSON every time", async () => {
    const a = await main(["--stack", "dev", "--json"], ROOT);
    const b = await main(["--stack", "dev", "--json"], ROOT);
    assert.equal(a.stdout, b.stdout);
  });

  const invalid: [string, string[], Record<string, string>, string][] = [
    [
      "a config error",
      ["--stack", "bad"],
      { "Pulumi.bad.yaml": "config:\n  aws:region: us-east-1\n  nextflow-batch:maxVcpus: lots\n" },
      'error: nextflow-batch:maxVcpus must be an integer from 1 to 10000; got "lots". Fix: set it with: pulumi config set nextflow-batch:maxVcpus 1024',
    ],
    [
      "a missing stack file",
      ["--stack", "nope"],
      {},
      "does not exist. Fix: create it with `npm run wizard -- --stack nope`",
    ],
    ["broken YAML", ["--stack", "broken"], { "Pulumi.broken.yaml": "config: [\n" }, "is not valid YAML"],
    ["an unknown flag", ["--stak", "dev"], {}, "error: Unknown option '--stak'"],
    [
      "both --stack and --preset",
      ["--stack", "dev", "--preset", "m5-gp3"],
      {},
      "error: give exactly one of --stack or --preset; got both.",
    ],
    [
      "an unknown preset",
      ["--preset", "fast"],
      {},
      'error: --preset must be one of m5-gp3, m5d-nvme, c6a-gp3; got "fast".',
    ],
  ];
  for (const [what, argv, files, expected] of invalid) {
    it(`exits 2 with one clear line on ${what}`, async () => {
      const dir = tempProject(files);
      const r = await main([...argv, "--dir", dir], dir);
      assert.equal(r.code, 2);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.split("\n").length, 1, r.stderr);
      assert.ok(r.stderr.includes(expected), `${r.stderr}\n does not include\n${expected}`);
    });
  }

  it("runs as the README says, as a real process: exit codes and no stack trace", () => {
    const ok = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", "dev", "--json"], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(ok.status, 0, ok.stderr);
    assert.equal(JSON.parse(ok.stdout).stack, "dev");
    const dir = tempProject({
      "Pulumi.bad.yaml": "config:\n  aws:region: us-east-1\n  nextflow-batch:preset: fast\n",
    });
    const bad = spawnSync("npm", ["run", "--silent", "plan", "--", "--stack", "bad", "--dir", dir], {
      cwd: ROOT,
      encoding: "utf8",
    });
    assert.equal(bad.status, 2);
    const lines = bad.stderr.split("\n").filter((l) => l.trim() !== "" && !l.startsWith("npm warn"));
    assert.deepEqual(lines, [
      'error: nextflow-batch:preset must be one of "m5-gp3", "m5d-nvme", "c6a-gp3"; got "fast". Fix: set it with: pulumi config set nextflow-batch:preset m5-gp3',
    ]);
    assert.doesNotMatch(bad.stderr, /\n\s+at /);
  });
});
