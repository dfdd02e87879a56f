// Writes policy/npm-shrinkwrap.json: the exact dependency tree an installed pack gets. Installing
// a published pack runs `npm install` in it (pkg/backend/httpstate/policypack.go,
// installRequiredPolicy), which would otherwise resolve @pulumi/pulumi's ranges afresh on every
// machine; npm ships npm-shrinkwrap.json in the tarball (package-lock.json it never packs) and
// installs from it. The tree is cut from the repository's package-lock.json, so the published
// pack runs on exactly the versions the tests ran.
//
//   npm run build:policy   (writes it with the compiled pack)
//
// policy/test/compiled-pack.spec.ts fails when the committed file differs from a fresh cut.
import * as fs from "fs";
import * as path from "path";
import { packFile } from "../pack-files";

interface LockEntry {
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  dev?: boolean;
  devOptional?: boolean;
  [key: string]: unknown;
}

interface Lockfile {
  name?: string;
  version?: string;
  lockfileVersion: number;
  requires?: boolean;
  packages: Record<string, LockEntry>;
}

interface PackManifest {
  name: string;
  version: string;
  license?: string;
  dependencies: Record<string, string>;
}

export const SHRINKWRAP_PATH = packFile("npm-shrinkwrap.json");

/** The lock path `name` resolves to from the package at `from` ("" is the root), as Node resolves it. */
function resolve(packages: Lockfile["packages"], from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = base === "" ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    if (packages[candidate] !== undefined) return candidate;
    if (base === "") return undefined;
    const up = base.lastIndexOf("/node_modules/");
    base = up < 0 ? "" : base.slice(0, up);
  }
}

/** The shrinkwrap for `pack`: the root lock's entries its dependencies reach, and nothing else. */
export function shrinkwrapFor(rootLock: Lockfile, pack: PackManifest): Lockfile {
  const kept = new Map<string, LockEntry>();
  const visit = (from: string, name: string, optional: boolean): void => {
    const at = resolve(rootLock.packages, from, name);
    if (at === undefined) {
      if (optional) return;
      throw new Error(`package-lock.json has no ${name} for ${from || "the pack"}`);
    }
    if (kept.has(at)) return;
    // The root's dev flags describe the repository's tree, not the pack's, where all of it is a dependency.
    const entry: LockEntry = { ...rootLock.packages[at] };
    delete entry.dev;
    delete entry.devOptional;
    kept.set(at, entry);
    for (const dep of Object.keys(entry.dependencies ?? {})) visit(at, dep, false);
    for (const dep of Object.keys(entry.optionalDependencies ?? {})) visit(at, dep, true);
    // npm installs a peer dependency unless it is marked optional (then only if something else needs it).
    for (const dep of Object.keys(entry.peerDependencies ?? {})) {
      if (entry.peerDependenciesMeta?.[dep]?.optional !== true) visit(at, dep, false);
    }
  };
  for (const name of Object.keys(pack.dependencies)) visit("", name, false);
  const sorted = [...kept.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    name: pack.name,
    version: pack.version,
    lockfileVersion: rootLock.lockfileVersion,
    requires: true,
    packages: {
      "": { name: pack.name, version: pack.version, license: pack.license, dependencies: pack.dependencies },
      ...Object.fromEntries(sorted),
    },
  };
}

/** The file's text, cut from the repository's lock and the pack's package.json. */
export function shrinkwrapText(): string {
  const rootLock = JSON.parse(
    fs.readFileSync(path.join(packFile(), "..", "package-lock.json"), "utf8"),
  ) as Lockfile;
  const pack = JSON.parse(fs.readFileSync(packFile("package.json"), "utf8")) as PackManifest;
  return `${JSON.stringify(shrinkwrapFor(rootLock, pack), null, 2)}\n`;
}
