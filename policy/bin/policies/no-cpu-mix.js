"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.noCpuMixJobQueue = exports.noCpuMix = exports.NO_CPU_MIX_DEFAULTS = exports.NO_CPU_MIX_JOB_QUEUE = exports.NO_CPU_MIX = void 0;
exports.ec2InstanceTypes = ec2InstanceTypes;
exports.queueComputeEnvironments = queueComputeEnvironments;
const catalog_1 = require("../catalog");
const resource_types_1 = require("./resource-types");
const util_1 = require("./util");
exports.NO_CPU_MIX = "no-cpu-mix";
exports.NO_CPU_MIX_JOB_QUEUE = "no-cpu-mix-job-queue";
exports.NO_CPU_MIX_DEFAULTS = { allowUnpinnedKeywords: false };
const configSchema = {
    properties: {
        allowUnpinnedKeywords: {
            type: "boolean",
            default: exports.NO_CPU_MIX_DEFAULTS.allowUnpinnedKeywords,
            description: "Accept Batch instance-type keywords (optimal, default_x86_64, default_arm64), checked as their documented families.",
        },
    },
};
/**
 * The EC2 instance types of a compute environment's props, or undefined for Fargate/unmanaged
 * ones: `computeResources.instanceTypes` and any launch template override's
 * `targetInstanceTypes` (Batch requires those to be a subset, but a mix there is a mix too).
 */
function ec2InstanceTypes(props) {
    const cr = props.computeResources;
    if (!(0, util_1.isRecord)(cr))
        return undefined; // UNMANAGED: no compute resources
    const type = typeof cr.type === "string" ? cr.type.toUpperCase() : "";
    if (type === "FARGATE" || type === "FARGATE_SPOT")
        return undefined;
    const overrides = (0, util_1.getPath)(cr, "launchTemplate", "overrides") ?? [];
    const targets = (Array.isArray(overrides) ? overrides : []).flatMap((o) => (0, util_1.stringsOf)((0, util_1.getPath)(o, "targetInstanceTypes")));
    return [...new Set([...(0, util_1.stringsOf)(cr.instanceTypes), ...targets])];
}
const ARCH_FIX = "Put each architecture in its own compute environment and job queue (AWS rejects x86_64 with arm64 in one).";
const VENDOR_FIX = "Use families of one manufacturer per compute environment and queue (e.g. m5/c5/r5 for Intel, " +
    "m6a/c6a/r6a for AMD): software built on one vendor's hosts (conda, -march=native) crashes with " +
    "illegal instructions on the other's.";
/** The mix problems of one classification, phrased for `subject`. */
function mixProblems(subject, c) {
    const problems = [];
    const byVendor = (m) => `${m}: ${[...new Set(c.types.filter((t) => t.manufacturer === m).map((t) => t.family))].join(", ")}`;
    if (c.manufacturers.length > 1) {
        problems.push(`${subject} mixes CPU manufacturers (${c.manufacturers.map(byVendor).join("; ")}). ${VENDOR_FIX}`);
    }
    if (c.architectures.length > 0 && c.commonArchitectures.length === 0) {
        problems.push(`${subject} mixes CPU architectures (${c.architectures.join(", ")}). ${ARCH_FIX}`);
    }
    return problems;
}
exports.noCpuMix = {
    name: exports.NO_CPU_MIX,
    description: "Rejects an AWS Batch compute environment whose instanceTypes span more than one CPU manufacturer or " +
        "architecture, use an instance family the catalog does not know, or (unless allowUnpinnedKeywords) use a " +
        "Batch keyword whose vendor AWS may change. Conda environments built on Intel hosts crash on AMD hosts.",
    enforcementLevel: "mandatory",
    configSchema,
    validateResource: (args, report) => {
        if (!resource_types_1.COMPUTE_ENVIRONMENT_TYPES.includes(args.type))
            return;
        const cfg = (0, util_1.configWithDefaults)(args, exports.NO_CPU_MIX_DEFAULTS);
        const entries = ec2InstanceTypes(args.props);
        if (entries === undefined || entries.length === 0)
            return;
        const c = (0, catalog_1.classifyInstanceTypes)(entries, { keywordsPinned: cfg.allowUnpinnedKeywords });
        const subject = `Compute environment "${args.name}" (instanceTypes ${JSON.stringify(entries)})`;
        if (c.unknown.length > 0) {
            report(`${subject} lists ${c.unknown.map((u) => `"${u}"`).join(", ")}, not in the instance catalog, so its CPU ` +
                `vendor cannot be checked. Fix the spelling, or regenerate policy/catalog from a current ` +
                `describe-instance-types dump if the family is new.`);
        }
        if (!cfg.allowUnpinnedKeywords && c.keywords.length > 0) {
            report(`${subject} uses Batch keyword ${c.keywords.map((k) => `"${k}"`).join(", ")}: AWS may move a keyword to ` +
                `other families, so the CPU vendor is not pinned. List families instead (e.g. "m6i", "c6i", "r6i"), or set ` +
                `${exports.NO_CPU_MIX}'s allowUnpinnedKeywords to true.`);
        }
        for (const p of mixProblems(subject, c))
            report(p);
    },
};
/** The compute environment a queue's reference names: by ARN, then by Batch name, then logical name. */
function findComputeEnvironment(ref, ces) {
    return (ces.find((ce) => ce.props.arn === ref || ce.props.computeEnvironmentArn === ref) ??
        ces.find((ce) => ce.props.name === ref || ce.props.computeEnvironmentName === ref) ??
        ces.find((ce) => ce.name === ref));
}
/**
 * How a job queue names its compute environments. `computeEnvironments` (a list of ARNs) is the
 * field @pulumi/aws 6 and older deprecated in favour of `computeEnvironmentOrders`; 7.x removed
 * it, but stacks on older provider versions still send it, with the same type token.
 */
const QUEUE_FIELDS = [
    {
        prop: "computeEnvironmentOrders",
        refs: (value) => (Array.isArray(value) ? [...value] : []).map((order) => (0, util_1.getPath)(order, "computeEnvironment")),
    },
    { prop: "computeEnvironments", refs: (value) => (Array.isArray(value) ? [...value] : []) },
];
/** The compute environments of `queue` found in the stack, in field order, each once. */
function queueComputeEnvironments(queue, ces) {
    const found = [];
    for (const field of QUEUE_FIELDS) {
        // The engine's property dependencies name the environments even in a preview, when their
        // ARNs (and so the queue's references) are still unknown; without them, match the references.
        const byDependency = (queue.propertyDependencies?.[field.prop] ?? []).filter((d) => resource_types_1.COMPUTE_ENVIRONMENT_TYPES.includes(d.type));
        const targets = byDependency.length > 0
            ? byDependency
            : field
                .refs(queue.props[field.prop])
                .filter((ref) => typeof ref === "string")
                .map((ref) => findComputeEnvironment(ref, ces))
                .filter((ce) => ce !== undefined);
        for (const ce of targets)
            if (!found.some((f) => f.urn === ce.urn))
                found.push(ce);
    }
    return found;
}
exports.noCpuMixJobQueue = {
    name: exports.NO_CPU_MIX_JOB_QUEUE,
    description: "Rejects an AWS Batch job queue whose EC2 compute environments together span more than one CPU " +
        "manufacturer or architecture: a job may land on either, so a queue mixes vendors even when each " +
        "compute environment does not. Reads computeEnvironmentOrders and the deprecated computeEnvironments " +
        "of older provider versions. Fargate environments and references outside the stack are skipped.",
    enforcementLevel: "mandatory",
    configSchema,
    validateStack: (args, report) => {
        const cfg = (0, util_1.configWithDefaults)(args, exports.NO_CPU_MIX_DEFAULTS);
        const ces = args.resources.filter((r) => resource_types_1.COMPUTE_ENVIRONMENT_TYPES.includes(r.type));
        for (const queue of args.resources.filter((r) => r.type === resource_types_1.AWS.batchJobQueue)) {
            const entries = [];
            const members = [];
            for (const ce of queueComputeEnvironments(queue, ces)) {
                const types = ec2InstanceTypes(ce.props);
                if (types === undefined || types.length === 0)
                    continue;
                members.push(ce.name);
                entries.push(...types);
            }
            if (members.length < 2)
                continue; // a single environment is no-cpu-mix's job
            const c = (0, catalog_1.classifyInstanceTypes)(entries, { keywordsPinned: cfg.allowUnpinnedKeywords });
            const subject = `Job queue "${queue.name}" (compute environments ${members.map((m) => `"${m}"`).join(", ")})`;
            for (const p of mixProblems(subject, c))
                report(p, queue.urn);
        }
    },
};
