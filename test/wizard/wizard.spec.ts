import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { render } from "@inquirer/testing";
import * as YAML from "yaml";
import { PROJECT } from "../../config/keys";
import { checkConfigValue, parseStackConfig } from "../../config/parse";
import { ENV_CREDENTIALS, parseCostTags } from "../../wizard/answers";
import { runWizard } from "../../wizard/main";
import { inquirerPrompts, type Choice, type PromptRunner, type Prompts } from "../../wizard/prompts";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "wizard");
const AWS_FILES = {
  configFilepath: path.join(FIXTURES, "aws", "config"),
  filepath: path.join(FIXTURES, "aws", "credentials"),
};

const tempDirs: string[] = [];
after(() => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A temporary project directory: Pulumi.yaml and nothing else. */
function projectDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-spec-"));
  tempDirs.push(dir);
  fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
  return dir;
}

interface Asked {
  name: string;
  default: unknown;
  choices?: readonly Choice<unknown>[];
}

/**
 * Prompts answered by name; a name without an answer takes the prompt's default (Enter).
 * A string answer goes through the prompt's own validate, as typing it would.
 */
function scripted(answers: Record<string, unknown>, asked: Asked[] = []): Prompts {
  const answer = (
    q: { name: string; default?: unknown; validate?: (v: string) => true | string },
    choices?: readonly Choice<unknown>[],
  ) => {
    asked.push({ name: q.name, default: q.default, choices });
    const v = Object.prototype.hasOwnProperty.call(answers, q.name) ? answers[q.name] : q.default;
    if (v instanceof Error) throw v;
    if (v === undefined) throw new Error(`prompt ${q.name} has no answer and no default`);
    if (q.validate && typeof v === "string") {
      const ok = q.validate(v);
      if (ok !== true) throw new Error(`prompt ${q.name} rejected ${JSON.stringify(v)}: ${ok}`);
    }
    return v;
  };
  return {
    input: async (q) => answer(q) as string,
    select: async <T>(q: { name: string; message: string; choices: readonly Choice<T>[]; default?: T }) =>
      answer(q, q.choices) as T,
    confirm: async (q) => answer(q) as boolean,
  };
}

class ExitPromptError extends Error {
  override name = "ExitPromptError";
}

async function wizard(dir: string, argv: string[], prompts?: Prompts, env: NodeJS.ProcessEnv = {}) {
  let stdout = "";
  let stderr = "";
  const code = await runWizard({
    cwd: dir,
    argv,
    prompts,
    env,
    awsFiles: AWS_FILES,
    interactive: true,
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

const read = (dir: string, stack: string) => fs.readFileSync(path.join(dir, `Pulumi.${stack}.yaml`), "utf8");

const NEW_DEFAULTS = `# Written by \`npm run wizard\`; re-run it or edit by hand (\`npm run plan\` checks the result).

config:
  aws:region: eu-west-1
  nextflow-batch:labName: dev
  nextflow-batch:preset: m5-gp3
  nextflow-batch:maxVcpus: 1024
  nextflow-batch:onDemandQueue: true
  nextflow-batch:network: new
  nextflow-batch:workRetentionDays: 30
`;

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
      "  instance type  vCPUs  memory GiB  MB/s base  MB/s burst  IOPS base  IOPS burst  % of vol MB/s  storage $/host-h",
      "  + aws:region: eu-west-1",
      "  + nextflow-batch:workRetentionDays: 30",
      "  pulumi stack init dev        # if the stack does not exist yet",
      "  npm run plan -- --stack dev   # offline: resources, host I/O table, policy check",
      "  pulumi up --stack dev",
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
        "m5-gp3  [m5; gp3 root volume]  Intel m5, 1000 GiB gp3 root volume at 16000 IOPS / 1000 MiB/s: the general-purpose default",
        "m5d-nvme  [m5d; NVMe instance store]  Intel m5d, NVMe instance-store disks striped as RAID0 under /var/lib/docker: fastest scratch",
        "c6a-gp3  [c6a; gp3 root volume]  AMD c6a, 1000 GiB gp3 root volume at 16000 IOPS / 1000 MiB/s: cheaper compute-heavy work",
      ],
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

describe("wizard prompts on a virtual terminal (@inquirer/testing)", () => {
  type Rendered = Awaited<ReturnType<typeof render>>;
  /** Renders each real inquirer prompt; `steps[name]` drives it, otherwise Enter. */
  const runner =
    (steps: Record<string, (r: Rendered) => Promise<void>>, screens: Record<string, string>): PromptRunner =>
    async (prompt, config, name) => {
      const r = await render(prompt as Parameters<typeof render>[0], config as never);
      screens[name] = r.getScreen();
      await (steps[name] ?? (async (x: Rendered) => x.events.keypress("enter")))(r);
      return (await r.answer) as never;
    };

  it("validates max vCPUs as typed, with config parsing's own message, then accepts a fix", async () => {
    const dir = projectDir();
    const screens: Record<string, string> = {};
    let invalidScreen = "";
    const prompts = inquirerPrompts(
      runner(
        {
          maxVcpus: async (r) => {
            r.events.type("lots");
            r.events.keypress("enter");
            await r.nextRender();
            invalidScreen = r.getScreen();
            for (let i = 0; i < 4; i++) r.events.keypress("backspace");
            r.events.type("64");
            r.events.keypress("enter");
          },
        },
        screens,
      ),
    );
    const r = await wizard(dir, ["--stack", "vtest"], prompts);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      invalidScreen,
      `? Max vCPUs of the spot compute environment (caps what a runaway pipeline can spend) lots\n> ${checkConfigValue("maxVcpus", "lots")}`,
    );
    assert.match(read(dir, "vtest"), /^ {2}nextflow-batch:maxVcpus: 64$/m);
    assert.equal(screens.labName, "? Lab name (the `lab` cost tag and resource name prefix) (vtest)");
    assert.ok(
      screens.preset.includes("❯ m5-gp3  [m5; gp3 root volume]  Intel m5, 1000 GiB gp3 root volume"),
      screens.preset,
    );
    assert.ok(screens.preset.includes("  m5d-nvme  [m5d; NVMe instance store]  Intel m5d"), screens.preset);
    assert.equal(screens.write, "? Create Pulumi.vtest.yaml? (Y/n)");
  });

  it("rejects a malformed cost tag as typed", async () => {
    let screen = "";
    const prompts = inquirerPrompts(
      runner(
        {
          costTags: async (r) => {
            r.events.type("grant");
            r.events.keypress("enter");
            await r.nextRender();
            screen = r.getScreen();
            for (let i = 0; i < 5; i++) r.events.keypress("backspace");
            r.events.keypress("enter");
          },
          write: async (r) => {
            r.events.type("n");
            r.events.keypress("enter");
          },
        },
        {},
      ),
    );
    const r = await wizard(projectDir(), ["--stack", "vtest"], prompts);
    assert.equal(r.code, 1);
    assert.ok(screen.endsWith(`> ${parseCostTags("grant") as string}`), screen);
  });
});
