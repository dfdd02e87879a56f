import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PRESET_NAMES } from "../../presets";
import { main } from "../../plan/main";

const ROOT = path.join(__dirname, "..", "..");

/** A project directory: the repository's Pulumi.yaml and the given stack files. */
function tempProject(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-plan-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
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
      "  + nextflow-batch:containers:ContainerCache  nextflow-images",
      "    + aws:ecr/pullThroughCacheRule:PullThroughCacheRule  nextflow-images-quay\n        quay.io cached under dev-lab-dev-quay/",
      "    + aws:ecr/repositoryCreationTemplate:RepositoryCreationTemplate  nextflow-images-quay\n        dev-lab-dev-quay/*: AES256, expire 30 d after caching, tags lab, managed-by, project, pulumi-stack",
      "34 cloud resources in 7 components.",
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
      "Idle cost (what the stack bills with no job running):",
      "    NAT gateway (natGateways single)      1 x 730 h x $0.045/h                     $32.85",
      "    total                                 of the priced lines                      $38.80",
      "Budget:\n  none: nothing alerts on spending.",
      "  hosts: gp3 root volume holds Docker data, matched to each size (up to 1000 GiB 16000 IOPS 1000 MiB/s; see the I/O table)",
      "    + aws-native:batch:ComputeEnvironment  nextflow-batch-spot",
      "        SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5, vCPUs 0-1024, bid 100%; 5 launch template overrides: m5.large; m5.xlarge; m5.2xlarge; m5.4xlarge; m5.8xlarge",
      "    + pulumi:providers:aws-native  nextflow-batch-aws-native\n        region us-east-1",
      "    + aws:ec2/launchTemplate:LaunchTemplate  nextflow-hosts-m5.large\n        root gp3 100 GiB 3600 IOPS 125 MiB/s encrypted=true, IMDS tokens required, hop limit 1",
      "Host I/O and storage cost per instance size:\n  Root volumes matched to 9 sizes (6 launch templates, 100-1000 GiB)",
      "  spotQueueName: dev-lab-dev-spot",
      "  |     executor = 'awsbatch'",
      "Policy pack:\n  no violations",
    ]) {
      assert.ok(r.stdout.includes(expected), `missing: ${expected}`);
    }
  });

  it("--json gives resources (type, name, id, urn, parent, inputs), assumptions, outputs and violations", async () => {
    const r = await main(["--stack", "dev", "--json"], ROOT);
    assert.equal(r.code, 0);
    const plan = JSON.parse(r.stdout);
    assert.deepEqual(Object.keys(plan), [
      "stack",
      "preset",
      "resources",
      "assumptions",
      "warnings",
      "outputs",
      "idleCost",
      "budget",
      "violations",
    ]);
    assert.equal(plan.resources.length, 41);
    for (const res of plan.resources) {
      assert.deepEqual(
        Object.keys(res),
        ["type", "name", "id", "urn", "parent", "inputs"].filter((k) => k in res),
      );
      assert.ok(
        ["type", "name", "urn", "inputs"].every((k) => k in res),
        JSON.stringify(res),
      );
    }
    // References can be followed: the spot environment names the launch template by its id,
    // and each child names its component's URN as parent.
    const byType = (t: string) => plan.resources.filter((x: any) => x.type === t);
    const lt = byType("aws:ec2/launchTemplate:LaunchTemplate").find((x: any) => x.name === "nextflow-hosts");
    const ce = byType("aws-native:batch:ComputeEnvironment").find(
      (x: any) => x.name === "nextflow-batch-spot",
    );
    assert.equal(ce.inputs.computeResources.launchTemplate.launchTemplateId, lt.id);
    const [component] = byType("nextflow-batch:compute:HostLaunchTemplate");
    assert.equal(lt.parent, component.urn);
    assert.equal(component.id, undefined, "components have no id");
    assert.deepEqual(plan.assumptions.availabilityZones, ["us-east-1a", "us-east-1b", "us-east-1c"]);
    assert.equal(plan.assumptions.hostAmi.name, "al2023-ami-ecs-hvm-2023.0.20260918-kernel-6.1-x86_64");
    assert.deepEqual(plan.violations, []);
    assert.equal(plan.outputs.spotQueueName, "dev-lab-dev-spot");
    assert.match(plan.outputs.nextflowConfig, /^workDir = 's3:\/\/nextflow-work-[0-9a-f]{7}\/work'$/m);
    assert.equal(plan.budget, null);
    assert.equal(plan.idleCost.region, "us-east-1");
    assert.equal(plan.idleCost.monthlyUsd, 38.8);
    assert.deepEqual(
      plan.idleCost.lines.map((l: any) => [l.item, l.monthlyUsd]),
      [
        ["NAT gateway (natGateways single)", 32.85],
        ["its public IPv4 address (Elastic IP)", 3.65],
        ["S3 gateway endpoint", 0],
        ["Batch hosts", 0],
        ["work bucket (S3 Standard)", 2.3],
        ["job and host logs (CloudWatch Logs)", null],
      ],
    );
    assert.deepEqual(plan.idleCost.unpriced, ["job and host logs (CloudWatch Logs)"]);
    assert.deepEqual(plan.idleCost.prices[0], {
      what: "NAT gateway hour",
      usd: 0.045,
      unit: "hour",
      region: "us-east-1",
      asOf: "2026-08",
      source: "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/us-east-1/index.csv",
      quote: "$0.045 per NAT Gateway Hour",
      fallback: false,
    });
  });

  it("a stack with a budget and guard: the budget, its alerts, the guard's queues and how to re-enable them", async () => {
    const dir = tempProject({
      "Pulumi.lab.yaml": [
        "config:",
        "  aws:region: eu-west-1",
        "  nextflow-batch:labName: jones-lab",
        "  nextflow-batch:natGateways: onePerAz",
        "  nextflow-batch:budgetMonthlyUsd: 2000",
        "  nextflow-batch:budgetAlertEmails: [pi@example.org]",
        "  nextflow-batch:budgetGuard: true",
        "",
      ].join("\n"),
    });
    const r = await main(["--stack", "lab", "--dir", dir], dir);
    assert.equal(r.code, 0, r.stderr);
    for (const expected of [
      "  + nextflow-batch:cost:LabBudget  nextflow-budget",
      "        nextflow-batch-jones-lab-lab, 2000 USD MONTHLY: ACTUAL > 80% to 1 email(s); ACTUAL > 100% to 1 email(s) + guard topic; FORECASTED > 100% to 1 email(s)",
      "        nodejs22.x, disables jones-lab-lab-spot, jones-lab-lab-ondemand",
      "        jones-lab-lab-spot, priority 10, cancel RUNNABLE after 30 min for 2 reasons; state left to the budget guard after creation",
      "Idle cost (what the stack bills with no job running):",
      "    NAT gateway (natGateways onePerAz, 3 AZs)  3 x 730 h x $0.048/h                              $105.12",
      "    total                                      of the priced lines                               $118.37",
      "  Priced at us-east-1 list prices: public IPv4 address hour, S3 Standard storage (no eu-west-1 price confirmed; regional prices may differ).",
      "Budget:",
      "  nextflow-batch-jones-lab-lab: $2000.00 a month of the whole account's cost (AWS Budgets, COST, MONTHLY, no filter)",
      "  alerts to pi@example.org: actual spend above 80 % ($1600.00) and above 100 % ($2000.00); forecast spend above 100 %",
      "    aws batch update-job-queue --region eu-west-1 --job-queue jones-lab-lab-spot --state ENABLED",
      "    aws batch update-job-queue --region eu-west-1 --job-queue jones-lab-lab-ondemand --state ENABLED",
      "  budgetName: nextflow-batch-jones-lab-lab",
      "Policy pack:\n  no violations",
    ]) {
      assert.ok(r.stdout.includes(expected), `missing: ${expected}\n${r.stdout}`);
    }
    const json = JSON.parse((await main(["--stack", "lab", "--dir", dir, "--json"], dir)).stdout);
    assert.deepEqual(json.budget, {
      name: "nextflow-batch-jones-lab-lab",
      limitUsd: 2000,
      alertEmails: ["pi@example.org"],
      alertPercent: 80,
      guard: true,
    });
    assert.equal(json.idleCost.monthlyUsd, 118.37);
  });

  it("--preset m5d-nvme keeps its one launch template on an aws.batch compute environment", async () => {
    const r = await main(["--preset", "m5d-nvme"], ROOT);
    assert.equal(r.code, 0, r.stderr);
    for (const expected of [
      "  hosts: NVMe instance store (RAID0) holds /var/lib/docker; root 100 GiB 3000 IOPS 125 MiB/s",
      "    + aws:batch/computeEnvironment:ComputeEnvironment  nextflow-batch-spot\n        SPOT SPOT_PRICE_CAPACITY_OPTIMIZED, m5d, vCPUs 0-1024, bid 100%\n",
      "28 cloud resources in 7 components.",
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
