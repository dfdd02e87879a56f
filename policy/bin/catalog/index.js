"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.BATCH_INSTANCE_KEYWORDS = exports.CATALOG_PATH = void 0;
exports.familyOf = familyOf;
exports.lookupInstanceType = lookupInstanceType;
exports.familyTypes = familyTypes;
exports.allFamilies = allFamilies;
exports.allInstanceTypes = allInstanceTypes;
exports.isBatchInstanceKeyword = isBatchInstanceKeyword;
exports.classifyInstanceTypes = classifyInstanceTypes;
// EC2 instance catalog: lookups over the generated policy/catalog/instance-types.json.
// Pure (no Pulumi); the stack's config validation, the wizard and the policy pack import it.
const fs = __importStar(require("fs"));
const pack_files_1 = require("../pack-files");
/** Path of the generated catalog file (regenerate with policy/catalog/regenerate.sh). */
exports.CATALOG_PATH = (0, pack_files_1.packFile)("catalog", "instance-types.json");
let index;
function deepFreeze(value) {
    if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
        for (const v of Object.values(value))
            deepFreeze(v);
        Object.freeze(value);
    }
    return value;
}
// Loaded on first use and read with fs rather than `import`, so that type-checking a consumer
// does not infer a type for 1,373 literal objects, and so that the compiled pack (bin/) reads the
// one copy under policy/catalog/ instead of a second one emitted next to it.
function load() {
    if (index !== undefined)
        return index;
    const file = JSON.parse(fs.readFileSync(exports.CATALOG_PATH, "utf8"));
    if (file.schemaVersion !== 1)
        throw new Error(`${exports.CATALOG_PATH}: unsupported schemaVersion ${file.schemaVersion}`);
    const byType = new Map();
    const byFamily = new Map();
    for (const raw of file.instanceTypes) {
        // The file omits `ebs`/`instanceStorage` when absent; give every record both keys.
        const t = deepFreeze({
            ...raw,
            ebs: raw.ebs ?? undefined,
            instanceStorage: raw.instanceStorage ?? undefined,
            gpus: raw.gpus ?? undefined,
        });
        byType.set(t.instanceType, t);
        const list = byFamily.get(t.family) ?? [];
        list.push(t);
        byFamily.set(t.family, list);
    }
    for (const list of byFamily.values())
        list.sort(byVcpusThenName);
    index = { byType, byFamily };
    return index;
}
function byVcpusThenName(a, b) {
    if (a.vcpus !== b.vcpus)
        return a.vcpus - b.vcpus;
    return a.instanceType < b.instanceType ? -1 : a.instanceType > b.instanceType ? 1 : 0;
}
/** The family of an instance type name: the prefix before the first "." ("u-6tb1.metal" → "u-6tb1"). */
function familyOf(name) {
    const dot = name.indexOf(".");
    return dot < 0 ? name : name.slice(0, dot);
}
/** One instance type ("m5d.8xlarge"), or undefined when the catalog does not have it. */
function lookupInstanceType(name) {
    return load().byType.get(name);
}
/** The sizes of a family, sorted by vCPUs then name; a new array each call (empty for an unknown family). */
function familyTypes(family) {
    return [...(load().byFamily.get(family) ?? [])];
}
/** Every family in the catalog, sorted. */
function allFamilies() {
    return [...load().byFamily.keys()].sort();
}
/** Every instance type in the catalog, sorted by name; a new array each call. */
function allInstanceTypes() {
    return [...load().byType.values()];
}
/**
 * The families behind AWS Batch's instance-type keywords, as the Batch API reference documents
 * them (ComputeResource.instanceTypes, e.g. the SDK mirrors at
 * https://docs.aws.amazon.com/sdk-for-kotlin/api/latest/batch/aws.sdk.kotlin.services.batch.model/-compute-resource/instance-types.html
 * and the CDK's DefaultInstanceClass):
 * - `optimal`: "c4, m4, r4, c5, m5, and r5"; "starting on 11/01/2025 the behavior of optimal is
 *   going to be changed to match default_x86_64", so both sets are listed (it may launch either
 *   while AWS migrates an environment).
 * - `default_x86_64`: "m6i, c6i, r6i, and c7i".
 * - `default_arm64`: "m6g, c6g, r6g, and c7g".
 * AWS says it may move these keywords to newer generations, so the vendor behind a keyword is
 * not pinned: treat these lists as today's documentation, not a guarantee.
 */
exports.BATCH_INSTANCE_KEYWORDS = Object.freeze({
    optimal: Object.freeze(["c4", "m4", "r4", "c5", "m5", "r5", "m6i", "c6i", "r6i", "c7i"]),
    default_x86_64: Object.freeze(["m6i", "c6i", "r6i", "c7i"]),
    default_arm64: Object.freeze(["m6g", "c6g", "r6g", "c7g"]),
});
/** The architecture a keyword's name guarantees, whatever families AWS picks behind it. */
const KEYWORD_ARCHITECTURE = Object.freeze({
    optimal: "x86_64",
    default_x86_64: "x86_64",
    default_arm64: "arm64",
});
function isBatchInstanceKeyword(entry) {
    return Object.prototype.hasOwnProperty.call(exports.BATCH_INSTANCE_KEYWORDS, entry);
}
/**
 * Classifies a compute environment's `instanceTypes` entries: families ("m5"), sizes
 * ("m5.8xlarge") or Batch keywords.
 *
 * With `keywordsPinned: false` (the default) a keyword counts only for the architecture its name
 * guarantees; its vendor is unknown, so it adds no manufacturer and no types. With
 * `keywordsPinned: true` it resolves to its documented families (BATCH_INSTANCE_KEYWORDS).
 */
function classifyInstanceTypes(entries, opts) {
    const keywordsPinned = opts?.keywordsPinned ?? false;
    const manufacturers = new Set();
    const architectures = new Set();
    let common;
    const unknown = [];
    const keywords = [];
    const withoutInstanceStorage = [];
    const withGpus = [];
    const withoutSpot = [];
    const types = new Map();
    const addArchitectures = (archs) => {
        for (const a of archs)
            architectures.add(a);
        common = common === undefined ? new Set(archs) : new Set([...common].filter((a) => archs.includes(a)));
    };
    for (const entry of entries) {
        let resolved;
        if (isBatchInstanceKeyword(entry)) {
            keywords.push(entry);
            if (!keywordsPinned) {
                addArchitectures([KEYWORD_ARCHITECTURE[entry]]);
                // The documented keyword families are all EBS-only, and an unpinned one promises nothing.
                withoutInstanceStorage.push(entry);
                continue;
            }
            resolved = exports.BATCH_INSTANCE_KEYWORDS[entry].flatMap((f) => familyTypes(f));
        }
        else {
            const single = lookupInstanceType(entry);
            resolved = single !== undefined ? [single] : familyTypes(entry);
        }
        if (resolved.length === 0) {
            unknown.push(entry);
            continue;
        }
        for (const t of resolved) {
            manufacturers.add(t.manufacturer);
            addArchitectures(t.architectures);
            types.set(t.instanceType, t);
        }
        if (resolved.some((t) => t.instanceStorage === undefined))
            withoutInstanceStorage.push(entry);
        if (resolved.some((t) => t.gpus !== undefined))
            withGpus.push(entry);
        if (resolved.some((t) => !t.spot))
            withoutSpot.push(entry);
    }
    return {
        manufacturers: [...manufacturers].sort(),
        architectures: [...architectures].sort(),
        commonArchitectures: [...(common ?? [])].sort(),
        unknown,
        keywords,
        withoutInstanceStorage,
        withGpus,
        withoutSpot,
        types: [...types.values()],
    };
}
