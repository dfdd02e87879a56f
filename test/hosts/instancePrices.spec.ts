import assert from "node:assert/strict";
import { GP3_PRICES_USD } from "../../hosts/gp3";
import { EC2_ON_DEMAND_PRICES_USD, onDemandUsdPerHour } from "../../hosts/instancePrices";
import { launchableTypes } from "../../hosts/rootVolumes";
import { lookupInstanceType } from "../../policy/catalog";
import { PRESET_NAMES, PRESETS } from "../../presets";

describe("instance prices", () => {
  it("price every size of every preset's families", () => {
    for (const p of PRESET_NAMES) {
      for (const t of launchableTypes(PRESETS[p].instanceTypes).types) {
        assert.equal(typeof onDemandUsdPerHour(t.instanceType), "number", t.instanceType);
      }
    }
  });

  it("name only types the catalog knows, and no more than the presets can launch", () => {
    const launchable = new Set(
      PRESET_NAMES.flatMap((p) => launchableTypes(PRESETS[p].instanceTypes).types.map((t) => t.instanceType)),
    );
    for (const name of Object.keys(EC2_ON_DEMAND_PRICES_USD.perHour)) {
      assert.ok(lookupInstanceType(name), name);
      assert.ok(launchable.has(name), name);
    }
  });

  it("are the same region's as the gp3 prices, so a storage share compares like with like", () => {
    assert.equal(EC2_ON_DEMAND_PRICES_USD.region, GP3_PRICES_USD.region);
  });

  it("scale with vCPUs within a family, as AWS lists them", () => {
    for (const family of ["m5", "m5d", "c6a"]) {
      const sizes = launchableTypes([family]).types;
      const perVcpu = onDemandUsdPerHour(sizes[0].instanceType)! / sizes[0].vcpus;
      for (const t of sizes) {
        assert.equal(
          (onDemandUsdPerHour(t.instanceType)! / t.vcpus).toFixed(6),
          perVcpu.toFixed(6),
          t.instanceType,
        );
      }
    }
    assert.equal(onDemandUsdPerHour("m5.large"), 0.096);
    assert.equal(onDemandUsdPerHour("c6a.large"), 0.0765);
  });

  it("say undefined for a size they do not price", () => {
    assert.equal(onDemandUsdPerHour("r5.large"), undefined);
    assert.equal(onDemandUsdPerHour("toString"), undefined);
  });
});
