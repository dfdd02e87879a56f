// The per-size root volume rule, checked size by size for every gp3 preset against the instance
// catalog's EBS figures and the on-demand prices, and for every type in the catalog against
// gp3's own limits.
import assert from "node:assert/strict";
import { gp3MonthlyUsd, gp3Problems, GP3_LIMITS, HOURS_PER_MONTH, MB_PER_MIB } from "../../hosts/gp3";
import { onDemandUsdPerHour } from "../../hosts/instancePrices";
import {
  launchableTypes,
  launchTemplateOverrideProblems,
  linkCarries,
  MAX_LAUNCH_TEMPLATE_OVERRIDES,
  ROOT_VOLUME_RULE,
  rootVolumeFor,
  rootVolumePlan,
  STORAGE_SHARE_CEILING,
} from "../../hosts/rootVolumes";
import { allInstanceTypes, lookupInstanceType } from "../../policy/catalog";
import { PRESET_NAMES, PRESETS, type Gp3Volume, type PresetName } from "../../presets";

const GP3_PRESETS = PRESET_NAMES.filter((p) => PRESETS[p].storage.kind === "gp3");
const SEED = { rootVolumeGiB: 1000, iops: 16000, throughputMiBps: 1000 };

/** [size, GiB, IOPS, MiB/s, storage share of the on-demand price, %] for every size of a preset. */
type Row = [string, number, number, number, string];
const EXPECTED: Record<"m5-gp3" | "c6a-gp3", Row[]> = {
  "m5-gp3": [
    ["m5.large", 100, 3600, 125, "15.7"],
    ["m5.xlarge", 100, 6000, 137, "16.8"],
    ["m5.2xlarge", 128, 12000, 274, "21.8"],
    ["m5.4xlarge", 256, 16000, 566, "18.4"],
    ["m5.8xlarge", 512, 16000, 810, "11.9"],
    ["m5.12xlarge", 1000, 16000, 1000, "10.7"],
    ["m5.16xlarge", 1000, 16000, 1000, "8.0"],
    ["m5.24xlarge", 1000, 16000, 1000, "5.4"],
    ["m5.metal", 1000, 16000, 1000, "5.4"],
  ],
  "c6a-gp3": [
    ["c6a.large", 100, 3600, 125, "19.7"],
    ["c6a.xlarge", 100, 6000, 149, "21.5"],
    ["c6a.2xlarge", 128, 12000, 298, "27.8"],
    ["c6a.4xlarge", 256, 16000, 596, "23.4"],
    ["c6a.8xlarge", 1000, 16000, 1000, "20.1"],
    ["c6a.12xlarge", 1000, 16000, 1000, "13.4"],
    ["c6a.16xlarge", 1000, 16000, 1000, "10.1"],
    ["c6a.24xlarge", 1000, 16000, 1000, "6.7"],
    ["c6a.32xlarge", 1000, 16000, 1000, "5.0"],
    ["c6a.48xlarge", 1000, 16000, 1000, "3.4"],
    ["c6a.metal", 1000, 16000, 1000, "3.4"],
  ],
};

const share = (v: Gp3Volume, instanceType: string) =>
  gp3MonthlyUsd(v) / HOURS_PER_MONTH / onDemandUsdPerHour(instanceType)!;

describe("root volumes per instance size", () => {
  it("the gp3 presets are m5-gp3 and c6a-gp3, both seeded with 1000 GiB / 16000 IOPS / 1000 MiB/s", () => {
    assert.deepEqual(GP3_PRESETS, ["m5-gp3", "c6a-gp3"]);
    for (const p of GP3_PRESETS) {
      const { kind, ...volume } = PRESETS[p].storage;
      assert.equal(kind, "gp3");
      assert.deepEqual(volume, SEED);
    }
  });

  for (const preset of ["m5-gp3", "c6a-gp3"] as const) {
    describe(preset, () => {
      const storage = PRESETS[preset].storage;
      const sizes = launchableTypes(PRESETS[preset].instanceTypes).types;

      it("gives every size the volume in the table, with the storage share in the table", () => {
        assert.deepEqual(
          sizes.map((t) => {
            const v = rootVolumeFor(t, storage);
            return [
              t.instanceType,
              v.rootVolumeGiB,
              v.iops,
              v.throughputMiBps,
              (100 * share(v, t.instanceType)).toFixed(1),
            ];
          }),
          EXPECTED[preset],
        );
      });

      for (const t of sizes) {
        const v = rootVolumeFor(t, storage);
        const ebs = t.ebs!;
        const volumeMBps = v.throughputMiBps * MB_PER_MIB;
        const freeMBps = GP3_LIMITS.baselineThroughputMiBps * MB_PER_MIB;

        it(`${t.instanceType}: pays for no I/O above its EBS link's maximum (${ebs.maximumThroughputMBps} MB/s, ${ebs.maximumIops} IOPS) and none above its baseline`, () => {
          // Only gp3's free 3000 IOPS / 125 MiB/s may exceed a small link: they cost nothing.
          assert.ok(volumeMBps <= Math.max(freeMBps, ebs.maximumThroughputMBps), `${volumeMBps} MB/s`);
          assert.ok(v.iops <= Math.max(GP3_LIMITS.baselineIops, ebs.maximumIops), `${v.iops} IOPS`);
          assert.ok(volumeMBps <= Math.max(freeMBps, ebs.baselineThroughputMBps), `${volumeMBps} MB/s`);
          assert.ok(v.iops <= Math.max(GP3_LIMITS.baselineIops, ebs.baselineIops), `${v.iops} IOPS`);
        });

        it(`${t.instanceType}: provisions at least 90% of the lesser of its link's baseline and the seed`, () => {
          const wantMBps = 0.9 * Math.min(ebs.baselineThroughputMBps, SEED.throughputMiBps * MB_PER_MIB);
          const wantIops = 0.9 * Math.min(ebs.baselineIops, SEED.iops);
          assert.ok(volumeMBps >= wantMBps, `${volumeMBps} MB/s < ${wantMBps}`);
          assert.ok(v.iops >= wantIops, `${v.iops} IOPS < ${wantIops}`);
          // In fact all of it, to within the rounding to whole MiB/s.
          assert.ok(volumeMBps >= Math.min(ebs.baselineThroughputMBps, 1000 * MB_PER_MIB) - MB_PER_MIB);
          assert.equal(v.iops, Math.max(GP3_LIMITS.baselineIops, Math.min(ebs.baselineIops, SEED.iops)));
        });

        it(`${t.instanceType}: ${linkCarries(t, SEED) ? "its link carries the seed, so it keeps the seed exactly" : `capacity ${ROOT_VOLUME_RULE.gibPerVcpu} GiB x ${t.vcpus} vCPUs, within ${ROOT_VOLUME_RULE.minGiB}-1000 GiB`}`, () => {
          if (linkCarries(t, SEED)) assert.deepEqual(v, SEED);
          else
            assert.equal(
              v.rootVolumeGiB,
              Math.min(1000, Math.max(ROOT_VOLUME_RULE.minGiB, ROOT_VOLUME_RULE.gibPerVcpu * t.vcpus)),
            );
        });

        it(`${t.instanceType}: storage costs at most ${100 * STORAGE_SHARE_CEILING}% of its on-demand price, and the volume is valid gp3`, () => {
          assert.ok(share(v, t.instanceType) <= STORAGE_SHARE_CEILING, String(share(v, t.instanceType)));
          assert.deepEqual(gp3Problems(t.instanceType, v), []);
        });
      }
    });
  }

  it("the seed alone (before this rule) cost 257% of an m5.large and 322% of a c6a.large", () => {
    assert.equal((100 * share(SEED, "m5.large")).toFixed(0), "257");
    assert.equal((100 * share(SEED, "c6a.large")).toFixed(0), "322");
  });

  it("every type in the catalog gets a valid gp3 volume that pays for no I/O above its link's maximum", () => {
    const storage = PRESETS["m5-gp3"].storage;
    const types = allInstanceTypes();
    assert.ok(types.length > 1000);
    for (const t of types) {
      const v = rootVolumeFor(t, storage);
      assert.deepEqual(gp3Problems(t.instanceType, v), [], t.instanceType);
      if (t.ebs === undefined) {
        assert.equal(v.iops, GP3_LIMITS.baselineIops, t.instanceType);
        assert.equal(v.throughputMiBps, GP3_LIMITS.baselineThroughputMiBps, t.instanceType);
        continue;
      }
      assert.ok(
        v.throughputMiBps * MB_PER_MIB <=
          Math.max(GP3_LIMITS.baselineThroughputMiBps * MB_PER_MIB, t.ebs.maximumThroughputMBps),
        t.instanceType,
      );
      assert.ok(v.iops <= Math.max(GP3_LIMITS.baselineIops, t.ebs.maximumIops), t.instanceType);
    }
  });

  it("an instance-store preset gives every size its one OS-only volume", () => {
    const storage = PRESETS["m5d-nvme"].storage;
    for (const t of launchableTypes(["m5d"]).types) {
      assert.deepEqual(rootVolumeFor(t, storage), { rootVolumeGiB: 100, iops: 3000, throughputMiBps: 125 });
    }
  });

  it("never exceeds a smaller seed: a 50 GiB / 3000 IOPS / 125 MiB/s gp3 spec caps every size", () => {
    const small = { kind: "gp3", rootVolumeGiB: 50, iops: 3000, throughputMiBps: 125 } as const;
    assert.deepEqual(rootVolumeFor(lookupInstanceType("m5.xlarge")!, small), {
      rootVolumeGiB: 50,
      iops: 3000,
      throughputMiBps: 125,
    });
  });

  describe("launch templates (rootVolumePlan)", () => {
    const plan = (p: PresetName, types?: string[]) =>
      rootVolumePlan(types ?? PRESETS[p].instanceTypes, PRESETS[p].storage);

    it("m5-gp3: the seed is the default template (4 sizes), one override each for the 5 smaller sizes", () => {
      assert.deepEqual(plan("m5-gp3"), {
        default: { volume: SEED, instanceTypes: ["m5.12xlarge", "m5.16xlarge", "m5.24xlarge", "m5.metal"] },
        overrides: [
          { volume: { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 }, instanceTypes: ["m5.large"] },
          { volume: { rootVolumeGiB: 100, iops: 6000, throughputMiBps: 137 }, instanceTypes: ["m5.xlarge"] },
          {
            volume: { rootVolumeGiB: 128, iops: 12000, throughputMiBps: 274 },
            instanceTypes: ["m5.2xlarge"],
          },
          {
            volume: { rootVolumeGiB: 256, iops: 16000, throughputMiBps: 566 },
            instanceTypes: ["m5.4xlarge"],
          },
          {
            volume: { rootVolumeGiB: 512, iops: 16000, throughputMiBps: 810 },
            instanceTypes: ["m5.8xlarge"],
          },
        ],
      });
    });

    it("c6a-gp3: the seed for 7 sizes, 4 overrides", () => {
      const p = plan("c6a-gp3");
      assert.deepEqual(p.default.volume, SEED);
      assert.equal(p.default.instanceTypes.length, 7);
      assert.deepEqual(
        p.overrides.map((o) => o.instanceTypes),
        [["c6a.large"], ["c6a.xlarge"], ["c6a.2xlarge"], ["c6a.4xlarge"]],
      );
    });

    it("m5d-nvme: one template with the OS-only volume, no overrides", () => {
      const p = plan("m5d-nvme");
      assert.deepEqual(p.default.volume, { rootVolumeGiB: 100, iops: 3000, throughputMiBps: 125 });
      assert.equal(p.default.instanceTypes.length, 9);
      assert.deepEqual(p.overrides, []);
    });

    it("sizes of different families with the same link and vCPUs share one template", () => {
      // m5 and r5 sizes have the same EBS links and vCPU counts (r5 only has more memory).
      const p = plan("m5-gp3", ["m5", "r5"]);
      assert.equal(p.overrides.length, 5);
      assert.deepEqual(p.overrides[0].instanceTypes, ["m5.large", "r5.large"]);
    });

    it("the default is the volume most sizes get; on a tie, the larger one", () => {
      assert.deepEqual(plan("m5-gp3", ["m5.large", "m5.12xlarge"]), {
        default: { volume: SEED, instanceTypes: ["m5.12xlarge"] },
        overrides: [
          { volume: { rootVolumeGiB: 100, iops: 3600, throughputMiBps: 125 }, instanceTypes: ["m5.large"] },
        ],
      });
      const smallOnly = plan("m5-gp3", ["m5.large", "m5.xlarge", "r5.large"]);
      assert.deepEqual(smallOnly.default.instanceTypes, ["m5.large", "r5.large"]);
      assert.deepEqual(
        smallOnly.overrides.map((o) => o.instanceTypes),
        [["m5.xlarge"]],
      );
    });

    it("nothing known: the storage spec's own volume, no overrides", () => {
      assert.deepEqual(plan("m5-gp3", ["m9z"]), {
        default: { volume: SEED, instanceTypes: [] },
        overrides: [],
      });
    });
  });

  describe("launch template overrides as Batch takes them", () => {
    const o = (...targetInstanceTypes: string[]) => ({ targetInstanceTypes });
    const cases: [string, string[], { targetInstanceTypes: string[] }[], string[]][] = [
      ["sizes of a listed family", ["m5"], [o("m5.large"), o("m5.xlarge", "m5.2xlarge")], []],
      ["a listed size", ["m5.large", "m5.xlarge"], [o("m5.large")], []],
      [
        "more than ten",
        ["m5"],
        Array.from({ length: 11 }, (_, i) => o(`m5.x${i}`)),
        [
          `a compute environment takes at most ${MAX_LAUNCH_TEMPLATE_OVERRIDES} launch template overrides; got 11`,
        ],
      ],
      ["no target", ["m5"], [o()], ["override 0 targets no instance type"]],
      [
        "a keyword",
        ["m5"],
        [o("optimal")],
        ['override 0 targets the Batch keyword "optimal", which overrides may not name'],
      ],
      [
        "a size outside instanceTypes",
        ["m5"],
        [o("c5.large")],
        ['override 0 targets "c5.large", which is not in instanceTypes ["m5"] (by size or family)'],
      ],
      [
        "the same size twice",
        ["m5"],
        [o("m5.large"), o("m5.large")],
        ['override 1 targets "m5.large", which overlaps "m5.large"'],
      ],
      [
        "a family and a size of it",
        ["m5"],
        [o("m5"), o("m5.large")],
        ['override 1 targets "m5.large", which overlaps "m5"'],
      ],
    ];
    for (const [what, types, overrides, expected] of cases) {
      it(`${expected.length === 0 ? "accepts" : "rejects"} ${what}`, () => {
        assert.deepEqual(launchTemplateOverrideProblems(types, overrides), expected);
      });
    }
  });
});
