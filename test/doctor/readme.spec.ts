/** The README's doctor section documents every permission and every finding the code has. */
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { FINDING_IDS } from "../../doctor/findings";
import { DOCTOR_PERMISSIONS } from "../../doctor/permissions";

const README = fs.readFileSync(path.join(__dirname, "..", "..", "README.md"), "utf8");

describe("doctor README", () => {
  it("lists every action the doctor needs, who grants it and why", () => {
    for (const p of DOCTOR_PERMISSIONS) {
      const grant =
        p.grantedBy === "launcher" ? "launcher policy" : p.grantedBy === "extra" ? "**extra**" : "anyone";
      assert.ok(README.includes(`| \`${p.action}\` | ${grant} | ${p.why} |`), `README row for ${p.action}`);
    }
  });

  it("explains every finding", () => {
    for (const id of FINDING_IDS)
      assert.match(
        README,
        new RegExp(`\\| \`${id}\` \\| (error|warning|error or warning) \\| `),
        `README row for ${id}`,
      );
  });

  it("shows the verify step right after pulumi up", () => {
    const deploy = README.indexOf("## Deploying a lab");
    const up = README.indexOf("`pulumi up`", deploy);
    const verify = README.indexOf("npm run doctor -- --stack", deploy);
    assert.ok(deploy > 0 && up > deploy && verify > up, "the deploy steps end with the doctor");
  });
});
