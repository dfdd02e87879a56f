import assert from "node:assert/strict";
import { projectConfigDeclarations } from "../../config/docs";
import { checkConfigValue, parseStackConfig } from "../../config/parse";
import { ConfigError, type StackIdentity, type StackSpec } from "../../config/spec";
import { gp3Problems } from "../../hosts/gp3";
import { PRESET_NAMES, PRESETS } from "../../presets";

const ID = { project: "nextflow-batch", stack: "smith-lab" };
const HUB_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123";
const REGION = { "aws:region": "us-east-1" };

function parse(config: Record<string, unknown>, id = ID): StackSpec {
  return parseStackConfig({ ...REGION, ...config }, id);
}

function problems(config: Record<string, unknown>, id = ID): readonly string[] {
  try {
    parseStackConfig(config, id);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  assert.fail(`expected a ConfigError for ${JSON.stringify(config)}`);
}

/** What the engine passes the program: Pulumi.yaml's defaults for every key the stack omits, as strings. */
function withPulumiDefaults(config: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, d] of Object.entries(projectConfigDeclarations())) {
    out[`nextflow-batch:${k}`] = typeof d.default === "string" ? d.default : JSON.stringify(d.default);
  }
  return { ...out, ...config };
}

describe("stack config", () => {
  it("resolves built-in defaults when the stack sets only its region", () => {
    const spec = parse({});
    assert.equal(spec.preset.name, "m5-gp3");
    assert.equal(spec.labName, "smith-lab");
    assert.deepEqual(spec.instanceTypes, ["m5"]);
    assert.equal(spec.manufacturer, "Intel");
    assert.equal(spec.architecture, "x86_64");
    assert.deepEqual(spec.storage, { kind: "gp3", rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 });
    assert.equal(spec.maxVcpus, 1024);
    assert.equal(spec.spotBidPercentage, 100);
    assert.equal(spec.onDemandMaxVcpus, 256);
    assert.deepEqual(spec.network, {
      mode: "new",
      natGateways: "single",
      availabilityZones: 3,
      cidrBlock: "10.0.0.0/16",
    });
    assert.deepEqual(spec.inputBuckets, []);
    assert.equal(spec.workRetentionDays, 30);
    assert.equal(spec.logRetentionDays, 30);
    assert.equal(spec.runnableTimeoutMinutes, 30);
    assert.equal(spec.maxSpotAttempts, 5);
    assert.equal(spec.budget, undefined, "no budget unless budgetMonthlyUsd is set");
    assert.deepEqual(spec.tags, {
      lab: "smith-lab",
      "managed-by": "nextflow-batch",
      "pulumi-stack": "smith-lab",
    });
    assert.deepEqual(spec.containerCache, {
      prefix: "smith-lab-smith-lab",
      unqualifiedImages: "quayCache",
      dockerHubCredentialArn: undefined,
      cachedImageExpiryDays: 30,
    });
  });

  it("reads the container cache keys; containerCache false means no cache", () => {
    const spec = parse({
      "nextflow-batch:containerCachePrefix": "smith-dev",
      "nextflow-batch:unqualifiedImages": "dockerHubCache",
      "nextflow-batch:dockerHubCredentialArn": HUB_ARN,
      "nextflow-batch:cachedImageExpiryDays": "90",
    });
    assert.deepEqual(spec.containerCache, {
      prefix: "smith-dev",
      unqualifiedImages: "dockerHubCache",
      dockerHubCredentialArn: HUB_ARN,
      cachedImageExpiryDays: 90,
    });
    assert.equal(parse({ "nextflow-batch:containerCache": "false" }).containerCache, undefined);
  });

  it("derives a stack-specific cache prefix ECR accepts from any lab and stack name", () => {
    const prefixOf = (labName: string, stack: string) =>
      parse({ "nextflow-batch:labName": labName }, { project: "nextflow-batch", stack }).containerCache
        ?.prefix;
    assert.equal(prefixOf("smith-lab", "dev"), "smith-lab-dev");
    assert.equal(prefixOf("smith-lab", "Prod_1"), "smith-lab-prod_1");
    // Too long for "-ecr-public" within 30 characters, or "--" (outside ECR's alphabet): a
    // readable head and a hash of lab/stack.
    assert.equal(prefixOf("computational-genomics", "production"), "computationa-52f361");
    assert.equal(prefixOf("computational-genomics", "staging"), "computationa-fd0082");
    assert.equal(prefixOf("smith--lab", "dev"), "smith-lab-de-66e3bf");
  });

  it("gives the same spec whether Pulumi.yaml's defaults are filled in or not", () => {
    assert.deepEqual(parseStackConfig(withPulumiDefaults(REGION), ID), parse({}));
    const existing = {
      "nextflow-batch:network": "existing",
      "nextflow-batch:vpcId": "vpc-0123456789abcdef0",
      "nextflow-batch:subnetIds": '["subnet-0123456789abcdef0","subnet-0fedcba9876543210"]',
      "nextflow-batch:onDemandQueue": "false",
    };
    // natGateways, vpcCidr and onDemandMaxVcpus arrive at their defaults: no contradiction.
    assert.deepEqual(parseStackConfig(withPulumiDefaults({ ...REGION, ...existing }), ID), parse(existing));
  });

  for (const name of PRESET_NAMES) {
    it(`preset ${name} resolves to its own families, vendor and storage`, () => {
      const spec = parse({ "nextflow-batch:preset": name });
      const preset = PRESETS[name];
      assert.equal(spec.preset, preset);
      assert.deepEqual(spec.instanceTypes, preset.instanceTypes);
      assert.equal(spec.manufacturer, preset.manufacturer);
      assert.equal(spec.architecture, preset.architecture);
      assert.deepEqual(spec.storage, preset.storage);
      assert.deepEqual(gp3Problems(name, preset.storage), []);
    });
  }

  it("takes stack values over the preset, as YAML values or Pulumi's strings", () => {
    const yamlNative = parse({
      "nextflow-batch:preset": "c6a-gp3",
      "nextflow-batch:labName": "jones-lab",
      "nextflow-batch:maxVcpus": 512,
      "nextflow-batch:onDemandQueue": false,
      "nextflow-batch:instanceTypes": ["c6a", "m6a.8xlarge"],
      "nextflow-batch:costTags": { grant: "R01-GM000000" },
      "nextflow-batch:workRetentionDays": 7,
      "nextflow-batch:inputBuckets": ["ngi-igenomes"],
    });
    const pulumiStrings = parse({
      "nextflow-batch:preset": "c6a-gp3",
      "nextflow-batch:labName": "jones-lab",
      "nextflow-batch:maxVcpus": "512",
      "nextflow-batch:onDemandQueue": "false",
      "nextflow-batch:instanceTypes": '["c6a","m6a.8xlarge"]',
      "nextflow-batch:costTags": '{"grant":"R01-GM000000"}',
      "nextflow-batch:workRetentionDays": "7",
      "nextflow-batch:inputBuckets": '["ngi-igenomes"]',
    });
    assert.deepEqual(yamlNative, pulumiStrings);
    assert.equal(yamlNative.maxVcpus, 512);
    assert.equal(yamlNative.onDemandMaxVcpus, undefined);
    assert.deepEqual(yamlNative.instanceTypes, ["c6a", "m6a.8xlarge"]);
    assert.equal(yamlNative.manufacturer, "AMD");
    assert.deepEqual(yamlNative.inputBuckets, ["ngi-igenomes"]);
    assert.deepEqual(yamlNative.tags, {
      grant: "R01-GM000000",
      lab: "jones-lab",
      "managed-by": "nextflow-batch",
      "pulumi-stack": "smith-lab",
    });
  });

  it("reads an existing VPC and its subnets", () => {
    const spec = parse({
      "nextflow-batch:network": "existing",
      "nextflow-batch:vpcId": "vpc-0123456789abcdef0",
      "nextflow-batch:subnetIds": ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    });
    assert.deepEqual(spec.network, {
      mode: "existing",
      vpcId: "vpc-0123456789abcdef0",
      subnetIds: ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"],
    });
  });

  it("reads a budget: name from lab and stack, amount, addresses, threshold and guard, as YAML values or Pulumi's strings", () => {
    const yamlNative = parse({
      "nextflow-batch:budgetMonthlyUsd": 2000,
      "nextflow-batch:budgetAlertEmails": ["pi@example.org", "Lab.Admin+aws@mail.example.ac.uk"],
      "nextflow-batch:budgetAlertPercent": 50,
      "nextflow-batch:budgetGuard": true,
    });
    const pulumiStrings = parse({
      "nextflow-batch:budgetMonthlyUsd": "2000",
      "nextflow-batch:budgetAlertEmails": '["pi@example.org","Lab.Admin+aws@mail.example.ac.uk"]',
      "nextflow-batch:budgetAlertPercent": "50",
      "nextflow-batch:budgetGuard": "true",
    });
    assert.deepEqual(yamlNative, pulumiStrings);
    assert.deepEqual(yamlNative.budget, {
      name: "nextflow-batch-smith-lab-smith-lab",
      limitUsd: 2000,
      alertEmails: ["pi@example.org", "Lab.Admin+aws@mail.example.ac.uk"],
      alertPercent: 50,
      guard: true,
    });
    const defaults = parse({
      "nextflow-batch:budgetMonthlyUsd": 500,
      "nextflow-batch:budgetAlertEmails": ["pi@example.org"],
    }).budget;
    assert.deepEqual(defaults, {
      name: "nextflow-batch-smith-lab-smith-lab",
      limitUsd: 500,
      alertEmails: ["pi@example.org"],
      alertPercent: 80,
      guard: false,
    });
    // 0 is Pulumi.yaml's declared "no budget".
    assert.equal(parse({ "nextflow-batch:budgetMonthlyUsd": "0" }).budget, undefined);
  });

  const errors: [string, Record<string, unknown>, string, StackIdentity?][] = [
    [
      "a wrong type",
      { "nextflow-batch:maxVcpus": "lots" },
      'nextflow-batch:maxVcpus must be an integer from 1 to 10000; got "lots". Fix: set it with: pulumi config set nextflow-batch:maxVcpus 1024',
    ],
    [
      "an out-of-range value",
      { "nextflow-batch:spotBidPercentage": 150 },
      "nextflow-batch:spotBidPercentage must be an integer from 1 to 100; got 150.",
    ],
    [
      "an unknown preset",
      { "nextflow-batch:preset": "m5-fast" },
      'nextflow-batch:preset must be one of "m5-gp3", "m5d-nvme", "c6a-gp3"; got "m5-fast".',
    ],
    [
      "a misspelt key",
      { "nextflow-batch:maxVcpu": 10 },
      "nextflow-batch:maxVcpu is not a known key (got 10); did you mean nextflow-batch:maxVcpus? Fix: rename or remove it in Pulumi.smith-lab.yaml",
    ],
    [
      "a missing region",
      { "aws:region": undefined },
      'aws:region must be an AWS region such as "us-east-1"; got nothing.',
    ],
    [
      "a bad boolean",
      { "nextflow-batch:onDemandQueue": "yes" },
      'nextflow-batch:onDemandQueue must be true or false; got "yes".',
    ],
    [
      "a log retention CloudWatch does not offer",
      { "nextflow-batch:logRetentionDays": 45 },
      "nextflow-batch:logRetentionDays must be one of CloudWatch's retention values: 1, 3, 5, 7, 14, 30, 60, 90,",
    ],
    [
      "a public CIDR",
      { "nextflow-batch:vpcCidr": "8.8.0.0/16" },
      "nextflow-batch:vpcCidr must be an IPv4 CIDR block from /16 to /24 in a private range",
    ],
    [
      "a reserved cost tag",
      { "nextflow-batch:costTags": { lab: "other" } },
      'nextflow-batch:costTags must be a map without the keys lab, managed-by, pulumi-stack (the stack sets those itself); got {"lab":"other"}. Fix: remove "lab"; set the lab tag through nextflow-batch:labName',
    ],
    [
      "an existing VPC without subnets",
      { "nextflow-batch:network": "existing", "nextflow-batch:vpcId": "vpc-0123456789abcdef0" },
      'nextflow-batch:subnetIds is required with network "existing"; got nothing.',
    ],
    [
      "a new VPC with a vpcId",
      { "nextflow-batch:vpcId": "vpc-0123456789abcdef0" },
      'nextflow-batch:vpcId only applies to network "existing"; got it with network "new".',
    ],
    [
      "NAT settings with an existing VPC",
      {
        "nextflow-batch:network": "existing",
        "nextflow-batch:vpcId": "vpc-0123456789abcdef0",
        "nextflow-batch:subnetIds": ["subnet-0123456789abcdef0"],
        "nextflow-batch:natGateways": "onePerAz",
      },
      'nextflow-batch:natGateways only applies to network "new"; got it with network "existing". Fix: remove nextflow-batch:natGateways',
    ],
    [
      "an on-demand size with the queue off",
      { "nextflow-batch:onDemandQueue": false, "nextflow-batch:onDemandMaxVcpus": 64 },
      "nextflow-batch:onDemandMaxVcpus only applies with onDemandQueue true; got it with onDemandQueue false.",
    ],
    [
      "Intel and AMD in one override",
      { "nextflow-batch:instanceTypes": ["m5", "c6a"] },
      'nextflow-batch:instanceTypes must stay with one CPU vendor (conda tools built on one crash on the other); got ["m5","c6a"], which mixes AMD and Intel.',
    ],
    [
      "a Batch keyword",
      { "nextflow-batch:instanceTypes": ["optimal"] },
      "nextflow-batch:instanceTypes must name instance families or sizes, not the Batch keywords optimal (AWS may move them to another CPU vendor)",
    ],
    [
      "an unknown family",
      { "nextflow-batch:instanceTypes": ["m55"] },
      'nextflow-batch:instanceTypes must name EC2 instance families or sizes in the instance catalog; "m55" not found in ["m55"].',
    ],
    [
      "an NVMe preset with EBS-only families",
      { "nextflow-batch:preset": "m5d-nvme", "nextflow-batch:instanceTypes": ["m5d", "m5"] },
      'nextflow-batch:instanceTypes must only name families with NVMe instance-store disks for an instance-store preset; "m5" have none.',
    ],
    [
      "a stack name that cannot be a lab name",
      {},
      'nextflow-batch:labName must be 3 to 30 lowercase letters, digits or hyphens, starting with a letter; got nothing, and the stack name "Prod_1" does not fit. Fix: pulumi config set nextflow-batch:labName smith-lab',
      { project: "nextflow-batch", stack: "Prod_1" },
    ],
    [
      "a budget in cents",
      {
        "nextflow-batch:budgetMonthlyUsd": "2000.50",
        "nextflow-batch:budgetAlertEmails": ["pi@example.org"],
      },
      'nextflow-batch:budgetMonthlyUsd must be a whole number of US dollars from 1 to 1000000, or 0 for no budget; got "2000.50". Fix: round it to whole dollars, e.g. pulumi config set nextflow-batch:budgetMonthlyUsd 2001',
    ],
    [
      "a budget with a currency sign",
      { "nextflow-batch:budgetMonthlyUsd": "$2000", "nextflow-batch:budgetAlertEmails": ["pi@example.org"] },
      'nextflow-batch:budgetMonthlyUsd must be a whole number of US dollars from 1 to 1000000, or 0 for no budget; got "$2000". Fix: set it with: pulumi config set nextflow-batch:budgetMonthlyUsd 2000',
    ],
    [
      "a negative budget",
      { "nextflow-batch:budgetMonthlyUsd": -5, "nextflow-batch:budgetAlertEmails": ["pi@example.org"] },
      "nextflow-batch:budgetMonthlyUsd must be a whole number of US dollars from 1 to 1000000, or 0 for no budget; got -5.",
    ],
    [
      "a budget above a million a month",
      { "nextflow-batch:budgetMonthlyUsd": 20000000, "nextflow-batch:budgetAlertEmails": ["pi@example.org"] },
      "nextflow-batch:budgetMonthlyUsd must be a whole number of US dollars from 1 to 1000000, or 0 for no budget; got 20000000.",
    ],
    [
      "a budget nobody is alerted about",
      { "nextflow-batch:budgetMonthlyUsd": 2000 },
      "nextflow-batch:budgetAlertEmails is required with nextflow-batch:budgetMonthlyUsd set (a budget nobody hears about alerts no one); got nothing. Fix: pulumi config set nextflow-batch:budgetAlertEmails",
    ],
    [
      "an alert address without a domain",
      { "nextflow-batch:budgetMonthlyUsd": 2000, "nextflow-batch:budgetAlertEmails": ["pi@localhost"] },
      'nextflow-batch:budgetAlertEmails must be a list of 0 to 10 email addresses (AWS Budgets allows 10 email subscribers per notification), without duplicates; "pi@localhost" needs a domain such as "example.org" after the @; got ["pi@localhost"].',
    ],
    [
      "an alert address with a line break",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": ["pi@example.org\nbcc@evil.example"],
      },
      '"pi@example.org\\nbcc@evil.example" contains a line break (AWS refuses line breaks in a subscriber address)',
    ],
    [
      "two addresses in one string",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": ["pi@example.org, admin@example.org"],
      },
      '"pi@example.org, admin@example.org" needs exactly one @ with a name before it',
    ],
    [
      "the same address twice in other case",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": ["pi@example.org", "PI@example.org"],
      },
      '"PI@example.org" is listed twice',
    ],
    [
      "eleven alert addresses",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": Array.from({ length: 11 }, (_, i) => `user${i}@example.org`),
      },
      "nextflow-batch:budgetAlertEmails must be a list of 0 to 10 email addresses (AWS Budgets allows 10 email subscribers per notification), without duplicates; got [",
    ],
    [
      "an alert threshold of 100 % or more",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": ["pi@example.org"],
        "nextflow-batch:budgetAlertPercent": 100,
      },
      "nextflow-batch:budgetAlertPercent must be an integer from 1 to 99; got 100.",
    ],
    [
      "a guard without a budget",
      { "nextflow-batch:budgetGuard": true },
      "nextflow-batch:budgetGuard only applies with a budget; got it with no nextflow-batch:budgetMonthlyUsd. Fix: remove nextflow-batch:budgetGuard, or set a budget: pulumi config set nextflow-batch:budgetMonthlyUsd 2000",
    ],
    [
      "alert addresses without a budget",
      { "nextflow-batch:budgetAlertEmails": ["pi@example.org"] },
      "nextflow-batch:budgetAlertEmails only applies with a budget; got it with no nextflow-batch:budgetMonthlyUsd.",
    ],
    [
      "a stack name that makes the budget name longer than AWS allows",
      {
        "nextflow-batch:budgetMonthlyUsd": 2000,
        "nextflow-batch:budgetAlertEmails": ["pi@example.org"],
        "nextflow-batch:labName": "smith-lab",
      },
      `nextflow-batch:budgetMonthlyUsd needs a budget name AWS Budgets accepts, at most 100 characters; "nextflow-batch-smith-lab-${"s".repeat(80)}" has 105. Fix: use a shorter stack name or nextflow-batch:labName`,
      { project: "nextflow-batch", stack: "s".repeat(80) },
    ],
    [
      "a Docker Hub credential that is not a Secrets Manager ARN",
      { "nextflow-batch:dockerHubCredentialArn": "arn:aws:iam::123456789012:role/docker-hub" },
      'nextflow-batch:dockerHubCredentialArn must be the complete ARN of a Secrets Manager secret, arn:<partition>:secretsmanager:<region>:<account>:secret:ecr-pullthroughcache/<name>-<6 characters>; got "arn:aws:iam::123456789012:role/docker-hub". Fix: copy the secret\'s ARN from: aws secretsmanager describe-secret --secret-id ecr-pullthroughcache/docker-hub --query ARN --output text',
    ],
    [
      "a Docker Hub credential ARN without the random suffix (a partial ARN)",
      {
        "nextflow-batch:dockerHubCredentialArn":
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub",
      },
      "nextflow-batch:dockerHubCredentialArn must be the complete ARN of a Secrets Manager secret",
    ],
    [
      "a Docker Hub secret whose name lacks the prefix ECR requires",
      {
        "nextflow-batch:dockerHubCredentialArn":
          "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbC123",
      },
      'nextflow-batch:dockerHubCredentialArn must be the ARN of a secret whose name starts with "ecr-pullthroughcache/" (ECR reads upstream credentials only from such secrets); got "arn:aws:secretsmanager:us-east-1:123456789012:secret:dockerhub-AbC123". Fix: create the secret as ecr-pullthroughcache/docker-hub with the keys username and accessToken, then give its ARN',
    ],
    [
      "a Docker Hub secret in another region",
      {
        "nextflow-batch:dockerHubCredentialArn":
          "arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123",
      },
      "nextflow-batch:dockerHubCredentialArn must be a secret in the stack's region us-east-1 (ECR reads the credential only from the rule's own account and region); got one in eu-west-1: \"arn:aws:secretsmanager:eu-west-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123\". Fix: create the secret in us-east-1 and give its ARN",
    ],
    [
      "a Docker Hub secret ARN of another partition",
      {
        "nextflow-batch:dockerHubCredentialArn":
          "arn:aws-us-gov:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbC123",
      },
      "nextflow-batch:dockerHubCredentialArn must be an ARN of partition aws, the partition of us-east-1; got aws-us-gov:",
    ],
    [
      "unqualified images through a Docker Hub cache without the credential",
      { "nextflow-batch:unqualifiedImages": "dockerHubCache" },
      'nextflow-batch:unqualifiedImages "dockerHubCache" needs nextflow-batch:dockerHubCredentialArn (ECR caches Docker Hub only with a credential); got none. Fix: set nextflow-batch:dockerHubCredentialArn, or set nextflow-batch:unqualifiedImages quayCache',
    ],
    [
      "an unknown unqualifiedImages choice",
      { "nextflow-batch:unqualifiedImages": "dockerhub" },
      'nextflow-batch:unqualifiedImages must be one of "quayCache", "dockerHubCache", "unchanged"; got "dockerhub".',
    ],
    [
      "a cache prefix too long to leave room for -ecr-public",
      { "nextflow-batch:containerCachePrefix": "smith-lab-production" },
      'nextflow-batch:containerCachePrefix must be 2 to 19 lower-case letters and digits, joined by single ".", "_" or "-" (ECR\'s rule prefix alphabet, leaving room for "-ecr-public" within ECR\'s 30 characters); got "smith-lab-production". Fix: set it with: pulumi config set nextflow-batch:containerCachePrefix smith-dev',
    ],
    [
      "a cache prefix outside ECR's alphabet",
      { "nextflow-batch:containerCachePrefix": "Smith--Lab" },
      'nextflow-batch:containerCachePrefix must be 2 to 19 lower-case letters and digits, joined by single ".", "_" or "-"',
    ],
    [
      "a cache expiry of zero days",
      { "nextflow-batch:cachedImageExpiryDays": 0 },
      "nextflow-batch:cachedImageExpiryDays must be an integer from 1 to 3650; got 0.",
    ],
    [
      "cache settings with the cache off",
      { "nextflow-batch:containerCache": false, "nextflow-batch:dockerHubCredentialArn": HUB_ARN },
      "nextflow-batch:dockerHubCredentialArn only applies with containerCache true; got it with containerCache false. Fix: remove nextflow-batch:dockerHubCredentialArn or turn the cache on",
    ],
    [
      "a secret where a plain value belongs",
      { "nextflow-batch:maxVcpus": { secure: "v1:abc" } },
      "nextflow-batch:maxVcpus must be a plain value, not a secret",
    ],
  ];
  for (const [what, config, expected, id] of errors) {
    it(`rejects ${what} with one clear line`, () => {
      const lines = problems({ ...REGION, ...config }, id ?? ID);
      assert.equal(lines.length, 1, `expected one problem, got:\n${lines.join("\n")}`);
      assert.ok(lines[0].includes(expected), `\n${lines[0]}\ndoes not include\n${expected}`);
      assert.ok(!lines[0].includes("\n"));
    });
  }

  it("rejects Graviton with Intel as both a vendor and an architecture mix", () => {
    const lines = problems({ ...REGION, "nextflow-batch:instanceTypes": ["m6g", "m6i"] });
    assert.deepEqual(lines, [
      'nextflow-batch:instanceTypes must stay with one CPU vendor (conda tools built on one crash on the other); got ["m6g","m6i"], which mixes AWS and Intel. Fix: keep only families from one vendor',
      'nextflow-batch:instanceTypes must share one CPU architecture, x86_64 or arm64 (AWS Batch rejects a mix in one compute environment); got ["m6g","m6i"], which spans arm64 and x86_64. Fix: keep only families of one architecture',
    ]);
  });

  it("reports every problem at once, one line each", () => {
    const lines = problems({
      "nextflow-batch:maxVcpus": 0,
      "nextflow-batch:preset": "nope",
      "nextflow-batch:typo": 1,
    });
    assert.equal(lines.length, 4); // maxVcpus, preset, typo, region
    assert.ok(lines.every((l) => l.length > 0 && !l.includes("\n")));
  });

  it("ignores other namespaces (the provider's and Pulumi's keys)", () => {
    const spec = parse({ "aws:profile": "smith", "pulumi:tags": { a: "b" } });
    assert.equal(spec.preset.name, "m5-gp3");
  });

  it("keeps aws:profile for the aws-native provider, which does not read the aws: namespace", () => {
    assert.equal(parse({ "aws:profile": "smith" }).awsProfile, "smith");
    assert.equal(parse({}).awsProfile, undefined);
    for (const bad of ["", "  ", 3]) {
      assert.deepEqual(problems({ ...REGION, "aws:profile": bad }), [
        `aws:profile must be the name of a profile in your AWS config; got ${JSON.stringify(bad)}. Fix: pulumi config set aws:profile <name>, or pulumi config rm aws:profile`,
      ]);
    }
  });

  it("takes instanceTypes whose sizes need up to 11 root volumes (one launch template plus Batch's 10 overrides)", () => {
    assert.deepEqual(parse({ "nextflow-batch:instanceTypes": ["m5", "c5", "m6i"] }).instanceTypes, [
      "m5",
      "c5",
      "m6i",
    ]);
  });

  it("rejects instanceTypes whose sizes need more root volumes than a compute environment takes templates", () => {
    assert.deepEqual(problems({ ...REGION, "nextflow-batch:instanceTypes": ["m5", "m5zn", "c5"] }), [
      'nextflow-batch:instanceTypes needs 12 different root volumes (one per distinct EBS link and vCPU count); a compute environment takes one launch template plus at most 10 overrides, so at most 11; got ["m5","m5zn","c5"]. Fix: list fewer families or sizes',
    ]);
  });

  it("does not count root volumes for the NVMe preset: every size gets its one OS-only volume", () => {
    const spec = parse({
      "nextflow-batch:preset": "m5d-nvme",
      "nextflow-batch:instanceTypes": ["m5d", "m5dn", "c5d", "r5d"],
    });
    assert.equal(spec.storage.kind, "instanceStore");
  });

  it("validates one value the way the wizard asks for it, with the parser's words", () => {
    assert.equal(checkConfigValue("maxVcpus", "512"), undefined);
    assert.equal(
      checkConfigValue("maxVcpus", "0"),
      'nextflow-batch:maxVcpus must be an integer from 1 to 10000; got "0". Fix: set it with: pulumi config set nextflow-batch:maxVcpus 1024',
    );
    assert.match(checkConfigValue("nope", 1)!, /^nextflow-batch:nope is not a known key/);
  });
});
