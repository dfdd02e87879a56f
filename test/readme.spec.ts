import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { defaultTextOf, KEY_NAMES, rowOf } from "../config/keys";
import { PRESET_NAMES } from "../presets";

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

  it("names only npm scripts that exist", () => {
    const scripts = Object.keys(
      JSON.parse(fs.readFileSync(path.join(__dirname, "..", "package.json"), "utf8")).scripts,
    );
    for (const m of README.matchAll(/npm run ([a-z:-]+)/g))
      assert.ok(scripts.includes(m[1]), `npm run ${m[1]}`);
  });
});
