// required-cost-tags: cost-allocation tags on what bills (instances, volumes).
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS, AWS_NATIVE } from "./resource-types";
import { asList, configWithDefaults, getPath, isRecord, missingTags, tagMap } from "./util";

export const REQUIRED_COST_TAGS = "required-cost-tags";

export interface RequiredCostTagsConfig {
  /** Tag keys that must be present with a non-empty value. */
  readonly requiredTags: string[];
}

export const REQUIRED_COST_TAGS_DEFAULTS: RequiredCostTagsConfig = { requiredTags: ["lab"] };

export const requiredCostTags: ResourceValidationPolicy = {
  name: REQUIRED_COST_TAGS,
  description:
    "Requires cost-allocation tags (default: lab) on AWS Batch compute environments (tags, and " +
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
        default: REQUIRED_COST_TAGS_DEFAULTS.requiredTags,
        description: "Tag keys that must be present with a non-empty value.",
      },
    },
  },
  validateResource: (args, report) => {
    const cfg = configWithDefaults(args, REQUIRED_COST_TAGS_DEFAULTS);
    const required = cfg.requiredTags;
    if (required.length === 0) return;
    const list = (keys: string[]): string => keys.map((k) => `"${k}"`).join(", ");
    // tagsAll (outputs) includes the provider's default tags, which satisfy the requirement too.
    const own = [tagMap(args.props.tags), tagMap(args.props.tagsAll)];

    if (args.type === AWS.batchComputeEnvironment || args.type === AWS_NATIVE.batchComputeEnvironment) {
      // aws-native's top-level tags are create-only (CloudFormation replaces the environment on a
      // tag edit), so only the instances' tags are asked of it; the environment itself bills nothing.
      const missing = args.type === AWS.batchComputeEnvironment ? missingTags(required, ...own) : [];
      if (missing.length > 0) {
        report(`Compute environment "${args.name}": tags lack ${list(missing)}. Add them to tags.`);
      }
      const cr = args.props.computeResources;
      const type = isRecord(cr) && typeof cr.type === "string" ? cr.type.toUpperCase() : "";
      // Fargate resources do not take computeResources.tags; unmanaged environments have none.
      if (!isRecord(cr) || type === "FARGATE" || type === "FARGATE_SPOT") return;
      const missingOnInstances = missingTags(required, tagMap(cr.tags));
      if (missingOnInstances.length > 0) {
        report(
          `Compute environment "${args.name}": computeResources.tags lack ${list(missingOnInstances)}, so the ` +
            `instances it launches are untagged. Add them to computeResources.tags (this replaces an existing ` +
            `compute environment) or to the launch template's tagSpecifications.`,
        );
      }
    } else if (args.type === AWS.ec2LaunchTemplate) {
      const specs = asList(args.props.tagSpecifications).map((s) => tagMap(getPath(s, "tags")));
      const missing = missingTags(required, ...own, ...specs);
      if (missing.length > 0) {
        report(
          `Launch template "${args.name}": neither tags nor tagSpecifications carry ${list(missing)}. Add ` +
            `tagSpecifications for resourceType "instance" and "volume" with these tags.`,
        );
      }
    }
  },
};
