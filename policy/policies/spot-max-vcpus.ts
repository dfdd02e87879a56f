// spot-max-vcpus: a cost bound on spot compute environments.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS_NATIVE, COMPUTE_ENVIRONMENT_TYPES } from "./resource-types";
import { configWithDefaults, getPath, show } from "./util";

export const SPOT_MAX_VCPUS = "spot-max-vcpus";

export interface SpotMaxVcpusConfig {
  /** The largest maxVcpus a SPOT compute environment may have. */
  readonly maxVcpus: number;
}

// 4096 vCPUs is 64 m5.16xlarge hosts: far more than one lab's pipeline usually runs at once, yet
// at spot prices (roughly $0.02-0.04 per vCPU-hour) a queue stuck at that size still costs about
// $2,000-4,000 a day. Above it, raising the cap should be a recorded decision (policy config).
export const SPOT_MAX_VCPUS_DEFAULTS: SpotMaxVcpusConfig = { maxVcpus: 4096 };

export const spotMaxVcpus: ResourceValidationPolicy = {
  name: SPOT_MAX_VCPUS,
  description:
    "Requires SPOT compute environments to cap computeResources.maxVcpus (default at most 4096), so a " +
    "runaway or stuck pipeline cannot scale without bound. Advisory by default: large runs are legitimate, " +
    "the cap is a cost guard rather than a security control; make it mandatory per policy group if wanted.",
  enforcementLevel: "advisory",
  configSchema: {
    properties: {
      maxVcpus: {
        type: "integer",
        minimum: 1,
        default: SPOT_MAX_VCPUS_DEFAULTS.maxVcpus,
        description: "Largest maxVcpus allowed for a SPOT compute environment.",
      },
    },
  },
  validateResource: (args, report) => {
    if (!COMPUTE_ENVIRONMENT_TYPES.includes(args.type)) return;
    const type = getPath(args.props, "computeResources", "type");
    if (typeof type !== "string" || type.toUpperCase() !== "SPOT") return;
    const cfg = configWithDefaults(args, SPOT_MAX_VCPUS_DEFAULTS);
    // CloudFormation's spelling in aws-native: maxvCpus.
    const field = args.type === AWS_NATIVE.batchComputeEnvironment ? "maxvCpus" : "maxVcpus";
    const max = getPath(args.props, "computeResources", field);
    if (typeof max !== "number" || !Number.isFinite(max) || max > cfg.maxVcpus) {
      report(
        `Spot compute environment "${args.name}": computeResources.${field} is ${show(max)}, above the cap of ` +
          `${cfg.maxVcpus}. Lower maxVcpus, or raise ${SPOT_MAX_VCPUS}'s maxVcpus in the policy config if the lab ` +
          `has budgeted for it.`,
      );
    }
  },
};
