import assert from "node:assert/strict";
import { gp3MonthlyUsd, gp3Problems } from "../../hosts/gp3";
import { PRESETS } from "../../presets";

describe("gp3", () => {
  it("prices the fast preset volume at about $180 a month", () => {
    assert.equal(gp3MonthlyUsd(PRESETS["m5-gp3"].storage), 180);
  });

  const cases: [string, { rootVolumeGiB: number; iops: number; throughputMiBps: number }, string][] = [
    [
      "IOPS over the ceiling",
      { rootVolumeGiB: 1000, iops: 20000, throughputMiBps: 1000 },
      "v.iops must be an integer from 3000 to 16000; got 20000",
    ],
    [
      "IOPS over 500 per GiB",
      { rootVolumeGiB: 10, iops: 6000, throughputMiBps: 125 },
      "v.iops must be at most 500 per GiB (5000 for 10 GiB); got 6000",
    ],
    [
      "throughput over 0.25 per IOPS",
      { rootVolumeGiB: 1000, iops: 3000, throughputMiBps: 1000 },
      "v.throughputMiBps must be at most 0.25 MiB/s per provisioned IOPS (750 for 3000 IOPS); got 1000",
    ],
    [
      "a size over 16 TiB",
      { rootVolumeGiB: 20000, iops: 3000, throughputMiBps: 125 },
      "v.rootVolumeGiB must be an integer from 1 to 16384; got 20000",
    ],
  ];
  for (const [what, v, expected] of cases) {
    it(`rejects ${what}`, () => {
      const out = gp3Problems("v", v);
      assert.equal(out.length, 1);
      assert.ok(out[0].startsWith(expected), out[0]);
    });
  }
});
