/**
 * Picking the bootstrap lines out of EC2 console output. The format is proven against the real
 * host scripts (hosts/bootstrap/*.sh, run here with their test overrides), not copied.
 * Needs bash and curl (CI installs curl; .ci/run).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { bootstrapLines, decodeConsoleOutput, renderBootstrapLine } from "../../doctor/rules/bootstrap";
import { FAILED_BOOT_CONSOLE } from "./fixtures";

const SCRIPTS = path.join(__dirname, "..", "..", "hosts", "bootstrap");

function runScript(name: string, env: Record<string, string>) {
  const r = spawnSync("bash", [path.join(SCRIPTS, name)], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", ...env },
  });
  return { status: r.status, stderr: String(r.stderr) };
}

describe("doctor rules: bootstrap lines in console output", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-doctor-boot-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("finds every line ecs-agent-config.sh logs, with its time and script", () => {
    const log = path.join(dir, "bootstrap.log");
    const r = runScript("ecs-agent-config.sh", {
      NFB_ECS_CONFIG: path.join(dir, "ecs.config"),
      NFB_LOG_FILE: log,
    });
    assert.equal(r.status, 0, r.stderr);
    // cloud-init copies stderr to the console behind its own prefix, with CR LF.
    const consoleText = r.stderr
      .trim()
      .split("\n")
      .map((l, i) => `[   1${i}.000000] cloud-init[1520]: ${l}`)
      .join("\r\n");
    const lines = bootstrapLines(`[    0.000000] Linux version 6.1\r\n${consoleText}\r\nlogin: `);
    assert.equal(lines.length, 5);
    assert.deepEqual(
      lines.map((l) => [l.script, l.isError, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/.test(l.time ?? "")]),
      Array(5).fill(["ecs-agent-config", false, true]),
    );
    assert.match(lines[0].message, /^set ECS_IMAGE_PULL_BEHAVIOR=prefer-cached in /);
    // The log file on the host has the same lines.
    assert.deepEqual(bootstrapLines(fs.readFileSync(log, "utf8")), lines);
  });

  it("finds install-aws-cli.sh's failure, both as logged and as written to /dev/console", () => {
    const consoleFile = path.join(dir, "console");
    const r = runScript("install-aws-cli.sh", {
      NFB_AWS_CLI_INSTALL_DIR: path.join(dir, "opt"),
      NFB_AWS_CLI_URL: "file:///nonexistent/awscli.zip",
      NFB_DOWNLOAD_ATTEMPTS: "1",
      NFB_CONSOLE: consoleFile,
      NFB_LOG_FILE: path.join(dir, "log"),
    });
    assert.equal(r.status, 1);
    const lines = bootstrapLines(`${r.stderr}\n${fs.readFileSync(consoleFile, "utf8")}`);
    const errors = lines.filter((l) => l.isError);
    assert.equal(errors.length, 2);
    assert.ok(errors[0].time, "the logged line has a time");
    assert.equal(errors[1].time, undefined, "the console-direct line has none");
    for (const e of errors) {
      assert.equal(e.script, "aws-cli");
      assert.match(
        e.message,
        /^ERROR: could not download file:\/\/\/nonexistent\/awscli\.zip after 1 attempts \(no internet route or NAT\?\)/,
      );
    }
  });

  it("reads the base64 GetConsoleOutput returns, drops exact repeats and other lines", () => {
    const text = decodeConsoleOutput(
      Buffer.from(`${FAILED_BOOT_CONSOLE}\r\n${FAILED_BOOT_CONSOLE}`).toString("base64"),
    );
    const lines = bootstrapLines(text);
    assert.deepEqual(lines.map(renderBootstrapLine), [
      "2026-12-01T09:21:04Z [ecs-agent-config] set ECS_IMAGE_PULL_BEHAVIOR=prefer-cached in /etc/ecs/ecs.config",
      "2026-12-01T09:21:40Z [aws-cli] download of https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip failed (try 1); retrying in 5s",
      "2026-12-01T09:23:10Z [aws-cli] ERROR: could not download https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip after 5 attempts (no internet route or NAT?) -- no AWS CLI at /opt/aws-cli/bin/aws: Nextflow tasks on this host cannot stage files.",
      "(console) [aws-cli] ERROR: could not download https://awscli.amazonaws.com/awscli-exe-linux-x86_64.zip after 5 attempts (no internet route or NAT?)",
    ]);
    assert.deepEqual(bootstrapLines(decodeConsoleOutput(undefined)), []);
    // GetConsoleOutput example ("To get the console output"): Output "..." has no bootstrap line.
    assert.deepEqual(bootstrapLines("..."), []);
  });
});
