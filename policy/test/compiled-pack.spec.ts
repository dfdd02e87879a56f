// The compiled pack is what the engine runs (package.json "main"): it must be exactly what the
// sources compile to, need nothing at run time but its two dependencies, and be what npm pack
// (and so `pulumi policy publish`) ships. policy/tools/build.ts says why it is committed.
import * as assert from "node:assert/strict";
import { builtinModules } from "node:module";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { COMPILED_DIR, packFile } from "../pack-files";
import { emitPack, readTree } from "../tools/build";
import { SHRINKWRAP_PATH, shrinkwrapText } from "../tools/shrinkwrap";
import { packLikePublish } from "../tools/start-pack";

interface PackageJson {
  main: string;
  version: string;
  files: string[];
  dependencies: Record<string, string>;
  devDependencies?: Record<string, string>;
}

const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, "utf8")) as T;

describe("the compiled pack (policy/bin, what the engine runs)", function () {
  this.timeout(120000);
  const pkg = readJson<PackageJson>(packFile("package.json"));

  it("bin/ is exactly what `npm run build:policy` writes from the sources", () => {
    const fresh = emitPack();
    const committed = readTree(packFile(COMPILED_DIR));
    const stale = "policy/bin is stale: run `npm run build:policy` and commit the result";
    assert.deepEqual([...committed.keys()].sort(), [...fresh.keys()].sort(), stale);
    for (const [file, text] of fresh) assert.equal(committed.get(file), text, `bin/${file}: ${stale}`);
  });

  it("package.json's main is the compiled entry point, so the runner's ts-node compiles nothing", () => {
    assert.equal(pkg.main, `${COMPILED_DIR}/index.js`);
    assert.ok(fs.existsSync(packFile(pkg.main)));
  });

  it("needs nothing at run time but Node and the pack's dependencies, pinned as the repository pins them", () => {
    const root = readJson<PackageJson>(path.join(packFile(), "..", "package.json"));
    assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi"]);
    for (const [name, version] of Object.entries(pkg.dependencies)) {
      assert.match(version, /^\d+\.\d+\.\d+$/, `${name} must be pinned exactly`);
      assert.equal(version, root.dependencies[name], `${name}: the pack and the repository must agree`);
    }
    assert.equal(pkg.devDependencies, undefined, "an installed pack would install devDependencies too");
    const required = new Set<string>();
    for (const [file, text] of readTree(packFile(COMPILED_DIR))) {
      for (const m of text.matchAll(/require\("([^"]+)"\)/g)) {
        if (!m[1].startsWith(".")) {
          required.add(m[1]);
          continue;
        }
        // A relative require must land on compiled JavaScript inside bin/, never on a source.
        const target = require.resolve(path.join(packFile(COMPILED_DIR), path.dirname(file), m[1]));
        assert.ok(target.startsWith(packFile(COMPILED_DIR)) && target.endsWith(".js"), `${file}: ${m[1]}`);
      }
    }
    for (const name of required) {
      const pkgName = name.startsWith("@") ? name.split("/").slice(0, 2).join("/") : name.split("/")[0];
      assert.ok(builtinModules.includes(name) || pkgName in pkg.dependencies, `bin requires ${name}`);
    }
  });

  it("npm-shrinkwrap.json pins an installed pack to the repository's package-lock.json (npm run build:policy)", () => {
    const shrinkwrap = readJson<{ packages: Record<string, { version?: string }> }>(SHRINKWRAP_PATH);
    assert.equal(fs.readFileSync(SHRINKWRAP_PATH, "utf8"), shrinkwrapText(), "run `npm run build:policy`");
    const names = Object.keys(shrinkwrap.packages);
    for (const direct of Object.keys(pkg.dependencies)) {
      assert.equal(shrinkwrap.packages[`node_modules/${direct}`]?.version, pkg.dependencies[direct]);
    }
    // What the pack must not drag into every installation: the providers and the TypeScript toolchain.
    for (const absent of ["@pulumi/aws", "@pulumi/aws-native", "typescript", "ts-node"]) {
      assert.ok(!names.includes(`node_modules/${absent}`), absent);
    }
  });

  it("npm pack (what `pulumi policy publish` uploads) ships the compiled pack, its data and project files, no TypeScript", () => {
    const dest = fs.mkdtempSync(path.join(os.tmpdir(), "nextflow-batch-pack-"));
    try {
      const { files } = packLikePublish(packFile(), dest);
      const expected = [
        ...[...emitPack().keys()].map((f) => `${COMPILED_DIR}/${f}`),
        "PulumiPolicy.yaml",
        "README.md",
        "catalog/instance-types.json",
        "iam/service-actions.json",
        "npm-shrinkwrap.json",
        "package.json",
        "policy-config.example.json",
      ].sort();
      assert.deepEqual(files, expected);
    } finally {
      fs.rmSync(dest, { recursive: true, force: true });
    }
  });
});
