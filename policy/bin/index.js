"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
// Entry point of the nextflow-batch policy pack: constructs the PolicyPack and nothing else.
// Constructing it starts the analyzer's gRPC server, so nothing else may import this file.
const policy_1 = require("@pulumi/policy");
const policies_1 = require("./policies");
new policy_1.PolicyPack(policies_1.POLICY_PACK_NAME, { policies: policies_1.policies });
