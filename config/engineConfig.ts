/**
 * A stack's config as the Pulumi engine hands it to the program: every key's value as the
 * text in PULUMI_CONFIG. The offline plan reads stack files through this, so plan and
 * `pulumi preview` see the same inputs. Pure: text in, values out.
 *
 * The engine's path (pulumi/pulumi v3.248.0): `workspace.LoadProjectStackBytes`
 * (sdk/go/common/workspace/loaders.go) unmarshals the stack file with gopkg.in/yaml.v3,
 * simplifies it (`SimplifyMarshalledProject`, project.go: string map keys only), namespaces
 * bare keys with the project name (`stackConfigNamespacedWithProject`), warns on empty values
 * (`checkForEmptyConfig`), re-encodes and decodes it into `config.Value`s
 * (sdk/go/common/resource/config/value.go, object.go: bool/int/float/string/time/secret/object);
 * `ValidateStackConfigAndApplyProjectConfig` (workspace/config.go) adds Pulumi.yaml's
 * defaults and checks declared types; `Map.Decrypt` turns each value into text (strings as
 * they are, everything else as JSON); the Node language host puts the map in PULUMI_CONFIG
 * (sdk/nodejs/cmd/pulumi-language-nodejs/main.go `constructConfig`).
 *
 * YAML scalars are resolved the way yaml.v3 does (go-yaml v3.0.1 resolve.go `resolve`,
 * `parseTimestamp`), which differs from YAML 1.2 in JavaScript: `010` is octal 8, `1_000` is
 * 1000, `0b101` is 5, unquoted dates become Go time strings, `~` is an empty value.
 */
import * as YAML from "yaml";
import { INT64_MAX, INT64_MIN, resolvePlain, type GoValue } from "./goYaml";

/** What the program receives: `ns:key` → text, which of them are secret, and the engine's warnings. */
export interface EngineConfig {
  readonly values: Record<string, string>;
  readonly secretKeys: readonly string[];
  readonly warnings: readonly string[];
  /**
   * Values of the types `Pulumi.yaml` declares that the CLI refuses before the program runs
   * (`validateStackConfigValue`, workspace/config.go), with the CLI's words, by key.
   */
  readonly typeProblems: ReadonlyArray<{ readonly key: string; readonly line: string }>;
}

/** The stack file cannot be loaded, as the engine would refuse it; one line per problem. */
export class EngineConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
  }
}

/** The placeholder a secret's text gets offline: the engine would decrypt it; we cannot. */
export const SECRET_PLACEHOLDER = "[secret: decrypted by the engine at deploy time]";

const STR_TAG = "tag:yaml.org,2002:str";

interface Walk {
  readonly doc: YAML.Document.Parsed;
  readonly where: string;
  readonly problems: string[];
  readonly warnings: string[];
}

/** A node as yaml.v3 decodes it. */
function decode(node: unknown, w: Walk): GoValue {
  if (YAML.isAlias(node)) return decode(node.resolve(w.doc), w);
  if (YAML.isScalar(node)) {
    const text = node.source ?? String(node.value ?? "");
    if (node.tag === STR_TAG || (node.type !== undefined && node.type !== "PLAIN")) {
      return { kind: "str", value: typeof node.value === "string" ? node.value : text };
    }
    return resolvePlain(text);
  }
  if (YAML.isSeq(node)) return { kind: "list", items: node.items.map((i) => decode(i, w)) };
  if (YAML.isMap(node)) {
    const entries: [string, GoValue][] = [];
    for (const pair of node.items) {
      const key = decode(pair.key, w);
      if (key.kind !== "str") {
        // SimplifyMarshalledProject (sdk/go/common/workspace/project.go).
        w.problems.push(
          `${w.where}: expected only string keys, got ${JSON.stringify(String(YAML.isScalar(pair.key) ? pair.key.source : pair.key))}. Fix: quote the key`,
        );
        continue;
      }
      entries.push([key.value, decode(pair.value, w)]);
    }
    // config.Value's object form: a map whose only key is `secure` is a secret (object.go).
    if (entries.length === 1 && entries[0][0] === "secure" && entries[0][1].kind === "str") {
      return { kind: "secret", value: entries[0][1].value };
    }
    return { kind: "map", entries };
  }
  return { kind: "null" };
}

/** Go's float formatting as JSON and config text end up with it: whole numbers print as integers. */
function floatText(x: number, where: string, problems: string[]): string {
  if (!Number.isFinite(x)) {
    // MarshalString fails: encoding/json has no Inf or NaN.
    problems.push(
      `${where}: ${x} cannot be a config value (Pulumi's JSON encoding has no infinity or NaN). Fix: use a number`,
    );
    return "";
  }
  if (Number.isInteger(x) && Math.abs(x) < 1e21) return BigInt(x).toString();
  return String(x);
}

/** Go's encoding/json string escaping (it also escapes <, > and &). */
function jsonString(s: string): string {
  return JSON.stringify(s)
    .replace(/</g, "\\u003c")
    .replace(/>/g, "\\u003e")
    .replace(/&/g, "\\u0026")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

/** A nested value as Go's json.Marshal writes it (map keys sorted). */
function json(v: GoValue, where: string, problems: string[]): string {
  switch (v.kind) {
    case "str":
    case "time":
    case "secret":
      return jsonString(v.kind === "secret" ? SECRET_PLACEHOLDER : v.value);
    case "int":
      return v.value.toString();
    case "float":
      return floatText(v.value, where, problems);
    case "bool":
      return String(v.value);
    case "null":
      return "null";
    case "list":
      return `[${v.items.map((i) => json(i, where, problems)).join(",")}]`;
    case "map":
      return `{${[...v.entries]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, e]) => `${jsonString(k)}:${json(e, where, problems)}`)
        .join(",")}}`;
    default: {
      const never: never = v;
      throw new Error(`unknown value ${JSON.stringify(never)}`);
    }
  }
}

/** A top-level value as the program's text: strings as they are, everything else JSON. */
function text(v: GoValue, where: string, problems: string[]): string {
  switch (v.kind) {
    case "str":
    case "time":
      return v.value;
    case "secret":
      return SECRET_PLACEHOLDER;
    case "null":
      return "";
    default:
      return json(v, where, problems);
  }
}

/** `ns:key` as the engine keys it (sdk/go/common/resource/config/key.go `ParseKey`). */
function qualify(key: string, project: string): string | undefined {
  const parts = key.split(":");
  if (parts.length === 1) return `${project}:${key}`;
  if (parts.length === 2) return key;
  if (parts.length === 3 && parts[1] === "config") return `${parts[0]}:${parts[2]}`;
  return undefined;
}

/** A `Pulumi.yaml` config declaration (the subset this project uses). */
interface Declaration {
  readonly type?: string;
  readonly items?: { readonly type?: string };
  readonly default?: unknown;
}

/**
 * Pulumi's `ValidateConfigValue` (project.go) on a decoded value; returns whether it fits. A
 * top-level scalar is stored as text, so any scalar is a string there; list items keep their
 * JSON types.
 */
function fitsType(v: GoValue, decl: Declaration, nested = false): boolean {
  switch (decl.type) {
    case undefined:
      return true;
    case "string":
      return nested ? v.kind === "str" || v.kind === "time" : v.kind !== "list" && v.kind !== "map";
    case "integer":
      if (v.kind === "int") return true;
      if (v.kind === "float") return Number.isInteger(v.value);
      // strconv.Atoi: an optional sign and decimal digits that fit in 64 bits.
      if (v.kind !== "str" || !/^[+-]?\d+$/.test(v.value)) return false;
      return (
        BigInt(v.value.replace(/^\+/, "")) >= INT64_MIN && BigInt(v.value.replace(/^\+/, "")) <= INT64_MAX
      );
    case "boolean":
      return v.kind === "bool" || (v.kind === "str" && (v.value === "true" || v.value === "false"));
    case "array":
      return v.kind === "list" && v.items.every((i) => fitsType(i, decl.items ?? {}, true));
    case "object":
      return v.kind === "map";
    default:
      return true;
  }
}

/** `createConfigValue` (workspace/config.go): a declared default as the program's text. */
function defaultText(d: unknown): string {
  if (typeof d === "string") return d;
  if (typeof d === "number" || typeof d === "boolean") return String(d);
  return JSON.stringify(d);
}

/**
 * The config the engine hands the program for `stack`, from the stack file's text and the
 * project file's text. Throws {@link EngineConfigError} where the engine would refuse to load
 * or validate the stack.
 */
export function engineConfig(stackText: string, projectText: string, stack: string): EngineConfig {
  const problems: string[] = [];
  const warnings: string[] = [];
  const file = `Pulumi.${stack}.yaml`;

  const project = YAML.parse(projectText) as { name?: unknown; config?: Record<string, Declaration> };
  const projectName = typeof project?.name === "string" ? project.name : "";
  const doc = YAML.parseDocument(stackText.replace(/^\uFEFF/, ""), { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new EngineConfigError([
      `${file} is not valid YAML: ${doc.errors[0].message.split("\n")[0]}. Fix: correct the file`,
    ]);
  }
  const top = doc.contents;
  const topPairs = YAML.isMap(top) ? top.items : [];
  if (top !== null && !YAML.isMap(top) && !(YAML.isScalar(top) && top.value === null)) {
    throw new EngineConfigError([`${file} must be a YAML map with a config: key. Fix: correct the file`]);
  }
  const pairOf = (k: string) => topPairs.find((p) => YAML.isScalar(p.key) && p.key.value === k);
  if (pairOf("environment")) {
    problems.push(
      `${file} uses Pulumi ESC environments (environment:), which only the Pulumi service can open; the offline plan cannot see their values. Fix: plan a copy of the stack file with the values written out`,
    );
  }
  const configNode = pairOf("config")?.value;
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  const decoded = new Map<string, GoValue>();
  if (YAML.isMap(configNode)) {
    for (const pair of configNode.items) {
      const w: Walk = { doc, where: `${file} config`, problems, warnings };
      const keyValue = decode(pair.key, w);
      if (keyValue.kind !== "str") {
        problems.push(
          `${file} config: expected only string keys, got ${JSON.stringify(String(keyValue.kind === "int" ? keyValue.value : keyValue.kind))}. Fix: quote the key`,
        );
        continue;
      }
      const key = qualify(keyValue.value, projectName);
      if (key === undefined) {
        problems.push(
          `${file}: configuration key ${JSON.stringify(keyValue.value)} should be of the form <namespace>:<name>. Fix: rename it`,
        );
        continue;
      }
      const v = decode(pair.value, { ...w, where: `${file} ${key}` });
      if (v.kind === "null") {
        // checkForEmptyConfig (workspace/loaders.go).
        warnings.push(
          `No value for configuration key "${key}". Pulumi currently treats this as an empty string "", but will treat it as null in a future version.`,
        );
      }
      if (v.kind === "int" && YAML.isScalar(pair.value) && /^[+-]?0[0-7]+$/.test(String(pair.value.source))) {
        warnings.push(
          `${key}: ${pair.value.source} is an octal number to Pulumi's YAML reader, so the program gets ${v.value}. Fix: drop the leading zero, or quote it for text`,
        );
      }
      if (v.kind === "secret") secretKeys.push(key);
      decoded.set(key, v);
      values[key] = text(v, `${file} ${key}`, problems);
    }
  } else if (
    configNode !== undefined &&
    configNode !== null &&
    !(YAML.isScalar(configNode) && configNode.value === null)
  ) {
    problems.push(`${file}: config must be a map of keys to values. Fix: correct the file`);
  }

  // Pulumi.yaml: declared defaults for keys the stack leaves out, and declared types checked.
  const typeProblems: { key: string; line: string }[] = [];
  for (const [name, decl] of Object.entries(project?.config ?? {})) {
    const key = qualify(name, projectName);
    if (key === undefined) continue;
    const v = decoded.get(key);
    if (v === undefined) {
      if (decl?.default !== undefined) values[key] = defaultText(decl.default);
      continue;
    }
    if (v.kind === "secret") continue;
    if (!fitsType(v, decl ?? {})) {
      const type = decl.type === "array" ? `array<${decl.items?.type ?? "any"}>` : decl.type;
      typeProblems.push({
        key,
        line: `Stack '${stack}' with configuration key '${name}' must be of type '${type}'`,
      });
    }
  }
  if (problems.length > 0) throw new EngineConfigError(problems);
  return { values, secretKeys, warnings, typeProblems };
}
