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
var __exportStar = (this && this.__exportStar) || function(m, exports) {
    for (var p in m) if (p !== "default" && !Object.prototype.hasOwnProperty.call(exports, p)) __createBinding(exports, m, p);
};
Object.defineProperty(exports, "__esModule", { value: true });
exports.policies = exports.POLICY_PACK_NAME = void 0;
const launch_template_hardening_1 = require("./launch-template-hardening");
const no_cpu_mix_1 = require("./no-cpu-mix");
const no_full_access_iam_1 = require("./no-full-access-iam");
const required_cost_tags_1 = require("./required-cost-tags");
const s3_bucket_hygiene_1 = require("./s3-bucket-hygiene");
const spot_max_vcpus_1 = require("./spot-max-vcpus");
__exportStar(require("./launch-template-hardening"), exports);
__exportStar(require("./no-cpu-mix"), exports);
__exportStar(require("./no-full-access-iam"), exports);
__exportStar(require("./required-cost-tags"), exports);
__exportStar(require("./s3-bucket-hygiene"), exports);
__exportStar(require("./spot-max-vcpus"), exports);
/** The pack's name (pulumi policy publish/enable use it). */
exports.POLICY_PACK_NAME = "nextflow-batch";
exports.policies = [
    no_full_access_iam_1.noFullAccessIam,
    no_cpu_mix_1.noCpuMix,
    no_cpu_mix_1.noCpuMixJobQueue,
    launch_template_hardening_1.launchTemplateImdsv2,
    launch_template_hardening_1.launchTemplateEncryptedEbs,
    s3_bucket_hygiene_1.s3BlockPublicAccess,
    s3_bucket_hygiene_1.s3RequireTls,
    spot_max_vcpus_1.spotMaxVcpus,
    required_cost_tags_1.requiredCostTags,
];
