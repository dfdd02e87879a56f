import * as assert from "node:assert/strict";
import { hostIoTable, MB_PER_MIB, renderHostIoTable, type HostIoInput } from "../../reports/hostIo";
import { lookupInstanceType } from "../../policy/catalog";
import { PRESETS } from "../../presets";

const presetInput = (name: keyof typeof PRESETS, region = "us-east-1"): HostIoInput => ({
  instanceTypes: PRESETS[name].instanceTypes,
  storage: PRESETS[name].storage,
  region,
});

const M5_SIZES = [
  "m5.large",
  "m5.xlarge",
  "m5.2xlarge",
  "m5.4xlarge",
  "m5.8xlarge",
  "m5.12xlarge",
  "m5.16xlarge",
  "m5.24xlarge",
  "m5.metal",
];

describe("host I/O and cost table", () => {
  it("converts MiB/s to MB/s with 1 MiB/s = 1.048576 MB/s", () => {
    assert.equal(MB_PER_MIB, 1.048576);
    assert.equal(hostIoTable(presetInput("m5-gp3")).volumeThroughputMBps, 1048.576);
  });

  it("lists every size of the m5 family, metal included, in catalog order", () => {
    const t = hostIoTable(presetInput("m5-gp3"));
    assert.deepEqual(
      t.rows.map((r) => r.instanceType),
      M5_SIZES,
    );
    assert.deepEqual(t.unknown, []);
  });

  it("agrees with the catalog's EBS figures for m5.large and m5.12xlarge (the test's own premise)", () => {
    assert.deepEqual(lookupInstanceType("m5.large")!.ebs, {
      baselineBandwidthMbps: 650,
      maximumBandwidthMbps: 4750,
      baselineThroughputMBps: 81.25,
      maximumThroughputMBps: 593.75,
      baselineIops: 3600,
      maximumIops: 18750,
    });
    assert.equal(lookupInstanceType("m5.12xlarge")!.ebs!.baselineThroughputMBps, 1187.5);
  });

  it("gives m5.large what its EBS link carries: 81.25 MB/s baseline, 593.75 burst, IOPS capped by the volume at burst", () => {
    const row = hostIoTable(presetInput("m5-gp3")).rows.find((r) => r.instanceType === "m5.large")!;
    assert.deepEqual(row, {
      instanceType: "m5.large",
      vcpus: 2,
      memoryMiB: 8192,
      storageUsdPerHour: 180 / 730,
      gp3: {
        baseline: {
          throughputMBps: 81.25,
          iops: 3600,
          throughputLimitedBy: "instance",
          iopsLimitedBy: "instance",
        },
        burst: {
          throughputMBps: 593.75,
          iops: 16000,
          throughputLimitedBy: "instance",
          iopsLimitedBy: "volume",
        },
      },
    });
  });

  it("caps m5.12xlarge (1187.5 MB/s link) at the volume's 1048.576 MB/s and 16000 IOPS", () => {
    const row = hostIoTable(presetInput("m5-gp3")).rows.find((r) => r.instanceType === "m5.12xlarge")!;
    const volume = {
      throughputMBps: 1048.576,
      iops: 16000,
      throughputLimitedBy: "volume",
      iopsLimitedBy: "volume",
    };
    assert.deepEqual(row.gp3, { baseline: volume, burst: volume });
    assert.equal(row.vcpus, 48);
    assert.equal(row.memoryMiB, 196608);
    assert.equal(row.instanceStore, undefined);
  });

  it("prices 1000 GiB + 13000 extra IOPS + 875 extra MiB/s at $80 + $65 + $35 = $180 a month, $0.2466 per host-hour", () => {
    const t = hostIoTable(presetInput("m5-gp3"));
    assert.equal(t.storageUsdPerMonth, 180);
    assert.equal(t.storageUsdPerHour, 180 / 730);
    assert.equal(t.storageUsdPerHour.toFixed(4), "0.2466");
    assert.ok(t.rows.every((r) => r.storageUsdPerHour === 180 / 730));
  });

  it("shows m5d's NVMe instance-store disks and no invented throughput; the OS-only root volume costs $8 a month", () => {
    const t = hostIoTable(presetInput("m5d-nvme"));
    assert.equal(t.rows.length, 9);
    const row = (n: string) => t.rows.find((r) => r.instanceType === n)!;
    assert.deepEqual(row("m5d.8xlarge"), {
      instanceType: "m5d.8xlarge",
      vcpus: 32,
      memoryMiB: 131072,
      storageUsdPerHour: 8 / 730,
      instanceStore: { disks: [{ count: 2, sizeGB: 600, type: "ssd" }], totalGB: 1200, nvme: "required" },
    });
    assert.deepEqual(row("m5d.large").instanceStore, {
      disks: [{ count: 1, sizeGB: 75, type: "ssd" }],
      totalGB: 75,
      nvme: "required",
    });
    assert.ok(t.rows.every((r) => r.gp3 === undefined));
    assert.equal(t.storageUsdPerMonth, 8);
    assert.deepEqual(t.warnings, []);
    const lines = renderHostIoTable(t);
    assert.equal(
      lines[0],
      "instance type  vCPUs  memory GiB  instance store (RAID0 at /var/lib/docker)  root gp3 $/host-h",
    );
    assert.equal(
      lines.find((l) => l.startsWith("m5d.8xlarge")),
      "m5d.8xlarge       32         128              2 x 600 GB SSD = 1200 GB NVMe            $0.0110",
    );
    assert.ok(
      lines.includes(
        "AWS publishes no per-type instance-store throughput or IOPS in the DescribeInstanceTypes data, so none is shown.",
      ),
    );
  });

  it("takes sizes as given and de-duplicates a size its family repeats", () => {
    const t = hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m5.8xlarge", "m5"] });
    assert.deepEqual(
      t.rows.map((r) => r.instanceType),
      ["m5.8xlarge", ...M5_SIZES.filter((n) => n !== "m5.8xlarge")],
    );
  });

  describe("warnings", () => {
    // The rule: warn when strictly more than half of the sizes carry less than half of the
    // provisioned throughput (or IOPS) at EBS baseline.
    const table = [
      {
        name: "m5-gp3 preset (3 of 9 sizes below half the throughput, 2 of 9 below half the IOPS)",
        types: ["m5"],
        throughput: false,
        iops: false,
      },
      { name: "c6a-gp3 preset (3 of 11 below half)", types: ["c6a"], throughput: false, iops: false },
      {
        name: "exactly half the sizes short is not most",
        types: ["m5.large", "m5.12xlarge"],
        throughput: false,
        iops: false,
      },
      {
        name: "2 of 3 sizes short",
        types: ["m5.large", "m5.xlarge", "m5.12xlarge"],
        throughput: true,
        iops: true,
      },
      {
        name: "m5.2xlarge carries 288 MB/s (short) but 12000 IOPS (not short)",
        types: ["m5.2xlarge"],
        throughput: true,
        iops: false,
      },
    ];
    for (const c of table) {
      it(`${c.throughput || c.iops ? "warns" : "stays quiet"}: ${c.name}`, () => {
        const w = hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: c.types }).warnings;
        assert.equal(
          w.some((l) => l.includes("gp3 throughput")),
          c.throughput,
          w.join("\n"),
        );
        assert.equal(
          w.some((l) => l.includes("gp3 IOPS")),
          c.iops,
          w.join("\n"),
        );
      });
    }

    it("names each short size and what it carries", () => {
      const w = hostIoTable({
        ...presetInput("m5-gp3"),
        instanceTypes: ["m5.large", "m5.xlarge", "m5.12xlarge"],
      }).warnings;
      assert.deepEqual(w, [
        "most of the provisioned gp3 throughput is unusable: 2 of 3 sizes carry less than half of the 1049 MB/s (1000 MiB/s) provisioned at EBS baseline (m5.large carries 81 MB/s, m5.xlarge carries 144 MB/s). Fix: drop the small sizes from instanceTypes, or provision less",
        "most of the provisioned gp3 IOPS is unusable: 2 of 3 sizes carry less than half of the 16000 IOPS provisioned at EBS baseline (m5.large carries 3600 IOPS, m5.xlarge carries 6000 IOPS). Fix: drop the small sizes from instanceTypes, or provision less",
      ]);
    });

    it("never warns about gp3 waste for an instance-store preset", () => {
      assert.deepEqual(
        hostIoTable({ ...presetInput("m5d-nvme"), instanceTypes: ["m5d.large"] }).warnings,
        [],
      );
    });

    it("names an entry the catalog does not know", () => {
      const t = hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m5.8xlarge", "m9z"] });
      assert.deepEqual(t.unknown, ["m9z"]);
      assert.deepEqual(t.warnings, [
        '"m9z" is not an instance family or size in the instance catalog: no row for it',
      ]);
    });
  });

  describe("rendering", () => {
    it("aligns a header and one line per size, and marks figures the volume limits", () => {
      const lines = renderHostIoTable(hostIoTable(presetInput("m5-gp3")));
      assert.deepEqual(lines.slice(0, 3), [
        "instance type  vCPUs  memory GiB  MB/s base  MB/s burst  IOPS base  IOPS burst  % of vol MB/s  storage $/host-h",
        "m5.large           2           8         81         594       3600      16000*             8%           $0.2466",
        "m5.xlarge          4          16        144         594       6000      16000*            14%           $0.2466",
      ]);
      assert.equal(
        lines[6],
        "m5.12xlarge       48         192      1049*       1049*     16000*      16000*           100%           $0.2466",
      );
      // Every row ends where the header ends: aligned columns.
      for (const l of lines.slice(0, 10)) assert.equal(l.length, lines[0].length, l);
    });

    it("footnotes the price source, date and region, and says when the stack's region differs", () => {
      const same = renderHostIoTable(hostIoTable(presetInput("m5-gp3")));
      assert.ok(
        same.includes(
          "Storage cost: gp3 list prices for us-east-1 as of 2026-11 (aws.amazon.com/ebs/pricing): $0.080/GiB-month, $0.005/IOPS-month above 3000, $0.040/MiB/s-month above 125.",
        ),
      );
      assert.ok(
        same.includes("  $180.00/month / 730 h = $0.2466 per host-hour; instance prices not included."),
      );
      const other = renderHostIoTable(hostIoTable(presetInput("m5-gp3", "eu-west-1")));
      assert.ok(
        other.includes(
          "  $180.00/month / 730 h = $0.2466 per host-hour; instance prices not included. eu-west-1 prices differ from us-east-1 by a few percent.",
        ),
      );
    });

    it("appends the warnings as warning: lines", () => {
      const lines = renderHostIoTable(hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m5.large"] }));
      assert.deepEqual(
        lines.filter((l) => l.startsWith("warning: ")).map((l) => l.split(" is unusable: ")[0]),
        ["warning: most of the provisioned gp3 throughput", "warning: most of the provisioned gp3 IOPS"],
      );
    });
  });
});
