import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { KEY_NAMES } from "../config/keys";
import { defaultTextOf, rowOf } from "../config/keyAccess";
import { gp3MonthlyUsd, HOURS_PER_MONTH } from "../hosts/gp3";
import { onDemandUsdPerHour } from "../hosts/instancePrices";
import { launchableTypes, rootVolumeFor, rootVolumePlan } from "../hosts/rootVolumes";
import { PRESET_NAMES, PRESETS } from "../presets";
import { networkIdleUsd } from "../reports/idleCost";
import {
  BUDGET_DAY,
  NAT_GATEWAY_HOUR,
  PUBLIC_IPV4_HOUR,
  S3_GATEWAY_ENDPOINT_HOUR,
  S3_STANDARD_GB_MONTH,
} from "../reports/prices";

const README = fs.readFileSync(path.join(__dirname, "..", "README.md"), "utf8");

describe("README", () => {
  it("has exactly the two set-up commands: the offline plan and the tests", () => {
    const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1].trim());
    assert.equal(blocks[0], "npm ci && npm run plan -- --stack dev");
    assert.equal(blocks[1], "npm ci && npm test");
  });

  it("lists every config key with its type and default, and every preset", () => {
    for (const k of KEY_NAMES) {
      assert.ok(
        README.includes(`| \`${k}\` | ${rowOf(k).type} | \`${defaultTextOf(k)}\` |`),
        `README row for ${k}`,
      );
    }
    for (const p of PRESET_NAMES) assert.ok(README.includes(`| \`${p}\` |`), `README row for preset ${p}`);
  });

  it("shows, for every size of every gp3 preset, the volume and cost the code gives it", () => {
    for (const p of PRESET_NAMES.filter((n) => PRESETS[n].storage.kind === "gp3")) {
      const { instanceTypes, storage } = PRESETS[p];
      const templates = 1 + rootVolumePlan(instanceTypes, storage).overrides.length;
      assert.ok(README.includes(`\`${p}\` (${templates} launch templates):`), `${p} heading`);
      for (const t of launchableTypes(instanceTypes).types) {
        const v = rootVolumeFor(t, storage);
        const perHour = gp3MonthlyUsd(v) / HOURS_PER_MONTH;
        const seedPerHour = gp3MonthlyUsd(storage) / HOURS_PER_MONTH;
        const price = onDemandUsdPerHour(t.instanceType)!;
        const e = t.ebs!;
        const link =
          `${e.baselineThroughputMBps} MB/s, ${e.baselineIops} IOPS` +
          (e.maximumThroughputMBps > e.baselineThroughputMBps
            ? ` (burst ${e.maximumThroughputMBps}, ${e.maximumIops})`
            : "");
        const row = `| ${t.instanceType} | ${t.vcpus} | ${link} | ${v.rootVolumeGiB} GiB, ${v.iops} IOPS, ${v.throughputMiBps} MiB/s | $${perHour.toFixed(4)} | ${((100 * perHour) / price).toFixed(1)}% | ${((100 * seedPerHour) / price).toFixed(1)}% |`;
        assert.ok(README.includes(row), `README row for ${t.instanceType}:\n${row}`);
      }
    }
  });

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(
      JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).scripts,
    );
    for (const m of README.matchAll(/npm run ([a-z:-]+)/g))
      assert.ok(scripts.includes(m[1]), `npm run ${m[1]}`);
  });

  it("states the idle cost per network choice as reports/idleCost.ts computes it", () => {
    const usd = (region: string, natGateways: "single" | "onePerAz", availabilityZones: number) =>
      networkIdleUsd(region, {
        mode: "new",
        natGateways,
        availabilityZones,
        cidrBlock: "10.0.0.0/16",
      }).toFixed(2);
    for (const [row, natGateways, azs] of [
      ["| `new`, `natGateways: single` (default) | 1 |", "single", 3],
      ["| `new`, `natGateways: onePerAz`, 2 AZs | 2 |", "onePerAz", 2],
      ["| `new`, `natGateways: onePerAz`, 3 AZs (default count) | 3 |", "onePerAz", 3],
    ] as const) {
      assert.ok(
        README.includes(
          `${row} ${usd("us-east-1", natGateways, azs)} | ${usd("eu-west-1", natGateways, azs)} |`,
        ),
        row,
      );
    }
  });

  it("names every list price with its source and date", () => {
    for (const table of [
      NAT_GATEWAY_HOUR,
      PUBLIC_IPV4_HOUR,
      S3_GATEWAY_ENDPOINT_HOUR,
      S3_STANDARD_GB_MONTH,
      BUDGET_DAY,
    ]) {
      for (const p of Object.values(table)) {
        assert.ok(README.includes(`(${p.source})`), p.source);
        assert.ok(README.includes(`| ${p.asOf} |`), `${p.source} ${p.asOf}`);
        if (p.usd > 0) assert.ok(README.includes(`$${p.usd}`), `${p.source} $${p.usd}`);
      }
    }
  });
});
