import * as assert from "node:assert/strict";
import { gp3MonthlyUsd } from "../../hosts/gp3";
import { launchableTypes, rootVolumePlan } from "../../hosts/rootVolumes";
import { gp3Fit, hostIoTable, MB_PER_MIB, renderHostIoTable, type HostIoInput } from "../../reports/hostIo";
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

const SEED = { rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 };
const perHour = (v: { rootVolumeGiB: number; iops: number; throughputMiBps: number }) =>
  gp3MonthlyUsd(v) / 730;

describe("host I/O and cost table", () => {
  it("converts MiB/s to MB/s with 1 MiB/s = 1.048576 MB/s", () => {
    assert.equal(MB_PER_MIB, 1.048576);
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

  it("m5.large: its own 100 GiB / 3600 IOPS / 125 MiB/s volume, all paid I/O usable, 15.7% of the instance price", () => {
    const row = hostIoTable(presetInput("m5-gp3")).rows.find((r) => r.instanceType === "m5.large")!;
    const volume = { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 };
    assert.deepEqual(row, {
      instanceType: "m5.large",
      vcpus: 2,
      memoryMiB: 8192,
      volume,
      storageUsdPerHour: perHour(volume),
      instanceUsdPerHour: 0.096,
      storageShareOfInstance: perHour(volume) / 0.096,
      gp3: {
        // The link limits throughput at baseline; the free 125 MiB/s (131 MB/s) at burst.
        baseline: {
          throughputMBps: 81.25,
          iops: 3600,
          throughputLimitedBy: "instance",
          iopsLimitedBy: "volume",
        },
        burst: {
          throughputMBps: 131.072,
          iops: 3600,
          throughputLimitedBy: "volume",
          iopsLimitedBy: "volume",
        },
        paidUsableAtBaseline: 1,
        paysForUnusableIo: false,
      },
    });
    assert.equal(perHour(volume), 11 / 730);
    assert.equal((100 * row.storageShareOfInstance!).toFixed(1), "15.7");
  });

  it("m5.12xlarge keeps the seed: 1000 GiB at 16000 IOPS and 1000 MiB/s (1048.576 MB/s), $0.2466 per host-hour", () => {
    const row = hostIoTable(presetInput("m5-gp3")).rows.find((r) => r.instanceType === "m5.12xlarge")!;
    const volume = {
      throughputMBps: 1048.576,
      iops: 16000,
      throughputLimitedBy: "volume",
      iopsLimitedBy: "volume",
    };
    assert.deepEqual(row.volume, SEED);
    assert.deepEqual(row.gp3, {
      baseline: volume,
      burst: volume,
      paidUsableAtBaseline: 1,
      paysForUnusableIo: false,
    });
    assert.equal(row.storageUsdPerHour, 180 / 730);
    assert.equal(row.storageUsdPerHour.toFixed(4), "0.2466");
    assert.equal(row.instanceStore, undefined);
  });

  it("judges the old one-size seed the same way: on m5.large almost nothing paid is usable, and 5 of 9 m5 sizes pay for throughput their link never carries", () => {
    const m5large = gp3Fit(lookupInstanceType("m5.large")!, SEED)!;
    // 875 MiB/s paid above the free 125, none of it carried (81.25 MB/s < 131 MB/s free).
    assert.equal(m5large.paidUsableAtBaseline, 0);
    assert.equal(m5large.paysForUnusableIo, true);
    const before = launchableTypes(["m5"]).types.filter((t) => gp3Fit(t, SEED)!.paysForUnusableIo);
    assert.deepEqual(
      before.map((t) => t.instanceType),
      ["m5.large", "m5.xlarge", "m5.2xlarge", "m5.4xlarge", "m5.8xlarge"],
    );
    // c6a links burst to 1250 MB/s, so the seed was never above their maximum, only their baseline.
    const c6a = launchableTypes(["c6a"]).types.map((t) => gp3Fit(t, SEED)!);
    assert.equal(c6a.filter((f) => f.paysForUnusableIo).length, 0);
    assert.equal(c6a.filter((f) => f.paidUsableAtBaseline < 1).length, 4);
  });

  it("after: every size of both gp3 presets uses all the I/O it pays for", () => {
    for (const p of ["m5-gp3", "c6a-gp3"] as const) {
      for (const r of hostIoTable(presetInput(p)).rows) {
        assert.equal(r.gp3!.paysForUnusableIo, false, r.instanceType);
        assert.equal(r.gp3!.paidUsableAtBaseline, 1, r.instanceType);
      }
    }
  });

  it("carries the launch templates the volumes come from", () => {
    const t = hostIoTable(presetInput("c6a-gp3"));
    assert.deepEqual(t.launchTemplates, rootVolumePlan(["c6a"], PRESETS["c6a-gp3"].storage));
  });

  it("shows m5d's NVMe instance-store disks and no invented throughput; the OS-only root volume costs $8 a month", () => {
    const t = hostIoTable(presetInput("m5d-nvme"));
    assert.equal(t.rows.length, 9);
    const row = (n: string) => t.rows.find((r) => r.instanceType === n)!;
    assert.deepEqual(row("m5d.8xlarge"), {
      instanceType: "m5d.8xlarge",
      vcpus: 32,
      memoryMiB: 131072,
      volume: { rootVolumeGiB: 100, iops: 3000, throughputMiBps: 125 },
      storageUsdPerHour: 8 / 730,
      instanceUsdPerHour: 1.808,
      storageShareOfInstance: 8 / 730 / 1.808,
      instanceStore: { disks: [{ count: 2, sizeGB: 600, type: "ssd" }], totalGB: 1200, nvme: "required" },
    });
    assert.deepEqual(row("m5d.large").instanceStore, {
      disks: [{ count: 1, sizeGB: 75, type: "ssd" }],
      totalGB: 75,
      nvme: "required",
    });
    assert.ok(t.rows.every((r) => r.gp3 === undefined && r.storageUsdPerHour === 8 / 730));
    assert.deepEqual(t.launchTemplates.overrides, []);
    assert.deepEqual(t.warnings, []);
    const lines = renderHostIoTable(t);
    assert.equal(
      lines[0],
      "Docker data on NVMe instance store; every size gets the same 100 GiB 3000 IOPS 125 MiB/s OS-only root volume: storage $0.0110 per host-hour, at most 9.7% of the instance's on-demand price (m5d.large).",
    );
    assert.equal(
      lines[1],
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

  it("leaves the share out for a size it has no price for", () => {
    const row = hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["r5.large"] }).rows[0];
    assert.equal(row.instanceUsdPerHour, undefined);
    assert.equal(row.storageShareOfInstance, undefined);
    assert.deepEqual(row.volume, { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 });
  });

  describe("summary line", () => {
    it("m5-gp3: volumes, templates, cost range, worst share, no waste", () => {
      assert.equal(
        hostIoTable(presetInput("m5-gp3")).summary,
        "Root volumes matched to 9 sizes (6 launch templates, 100-1000 GiB): storage $0.0151-$0.2466 per host-hour, at most 21.8% of the instance's on-demand price (m5.2xlarge); no size pays for I/O its EBS link cannot carry.",
      );
    });

    it("c6a-gp3: the worst size is c6a.2xlarge at 27.8%", () => {
      assert.equal(
        hostIoTable(presetInput("c6a-gp3")).summary,
        "Root volumes matched to 11 sizes (5 launch templates, 100-1000 GiB): storage $0.0151-$0.2466 per host-hour, at most 27.8% of the instance's on-demand price (c6a.2xlarge); no size pays for I/O its EBS link cannot carry.",
      );
    });

    it("says how many sizes it could not price", () => {
      assert.match(
        hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m5.large", "r5.large"] }).summary,
        /at most 15\.7% of the instance's on-demand price \(m5\.large\); 1 sizes unpriced;/,
      );
      assert.match(
        hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["r5"] }).summary,
        /instance prices unknown for these sizes;/,
      );
    });
  });

  describe("warnings", () => {
    it("none for the presets", () => {
      for (const p of ["m5-gp3", "m5d-nvme", "c6a-gp3"] as const)
        assert.deepEqual(hostIoTable(presetInput(p)).warnings, []);
    });

    it("names a size whose volume costs more than 30% of the instance", () => {
      // A 16 TiB seed: the sizes that carry its I/O get all of its capacity too.
      const big = { kind: "gp3", rootVolumeGiB: 16384, iops: 16000, throughputMiBps: 1000 } as const;
      const t = hostIoTable({ instanceTypes: ["m5.12xlarge"], storage: big, region: "us-east-1" });
      assert.deepEqual(t.warnings, [
        "the root volume costs more than 30.0% of the instance's on-demand price on m5.12xlarge (83.9%). Fix: drop those sizes from instanceTypes",
      ]);
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
    it("starts with the summary, then a header and one aligned line per size, marking figures the volume limits", () => {
      const lines = renderHostIoTable(hostIoTable(presetInput("m5-gp3")));
      assert.equal(lines[0], hostIoTable(presetInput("m5-gp3")).summary);
      assert.deepEqual(lines.slice(1, 4), [
        "instance type  vCPUs  memory GiB                     root volume  MB/s base  MB/s burst  IOPS base  IOPS burst  paid I/O usable  storage $/host-h  share of instance $",
        "m5.large           2           8     100 GiB 3600 IOPS 125 MiB/s         81        131*      3600*       3600*             100%           $0.0151                15.7%",
        "m5.xlarge          4          16     100 GiB 6000 IOPS 137 MiB/s       144*        144*      6000*       6000*             100%           $0.0322                16.8%",
      ]);
      assert.equal(
        lines[7],
        "m5.12xlarge       48         192  1000 GiB 16000 IOPS 1000 MiB/s      1049*       1049*     16000*      16000*             100%           $0.2466                10.7%",
      );
      // Every row ends where the header ends: aligned columns.
      for (const l of lines.slice(1, 11)) assert.equal(l.length, lines[1].length, l);
    });

    it("shows n/a where a size is not EBS-optimized or not priced", () => {
      const lines = renderHostIoTable(
        hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m1.small", "m5.large"] }),
      );
      assert.match(
        lines.find((l) => l.startsWith("m1.small"))!,
        /125 MiB\/s\s+n\/a\s+n\/a\s+n\/a\s+n\/a\s+n\/a\s+\$0\.0110\s+n\/a$/,
      );
    });

    it("footnotes both price sources, dates and region, and says when the stack's region differs", () => {
      const same = renderHostIoTable(hostIoTable(presetInput("m5-gp3")));
      assert.ok(
        same.includes(
          "Storage cost: gp3 list prices for us-east-1 as of 2026-11 (aws.amazon.com/ebs/pricing): $0.080/GiB-month, $0.005/IOPS-month above 3000, $0.040/MiB/s-month above 125; a month is 730 h.",
        ),
      );
      const instanceLine =
        "Instance prices: us-east-1 Linux on-demand as of 2026-01-19 (AWS Price List API via github.com/aws/karpenter-provider-aws pkg/providers/pricing/zz_generated.pricing_aws.go); only the presets' m5, m5d and c6a sizes are priced.";
      assert.ok(same.includes(instanceLine));
      const other = renderHostIoTable(hostIoTable(presetInput("m5-gp3", "eu-west-1")));
      assert.ok(other.includes(`${instanceLine} eu-west-1 prices differ from us-east-1 by a few percent.`));
    });

    it("appends the warnings as warning: lines", () => {
      const lines = renderHostIoTable(
        hostIoTable({ ...presetInput("m5-gp3"), instanceTypes: ["m5.large", "m9z"] }),
      );
      assert.deepEqual(
        lines.filter((l) => l.startsWith("warning: ")),
        ['warning: "m9z" is not an instance family or size in the instance catalog: no row for it'],
      );
    });
  });
});
