/**
 * The smoke job's script, run for real with bash against a stand-in AWS CLI (a local directory
 * plays the bucket), and linted with shellcheck; its report; and what a failed smoke job means
 * (Batch API reference, DescribeJobs: JobDetail.statusReason, container.reason, exitCode).
 * The /etc/hosts case needs root and unshare (CI runs as root with util-linux; .ci/run).
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  describeStorage,
  explainFailedJob,
  parseSmokeReport,
  smokeFailure,
  smokeScript,
  storageFindings,
  SMOKE_EXIT,
} from "../../doctor/rules/smoke";
import { PRESETS } from "../../presets";

const TOKEN = "20261201t100000-abc123";

/** A stand-in for the AWS CLI v2: `--version`, and `s3 cp` between files and s3://<dir>. */
function fakeCli(dir: string, behaviour: "ok" | "broken" | "no-write" | "corrupt" = "ok"): string {
  const cli = path.join(dir, "opt", "aws-cli", "bin", "aws");
  fs.mkdirSync(path.dirname(cli), { recursive: true });
  fs.writeFileSync(
    cli,
    `#!/bin/bash
if [ "$1" = --version ]; then
  ${behaviour === "broken" ? 'echo "/opt/aws-cli/v2/current/bin/aws: error while loading shared libraries: libz.so.1" >&2; exit 127' : 'echo "aws-cli/2.22.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023"; exit 0'}
fi
map() { case "$1" in s3://*) echo "${dir}/bucket/\${1#s3://}" ;; *) echo "$1" ;; esac; }
[ "$1 $2" = "s3 cp" ] || exit 9
src="$(map "$4")" dst="$(map "$5")"
${behaviour === "no-write" ? 'case "$5" in s3://*) echo "upload failed: $4 to $5 An error occurred (AccessDenied) when calling the PutObject operation: Access Denied" >&2; exit 1 ;; esac' : ""}
mkdir -p "$(dirname "$dst")" && cp "$src" "$dst"
${behaviour === "corrupt" ? 'case "$4" in s3://*) echo x >>"$dst" ;; esac' : ""}
`,
    { mode: 0o755 },
  );
  return cli;
}

function runSmoke(dir: string, cliPath: string, wrap?: (script: string) => string[]) {
  const script = smokeScript({
    cliPath,
    url: `s3://bucket/work/.nextflow-batch-doctor/${TOKEN}/spot.txt`,
    token: TOKEN,
  });
  const [cmd, ...args] = wrap ? wrap(script) : ["bash", "-o", "pipefail", "-c", script];
  const r = spawnSync(cmd, args, { encoding: "utf8", cwd: dir, env: { PATH: process.env.PATH ?? "" } });
  return { status: r.status, stdout: String(r.stdout), stderr: String(r.stderr), script };
}

describe("doctor rules: the smoke job", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-doctor-smoke-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  describe("its script, run with bash", () => {
    it("runs the CLI, writes and reads the object, reports the root filesystem, prints OK", () => {
      const r = runSmoke(dir, fakeCli(dir));
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const object = fs.readFileSync(
        path.join(dir, "bucket", "bucket", "work", ".nextflow-batch-doctor", TOKEN, "spot.txt"),
        "utf8",
      );
      const report = parseSmokeReport(object);
      assert.equal(report.token, TOKEN);
      assert.equal(report.cli, "aws-cli/2.22.0 Python/3.12.6 Linux/6.1 exe/x86_64.amzn.2023");
      assert.ok((report.rootKiB ?? 0) > 0 && (report.rootAvailKiB ?? 0) > 0, object);
      assert.ok(report.rootFs && report.rootFs !== "unknown");
      // The same report in the job's log (what CloudWatch gets), then OK.
      assert.deepEqual(parseSmokeReport(r.stdout), report);
      assert.match(r.stdout, /nextflow-batch-doctor: OK\n$/);
    });

    it("finds the filesystem behind the container from the /etc/hosts bind mount (as Docker makes it)", () => {
      const cli = fakeCli(dir);
      const hosts = path.join(dir, "containers", "hosts");
      fs.mkdirSync(path.dirname(hosts));
      fs.writeFileSync(hosts, "127.0.0.1 localhost\n");
      const r = runSmoke(dir, cli, (script) => [
        "unshare",
        "--mount",
        "--propagation",
        "private",
        "bash",
        "-c",
        `mount -t tmpfs -o size=64m nfb-docker-data ${path.dirname(hosts)} && echo "127.0.0.1 localhost" >${hosts} && mount --bind ${hosts} /etc/hosts && exec bash -o pipefail -c "$0"`,
        script,
      ]);
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const report = parseSmokeReport(r.stdout);
      assert.equal(report.dockerFs, "tmpfs");
      assert.equal(report.dockerDevice, "nfb-docker-data");
    });

    const failures: [string, "missing" | "broken" | "no-write" | "corrupt", number, RegExp][] = [
      [
        "no CLI at cliPath",
        "missing",
        SMOKE_EXIT.cliMissing,
        /FAIL cli-missing: .*\/opt\/aws-cli\/bin\/aws does not exist in the container: the host has no AWS CLI there, or .*\/opt\/aws-cli was not mounted/,
      ],
      [
        "a CLI that does not run",
        "broken",
        SMOKE_EXIT.cliBroken,
        /FAIL cli-broken: .* does not run in this image: .*libz\.so\.1/,
      ],
      [
        "no permission to write",
        "no-write",
        SMOKE_EXIT.s3Write,
        /FAIL s3-write: could not write s3:\/\/bucket\/work\/.*: upload failed: .*AccessDenied/,
      ],
      [
        "reads back something else",
        "corrupt",
        SMOKE_EXIT.s3Read,
        /FAIL s3-read: read back something other than what was written/,
      ],
    ];
    for (const [name, behaviour, code, line] of failures) {
      it(`${name}: exit ${code} and a FAIL line`, () => {
        const cli =
          behaviour === "missing" ? path.join(dir, "opt", "aws-cli", "bin", "aws") : fakeCli(dir, behaviour);
        const r = runSmoke(dir, cli);
        assert.equal(r.status, code, r.stdout + r.stderr);
        assert.match(r.stdout, line);
        assert.equal(smokeFailure(r.stdout.split("\n"))?.kind, line.source.match(/FAIL ([a-z0-9-]+)/)![1]);
      });
    }

    it("passes shellcheck, quoting values that hold quotes", () => {
      const file = path.join(dir, "smoke.sh");
      fs.writeFileSync(
        file,
        smokeScript({ cliPath: "/opt/aws-cli/bin/aws", url: "s3://b/work/it's here.txt", token: "t'1" }),
      );
      const r = spawnSync("shellcheck", ["--shell=bash", "--severity=style", file], { encoding: "utf8" });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      const run = runSmoke(dir, fakeCli(dir));
      assert.equal(run.status, 0);
    });
  });

  describe("its report", () => {
    it("reads key=value lines with or without the log mark; ignores anything else", () => {
      const r = parseSmokeReport(
        "nextflow-batch-doctor: cli aws-cli/2\nnextflow-batch-doctor: root_kib=100\nroot_fs=overlay\nroot_avail_kib=x\nnoise\n",
      );
      assert.deepEqual(r, {
        token: undefined,
        cli: undefined,
        rootFs: "overlay",
        rootKiB: 100,
        rootAvailKiB: undefined,
        dockerFs: undefined,
        dockerDevice: undefined,
      });
      assert.equal(
        describeStorage({
          rootFs: "overlay",
          rootKiB: 1048064000,
          rootAvailKiB: 1044064000,
          dockerFs: "xfs",
          dockerDevice: "/dev/md0",
        }),
        "container root overlay: 999.5 GiB, 995.7 GiB free; Docker data on xfs /dev/md0",
      );
    });

    const nvme = PRESETS["m5d-nvme"].storage;
    const gp3 = PRESETS["m5-gp3"].storage;
    const cases: [
      string,
      Parameters<typeof storageFindings>[1],
      Parameters<typeof storageFindings>[2],
      string[],
    ][] = [
      ["NVMe preset, RAID0", { dockerFs: "xfs", dockerDevice: "/dev/md0" }, nvme, []],
      ["NVMe preset, one disk (m5d.large)", { dockerFs: "xfs", dockerDevice: "/dev/nvme1n1" }, nvme, []],
      [
        "NVMe preset, Docker on the root volume",
        { dockerFs: "xfs", dockerDevice: "/dev/nvme0n1p1" },
        nvme,
        ["smoke-storage"],
      ],
      ["gp3 preset, the 1000 GiB volume", { rootKiB: 1048064000 }, gp3, []],
      ["gp3 preset, a 30 GiB default volume", { rootKiB: 31457280 }, gp3, ["smoke-storage"]],
      ["preset unknown (no stack file)", { dockerFs: "ext4", dockerDevice: "/dev/sda1" }, undefined, []],
    ];
    for (const [name, report, expected, want] of cases) {
      it(`storage: ${name}`, () =>
        assert.deepEqual(
          storageFindings("q", report, expected).map((f) => f.id),
          want,
        ));
    }
  });

  describe("explainFailedJob", () => {
    const ctx = {
      cliPath: "/opt/aws-cli/bin/aws",
      image: "public.ecr.aws/amazonlinux/amazonlinux:2023",
      logGroup: "/nextflow-batch/lab/dev",
    };
    const cases: [string, Parameters<typeof explainFailedJob>[1], string[], "error" | "warning", RegExp][] = [
      [
        "CLI missing (its FAIL line)",
        { statusReason: "Essential container in task exited", container: { exitCode: 3 } },
        ["nextflow-batch-doctor: FAIL cli-missing: x"],
        "error",
        /the AWS CLI is not at \/opt\/aws-cli\/bin\/aws inside the task container/,
      ],
      [
        "CLI broken",
        { statusReason: "Essential container in task exited", container: { exitCode: 4 } },
        ["nextflow-batch-doctor: FAIL cli-broken: libz"],
        "error",
        /is there but does not run in public\.ecr\.aws/,
      ],
      [
        "no credentials in the container",
        { container: { exitCode: 5 } },
        ["nextflow-batch-doctor: FAIL s3-write: could not write s3://b/k: Unable to locate credentials"],
        "error",
        /the container got no credentials/,
      ],
      [
        "S3 403",
        { container: { exitCode: 5 } },
        ["nextflow-batch-doctor: FAIL s3-write: could not write: An error occurred (AccessDenied)"],
        "error",
        /not allowed to use the work bucket \(403\)/,
      ],
      [
        "S3 unreachable",
        { container: { exitCode: 6 } },
        ["nextflow-batch-doctor: FAIL s3-read: could not read: Could not connect to the endpoint URL"],
        "error",
        /cannot reach S3/,
      ],
      [
        "image pull",
        {
          statusReason: "Task failed to start",
          container: {
            reason:
              "CannotPullContainerError: pull image manifest has been retried 5 time(s): failed to resolve ref",
          },
        },
        [],
        "error",
        /could not pull/,
      ],
      [
        "CLI mount missing on the host",
        {
          statusReason: "Task failed to start",
          container: {
            reason:
              'CannotStartContainerError: Error response from daemon: failed to create task: error mounting "/opt/aws-cli": no such file or directory',
          },
        },
        [],
        "error",
        /mounting \/opt\/aws-cli from the host failed/,
      ],
      [
        "log group gone",
        {
          statusReason: "Task failed to start",
          container: {
            reason:
              "ResourceInitializationError: failed to validate logger args: create stream has been retried 1 times: failed to create Cloudwatch log stream: ResourceNotFoundException: The specified log group does not exist.",
          },
        },
        [],
        "error",
        /the log group \/nextflow-batch\/lab\/dev is missing/,
      ],
      [
        "spot reclaimed the host",
        { statusReason: "Host EC2 (instance i-0123456789abcdef0) terminated." },
        [],
        "warning",
        /spot took the host back/,
      ],
      [
        "Docker too slow",
        {
          statusReason: "Task failed to start",
          container: {
            reason:
              "CannotInspectContainerError: Could not transition to inspecting; timed out after waiting 30s",
          },
        },
        [],
        "error",
        /Docker on the host is too slow or out of disk/,
      ],
      [
        "timed out",
        { statusReason: "Job attempt duration exceeded timeout" },
        [],
        "error",
        /ran past its time limit/,
      ],
      [
        "anything else",
        { statusReason: "Essential container in task exited", container: { exitCode: 137 } },
        [],
        "error",
        /failed with exit code 137: Essential container in task exited/,
      ],
    ];
    for (const [name, job, logs, severity, msg] of cases) {
      it(name, () => {
        const f = explainFailedJob("q", job, logs, ctx);
        assert.equal(f.id, "smoke-failed");
        assert.equal(f.severity, severity);
        assert.match(f.message, msg);
        for (const l of logs) assert.ok(f.evidence?.includes(`log: ${l}`));
      });
    }
  });
});
