import assert from "node:assert/strict";
import { checkInstanceSelection } from "../../config/instances";

describe("instance selection against the catalog", () => {
  it("accepts one vendor and architecture and reports them", () => {
    assert.deepEqual(checkInstanceSelection("x", ["m5", "m5n.8xlarge"], "gp3"), {
      problems: [],
      manufacturer: "Intel",
      architecture: "x86_64",
    });
    assert.deepEqual(checkInstanceSelection("x", ["c7g"], "gp3"), {
      problems: [],
      manufacturer: "AWS",
      architecture: "arm64",
    });
  });
});
