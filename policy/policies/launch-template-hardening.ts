// launch-template-imdsv2 / launch-template-encrypted-ebs: host hygiene for Batch instances.
import type { ResourceValidationPolicy } from "@pulumi/policy";
import { AWS } from "./resource-types";
import { asList, getPath, isRecord, isTrue, show } from "./util";

export const LAUNCH_TEMPLATE_IMDSV2 = "launch-template-imdsv2";
export const LAUNCH_TEMPLATE_ENCRYPTED_EBS = "launch-template-encrypted-ebs";

export const launchTemplateImdsv2: ResourceValidationPolicy = {
  name: LAUNCH_TEMPLATE_IMDSV2,
  description:
    'Requires EC2 launch templates to enforce IMDSv2 (metadataOptions.httpTokens = "required"). IMDSv1 ' +
    "answers any unauthenticated GET, so an SSRF or a container on the host can read the instance role's " +
    "credentials. Mandatory: the fix is one setting and tasks get credentials from a job role anyway.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== AWS.ec2LaunchTemplate) return;
    const tokens = getPath(args.props, "metadataOptions", "httpTokens");
    if (tokens !== "required") {
      report(
        `Launch template "${args.name}": metadataOptions.httpTokens is ${show(tokens)}, so IMDSv1 is allowed. ` +
          `Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } ` +
          `and give tasks credentials through a Batch job role.`,
      );
    }
  },
};

export const launchTemplateEncryptedEbs: ResourceValidationPolicy = {
  name: LAUNCH_TEMPLATE_ENCRYPTED_EBS,
  description:
    "Requires every EBS block device mapping of an EC2 launch template to set ebs.encrypted = true. Scratch " +
    "and Docker volumes hold copies of the lab's (possibly human, access-controlled) sequencing data. " +
    "Mandatory: encryption costs nothing and cannot be turned on for an existing volume.",
  enforcementLevel: "mandatory",
  validateResource: (args, report) => {
    if (args.type !== AWS.ec2LaunchTemplate) return;
    asList(args.props.blockDeviceMappings).forEach((m, i) => {
      if (!isRecord(m) || !isRecord(m.ebs)) return; // instance-store (virtualName) or noDevice mappings
      if (!isTrue(m.ebs.encrypted)) {
        const device = typeof m.deviceName === "string" ? ` (${m.deviceName})` : "";
        report(
          `Launch template "${args.name}": blockDeviceMappings[${i}]${device}.ebs.encrypted is ` +
            `${show(m.ebs.encrypted)}. Set ebs.encrypted to "true" (and kmsKeyId for a customer-managed key).`,
        );
      }
    });
  },
};
