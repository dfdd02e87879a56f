// Host bootstrap: the EC2 user data every Batch host boots with, assembled as a MIME
// multi-part document from the shell scripts kept next to this file (so they can be
// linted with shellcheck and run by tests as they are). Pure: no Pulumi resources; the only
// I/O is reading those scripts.
//
// Why each part has the content type it has (boot order on the ECS-optimized AL2023 image:
// docker and ecs units wait for cloud-init; see README.md in this folder for the details):
// - instance-store.sh, text/cloud-boothook: boothooks run early in cloud-init's init stage
//   on every boot, so /var/lib/docker is mounted before Docker first starts, and again
//   after a reboot. No fstab entry (the script itself is the reboot path).
// - ecs-agent-config.sh, text/cloud-boothook: /etc/ecs/ecs.config must be complete before
//   the ECS agent starts; idempotent, so running on every boot is harmless.
// - install-aws-cli.sh, text/x-shellscript: runs late (cloud-final), once per instance; it
//   needs the network, not an early slot, and the ECS agent starts after it.
//
// The document does not depend on the CPU architecture: the CLI installer picks the x86_64 or
// aarch64 bundle from `uname -m` on the host, which cannot disagree with the instance it runs
// on (a baked-in value could, and would install a CLI that cannot execute).
import * as fs from "node:fs";
import * as path from "node:path";
import type { HostStorageKind } from "../../presets";

/** Where the self-contained AWS CLI v2 is installed on every host. Nextflow mounts the grandparent of aws.batch.cliPath into task containers, so it must be its own directory, not under /usr. */
export const AWS_CLI_INSTALL_DIR = "/opt/aws-cli";
/** The value for Nextflow's aws.batch.cliPath: the installer's `bin` link in that directory. */
export const AWS_CLI_PATH = path.posix.join(AWS_CLI_INSTALL_DIR, "bin", "aws");

export interface UserDataOptions {
  /**
   * Where Docker keeps images and container layers. `"gp3"`: the (big gp3) root volume, used
   * as is. `"instanceStore"`: the instance's NVMe instance-store disks, striped as RAID0 when
   * there are several, mounted at /var/lib/docker before Docker starts.
   */
  readonly storage: HostStorageKind;
}

/** The MIME content types cloud-init acts on that this bootstrap uses. */
export type UserDataContentType = "text/cloud-boothook" | "text/x-shellscript";

/** One part of the multi-part document. */
export interface UserDataPart {
  /** How cloud-init runs the part (see the top of this file). */
  readonly contentType: UserDataContentType;
  /** The script's file name in hosts/bootstrap, also the part's attachment filename. */
  readonly filename: string;
  /** The script, byte for byte as in its file. */
  readonly body: string;
}

/**
 * EC2 limits user data to 16 KB before base64 encoding ("Work with instance user data",
 * EC2 User Guide), and AWS Batch merges its own part (ECS_CLUSTER) into ours, so we keep
 * 2 KiB of headroom for it.
 */
export const MAX_USER_DATA_BYTES = 16 * 1024 - 2 * 1024;

// Fixed, so that rendering is deterministic and `pulumi preview` shows no diff.
const BOUNDARY = "==NEXTFLOW-BATCH-BOOTSTRAP==";

const SCRIPT_DIR = __dirname;

const INSTANCE_STORE = { contentType: "text/cloud-boothook", filename: "instance-store.sh" } as const;
const ECS_AGENT_CONFIG = { contentType: "text/cloud-boothook", filename: "ecs-agent-config.sh" } as const;
const AWS_CLI = { contentType: "text/x-shellscript", filename: "install-aws-cli.sh" } as const;

function partsFor(storage: HostStorageKind): ReadonlyArray<Omit<UserDataPart, "body">> {
  switch (storage) {
    case "gp3":
      return [ECS_AGENT_CONFIG, AWS_CLI];
    case "instanceStore":
      // Storage first: the disks must be mounted before anything uses /var/lib/docker.
      return [INSTANCE_STORE, ECS_AGENT_CONFIG, AWS_CLI];
    default: {
      const never: never = storage;
      throw new Error(`userData: storage must be "gp3" or "instanceStore"; got ${JSON.stringify(never)}`);
    }
  }
}

function readScript(filename: string): string {
  const body = fs.readFileSync(path.join(SCRIPT_DIR, filename), "utf8");
  // The parts are declared 7bit us-ascii; anything else would need another encoding.
  // eslint-disable-next-line no-control-regex
  if (/[^\x09\x0a\x20-\x7e]/.test(body)) {
    throw new Error(`userData: ${filename} must be plain ASCII without CR or control characters`);
  }
  if (body.split("\n").some((line) => line.length > 998)) {
    throw new Error(`userData: ${filename} has a line over 998 characters, the MIME 7bit limit`);
  }
  if (body.includes(BOUNDARY)) {
    throw new Error(`userData: ${filename} contains the MIME boundary ${BOUNDARY}`);
  }
  if (!body.endsWith("\n")) {
    throw new Error(`userData: ${filename} must end with a newline`);
  }
  return body;
}

/** Ordered parts (content type + body + filename) — for tests and docs. */
export function userDataParts(opts: UserDataOptions): UserDataPart[] {
  return partsFor(opts.storage).map((part) => ({ ...part, body: readScript(part.filename) }));
}

/** The complete MIME multi-part document (plain text, NOT base64; the caller base64-encodes it for the launch template). Deterministic: a fixed boundary, no dates, so `pulumi preview` shows no diff between runs. */
export function renderUserData(opts: UserDataOptions): string {
  const sections = userDataParts(opts).map(
    (part) =>
      `--${BOUNDARY}\n` +
      `Content-Type: ${part.contentType}; charset="us-ascii"\n` +
      `MIME-Version: 1.0\n` +
      `Content-Transfer-Encoding: 7bit\n` +
      `Content-Disposition: attachment; filename="${part.filename}"\n` +
      `\n` +
      // The line break before the next boundary belongs to the boundary, not to the body:
      // the body keeps its own final newline.
      `${part.body}\n`,
  );
  const document =
    `MIME-Version: 1.0\n` +
    `Content-Type: multipart/mixed; boundary="${BOUNDARY}"\n` +
    `\n` +
    sections.join("") +
    `--${BOUNDARY}--\n`;
  const bytes = Buffer.byteLength(document, "utf8");
  if (bytes > MAX_USER_DATA_BYTES) {
    throw new Error(
      `userData: the document is ${bytes} bytes; it must stay under ${MAX_USER_DATA_BYTES} ` +
        `(EC2's 16 KB user-data limit minus room for AWS Batch's part). Shorten the scripts.`,
    );
  }
  return document;
}
