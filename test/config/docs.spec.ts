// The texts generated from the config table stay in step with the files that hold them.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as YAML from "yaml";
import { projectConfigDeclarations, readmeKeyTable } from "../../config/docs";
import { KEY_NAMES } from "../../config/keys";
import { declaredDefaultOf } from "../../config/keyAccess";
import { parseStackConfig } from "../../config/parse";

const root = path.join(__dirname, "..", "..");

describe("Pulumi.yaml", () => {
  it("declares exactly the config keys the program reads, with their types, descriptions and defaults", () => {
    const project = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.yaml"), "utf8"));
    assert.equal(project.name, "nextflow-batch");
    assert.deepEqual(project.config, projectConfigDeclarations());
    assert.deepEqual(
      Object.keys(project.config),
      KEY_NAMES.filter((k) => declaredDefaultOf(k) !== undefined),
    );
  });

  it("Pulumi.dev.yaml is a valid stack", () => {
    const dev = YAML.parse(fs.readFileSync(path.join(root, "Pulumi.dev.yaml"), "utf8"));
    const spec = parseStackConfig(dev.config, { project: "nextflow-batch", stack: "dev" });
    assert.equal(spec.preset.name, "m5-gp3");
  });
});

describe("README key table", () => {
  it("is exactly the table the config keys generate", () => {
    const readme = fs.readFileSync(path.join(root, "README.md"), "utf8");
    const table = readmeKeyTable();
    const start = readme.indexOf(`${table[0]}\n`);
    assert.ok(start >= 0, "the README has the key table's header");
    const lines = readme
      .slice(start)
      .split("\n")
      .slice(0, table.length + 1);
    assert.deepEqual(lines.slice(0, table.length), table);
    assert.ok(!lines[table.length].startsWith("|"), "no rows beyond the generated ones");
  });
});
