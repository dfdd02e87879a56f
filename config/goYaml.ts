/**
 * How gopkg.in/yaml.v3 (v3.0.1, the YAML library the Pulumi CLI reads stack files with)
 * resolves a plain scalar: resolve.go `resolve`, `parseTimestamp`, and Go's
 * strconv.ParseInt(s, 0, 64) base rules. Pure; used by ./engineConfig.ts.
 */

/** A value as yaml.v3 decodes it, before Pulumi turns it into text. */
export type GoValue =
  | { kind: "str"; value: string }
  | { kind: "int"; value: bigint }
  | { kind: "float"; value: number }
  | { kind: "bool"; value: boolean }
  | { kind: "null" }
  | { kind: "time"; value: string }
  | { kind: "secret"; value: string }
  | { kind: "list"; items: GoValue[] }
  | { kind: "map"; entries: [string, GoValue][] };

// go-yaml v3.0.1 resolve.go: `yamlStyleFloat`.
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

const RESOLVE_MAP: Record<string, GoValue> = {
  true: { kind: "bool", value: true },
  True: { kind: "bool", value: true },
  TRUE: { kind: "bool", value: true },
  false: { kind: "bool", value: false },
  False: { kind: "bool", value: false },
  FALSE: { kind: "bool", value: false },
  "": { kind: "null" },
  "~": { kind: "null" },
  null: { kind: "null" },
  Null: { kind: "null" },
  NULL: { kind: "null" },
  ".nan": { kind: "float", value: NaN },
  ".NaN": { kind: "float", value: NaN },
  ".NAN": { kind: "float", value: NaN },
  ".inf": { kind: "float", value: Infinity },
  ".Inf": { kind: "float", value: Infinity },
  ".INF": { kind: "float", value: Infinity },
  "+.inf": { kind: "float", value: Infinity },
  "+.Inf": { kind: "float", value: Infinity },
  "+.INF": { kind: "float", value: Infinity },
  "-.inf": { kind: "float", value: -Infinity },
  "-.Inf": { kind: "float", value: -Infinity },
  "-.INF": { kind: "float", value: -Infinity },
};

export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** Go's strconv.ParseInt(s, 0, 64) / ParseUint: base prefixes, a leading 0 meaning octal. */
export function parseGoInt(s: string, unsigned: boolean): bigint | undefined {
  const m = /^([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m || (unsigned && m[1] !== "")) return undefined;
  const digits = m[2];
  let n: bigint;
  if (/^0[oO]/.test(digits)) n = BigInt(`0o${digits.slice(2)}`);
  else if (/^0[0-7]+$/.test(digits)) n = BigInt(`0o${digits.slice(1)}`);
  else n = BigInt(digits);
  if (m[1] === "-") n = -n;
  if (unsigned) return n <= UINT64_MAX ? n : undefined;
  return n >= INT64_MIN && n <= INT64_MAX ? n : undefined;
}

/** go-yaml v3.0.1 `parseTimestamp`: YYYY-M-D, optionally with a time and zone. */
function parseTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  const m =
    /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:[Tt]| )(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(
      s,
    );
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, zone] = m;
  // The space-separated form takes no zone; the T form needs one (RFC 3339).
  if (h !== undefined && s.includes(" ") === (zone !== undefined)) return undefined;
  const date = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (date.getUTCMonth() !== Number(mo) - 1 || date.getUTCDate() !== Number(d)) return undefined;
  if (h !== undefined && (Number(h) > 23 || Number(mi) > 59 || Number(se) > 59)) return undefined;
  const pad = (v: string | undefined, n = 2) => (v ?? "0").padStart(n, "0");
  const fraction = frac ? `.${frac.replace(/0+$/, "")}`.replace(/^\.$/, "") : "";
  const offset = zone === undefined || zone === "Z" ? "+0000" : zone.replace(":", "");
  // Go's time.Time.String(): "2006-01-02 15:04:05.999999999 -0700 MST"; a fixed offset with
  // no zone name prints the offset again as the name.
  const name = zone === undefined || zone === "Z" ? "UTC" : offset;
  return `${y}-${pad(mo)}-${pad(d)} ${pad(h)}:${pad(mi)}:${pad(se)}${fraction} ${offset} ${name}`;
}

/** go-yaml v3.0.1 `resolve` for a plain (unquoted, untagged) scalar. */
export function resolvePlain(text: string): GoValue {
  const first = text === "" ? "N" : text[0];
  const inMap = Object.prototype.hasOwnProperty.call(RESOLVE_MAP, text);
  if ("yYnNtTfFoO~".includes(first) || text === "")
    return inMap ? RESOLVE_MAP[text] : { kind: "str", value: text };
  if (first === ".") {
    if (inMap) return RESOLVE_MAP[text];
    return YAML_STYLE_FLOAT.test(text)
      ? { kind: "float", value: Number(text) }
      : { kind: "str", value: text };
  }
  if (first === "+" || first === "-" || (first >= "0" && first <= "9")) {
    if (inMap) return RESOLVE_MAP[text];
    const time = parseTimestamp(text);
    if (time !== undefined) return { kind: "time", value: time };
    const plain = text.replace(/_/g, "");
    const n = parseGoInt(plain, false) ?? parseGoInt(plain, true);
    if (n !== undefined) return { kind: "int", value: n };
    if (YAML_STYLE_FLOAT.test(plain)) return { kind: "float", value: Number(plain) };
  }
  return { kind: "str", value: text };
}
