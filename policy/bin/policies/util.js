"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.configWithDefaults = configWithDefaults;
exports.schemaDefaults = schemaDefaults;
exports.asList = asList;
exports.stringsOf = stringsOf;
exports.isRecord = isRecord;
exports.getPath = getPath;
exports.isTrue = isTrue;
exports.show = show;
exports.tagMap = tagMap;
exports.missingTags = missingTags;
exports.isAllowlisted = isAllowlisted;
/**
 * The policy's config with the schema defaults filled in. The Pulumi CLI applies configSchema
 * defaults before it sends config to the pack, but a pack started without config (a test, a
 * `configure` call that never came) gets `{}` from getConfig, so the policies apply their own.
 */
function configWithDefaults(args, defaults) {
    return { ...defaults, ...args.getConfig() };
}
/** The defaults a configSchema declares, keyed by property. */
function schemaDefaults(schema) {
    const out = {};
    for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
        if (prop !== null && typeof prop === "object" && "default" in prop)
            out[key] = prop.default;
    }
    return out;
}
/** A value as a list: undefined → [], a scalar → [it], a list → itself. */
function asList(value) {
    if (value === undefined || value === null)
        return [];
    return Array.isArray(value) ? value : [value];
}
/** Only the strings of a list-or-scalar value. */
function stringsOf(value) {
    return asList(value).filter((v) => typeof v === "string");
}
function isRecord(value) {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
/** Reads `a.b.c` from a props object; undefined if any step is missing. */
function getPath(obj, ...keys) {
    let cur = obj;
    for (const k of keys) {
        if (!isRecord(cur))
            return undefined;
        cur = cur[k];
    }
    return cur;
}
/** A value Terraform-derived providers pass as a string "true" or a boolean true. */
function isTrue(value) {
    return value === true || (typeof value === "string" && value.toLowerCase() === "true");
}
/** JSON.stringify for messages: short and unambiguous. */
function show(value) {
    const s = JSON.stringify(value);
    return s === undefined ? String(value) : s.length > 200 ? s.slice(0, 197) + "..." : s;
}
/** Tags of a resource as a plain map (tags or tagsAll, which includes provider default tags). */
function tagMap(value) {
    return isRecord(value) ? value : {};
}
/** The required keys missing from (or empty in) the union of the given tag maps. */
function missingTags(required, ...maps) {
    return required.filter((key) => !maps.some((m) => typeof m[key] === "string" && m[key].trim() !== ""));
}
/** Whether a resource is on an allowlist of logical names or URNs. */
function isAllowlisted(allow, name, urn) {
    return allow.includes(name) || allow.includes(urn);
}
