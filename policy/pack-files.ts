// Where the pack's data files are. The engine runs the compiled pack (bin/, package.json "main");
// the tests, the offline plan and the stack's config validation run the TypeScript sources. Both
// read the same data files under policy/, so their paths start at the pack's root rather than at
// the calling module's directory (bin/catalog/ holds no instance-types.json).
import * as path from "path";

/** Where `npm run build:policy` writes the compiled pack (policy/tsconfig.json's outDir). */
export const COMPILED_DIR = "bin";

/** The pack's root: this module's directory, or its parent when this module runs compiled from bin/. */
export const PACK_ROOT = path.basename(__dirname) === COMPILED_DIR ? path.dirname(__dirname) : __dirname;

/** A file of the pack, by its path below the pack's root. */
export function packFile(...parts: string[]): string {
  return path.join(PACK_ROOT, ...parts);
}
