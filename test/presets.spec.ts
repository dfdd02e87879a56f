// Presets are fixed data: checked here against the EC2 instance catalog and gp3's limits, once,
// rather than on every stack parse.
import assert from "node:assert/strict";
import { checkInstanceSelection } from "../config/instances";
import { gp3Problems } from "../hosts/gp3";
import { PRESET_NAMES, PRESETS } from "../presets";

describe("presets", () => {
  for (const name of PRESET_NAMES) {
    const preset = PRESETS[name];
    it(`${name}: its families are one ${preset.manufacturer} ${preset.architecture} vendor in the catalog, with the storage it needs`, () => {
      assert.equal(preset.name, name);
      assert.deepEqual(
        checkInstanceSelection(`preset "${name}"`, preset.instanceTypes, preset.storage.kind),
        {
          problems: [],
          manufacturer: preset.manufacturer,
          architecture: preset.architecture,
        },
      );
    });

    it(`${name}: its root volume is within gp3's limits`, () => {
      assert.deepEqual(gp3Problems(`preset "${name}" storage`, preset.storage), []);
    });
  }

  it("rejects a preset table edited into a vendor mix before any resource exists", () => {
    const mixed = { ...PRESETS["m5-gp3"], instanceTypes: ["m5", "c6a"] };
    const r = checkInstanceSelection(
      `preset "${mixed.name}"'s instanceTypes`,
      mixed.instanceTypes,
      mixed.storage.kind,
    );
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0], /^preset "m5-gp3"'s instanceTypes must stay with one CPU vendor/);
  });
});
