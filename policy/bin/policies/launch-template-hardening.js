"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.launchTemplateEncryptedEbs = exports.launchTemplateImdsv2 = exports.LAUNCH_TEMPLATE_ENCRYPTED_EBS = exports.LAUNCH_TEMPLATE_IMDSV2 = void 0;
const resource_types_1 = require("./resource-types");
const util_1 = require("./util");
exports.LAUNCH_TEMPLATE_IMDSV2 = "launch-template-imdsv2";
exports.LAUNCH_TEMPLATE_ENCRYPTED_EBS = "launch-template-encrypted-ebs";
exports.launchTemplateImdsv2 = {
    name: exports.LAUNCH_TEMPLATE_IMDSV2,
    description: 'Requires EC2 launch templates to enforce IMDSv2 (metadataOptions.httpTokens = "required"). IMDSv1 ' +
        "answers any unauthenticated GET, so an SSRF or a container on the host can read the instance role's " +
        "credentials. Mandatory: the fix is one setting and tasks get credentials from a job role anyway.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== resource_types_1.AWS.ec2LaunchTemplate)
            return;
        const tokens = (0, util_1.getPath)(args.props, "metadataOptions", "httpTokens");
        if (tokens !== "required") {
            report(`Launch template "${args.name}": metadataOptions.httpTokens is ${(0, util_1.show)(tokens)}, so IMDSv1 is allowed. ` +
                `Set metadataOptions: { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1 } ` +
                `and give tasks credentials through a Batch job role.`);
        }
    },
};
exports.launchTemplateEncryptedEbs = {
    name: exports.LAUNCH_TEMPLATE_ENCRYPTED_EBS,
    description: "Requires every EBS block device mapping of an EC2 launch template to set ebs.encrypted = true. Scratch " +
        "and Docker volumes hold copies of the lab's (possibly human, access-controlled) sequencing data. " +
        "Mandatory: encryption costs nothing and cannot be turned on for an existing volume.",
    enforcementLevel: "mandatory",
    validateResource: (args, report) => {
        if (args.type !== resource_types_1.AWS.ec2LaunchTemplate)
            return;
        (0, util_1.asList)(args.props.blockDeviceMappings).forEach((m, i) => {
            if (!(0, util_1.isRecord)(m) || !(0, util_1.isRecord)(m.ebs))
                return; // instance-store (virtualName) or noDevice mappings
            if (!(0, util_1.isTrue)(m.ebs.encrypted)) {
                const device = typeof m.deviceName === "string" ? ` (${m.deviceName})` : "";
                report(`Launch template "${args.name}": blockDeviceMappings[${i}]${device}.ebs.encrypted is ` +
                    `${(0, util_1.show)(m.ebs.encrypted)}. Set ebs.encrypted to "true" (and kmsKeyId for a customer-managed key).`);
            }
        });
    },
};
