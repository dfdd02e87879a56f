"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.requiredCostTags = exports.REQUIRED_COST_TAGS_DEFAULTS = exports.REQUIRED_COST_TAGS = void 0;
const resource_types_1 = require("./resource-types");
const util_1 = require("./util");
exports.REQUIRED_COST_TAGS = "required-cost-tags";
exports.REQUIRED_COST_TAGS_DEFAULTS = { requiredTags: ["lab"] };
exports.requiredCostTags = {
    name: exports.REQUIRED_COST_TAGS,
    description: "Requires cost-allocation tags (default: lab) on AWS Batch compute environments (tags, and " +
        "computeResources.tags, which Batch puts on the instances) and EC2 launch templates (tags or " +
        "tagSpecifications, which tag instances and volumes): EC2 is most of a pipeline's bill and tags are how " +
        "admins see who spent it. Advisory by default: adding computeResources.tags later replaces the " +
        "compute environment, so existing stacks should migrate deliberately rather than be blocked.",
    enforcementLevel: "advisory",
    configSchema: {
        properties: {
            requiredTags: {
                type: "array",
                items: { type: "string" },
                default: exports.REQUIRED_COST_TAGS_DEFAULTS.requiredTags,
                description: "Tag keys that must be present with a non-empty value.",
            },
        },
    },
    validateResource: (args, report) => {
        const cfg = (0, util_1.configWithDefaults)(args, exports.REQUIRED_COST_TAGS_DEFAULTS);
        const required = cfg.requiredTags;
        if (required.length === 0)
            return;
        const list = (keys) => keys.map((k) => `"${k}"`).join(", ");
        // tagsAll (outputs) includes the provider's default tags, which satisfy the requirement too.
        const own = [(0, util_1.tagMap)(args.props.tags), (0, util_1.tagMap)(args.props.tagsAll)];
        if (args.type === resource_types_1.AWS.batchComputeEnvironment || args.type === resource_types_1.AWS_NATIVE.batchComputeEnvironment) {
            // aws-native's top-level tags are create-only (CloudFormation replaces the environment on a
            // tag edit), so only the instances' tags are asked of it; the environment itself bills nothing.
            const missing = args.type === resource_types_1.AWS.batchComputeEnvironment ? (0, util_1.missingTags)(required, ...own) : [];
            if (missing.length > 0) {
                report(`Compute environment "${args.name}": tags lack ${list(missing)}. Add them to tags.`);
            }
            const cr = args.props.computeResources;
            const type = (0, util_1.isRecord)(cr) && typeof cr.type === "string" ? cr.type.toUpperCase() : "";
            // Fargate resources do not take computeResources.tags; unmanaged environments have none.
            if (!(0, util_1.isRecord)(cr) || type === "FARGATE" || type === "FARGATE_SPOT")
                return;
            const missingOnInstances = (0, util_1.missingTags)(required, (0, util_1.tagMap)(cr.tags));
            if (missingOnInstances.length > 0) {
                report(`Compute environment "${args.name}": computeResources.tags lack ${list(missingOnInstances)}, so the ` +
                    `instances it launches are untagged. Add them to computeResources.tags (this replaces an existing ` +
                    `compute environment) or to the launch template's tagSpecifications.`);
            }
        }
        else if (args.type === resource_types_1.AWS.ec2LaunchTemplate) {
            const specs = (0, util_1.asList)(args.props.tagSpecifications).map((s) => (0, util_1.tagMap)((0, util_1.getPath)(s, "tags")));
            const missing = (0, util_1.missingTags)(required, ...own, ...specs);
            if (missing.length > 0) {
                report(`Launch template "${args.name}": neither tags nor tagSpecifications carry ${list(missing)}. Add ` +
                    `tagSpecifications for resourceType "instance" and "volume" with these tags.`);
            }
        }
    },
};
