/** The generated nextflow.config against the stack's other outputs (fixtures.ts's outputs). */
import assert from "node:assert/strict";
import { parseNextflowConfig, parseOutputs } from "../../doctor/outputs";
import { checkNextflowConfig } from "../../doctor/rules/nextflowConfig";
import * as F from "./fixtures";
import { ids } from "./ruleIds";

describe("doctor rules: nextflow.config", () => {
  describe("checkNextflowConfig", () => {
    const o = parseOutputs(F.stackOutputs(), "outputs", F.STACK);
    it("the generated config matches the other outputs", () => {
      assert.deepEqual(ids(checkNextflowConfig(o, parseNextflowConfig(o.nextflowConfig), F.REGION)), []);
    });
    it("a stale config (another queue) and one without cliPath", () => {
      const stale = parseNextflowConfig(
        o.nextflowConfig
          .replace(`queue = '${F.SPOT_QUEUE}'`, "queue = 'old-queue'")
          .replace(/^.*cliPath.*$/m, ""),
      );
      const r = checkNextflowConfig(o, stale, F.REGION);
      assert.deepEqual(ids(r), ["warning config-mismatch", "warning config-mismatch"]);
      assert.match(r.findings[0].message, /process\.queue is "old-queue", expected "smith-lab-dev-spot"/);
    });
  });
});
