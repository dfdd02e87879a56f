// The assembled user data: parsed by Python's email parser and by cloud-init's own splitter,
// every script shellchecked, the ECS agent settings script run against a scratch file.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import {
  AWS_CLI_INSTALL_DIR,
  AWS_CLI_PATH,
  MAX_USER_DATA_BYTES,
  renderUserData,
  UserDataOptions,
  userDataParts,
} from "../../hosts/bootstrap/userData";
import type { HostStorageKind } from "../../presets";
import { BOOTSTRAP_DIR, FIXTURE_DIR, requireTools, run, runOk, SYSTEM_PYTHON } from "./helpers";

interface InspectedPart {
  contentType: string;
  filename: string | null;
  defects: string[];
  bodyBase64: string;
}
interface Inspection {
  email: { isMultipart: boolean; contentType: string; defects: string[]; parts: InspectedPart[] };
  cloudinit: { parts: InspectedPart[] };
  schema: Record<string, string | null>;
}

/** Parses a document with test/fixtures/bootstrap/inspect_user_data.py (email + cloud-init). */
function inspect(document: string): Inspection {
  const stdout = runOk(SYSTEM_PYTHON, [path.join(FIXTURE_DIR, "inspect_user_data.py")], { input: document });
  return JSON.parse(stdout) as Inspection;
}

function sourceOf(filename: string | null): Buffer {
  assert.ok(filename, "every part names its source file");
  return fs.readFileSync(path.join(BOOTSTRAP_DIR, filename));
}

const EXPECTED_PARTS: Record<HostStorageKind, ReadonlyArray<[string, string]>> = {
  gp3: [
    ["text/cloud-boothook", "ecs-agent-config.sh"],
    ["text/x-shellscript", "install-aws-cli.sh"],
  ],
  instanceStore: [
    ["text/cloud-boothook", "instance-store.sh"],
    ["text/cloud-boothook", "ecs-agent-config.sh"],
    ["text/x-shellscript", "install-aws-cli.sh"],
  ],
};

const CASES: ReadonlyArray<UserDataOptions> = (["gp3", "instanceStore"] as const).map((storage) => ({
  storage,
}));

describe("bootstrap: user data document", function () {
  before(function () {
    requireTools([{ command: SYSTEM_PYTHON, debianPackage: "python3 and cloud-init" }]);
    // cloud-init's modules are what a host uses to split the document; without them the
    // test would prove nothing.
    const probe = run(SYSTEM_PYTHON, ["-c", "import cloudinit.user_data, cloudinit.config.schema"]);
    if (probe.status !== 0) {
      throw new Error(
        `${SYSTEM_PYTHON} cannot import cloud-init (install the Debian package cloud-init): ${probe.stderr}`,
      );
    }
  });

  for (const opts of CASES) {
    describe(`storage ${opts.storage}`, function () {
      let document: string;
      let inspection: Inspection;
      before(function () {
        document = renderUserData(opts);
        inspection = inspect(document);
      });

      it("lists exactly the expected parts, in order", function () {
        assert.deepEqual(
          userDataParts(opts).map((part) => [part.contentType, part.filename]),
          EXPECTED_PARTS[opts.storage],
        );
      });

      it("parses with Python's email parser: multipart/mixed, no defects, bodies byte for byte", function () {
        assert.equal(inspection.email.isMultipart, true);
        assert.equal(inspection.email.contentType, "multipart/mixed");
        assert.deepEqual(inspection.email.defects, []);
        assert.deepEqual(
          inspection.email.parts.map((part) => [part.contentType, part.filename]),
          EXPECTED_PARTS[opts.storage],
        );
        for (const part of inspection.email.parts) {
          assert.deepEqual(part.defects, [], `${part.filename} has MIME defects`);
          assert.ok(
            Buffer.from(part.bodyBase64, "base64").equals(sourceOf(part.filename)),
            `${part.filename}: the part body differs from the file`,
          );
        }
      });

      it("splits with cloud-init's UserDataProcessor into the same parts, bodies byte for byte", function () {
        assert.deepEqual(
          inspection.cloudinit.parts.map((part) => [part.contentType, part.filename]),
          EXPECTED_PARTS[opts.storage],
        );
        for (const part of inspection.cloudinit.parts) {
          assert.ok(
            Buffer.from(part.bodyBase64, "base64").equals(sourceOf(part.filename)),
            `${part.filename}: cloud-init sees a body that differs from the file`,
          );
        }
      });

      it("has no cloud-config part (so none to schema-validate)", function () {
        assert.deepEqual(inspection.schema, {});
      });

      it("fits EC2's 16 KB user-data limit with room for AWS Batch's part", function () {
        assert.ok(Buffer.byteLength(document) <= MAX_USER_DATA_BYTES, `${Buffer.byteLength(document)} bytes`);
        assert.equal(MAX_USER_DATA_BYTES, 14336);
      });
    });
  }

  it("is deterministic and takes no architecture (uname -m picks the CLI bundle on the host)", function () {
    for (const storage of ["gp3", "instanceStore"] as const) {
      assert.equal(renderUserData({ storage }), renderUserData({ storage }));
    }
    const script = fs.readFileSync(path.join(BOOTSTRAP_DIR, "install-aws-cli.sh"), "utf8");
    assert.match(script, /uname -m/);
  });

  it("starts with the MIME headers AWS Batch expects and ends with the closing boundary", function () {
    const document = renderUserData({ storage: "gp3" });
    assert.ok(
      document.startsWith(
        'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="==NEXTFLOW-BATCH-BOOTSTRAP=="\n\n',
      ),
    );
    assert.ok(document.endsWith("\n--==NEXTFLOW-BATCH-BOOTSTRAP==--\n"));
  });

  it("rejects an unknown storage with a clear message", function () {
    assert.throws(
      () => renderUserData({ storage: "nvme" as HostStorageKind }),
      /userData: storage must be "gp3" or "instanceStore"; got "nvme"/,
    );
  });

  it("the schema check used above does catch an invalid cloud-config part", function () {
    // The inspection validates any text/cloud-config part with cloud-init's schema; prove the
    // check is live, so a cloud-config part added later cannot slip through.
    const document = [
      'MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary="B"\n',
      '--B\nContent-Type: text/cloud-config; charset="us-ascii"\nContent-Disposition: attachment; filename="good.yaml"\n',
      "#cloud-config\nwrite_files:\n- path: /etc/ecs/ecs.config\n  content: X=1\n  append: true",
      '--B\nContent-Type: text/cloud-config; charset="us-ascii"\nContent-Disposition: attachment; filename="bad.yaml"\n',
      "#cloud-config\nwrite_files:\n- path: /etc/ecs/ecs.config\n  append: maybe",
      "--B--\n",
    ].join("\n");
    const schema = inspect(document).schema;
    assert.equal(schema["good.yaml"], null);
    assert.match(schema["bad.yaml"] ?? "", /write_files\.0\.append: 'maybe' is not of type 'boolean'/);
  });
});

describe("bootstrap: AWS CLI path contract", function () {
  it("aws.batch.cliPath's grandparent is the install dir, its own directory outside /usr", function () {
    assert.equal(path.posix.dirname(path.posix.dirname(AWS_CLI_PATH)), AWS_CLI_INSTALL_DIR);
    const installDir: string = AWS_CLI_INSTALL_DIR;
    assert.ok(installDir !== "/usr" && !installDir.startsWith("/usr/"), installDir);
  });

  it("the install script's defaults match AWS_CLI_INSTALL_DIR and AWS_CLI_PATH", function () {
    const script = fs.readFileSync(path.join(BOOTSTRAP_DIR, "install-aws-cli.sh"), "utf8");
    assert.ok(script.includes(`DIR="\${NFB_AWS_CLI_INSTALL_DIR:-${AWS_CLI_INSTALL_DIR}}"\n`));
    assert.ok(script.includes(`AWS="\${DIR}/bin/aws"\n`));
    assert.equal(`${AWS_CLI_INSTALL_DIR}/bin/aws`, AWS_CLI_PATH);
    assert.ok(script.includes(`--install-dir "\${DIR}" --bin-dir "\${DIR}/bin" --update`));
  });
});

describe("bootstrap: shellcheck", function () {
  before(function () {
    requireTools([{ command: "shellcheck", debianPackage: "shellcheck" }]);
  });

  const scripts = fs
    .readdirSync(BOOTSTRAP_DIR)
    .filter((name) => name.endsWith(".sh"))
    .sort();

  it("every script in hosts/bootstrap is a user-data part (none orphaned)", function () {
    const used = new Set(userDataParts({ storage: "instanceStore" }).map((p) => p.filename));
    assert.deepEqual(scripts, [...used].sort());
  });

  // Severity "style" is the lowest, so every default check applies (error, warning, info
  // and style). Optional checks (-o) are not enabled.
  for (const script of [
    ...scripts.map((name) => path.join(BOOTSTRAP_DIR, name)),
    ...["mdadm-shim.sh", "boot-storage.sh", "fake-awscli/aws/install", "fake-awscli/aws/dist/aws"].map(
      (name) => path.join(FIXTURE_DIR, name),
    ),
  ]) {
    it(`passes shellcheck --severity=style: ${path.relative(path.join(__dirname, "..", ".."), script)}`, function () {
      const result = run("shellcheck", ["--severity=style", "--format=gcc", script]);
      assert.equal(result.status, 0, result.stdout + result.stderr);
    });
  }
});

describe("bootstrap: ECS agent settings script", function () {
  let tmp: string;
  beforeEach(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-ecs-"));
  });
  afterEach(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  function configure(config: string): void {
    runOk("bash", [path.join(BOOTSTRAP_DIR, "ecs-agent-config.sh")], {
      env: { ...process.env, NFB_ECS_CONFIG: config, NFB_LOG_FILE: path.join(tmp, "bootstrap.log") },
    });
  }

  const OURS = [
    "ECS_IMAGE_PULL_BEHAVIOR=prefer-cached",
    "ECS_ENABLE_SPOT_INSTANCE_DRAINING=true",
    "ECS_CONTAINER_STOP_TIMEOUT=90s",
    "ECS_ENGINE_TASK_CLEANUP_WAIT_DURATION=10m",
    "ECS_ENABLE_CONTAINER_METADATA=true",
  ];

  it("creates the file (and its directory) with exactly our settings", function () {
    const config = path.join(tmp, "etc", "ecs", "ecs.config");
    configure(config);
    assert.equal(fs.readFileSync(config, "utf8"), OURS.join("\n") + "\n");
  });

  it("keeps other lines (ECS_CLUSTER from Batch), replaces an old value, and a rerun changes nothing", function () {
    const config = path.join(tmp, "ecs.config");
    // Duplicated key with other values, and a last line without its newline.
    fs.writeFileSync(
      config,
      "ECS_CLUSTER=AWSBatch-lab\nECS_IMAGE_PULL_BEHAVIOR=default\nECS_LOGLEVEL=info\nECS_IMAGE_PULL_BEHAVIOR=always",
      { mode: 0o640 },
    );
    configure(config);
    const first = fs.readFileSync(config, "utf8");
    assert.equal(
      first,
      [
        "ECS_CLUSTER=AWSBatch-lab",
        "ECS_IMAGE_PULL_BEHAVIOR=prefer-cached",
        "ECS_LOGLEVEL=info",
        ...OURS.slice(1),
      ].join("\n") + "\n",
    );
    assert.equal(fs.statSync(config).mode & 0o777, 0o640, "keeps the file's mode");
    configure(config); // the next boot
    assert.equal(fs.readFileSync(config, "utf8"), first);
  });

  it("never sets ECS_CLUSTER (AWS Batch sets it in its own part)", function () {
    const script = fs.readFileSync(path.join(BOOTSTRAP_DIR, "ecs-agent-config.sh"), "utf8");
    assert.doesNotMatch(script, /^\s*ECS_CLUSTER=/m);
    const config = path.join(tmp, "ecs.config");
    configure(config);
    assert.doesNotMatch(fs.readFileSync(config, "utf8"), /ECS_CLUSTER/);
  });
});
