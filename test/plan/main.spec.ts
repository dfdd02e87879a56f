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
      "    + aws:batch/computeEnvironment:ComputeEnvironment  nextflow-batch-spot",
      "        SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5, vCPUs 0-1024, bid 100%",
      "  + nextflow-batch:containers:ContainerCache  nextflow-images",
      "    + aws:ecr/pullThroughCacheRule:PullThroughCacheRule  nextflow-images-quay\n        quay.io cached under dev-lab-dev-quay/",
      "    + aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate  nextflow-images-quay\n        dev-lab-dev-quay/*: AES256, expire 30 d after caching, tags lab, managed-by, project, pulumi-stack",
      "28 cloud resources in 7 components.",
      [
        "Container images: ECR pull-through cache, prefix dev-lab-dev, cached images expire 30 days after caching:",
        "  quay.io         ->  123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-lab-dev-quay/...",
        "  public.ecr.aws  ->  123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-lab-dev-ecr-public/...",
        "  names without a registry host: docker.registry = 123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-lab-dev-quay",
        "  first pull of an image: ECR fetches it from upstream and creates its repository; later pulls come from ECR.",
        "  not cached, pulled as written through NAT: docker.io (no dockerHubCredentialArn), community.wave.seqera.io, ghcr.io, any other registry.",
      ].join("\n"),
      '  containerCacheUris: {"quay.io":"123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-lab-dev-quay","public.ecr.aws":"123456789012.dkr.ecr.us-east-1.amazonaws.com/dev-lab-dev-ecr-public"}',
      "Host I/O and storage cost per instance size:",
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
    assert.equal(plan.resources.length, 35);
    for (const res of plan.resources) assert.deepEqual(Object.keys(res), ["type", "name", "inputs"]);
    assert.deepEqual(plan.violations, []);
    assert.equal(plan.outputs.spotQueueName, "dev-lab-dev-spot");
    assert.match(plan.outputs.nextflowConfig, /^workDir = 's3:\/\/nextflow-work-[0-9a-f]{7}\/work'$/m);
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

  it("shows the Docker Hub rule with its credential, and says when there is no cache", async () => {
    const arn = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123";
    const dir = tempProject({
      "Pulumi.hub.yaml": `config:\n  aws:region: us-east-1\n  nextflow-batch:labName: smith-lab\n  nextflow-batch:dockerHubCredentialArn: ${arn}\n`,
      "Pulumi.off.yaml":
        "config:\n  aws:region: us-east-1\n  nextflow-batch:labName: smith-lab\n  nextflow-batch:containerCache: false\n",
    });
    const hub = await main(["--stack", "hub", "--dir", dir], dir);
    assert.equal(hub.code, 0, hub.stderr);
    for (const expected of [
      `    + aws:ecr/pullThroughCacheRule:PullThroughCacheRule  nextflow-images-docker-hub\n        registry-1.docker.io cached under smith-lab-hub-docker-hub/, credential ${arn}`,
      "  docker.io       ->  123456789012.dkr.ecr.us-east-1.amazonaws.com/smith-lab-hub-docker-hub/...",
      "  not cached, pulled as written through NAT: community.wave.seqera.io, ghcr.io, any other registry.",
    ])
      assert.ok(hub.stdout.includes(expected), `missing: ${expected}`);
    const off = await main(["--stack", "off", "--dir", dir], dir);
    assert.equal(off.code, 0, off.stderr);
    assert.ok(
      off.stdout.includes(
        "Container images: no cache (containerCache false); hosts pull from each image's registry through NAT.",
      ),
    );
    assert.doesNotMatch(off.stdout, /ContainerCache|containerCacheUris/);
  });

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
