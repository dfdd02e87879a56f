// The instance-store script, run for real: loop devices stand in for NVMe disks, found
// through a fake /dev/disk/by-id; real mkfs.xfs and mount, inside `unshare --mount` so no
// mount reaches the host. The kernel here has no md driver, so mdadm is a shim that records
// its arguments and hands back a spare loop device as "the array".
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { BOOTSTRAP_DIR, FIXTURE_DIR, requireRoot, requireTools, run, runOk } from "./helpers";

const SCRIPT = path.join(BOOTSTRAP_DIR, "instance-store.sh");
// XFS needs about 300 MiB per filesystem; the files are sparse, so this costs no disk.
const DISK_BYTES = 320 * 1024 * 1024;
const INSTANCE_STORE = "nvme-Amazon_EC2_NVMe_Instance_Storage_";
const EBS = "nvme-Amazon_Elastic_Block_Store_";

/** What one boot (test/fixtures/bootstrap/boot-storage.sh) reported. */
type Boot = Record<string, string> & { exit: string; mounted: string };

function loopNumber(device: string): number {
  return Number(/(\d+)$/.exec(device)?.[1] ?? NaN);
}

describe("bootstrap: instance-store storage script (loop devices, real mkfs.xfs and mount)", function () {
  this.timeout(60_000);

  let root: string;
  let loops: string[] = [];

  before(function () {
    requireRoot("it attaches loop devices, runs mkfs.xfs and mounts in a private mount namespace");
    requireTools([
      { command: "losetup", debianPackage: "mount" },
      { command: "mount", debianPackage: "mount" },
      { command: "umount", debianPackage: "mount" },
      { command: "unshare", debianPackage: "util-linux" },
      { command: "blkid", debianPackage: "util-linux" },
      { command: "findmnt", debianPackage: "util-linux" },
      { command: "mountpoint", debianPackage: "util-linux" },
      { command: "mkfs.xfs", debianPackage: "xfsprogs" },
      { command: "xfs_info", debianPackage: "xfsprogs" },
      { command: "mkswap", debianPackage: "util-linux" },
    ]);
    root = fs.mkdtempSync(path.join(os.tmpdir(), "nfb-storage-"));
  });

  afterEach(function () {
    // Always detach, even when the case failed half way.
    for (const loop of loops) {
      run("losetup", ["--detach", loop]);
    }
    loops = [];
  });

  after(function () {
    if (root) {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  /** A fresh directory laid out like one host. */
  function host(name: string) {
    const dir = path.join(root, name);
    const byId = path.join(dir, "by-id");
    const bin = path.join(dir, "bin");
    fs.mkdirSync(byId, { recursive: true });
    fs.mkdirSync(bin);
    fs.copyFileSync(path.join(FIXTURE_DIR, "mdadm-shim.sh"), path.join(bin, "mdadm"));
    fs.chmodSync(path.join(bin, "mdadm"), 0o755);
    return {
      dir,
      byId,
      target: path.join(dir, "var-lib-docker"),
      md: path.join(dir, "md0"),
      log: path.join(dir, "bootstrap.log"),
      mdadmLog: path.join(dir, "mdadm.log"),
      bin,
    };
  }
  type Host = ReturnType<typeof host>;

  function attachDisk(h: Host, name: string): string {
    const file = path.join(h.dir, `${name}.img`);
    const fd = fs.openSync(file, "w");
    fs.ftruncateSync(fd, DISK_BYTES);
    fs.closeSync(fd);
    const device = runOk("losetup", ["--find", "--show", file]).trim();
    loops.push(device);
    return device;
  }

  /** The links udev makes for one NVMe disk: the disk, its "_1" namespace twin, a partition. */
  function linkDisk(h: Host, prefix: string, serial: string, device: string, partition: string): void {
    fs.symlinkSync(device, path.join(h.byId, `${prefix}${serial}`));
    fs.symlinkSync(device, path.join(h.byId, `${prefix}${serial}_1`));
    fs.symlinkSync(partition, path.join(h.byId, `${prefix}${serial}-part1`));
  }

  /** An EBS volume with a filesystem on it, which the script must never touch. */
  function ebsVolume(h: Host) {
    const device = attachDisk(h, "ebs");
    runOk("mkfs.xfs", ["-q", "-L", "ebs-root", device]);
    linkDisk(h, EBS, "vol0123456789abcdef0", device, device);
    return { device, fingerprint: ebsFingerprint(h, device) };
  }

  function signature(device: string): string {
    return run("blkid", ["-p", "-o", "value", "-s", "TYPE", device]).stdout.trim();
  }

  function uuid(device: string): string {
    return runOk("blkid", ["-p", "-o", "value", "-s", "UUID", device]).trim();
  }

  /** One boot: the script, then report + write/read, then unmount; in its own mount namespace. */
  function boot(h: Host, spare: string | undefined, action: "write" | "read", content = ""): Boot {
    const result = run(
      "unshare",
      [
        "--mount",
        "--propagation",
        "private",
        "bash",
        path.join(FIXTURE_DIR, "boot-storage.sh"),
        SCRIPT,
        h.target,
        action,
        "written-by-test",
        content,
      ],
      {
        env: {
          ...process.env,
          PATH: `${h.bin}:${process.env.PATH ?? "/usr/sbin:/usr/bin:/sbin:/bin"}`,
          NFB_BY_ID_DIR: h.byId,
          NFB_MOUNT_POINT: h.target,
          NFB_MD_DEVICE: h.md,
          NFB_LOG_FILE: h.log,
          NFB_CONSOLE: "/dev/null",
          NFB_MANAGE_SERVICES: "0",
          NFB_RETRY_DELAY_SECONDS: "0",
          NFB_TEST_MDADM_LOG: h.mdadmLog,
          NFB_TEST_MDADM_SPARE: spare ?? "/nonexistent-spare",
        },
      },
    );
    assert.equal(result.status, 0, `boot-storage.sh failed:\n${result.stdout}\n${result.stderr}`);
    const report: Record<string, string> = {};
    for (const line of result.stdout.split("\n")) {
      const eq = line.indexOf("=");
      if (eq > 0) {
        report[line.slice(0, eq)] = line.slice(eq + 1);
      }
    }
    report.stderr = result.stderr;
    return report as Boot;
  }

  function mdadmCalls(h: Host): string[] {
    return fs.existsSync(h.mdadmLog) ? fs.readFileSync(h.mdadmLog, "utf8").trim().split("\n") : [];
  }

  function assertMountedXfs(b: Boot, device: string): void {
    assert.equal(b.exit, "0", b.stderr);
    assert.equal(b.mounted, "yes", b.stderr);
    assert.equal(fs.realpathSync(b.source), fs.realpathSync(device));
    assert.equal(b.fstype, "xfs");
    assert.ok(b.options.split(",").includes("noatime"), b.options);
    assert.equal(b.ftype, "ftype=1", "overlay2 needs ftype=1");
  }

  /** Sets up EBS + n instance-store disks, with link names sorting opposite to the devices. */
  function setup(name: string, count: number) {
    const h = host(name);
    const ebs = ebsVolume(h);
    const disks: string[] = [];
    for (let i = 0; i < count; i++) {
      disks.push(attachDisk(h, `store${i}`));
    }
    // Serials count down, so the by-id links list the disks in reverse: the script must
    // order the RAID members by device, not by link name.
    disks.forEach((device, i) =>
      linkDisk(h, INSTANCE_STORE, `AWS${9 - i}1234567890ABCDEF`, device, ebs.device),
    );
    const spare = count >= 2 ? attachDisk(h, "spare") : undefined;
    const sorted = [...disks].sort((a, b) => loopNumber(a) - loopNumber(b));
    return { h, ebs, disks: sorted, spare };
  }

  function ebsUntouched(h: Host, ebs: { device: string; fingerprint: string }): void {
    assert.equal(signature(ebs.device), "xfs");
    assert.equal(ebsFingerprint(h, ebs.device), ebs.fingerprint, "the EBS volume was modified");
  }

  function ebsFingerprint(h: Host, device: string): string {
    const image = fs.readFileSync(path.join(h.dir, "ebs.img"));
    return `${uuid(device)}:${createHash("sha256").update(image).digest("hex")}`;
  }

  it("0 instance-store disks: logs it, leaves Docker on the root volume, exits 0", function () {
    const { h, ebs } = setup("zero", 0);
    const b = boot(h, undefined, "write", "x");
    assert.equal(b.exit, "0", b.stderr);
    assert.equal(b.mounted, "no");
    assert.match(fs.readFileSync(h.log, "utf8"), /no instance-store disks .*Docker stays on the root volume/);
    assert.deepEqual(mdadmCalls(h), []);
    ebsUntouched(h, ebs);
  });

  it("1 disk: XFS directly on the disk, no mdadm; a reboot reuses it and keeps the data", function () {
    const { h, ebs, disks } = setup("one", 1);
    const first = boot(h, undefined, "write", "survives reboot");
    assertMountedXfs(first, disks[0]);
    const fsUuid = uuid(disks[0]);

    const second = boot(h, undefined, "read");
    assertMountedXfs(second, disks[0]);
    assert.equal(second.content, "survives reboot");
    assert.equal(uuid(disks[0]), fsUuid, "the filesystem was recreated");
    assert.match(fs.readFileSync(h.log, "utf8"), /reusing the XFS filesystem/);
    assert.deepEqual(mdadmCalls(h), []);
    ebsUntouched(h, ebs);
  });

  for (const count of [2, 4]) {
    it(`${count} disks: RAID0 over all of them in device order; a reboot assembles it, no mkfs`, function () {
      const { h, ebs, disks, spare } = setup(`raid${count}`, count);
      assert.ok(spare);
      const members = disks.join(" ");

      const first = boot(h, spare, "write", `striped over ${count}`);
      assertMountedXfs(first, spare);
      assert.deepEqual(mdadmCalls(h), [
        `--assemble ${h.md} ${members}`,
        `--create ${h.md} --level=0 --raid-devices=${count} --run ${members}`,
      ]);
      const fsUuid = uuid(spare);

      // Reboot: the md device node is gone until the array is assembled again.
      fs.unlinkSync(h.md);
      const second = boot(h, spare, "read");
      assertMountedXfs(second, spare);
      assert.equal(second.content, `striped over ${count}`);
      assert.deepEqual(mdadmCalls(h).slice(2), [`--assemble ${h.md} ${members}`]);
      assert.equal(uuid(spare), fsUuid, "the filesystem was recreated");
      for (const disk of disks) {
        assert.equal(signature(disk), "", `${disk} was formatted directly instead of through the array`);
      }
      ebsUntouched(h, ebs);
    });
  }

  it("refuses to format a disk that holds another signature, and says so", function () {
    const { h, ebs, disks } = setup("occupied", 1);
    runOk("mkswap", ["-L", "not-ours", disks[0]]);
    const b = boot(h, undefined, "write", "x");
    assert.equal(b.exit, "1");
    assert.equal(b.mounted, "no");
    assert.equal(signature(disks[0]), "swap");
    const log = fs.readFileSync(h.log, "utf8");
    assert.match(log, new RegExp(`ERROR: ${disks[0]} holds 'swap'; not formatting it`));
    assert.match(b.stderr, /Docker stays on the root volume/);
    ebsUntouched(h, ebs);
  });
});
