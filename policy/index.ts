// Entry point of the nextflow-batch policy pack: constructs the PolicyPack and nothing else.
// Constructing it starts the analyzer's gRPC server, so nothing else may import this file.
import { PolicyPack } from "@pulumi/policy";
import { POLICY_PACK_NAME, policies } from "./policies";

new PolicyPack(POLICY_PACK_NAME, { policies });
