// The wizard run end to end with injected answers: creating, updating, keeping what the file has.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT } from "../../config/keys";
import { parseStackConfig } from "../../config/parse";
import { ENV_CREDENTIALS } from "../../wizard/answers";
import { runWizard } from "../../wizard/main";
import { type Prompts } from "../../wizard/prompts";
import {
  ExitPromptError,
  FIXTURES,
  NEW_DEFAULTS,
  projectDir,
  read,
  scripted,
  wizard,
  type Asked,
} from "./helpers";

describe("wizard flow (injected answers)", () => {
  it("Enter throughout creates a valid stack file with every answer written out", async () => {
    const dir = projectDir();
    const asked: Asked[] = [];
    const r = await wizard(dir, [], scripted({}, asked));
    assert.equal(r.stderr, "");
    assert.equal(r.code, 0);
    assert.deepEqual(
      asked.map((a) => a.name),
      [
        "stack",
        "labName",
        "profile",
        "region",
        "preset",
        "maxVcpus",
        "onDemandQueue",
        "network",
        "workRetentionDays",
        "costTags",
        "write",
      ],
    );
    assert.equal(read(dir, "dev"), NEW_DEFAULTS);
    const config = (YAML.parse(read(dir, "dev")) as { config: Record<string, unknown> }).config;
    assert.equal(parseStackConfig(config, { project: PROJECT, stack: "dev" }).labName, "dev");
    // Before writing: the summary, the host I/O table and the diff; after: next steps.
    for (const line of [
      "Stack dev: Pulumi.dev.yaml (new file)",
      "  lab name         dev",
      "  preset           m5-gp3: Intel x86_64 m5; Docker data on the gp3 root volume, matched to each size (up to 1000 GiB 16000 IOPS 1000 MiB/s)",
      "  Root volumes matched to 9 sizes (6 launch templates, 100-1000 GiB): storage $0.0151-$0.2466 per host-hour, at most 21.8% of the instance's on-demand price (m5.2xlarge); no size pays for I/O its EBS link cannot carry.",
      "  instance type  vCPUs  memory GiB                     root volume  MB/s base  MB/s burst  IOPS base  IOPS burst  paid I/O usable  storage $/host-h  share of instance $",
      "  + aws:region: eu-west-1",
      "  + nextflow-batch:workRetentionDays: 30",
      "  pulumi stack init dev        # if the stack does not exist yet",
      "  npm run plan -- --stack dev   # offline: resources, host I/O table, policy check",
      "  pulumi up --stack dev",
      "  npm run doctor -- --stack dev --smoke   # proves the deployed stack runs a task",
      "  pulumi stack output nextflowConfig --stack dev > nextflow.config",
    ]) {
      assert.ok(r.stdout.split("\n").includes(line), `missing ${JSON.stringify(line)} in\n${r.stdout}`);
    }
    assert.ok(r.stdout.indexOf("Host I/O") < r.stdout.indexOf("Will create"));
    assert.deepEqual(fs.readdirSync(dir).sort(), ["Pulumi.dev.yaml", "Pulumi.yaml"]);
  });

  it("offers environment credentials and every profile of the AWS files; a profile's region is the default", async () => {
    const dir = projectDir();
    const asked: Asked[] = [];
    const r = await wizard(dir, ["--stack", "smith"], scripted({ profile: "lab" }, asked));
    assert.equal(r.code, 0, r.stderr);
    const profile = asked.find((a) => a.name === "profile")!;
    assert.deepEqual(
      profile.choices!.map((c) => c.value),
      [ENV_CREDENTIALS, "default", "ci", "lab", "sandbox"],
    );
    assert.equal(profile.default, ENV_CREDENTIALS);
    assert.equal(asked.find((a) => a.name === "region")!.default, "us-west-2");
    assert.match(read(dir, "smith"), /^ {2}aws:profile: lab\n {2}aws:region: us-west-2\n/m);
  });

  it("takes the default region from AWS_REGION with environment credentials, else us-east-1", async () => {
    const asked: Asked[] = [];
    await wizard(projectDir(), ["--stack", "a"], scripted({}, asked), { AWS_REGION: "ap-southeast-2" });
    assert.equal(asked.find((a) => a.name === "region")!.default, "ap-southeast-2");
    const none: Asked[] = [];
    await runWizard({
      cwd: projectDir(),
      argv: ["--stack", "b"],
      prompts: scripted({}, none),
      env: {},
      awsFiles: { configFilepath: "/nonexistent/config", filepath: "/nonexistent/credentials" },
      stdout: { write: () => true },
    });
    assert.equal(none.find((a) => a.name === "region")!.default, "us-east-1");
  });

  it("each preset choice shows its families, storage mode and summary", async () => {
    const asked: Asked[] = [];
    await wizard(projectDir(), [], scripted({}, asked));
    assert.deepEqual(
      asked.find((a) => a.name === "preset")!.choices!.map((c) => c.name),
      [
        "m5-gp3  [m5; gp3 root volume]  Intel m5, gp3 root volume matched to each size (up to 1000 GiB, 16000 IOPS, 1000 MiB/s): the general-purpose default",
        "m5d-nvme  [m5d; NVMe instance store]  Intel m5d, NVMe instance-store disks striped as RAID0 under /var/lib/docker: fastest scratch",
        "c6a-gp3  [c6a; gp3 root volume]  AMD c6a, gp3 root volume matched to each size (up to 1000 GiB, 16000 IOPS, 1000 MiB/s): cheaper compute-heavy work",
      ],
    );
  });

  it("the network choices show their idle cost for the region asked; the summary shows the idle cost and the budget", async () => {
    const asked: Asked[] = [];
    const r = await wizard(projectDir(), ["--stack", "smith", "--region", "eu-west-1"], scripted({}, asked));
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      asked.find((a) => a.name === "network")!.choices!.map((c) => [c.value, c.description]),
      [
        [
          "new",
          "Private subnets across AZs, NAT and an S3 endpoint. Idle: $38.69 a month in eu-west-1 for natGateways single (NAT gateways and their public IPv4 addresses; onePerAz with 3 AZs: $116.07)",
        ],
        [
          "existing",
          "The lab's own VPC and private subnets with egress. Idle: $0.00 a month added by this stack (the VPC's own NAT is the lab's, not counted)",
        ],
      ],
    );
    for (const line of [
      "  budget           none (set nextflow-batch:budgetMonthlyUsd and budgetAlertEmails for monthly alerts)",
      "Idle cost (what the stack bills with no job running):",
      "    NAT gateway (natGateways single)      1 x 730 h x $0.048/h                     $35.04",
      "    total                                 of the priced lines                      $40.99",
      "  Priced at us-east-1 list prices: public IPv4 address hour, S3 Standard storage (no eu-west-1 price confirmed; regional prices may differ).",
    ]) {
      assert.ok(r.stdout.split("\n").includes(line), `missing ${JSON.stringify(line)} in\n${r.stdout}`);
    }
    assert.ok(r.stdout.indexOf("Idle cost") < r.stdout.indexOf("Will create"));
  });

  it("an existing file's budget shows in the summary", async () => {
    const dir = projectDir();
    fs.writeFileSync(
      path.join(dir, "Pulumi.lab.yaml"),
      "config:\n  aws:region: us-east-1\n  nextflow-batch:budgetMonthlyUsd: 1500\n  nextflow-batch:budgetAlertEmails: [pi@example.org]\n  nextflow-batch:budgetGuard: true\n",
    );
    const r = await wizard(dir, ["--stack", "lab", "--no-profile", "--yes"]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(
      r.stdout
        .split("\n")
        .includes(
          "  budget           $1500 a month for the account, alerts at 80 % and 100 % to pi@example.org; guard on: disables the job queues at 100 %",
        ),
      r.stdout,
    );
    assert.match(
      read(dir, "lab"),
      /nextflow-batch:budgetMonthlyUsd: 1500\n/,
      "keys the wizard does not ask stay",
    );
  });

  describe("updating an existing file", () => {
    const fixture = fs.readFileSync(path.join(FIXTURES, "Pulumi.lab.yaml"), "utf8");
    const withFixture = () => {
      const dir = projectDir();
      fs.writeFileSync(path.join(dir, "Pulumi.lab.yaml"), fixture);
      fs.chmodSync(path.join(dir, "Pulumi.lab.yaml"), 0o640);
      return dir;
    };

    it("takes the file's values as defaults", async () => {
      const asked: Asked[] = [];
      await wizard(withFixture(), ["--stack", "lab"], scripted({ write: false }, asked));
      const def = (n: string) => asked.find((a) => a.name === n)!.default;
      assert.deepEqual(["labName", "profile", "region", "maxVcpus", "costTags"].map(def), [
        "smith-lab",
        "lab",
        "us-west-2",
        "1024",
        "grant=R01-GM000000",
      ]);
    });

    it("changes only the keys answered differently; comments, other keys, secrets and file mode stay", async () => {
      const dir = withFixture();
      const r = await wizard(
        dir,
        ["--stack", "lab"],
        scripted({ maxVcpus: "512", costTags: "grant=R01-GM000000, cost-center=1234" }),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        read(dir, "lab"),
        `# Smith lab production stack. Ask #infra before changing the region.
encryptionsalt: v1:Zm9vYmFyYmF6:v1:c2FsdHNhbHQ=:Q2lwaGVydGV4dA==
config:
  # Credentials: the lab's SSO profile.
  aws:profile: lab
  aws:region: us-west-2
  nextflow-batch:labName: smith-lab
  nextflow-batch:maxVcpus: "512" # agreed with the PI
  other:key: keep me
  other:apiToken:
    secure: v1:AAABAHNlY3JldHNlY3JldHNlY3JldA==:ZW5jcnlwdGVkIHRva2VuIHZhbHVl
  nextflow-batch:costTags:
    grant: R01-GM000000
    cost-center: "1234"
`,
      );
      const diff = r.stdout.split("\n").filter((l) => /^ {2}[+~-] /.test(l));
      assert.deepEqual(diff, [
        "  ~ nextflow-batch:maxVcpus: 1024 -> 512",
        '  ~ nextflow-batch:costTags: {"grant":"R01-GM000000"} -> {"grant":"R01-GM000000","cost-center":"1234"}',
      ]);
      assert.equal(fs.statSync(path.join(dir, "Pulumi.lab.yaml")).mode & 0o777, 0o640);
      assert.ok(!r.stdout.includes("pulumi stack init"), "an existing stack needs no init");
    });

    it("says so and writes nothing when no answer changes anything", async () => {
      const dir = withFixture();
      const before = fs.statSync(path.join(dir, "Pulumi.lab.yaml")).mtimeMs;
      const asked: Asked[] = [];
      const r = await wizard(dir, ["--stack", "lab"], scripted({}, asked));
      assert.equal(r.code, 0);
      assert.ok(r.stdout.includes("Pulumi.lab.yaml already has these settings; nothing written."), r.stdout);
      assert.ok(!asked.some((a) => a.name === "write"), "no confirmation for no change");
      assert.equal(read(dir, "lab"), fixture);
      assert.equal(fs.statSync(path.join(dir, "Pulumi.lab.yaml")).mtimeMs, before);
    });

    it("writes nothing when the change is not confirmed", async () => {
      const dir = withFixture();
      const r = await wizard(dir, ["--stack", "lab"], scripted({ maxVcpus: "64", write: false }));
      assert.equal(r.code, 1);
      assert.ok(r.stdout.includes("Not confirmed; nothing written."));
      assert.equal(read(dir, "lab"), fixture);
    });

    it("removes the keys an answer makes contradictory (aws:profile for environment credentials, subnets for a new VPC)", async () => {
      const dir = withFixture();
      let r = await wizard(
        dir,
        ["--stack", "lab"],
        scripted({
          network: "existing",
          vpcId: "vpc-0123456789abcdef0",
          subnetIds: "subnet-0123456789abcdef0, subnet-0fedcba9876543210",
        }),
      );
      assert.equal(r.code, 0, r.stderr);
      assert.ok(
        read(dir, "lab").endsWith(`    grant: R01-GM000000
  nextflow-batch:network: existing
  nextflow-batch:vpcId: vpc-0123456789abcdef0
  nextflow-batch:subnetIds:
    - subnet-0123456789abcdef0
    - subnet-0fedcba9876543210
`),
        read(dir, "lab"),
      );
      r = await wizard(dir, ["--stack", "lab", "--network", "new", "--no-profile", "--yes"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(
        read(dir, "lab"),
        // The comment above the removed key stays: the wizard never drops a comment it cannot place.
        fixture.replace("  aws:profile: lab\n", "") + "  nextflow-batch:network: new\n",
      );
    });

    it("refuses a file that is not valid YAML, writing nothing", async () => {
      const dir = projectDir();
      fs.writeFileSync(path.join(dir, "Pulumi.bad.yaml"), "config:\n  aws:region: [us-east-1\n");
      const r = await wizard(dir, ["--stack", "bad"], scripted({}));
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^error: .*Pulumi\.bad\.yaml is not valid YAML: .*Fix: correct the file/);
      assert.equal(r.stderr.trimEnd().split("\n").length, 1);
    });
  });

  it("Ctrl-C at a prompt: one line, exit 130, no file and no temporary file", async () => {
    const dir = projectDir();
    const r = await wizard(
      dir,
      [],
      scripted({ preset: new ExitPromptError("User force closed the prompt with SIGINT") }),
    );
    assert.equal(r.code, 130);
    assert.equal(r.stderr, "cancelled, nothing written\n");
    assert.deepEqual(fs.readdirSync(dir), ["Pulumi.yaml"]);
  });

  it("Ctrl-C at the confirmation leaves an existing file as it was", async () => {
    const dir = projectDir();
    fs.copyFileSync(path.join(FIXTURES, "Pulumi.lab.yaml"), path.join(dir, "Pulumi.lab.yaml"));
    const r = await wizard(
      dir,
      ["--stack", "lab"],
      scripted({ maxVcpus: "8", write: new ExitPromptError("closed") }),
    );
    assert.equal(r.code, 130);
    assert.equal(read(dir, "lab"), fs.readFileSync(path.join(FIXTURES, "Pulumi.lab.yaml"), "utf8"));
    assert.deepEqual(fs.readdirSync(dir).sort(), ["Pulumi.lab.yaml", "Pulumi.yaml"]);
  });
});

describe("wizard: Enter keeps what the file has, answers are refused where the file would be", () => {
  /** A lab's hand-edited file: CRLF, comments, odd spacing and quoting, a secret, a foreign key, a comma in a tag. */
  const CRLF_STACK = [
    "# Jones lab production. Edited by hand; keep the comments.",
    "encryptionsalt: v1:Zm9vYmFyYmF6:v1:c2FsdHNhbHQ=:Q2lwaGVydGV4dA==",
    "config:",
    "  # The lab's SSO profile.",
    "  aws:profile:   lab   # two spaces, on purpose",
    "  aws:region: 'us-west-2'",
    "  nextflow-batch:labName: jones-lab",
    '  nextflow-batch:maxVcpus: "512" # agreed with the PI',
    "  other:key: keep me",
    "  other:apiToken:",
    "    secure: v1:AAABAHNlY3JldHNlY3JldHNlY3JldA==:ZW5jcnlwdGVkIHRva2VuIHZhbHVl",
    "  nextflow-batch:network: existing",
    "  nextflow-batch:vpcId: vpc-0123456789abcdef0",
    "  nextflow-batch:subnetIds:",
    "  - subnet-0123456789abcdef0",
    "  - subnet-0fedcba9876543210",
    "  nextflow-batch:costTags:",
    '    grant: "R01-GM000000 supplement 2 = y1+y2"',
    "    cost-center: '1234'",
    "",
  ].join("\r\n");

  const withCrlf = () => {
    const dir = projectDir();
    fs.writeFileSync(path.join(dir, "Pulumi.jones.yaml"), CRLF_STACK);
    return dir;
  };

  it("re-running with Enter throughout leaves the file byte for byte as it was", async () => {
    const dir = withCrlf();
    const asked: Asked[] = [];
    const r = await wizard(dir, ["--stack", "jones"], scripted({}, asked));
    assert.equal(r.code, 0, r.stderr);
    assert.ok(r.stdout.includes("Pulumi.jones.yaml already has these settings; nothing written."), r.stdout);
    assert.equal(fs.readFileSync(path.join(dir, "Pulumi.jones.yaml"), "utf8"), CRLF_STACK);
    // The spaces, = and + inside the tag value did not trap the prompt: its default was offered and kept.
    assert.equal(
      asked.find((a) => a.name === "costTags")!.default,
      "grant=R01-GM000000 supplement 2 = y1+y2, cost-center=1234",
    );
  });

  it("one changed answer rewrites that line only; CRLF, comments, quoting and the secret stay", async () => {
    const dir = withCrlf();
    const r = await wizard(dir, ["--stack", "jones"], scripted({ maxVcpus: "256" }));
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      fs.readFileSync(path.join(dir, "Pulumi.jones.yaml"), "utf8"),
      CRLF_STACK.replace('"512" # agreed with the PI', '"256" # agreed with the PI'),
    );
  });

  it("a value AWS would refuse (a comma in a tag value) is offered for editing, never dropped", async () => {
    const dir = projectDir();
    const file = path.join(dir, "Pulumi.commas.yaml");
    const text =
      "config:\n  aws:region: us-east-1\n  nextflow-batch:costTags:\n    grant: R01, supplement 2\n";
    fs.writeFileSync(file, text);
    const validators = new Map<string, (v: string) => true | string>();
    const asked: Asked[] = [];
    const answers = scripted({ costTags: "grant=R01 supplement 2" }, asked);
    const recording: Prompts = {
      ...answers,
      input: async (q) => {
        if (q.validate) validators.set(q.name, q.validate);
        return answers.input(q);
      },
    };
    const r = await wizard(dir, ["--stack", "commas"], recording);
    assert.equal(r.code, 0, r.stderr);
    const costTags = asked.find((a) => a.name === "costTags")!;
    assert.equal(costTags.default, "grant=R01, supplement 2");
    assert.match(
      String(validators.get("costTags")!("grant=R01, supplement 2")),
      /^nextflow-batch:costTags must be a map of at most 47 tags AWS accepts .*; got \{"grant":"R01, supplement 2"\}\. Fix: the value of "grant" must be made of letters, digits, spaces and _ \. : \/ = \+ - @ only; change it$/,
    );
    assert.match(fs.readFileSync(file, "utf8"), /^ {4}grant: R01 supplement 2$/m);
    // --yes cannot keep it, and says which value and why.
    fs.writeFileSync(file, text);
    const yes = await wizard(dir, ["--stack", "commas", "--yes"]);
    assert.equal(yes.code, 2);
    assert.match(
      yes.stderr,
      /^error: Pulumi\.commas\.yaml holds a value --yes cannot keep: nextflow-batch:costTags must be .*\. Fix: pass --cost-tags, or correct the file\n$/,
    );
    assert.equal(fs.readFileSync(file, "utf8"), text);
  });

  it("an empty subnet list is refused at its prompt, with the parser's words", async () => {
    const validators = new Map<string, (v: string) => true | string>();
    const answers = scripted({ subnetIds: "subnet-0123456789abcdef0", write: false });
    const recording: Prompts = {
      ...answers,
      input: async (q) => {
        if (q.validate) validators.set(q.name, q.validate);
        return answers.input(q);
      },
    };
    const argv = ["--stack", "x", "--network", "existing", "--vpc-id", "vpc-0123456789abcdef0"];
    const r = await wizard(projectDir(), argv, recording);
    assert.equal(r.code, 1, r.stderr);
    const validate = validators.get("subnetIds")!;
    const required =
      'nextflow-batch:subnetIds is required with network "existing"; got nothing. Fix: pulumi config set nextflow-batch:subnetIds \'["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]\' (use --path or edit the YAML list)';
    assert.equal(validate(""), required);
    assert.equal(validate(" , "), required);
    assert.equal(validate("subnet-0123456789abcdef0"), true);
    assert.match(
      String(validate("subnet-x")),
      /^nextflow-batch:subnetIds must be a list of 0 to 16 subnet ids/,
    );
  });

  it("--subnet-ids '' is refused as a flag too, before anything is asked", async () => {
    const dir = projectDir();
    const r = await wizard(dir, [
      "--network",
      "existing",
      "--vpc-id",
      "vpc-0123456789abcdef0",
      "--subnet-ids",
      "",
      "--yes",
    ]);
    assert.equal(r.code, 2);
    assert.match(
      r.stderr,
      /^error: --subnet-ids "": nextflow-batch:subnetIds is required with network "existing"; got nothing\./,
    );
    assert.deepEqual(fs.readdirSync(dir), ["Pulumi.yaml"]);
  });
});
