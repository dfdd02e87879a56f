// The plan as a deploy contract: inputs AWS or the provider would reject half-way through
// `pulumi up` stop the plan with exit 2 and one line naming the key, the value, the rule and
// the fix; legal edge inputs still plan. Rules and their sources: config/awsRules.ts.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "../../plan/main";

const ROOT = path.join(__dirname, "..", "..");

function planStack(stack: string, configLines: string[]) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-contract-"));
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  const region = configLines.some((l) => l.startsWith("aws:region:")) ? [] : ["aws:region: us-east-1"];
  const text = ["config:", ...[...region, ...configLines].map((l) => `  ${l}`), ""].join("\n");
  fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), text);
  return main(["--stack", stack, "--dir", dir, "--json"], dir).finally(() =>
    fs.rmSync(dir, { recursive: true, force: true }),
  );
}

const tags = (n: number, prefix = "t") => [
  "nextflow-batch:costTags:",
  ...Array.from({ length: n }, (_, i) => `  ${prefix}${i}: v${i}`),
];

describe("deploy contract: what AWS would reject never plans", function () {
  this.timeout(60000);

  const rejected: [what: string, stack: string, config: string[], line: string][] = [
    [
      "a stack name with a dot (queue names)",
      "lab.prod",
      ["nextflow-batch:labName: smith-lab"],
      'error: the job queue name "smith-lab-lab.prod-spot", made from nextflow-batch:labName "smith-lab" and the stack name "lab.prod", must be 1 to 128 letters, digits, hyphens and underscores, starting with a letter or digit (AWS Batch job queue names). Fix: use a stack name of letters, digits, - and _ (pulumi stack rename), and keep lab plus stack names within 118 characters',
    ],
    [
      "lab plus stack names too long for a queue name",
      `s${"x".repeat(89)}`,
      [`nextflow-batch:labName: ${"a".repeat(30)}`],
      "error: the job queue name",
    ],
    [
      "more cost tags than AWS allows with the stack's own",
      "dev",
      tags(48),
      "error: nextflow-batch:costTags must be a map of at most 47 tags AWS accepts",
    ],
    [
      "a tag key IAM refuses",
      "dev",
      ["nextflow-batch:costTags:", '  "grant (R01)": x'],
      'Fix: tag key "grant (R01)" must be made of letters, digits, spaces and _ . : / = + - @ only; rename it',
    ],
    [
      "a tag value IAM refuses",
      "dev",
      ["nextflow-batch:costTags:", '  grant: "<R01>"'],
      'Fix: the value of "grant" must be made of letters, digits, spaces and _ . : / = + - @ only; change it',
    ],
    [
      "a tag value with the reserved aws: prefix",
      "dev",
      ["nextflow-batch:costTags:", "  grant: aws:R01"],
      'Fix: the value of "grant" must be free of the reserved aws: prefix; change it',
    ],
    [
      "tag keys that differ only in case",
      "dev",
      ["nextflow-batch:costTags:", "  Grant: a", "  grant: b"],
      'Fix: "Grant" and "grant" differ only in case, which IAM treats as one key; keep one',
    ],
    [
      "a tag value that is a number, not text",
      "dev",
      ["nextflow-batch:costTags:", "  grant: 123"],
      'Fix: the value of "grant" is 123, not text; quote it in the stack file (grant: "123")',
    ],
    [
      "default tags that leave no room",
      "dev",
      [
        `aws:defaultTags: {"tags": {${Array.from({ length: 46 }, (_, i) => `"d${i}": "x"`).join(", ")}}}`,
        ...tags(2),
      ],
      "error: nextflow-batch:costTags must leave room for aws:defaultTags: AWS allows 50 tags per resource, and the stack's 3, the 2 cost tags and the 46 default tags make 51. Fix: remove 1 cost or default tags",
    ],
    [
      "an input bucket named like an IP address",
      "dev",
      ["nextflow-batch:inputBuckets: [192.168.5.4]"],
      'Fix: bucket name "192.168.5.4" must be not formatted as an IP address (Amazon S3 bucket naming rules); correct or remove it',
    ],
    [
      "an input bucket with two adjacent dots",
      "dev",
      ["nextflow-batch:inputBuckets: [my..data]"],
      'bucket name "my..data" must be free of two adjacent dots',
    ],
    [
      "an input bucket with a reserved prefix",
      "dev",
      ["nextflow-batch:inputBuckets: [xn--data]"],
      'bucket name "xn--data" must be free of the reserved prefix xn--',
    ],
    [
      "an input bucket with a reserved suffix",
      "dev",
      ["nextflow-batch:inputBuckets: [data--ol-s3]"],
      'bucket name "data--ol-s3" must be free of the reserved suffix --ol-s3',
    ],
    [
      "an instance family never sold as spot",
      "dev",
      ["nextflow-batch:preset: c6a-gp3", "nextflow-batch:instanceTypes: [hpc7a]"],
      'error: nextflow-batch:instanceTypes must only name families sold as spot (the spot compute environment would wait for the others forever); "hpc7a" is never offered as spot',
    ],
    [
      "a GPU family on the CPU image",
      "dev",
      ["nextflow-batch:instanceTypes: [g5]"],
      'nextflow-batch:instanceTypes must name CPU-only families: hosts boot the ECS Amazon Linux 2023 image, which has no GPU drivers; "g5" has GPUs.',
    ],
    [
      "a key in a misspelt namespace",
      "dev",
      ["nextflow_batch:maxVcpus: 64"],
      'error: nextflow_batch:maxVcpus is in the namespace "nextflow_batch", which nothing reads; did you mean nextflow-batch:maxVcpus? Fix: rename it in Pulumi.dev.yaml',
    ],
    [
      "more zones than the region has",
      "dev",
      ["aws:region: us-west-1"],
      "error: nextflow-batch:availabilityZones must be at most 2 in us-west-1, the zones this account sees there (us-west-1b, us-west-1c); got 3. Fix: pulumi config set nextflow-batch:availabilityZones 2 (offline: assumed the zones a typical account sees)",
    ],
    [
      "an AMI release that is not a date",
      "dev",
      ["nextflow-batch:hostAmiVersion: 2023.0.20261345"],
      'error: nextflow-batch:hostAmiVersion must be an ECS-optimized Amazon Linux 2023 release such as "2023.0.20260918"',
    ],
    [
      "a value only Pulumi's CLI types (a list of numbers where names belong)",
      "dev",
      ["nextflow-batch:instanceTypes: [1, 2]"],
      "error: nextflow-batch:instanceTypes must be a list of 0 to 20 instance families or sizes",
    ],
  ];
  for (const [what, stack, config, line] of rejected) {
    it(`refuses ${what}: exit 2, one line`, async () => {
      const result = await planStack(stack, config);
      const lines = result.stderr.split("\n").filter((l) => l.startsWith("error: "));
      assert.equal(result.code, 2, result.stderr);
      assert.equal(result.stdout, "");
      assert.equal(lines.length, 1, result.stderr);
      assert.ok(lines[0].includes(line), `${lines[0]}\ndoes not include\n${line}`);
    });
  }

  const legal: [what: string, stack: string, config: string[]][] = [
    [
      "the longest legal queue names (30-character lab, 88-character stack)",
      `s${"x".repeat(87)}`,
      [`nextflow-batch:labName: ${"a".repeat(30)}`],
    ],
    ["43 cost tags", "dev", tags(43)],
    [
      "a tag value with spaces, = + : / @ and non-Latin letters",
      "dev",
      ["nextflow-batch:costTags:", '  grant: "R01 = y1+y2: owner@lab/ß é"'],
    ],
    [
      "input buckets with dots and hyphens",
      "dev",
      ["nextflow-batch:inputBuckets: [ngi-igenomes, my.lab.reference-data, 1000genomes]"],
    ],
    ["an underscore in the stack name", "lab_prod", ["nextflow-batch:labName: smith-lab"]],
    ["size-pinned instance types", "dev", ["nextflow-batch:instanceTypes: [m5.8xlarge, m5.12xlarge]"]],
    ["two zones in a two-zone region", "dev", ["nextflow-batch:availabilityZones: 2"]],
    ["the org's own namespaces beside ours", "dev", ["myorg:owner: lab-admin", "pulumi:tags: {team: lab}"]],
  ];
  for (const [what, stack, config] of legal) {
    it(`plans ${what}`, async () => {
      const r = await planStack(stack, config);
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(JSON.parse(r.stdout).violations, []);
    });
  }
});
