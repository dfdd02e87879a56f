// Every policy of the nextflow-batch pack, in the order the pack reports them. Side-effect free:
// tests, policy/analyze.ts and tools import this; only policy/index.ts starts the analyzer.
import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { launchTemplateEncryptedEbs, launchTemplateImdsv2 } from "./launch-template-hardening";
import { noCpuMix, noCpuMixJobQueue } from "./no-cpu-mix";
import { noFullAccessIam } from "./no-full-access-iam";
import { requiredCostTags } from "./required-cost-tags";
import { s3BlockPublicAccess, s3RequireTls } from "./s3-bucket-hygiene";
import { spotMaxVcpus } from "./spot-max-vcpus";

export * from "./launch-template-hardening";
export * from "./no-cpu-mix";
export * from "./no-full-access-iam";
export * from "./required-cost-tags";
export * from "./s3-bucket-hygiene";
export * from "./spot-max-vcpus";

/** The pack's name (pulumi policy publish/enable use it). */
export const POLICY_PACK_NAME = "nextflow-batch";

export const policies: (ResourceValidationPolicy | StackValidationPolicy)[] = [
  noFullAccessIam,
  noCpuMix,
  noCpuMixJobQueue,
  launchTemplateImdsv2,
  launchTemplateEncryptedEbs,
  s3BlockPublicAccess,
  s3RequireTls,
  spotMaxVcpus,
  requiredCostTags,
];
