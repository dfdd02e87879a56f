// Builds the compiled pack in policy/bin/, the form the engine runs (package.json "main"), and
// the npm-shrinkwrap.json an installation of the published pack installs from (tools/shrinkwrap.ts).
//
//   npm run build:policy
//
// Why compiled JavaScript, committed: the engine starts a pack with
// `node <@pulumi/pulumi>/cmd/run-policy-pack <engine> <pack-dir>`, which registers ts-node with
// type checking (@pulumi/pulumi cmd/run-policy-pack/run.ts) and then requires the pack's
// package.json "main"; a TypeScript main is type-checked against every declaration it imports on
// every start (9 s here with @pulumi/aws), a JavaScript main is loaded as is. Nothing builds it
// for the engine: a local `--policy-pack policy` runs the directory as it is; `pulumi policy
// publish` starts the pack for its metadata before it runs `npm pack` (pkg/backend/httpstate/
// policypack.go, Publish), so a prepack script would come too late; and installing a published
// pack runs `npm install` in it (installRequiredPolicy), where a prepare script would need the
// TypeScript toolchain on every machine that runs the pack. policy/test/compiled-pack.spec.ts
// fails when bin/ differs from what this script would write.
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { COMPILED_DIR, packFile } from "../pack-files";
import { SHRINKWRAP_PATH, shrinkwrapText } from "./shrinkwrap";

/** The compiled pack as policy/tsconfig.json emits it: path below bin/ (with "/") to file text. */
export function emitPack(): Map<string, string> {
  const configPath = packFile("tsconfig.json");
  const parsed = ts.getParsedCommandLineOfConfigFile(
    configPath,
    {},
    {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    },
  );
  if (parsed === undefined) throw new Error(`cannot read ${configPath}`);
  const program = ts.createProgram({ rootNames: parsed.fileNames, options: parsed.options });
  const outDir = parsed.options.outDir ?? packFile(COMPILED_DIR);
  const files = new Map<string, string>();
  const result = program.emit(undefined, (fileName, text) => {
    files.set(path.relative(outDir, fileName).split(path.sep).join("/"), text);
  });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...result.diagnostics];
  if (diagnostics.length > 0) {
    throw new Error(
      ts.formatDiagnostics(diagnostics, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => packFile(),
        getNewLine: () => "\n",
      }),
    );
  }
  return files;
}

/** Every file under `dir`, as paths relative to it (with "/") to file text. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else files.set(rel, fs.readFileSync(path.join(dir, rel), "utf8"));
    }
  };
  if (fs.existsSync(dir)) walk("");
  return files;
}

if (require.main === module) {
  const files = emitPack();
  const outDir = packFile(COMPILED_DIR);
  fs.rmSync(outDir, { recursive: true, force: true }); // no stale files from removed sources
  for (const [rel, text] of files) {
    fs.mkdirSync(path.dirname(path.join(outDir, rel)), { recursive: true });
    fs.writeFileSync(path.join(outDir, rel), text);
  }
  console.log(`wrote ${files.size} files to ${outDir}`);
  fs.writeFileSync(SHRINKWRAP_PATH, shrinkwrapText());
  console.log(`wrote ${SHRINKWRAP_PATH}`);
}
