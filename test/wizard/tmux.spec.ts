// The real wizard in a real terminal: tmux runs `ts-node wizard/main.ts` in a temporary
// project directory, and the test types into it the way an admin would. HOME and the AWS
// files point at fixtures and the environment is emptied (`env -i`), so the user's own AWS
// config is never read. tmux is required (CI installs it); without it these tests fail, never skip.
import * as assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as YAML from "yaml";
import { PROJECT } from "../../config/keys";
import { parseStackConfig } from "../../config/parse";

const ROOT = path.join(__dirname, "..", "..");
const FIXTURES = path.join(__dirname, "..", "fixtures", "wizard");
/** Our own tmux server, so the user's sessions are never touched; killed after the tests. */
const SOCKET = `wizard-spec-${process.pid}`;
const PROMPT_TIMEOUT_MS = 20_000;

const tmux = (...args: string[]) => execFileSync("tmux", ["-L", SOCKET, ...args], { encoding: "utf8" });
const sq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** The pane's whole text, history included, wrapped lines joined. */
const screen = (session: string) => tmux("capture-pane", "-p", "-J", "-S", "-500", "-t", session);

async function waitFor(session: string, pattern: RegExp, what: string): Promise<string> {
  const deadline = Date.now() + PROMPT_TIMEOUT_MS;
  for (;;) {
    const text = screen(session);
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) {
      assert.fail(
        `timed out after ${PROMPT_TIMEOUT_MS} ms waiting for ${what} (${pattern}); the terminal shows:\n${text}`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

let sessions = 0;
/** Starts the wizard in a 200x50 terminal; the pane stays after it exits and prints EXIT=<code>. */
function startWizard(dir: string, home: string, args: string[] = []): string {
  const name = `wizard-${++sessions}`;
  const wizard = [
    "env -i",
    `PATH=${sq(process.env.PATH ?? "/usr/bin:/bin")}`,
    `HOME=${sq(home)}`,
    `AWS_CONFIG_FILE=${sq(path.join(home, ".aws", "config"))}`,
    `AWS_SHARED_CREDENTIALS_FILE=${sq(path.join(home, ".aws", "credentials"))}`,
    "TERM=xterm-256color",
    sq(path.join(ROOT, "node_modules", ".bin", "ts-node")),
    "--transpile-only",
    sq(path.join(ROOT, "wizard", "main.ts")),
    "--dir",
    sq(dir),
    ...args.map(sq),
  ].join(" ");
  const command = `cd ${sq(ROOT)} && ${wizard}; echo "EXIT=$?"; sleep 600`;
  tmux("new-session", "-d", "-s", name, "-x", "200", "-y", "50", command);
  return name;
}

const key = (session: string, ...keys: string[]) => tmux("send-keys", "-t", session, ...keys);
const typeText = (session: string, text: string) => tmux("send-keys", "-t", session, "-l", text);

/** Active prompts (a line starting "? <message>") in the order Enter-throughout meets them. */
const PROMPTS: [name: string, pattern: RegExp][] = [
  ["stack", /^\? Stack name/m],
  ["labName", /^\? Lab name/m],
  ["profile", /^\? AWS profile/m],
  ["region", /^\? AWS region/m],
  ["preset", /^\? Preset/m],
  ["maxVcpus", /^\? Max vCPUs/m],
  ["onDemandQueue", /^\? Also build an on-demand queue/m],
  ["network", /^\? Network/m],
  ["workRetentionDays", /^\? Days to keep/m],
  ["costTags", /^\? Cost tags/m],
  ["write", /^\? (Create|Update) Pulumi\.dev\.yaml\?/m],
];

/** Answers every prompt with Enter, except those `typed` gives text for first. */
async function answerAll(session: string, typed: Record<string, string> = {}): Promise<string> {
  for (const [name, pattern] of PROMPTS) {
    await waitFor(session, pattern, `the ${name} prompt`);
    if (typed[name] !== undefined) typeText(session, typed[name]);
    key(session, "Enter");
  }
  return waitFor(session, /^EXIT=\d+$/m, "the wizard to exit");
}

/** Enter through the prompts before `stop`, from `from` on; leaves `stop` showing. */
async function enterUntil(session: string, from: string, stop: string): Promise<void> {
  const names = PROMPTS.map(([n]) => n);
  for (const [name, pattern] of PROMPTS.slice(names.indexOf(from), names.indexOf(stop) + 1)) {
    await waitFor(session, pattern, `the ${name} prompt`);
    if (name !== stop) key(session, "Enter");
  }
}

const exitCode = (text: string) => Number(/^EXIT=(\d+)$/m.exec(text)![1]);

describe("wizard in a real terminal (tmux)", function () {
  this.timeout(120_000);
  let dir: string;
  let home: string;

  before(() => {
    const probe = spawnSync("tmux", ["-V"], { encoding: "utf8" });
    if (probe.error !== undefined || probe.status !== 0) {
      assert.fail(
        `tmux is required for the real-terminal wizard tests and was not found (${probe.error?.message ?? probe.stderr}). Fix: apt-get install tmux (CI installs it)`,
      );
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-tmux-"));
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(dir, "Pulumi.yaml"));
    home = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-home-"));
    temp.push(dir, home);
    fs.mkdirSync(path.join(home, ".aws"));
    fs.copyFileSync(path.join(FIXTURES, "aws", "config"), path.join(home, ".aws", "config"));
    fs.copyFileSync(path.join(FIXTURES, "aws", "credentials"), path.join(home, ".aws", "credentials"));
  });

  const temp: string[] = [];
  after(() => {
    spawnSync("tmux", ["-L", SOCKET, "kill-server"]);
    for (const d of temp) fs.rmSync(d, { recursive: true, force: true });
  });

  const file = () => path.join(dir, "Pulumi.dev.yaml");

  it("Enter at every prompt writes a stack file that parses and plans clean", async () => {
    const s = startWizard(dir, home);
    const text = await answerAll(s);
    assert.equal(exitCode(text), 0, text);
    assert.match(text, /^Host I\/O and storage cost per instance size:$/m);
    assert.match(
      text,
      /^ {2}\+ aws:region: eu-west-1$/m,
      "the default profile's region from the fixture AWS config",
    );
    const config = (YAML.parse(fs.readFileSync(file(), "utf8")) as { config: Record<string, unknown> })
      .config;
    const spec = parseStackConfig(config, { project: PROJECT, stack: "dev" });
    assert.equal(spec.preset.name, "m5-gp3");
    assert.equal(spec.region, "eu-west-1");
    const plan = spawnSync(
      path.join(ROOT, "node_modules", ".bin", "ts-node"),
      ["--transpile-only", path.join(ROOT, "plan", "main.ts"), "--stack", "dev", "--dir", dir],
      { cwd: ROOT, encoding: "utf8" },
    );
    assert.equal(plan.status, 0, `plan exited ${plan.status}:\n${plan.stderr}\n${plan.stdout.slice(-2000)}`);
    assert.match(plan.stdout, /^Policy pack:\n {2}no violations$/m);
  });

  it("a second run that changes one answer changes exactly that line", async () => {
    const before = fs.readFileSync(file(), "utf8");
    const s = startWizard(dir, home);
    const text = await answerAll(s, { maxVcpus: "512" });
    assert.equal(exitCode(text), 0, text);
    assert.match(text, /^ {2}~ nextflow-batch:maxVcpus: 1024 -> 512$/m);
    const after = fs.readFileSync(file(), "utf8");
    const a = before.split("\n");
    const b = after.split("\n");
    assert.equal(b.length, a.length);
    const changed = a.flatMap((line, i) => (line === b[i] ? [] : [[line, b[i]]]));
    assert.deepEqual(changed, [["  nextflow-batch:maxVcpus: 1024", "  nextflow-batch:maxVcpus: 512"]]);
  });

  it("Ctrl-C at a prompt prints one line, exits 130 and leaves the file as it was", async () => {
    const before = fs.readFileSync(file(), "utf8");
    const listing = fs.readdirSync(dir).sort();
    const s = startWizard(dir, home, ["--stack", "dev"]);
    await enterUntil(s, "labName", "preset");
    key(s, "C-c");
    const text = await waitFor(s, /^EXIT=\d+$/m, "the wizard to exit");
    assert.equal(exitCode(text), 130, text);
    assert.match(text, /^cancelled, nothing written$/m);
    assert.doesNotMatch(text, /^\s+at /m, "no stack trace");
    assert.doesNotMatch(text, /Error/);
    assert.equal(fs.readFileSync(file(), "utf8"), before);
    assert.deepEqual(fs.readdirSync(dir).sort(), listing);
  });

  it("Ctrl-C before anything is written leaves no file at all", async () => {
    const fresh = fs.mkdtempSync(path.join(os.tmpdir(), "wizard-tmux-"));
    temp.push(fresh);
    fs.copyFileSync(path.join(ROOT, "Pulumi.yaml"), path.join(fresh, "Pulumi.yaml"));
    const s = startWizard(fresh, home);
    await enterUntil(s, "stack", "labName");
    key(s, "C-c");
    const text = await waitFor(s, /^EXIT=\d+$/m, "the wizard to exit");
    assert.equal(exitCode(text), 130, text);
    assert.match(text, /^cancelled, nothing written$/m);
    assert.doesNotMatch(text, /^\s+at /m, "no stack trace");
    assert.deepEqual(fs.readdirSync(fresh), ["Pulumi.yaml"]);
  });
});
