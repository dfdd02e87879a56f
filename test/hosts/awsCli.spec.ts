// The AWS CLI install script, run for real against a local zip that mimics the official
// bundle (test/fixtures/bootstrap/fake-awscli: aws/install with the real installer's flags
// and layout), installed under a temporary root instead of /.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { AWS_CLI_INSTALL_DIR, AWS_CLI_PATH } from "../../hosts/bootstrap/userData";
import { BOOTSTRAP_DIR, FIXTURE_DIR, requireTools, run, RunResult, runOk, SYSTEM_PYTHON } from "./helpers";

const SCRIPT = path.join(BOOTSTRAP_DIR, "install-aws-cli.sh");

/** Every path under dir (not following symlinks). */
function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? [full, ...walk(full)] : [full];
  });
}

describe("bootstrap: AWS CLI install script (local bundle, temporary root)", function () {
  this.timeout(30_000);

  let tmp: string;
  let bundle: string;

  before(function () {
    requireTools([
      { command: "curl", debianPackage: "curl" },
      { command: SYSTEM_PYTHON, debianPackage: "python3" },
    ]);
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-awscli-"));
    bundle = path.join(tmp, "awscli-exe-linux-test.zip");
    // Python's zipfile rather than `zip`, which CI does not install. Mode 0755 is stored in
    // the entries' external attributes, as in the real bundle.
    runOk(SYSTEM_PYTHON, [
      "-c",
      [
        "import sys, zipfile",
        "src, out = sys.argv[1], sys.argv[2]",
        "with zipfile.ZipFile(out, 'w', zipfile.ZIP_DEFLATED) as z:",
        "    for name in ('aws/install', 'aws/dist/aws'):",
        "        info = zipfile.ZipInfo(name)",
        "        info.external_attr = 0o100755 << 16",
        "        z.writestr(info, open(src + '/' + name, 'rb').read())",
      ].join("\n"),
      path.join(FIXTURE_DIR, "fake-awscli"),
      bundle,
    ]);
  });

  after(function () {
    if (tmp) {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  function install(root: string, env: Record<string, string> = {}): RunResult {
    return run("bash", [SCRIPT], {
      env: {
        ...process.env,
        NFB_AWS_CLI_INSTALL_DIR: `${root}${AWS_CLI_INSTALL_DIR}`,
        NFB_AWS_CLI_URL: `file://${bundle}`,
        NFB_LOG_FILE: path.join(root, "bootstrap.log"),
        NFB_CONSOLE: "/dev/null",
        NFB_RETRY_DELAY_SECONDS: "0",
        ...env,
      },
    });
  }

  function assertInstalled(root: string): void {
    const cli = `${root}${AWS_CLI_PATH}`;
    assert.equal(runOk(cli, ["--version"]).trim(), "aws-cli/2.99.0 Python/3.12.0 Linux/test exe/test");
    // Nextflow mounts the grandparent of aws.batch.cliPath into the task container: it must
    // hold the whole install, and every link in it must resolve inside it.
    const grandparent = path.dirname(path.dirname(cli));
    assert.equal(grandparent, `${root}${AWS_CLI_INSTALL_DIR}`);
    const mounted = fs.realpathSync(grandparent); // in case the temp dir is behind a symlink
    assert.ok(fs.realpathSync(cli).startsWith(`${mounted}/`), fs.realpathSync(cli));
    const links = walk(grandparent).filter((p) => fs.lstatSync(p).isSymbolicLink());
    assert.ok(links.length >= 3, `expected the installer's links, got ${links.join(", ")}`);
    for (const link of links) {
      const target = fs.realpathSync(link);
      assert.ok(target.startsWith(`${mounted}/`), `${link} resolves outside ${mounted}: ${target}`);
    }
    assert.ok(fs.lstatSync(path.join(grandparent, "v2", "current")).isSymbolicLink());
  }

  for (const unzip of ["auto", "python3"]) {
    it(`installs at aws.batch.cliPath under the root, self-contained (NFB_UNZIP=${unzip})`, function () {
      const root = path.join(tmp, `root-${unzip}`);
      const result = install(root, { NFB_UNZIP: unzip });
      assert.equal(result.status, 0, result.stderr);
      assertInstalled(root);
      assert.match(fs.readFileSync(path.join(root, "bootstrap.log"), "utf8"), /installed aws-cli\/2\.99\.0/);
    });
  }

  it("a second run sees the install and skips the download", function () {
    const root = path.join(tmp, "root-rerun");
    assert.equal(install(root).status, 0);
    const current = path.join(`${root}${AWS_CLI_INSTALL_DIR}`, "v2", "current");
    const before = fs.lstatSync(current).mtimeMs;
    // A URL that cannot work proves nothing is downloaded.
    const again = install(root, { NFB_AWS_CLI_URL: `file://${tmp}/no-such-bundle.zip` });
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /already installed: aws-cli\/2\.99\.0/);
    assert.equal(fs.lstatSync(current).mtimeMs, before);
    assertInstalled(root);
  });

  it("a download that keeps failing: retries, then exits non-zero with a clear logged message", function () {
    const root = path.join(tmp, "root-fail");
    fs.mkdirSync(root);
    const url = `file://${tmp}/no-such-bundle.zip`;
    const started = Date.now();
    const result = install(root, { NFB_AWS_CLI_URL: url, NFB_DOWNLOAD_ATTEMPTS: "3" });
    assert.equal(result.status, 1);
    assert.ok(Date.now() - started < 10_000, "retry sleeps should follow NFB_RETRY_DELAY_SECONDS");
    const log = fs.readFileSync(path.join(root, "bootstrap.log"), "utf8");
    assert.match(log, /download of .* failed \(try 1\); retrying in 0s/);
    assert.match(log, /download of .* failed \(try 2\); retrying in 0s/);
    assert.doesNotMatch(log, /\(try 3\)/);
    const error = `ERROR: could not download ${url} after 3 attempts`;
    assert.ok(log.includes(error), log);
    assert.ok(result.stderr.includes(error), result.stderr);
    assert.match(
      log,
      /no AWS CLI at .*\/opt\/aws-cli\/bin\/aws: Nextflow tasks on this host cannot stage files/,
    );
    assert.equal(fs.existsSync(`${root}${AWS_CLI_PATH}`), false);
  });
});
