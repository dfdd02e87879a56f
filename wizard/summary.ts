/** What the wizard prints before and after writing. Pure. */
import * as path from "node:path";
import type { StackSpec } from "../config/spec";
import { ENV_CREDENTIALS, formatCostTags } from "./answers";

/** The resolved settings, one per line. */
export function renderSummary(spec: StackSpec, profile: string, file: string, isNew: boolean): string[] {
  const s = spec.storage;
  const n = spec.network;
  return [
    `Stack ${spec.stack}: ${path.basename(file)}${isNew ? " (new file)" : ""}`,
    `  lab name         ${spec.labName}`,
    `  AWS credentials  ${profile === ENV_CREDENTIALS ? "environment / default credentials (no aws:profile)" : `profile ${profile}`}`,
    `  region           ${spec.region}`,
    `  preset           ${spec.preset.name}: ${spec.manufacturer} ${spec.architecture} ${spec.instanceTypes.join(", ")}; ${s.kind === "gp3" ? `Docker data on the gp3 root volume, matched to each size (up to ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s)` : `Docker data on NVMe instance store (RAID0), root ${s.rootVolumeGiB} GiB ${s.iops} IOPS ${s.throughputMiBps} MiB/s`}`,
    `  compute          spot up to ${spec.maxVcpus} vCPUs (bid ${spec.spotBidPercentage}% of on-demand); ${spec.onDemandMaxVcpus === undefined ? "no on-demand queue" : `on-demand queue up to ${spec.onDemandMaxVcpus} vCPUs`}`,
    `  network          ${n.mode === "new" ? `new VPC ${n.cidrBlock}, ${n.availabilityZones} AZs, NAT ${n.natGateways}` : `existing ${n.vpcId}, subnets ${n.subnetIds.join(", ")}`}`,
    `  work retention   ${spec.workRetentionDays} days (work/ prefix of the work bucket)`,
    `  tags             ${formatCostTags(spec.tags)}`,
    `  budget           ${budgetText(spec)}`,
  ];
}

function budgetText(spec: StackSpec): string {
  const b = spec.budget;
  if (b === undefined)
    return "none (set nextflow-batch:budgetMonthlyUsd and budgetAlertEmails for monthly alerts)";
  return `$${b.limitUsd} a month for the account, alerts at ${b.alertPercent} % and 100 % to ${b.alertEmails.join(", ")}; guard ${b.guard ? "on: disables the job queues at 100 %" : "off"}`;
}

export function nextSteps(stack: string, isNew: boolean): string[] {
  return [
    "Next steps:",
    ...(isNew ? [`  pulumi stack init ${stack}        # if the stack does not exist yet`] : []),
    `  npm run plan -- --stack ${stack}   # offline: resources, host I/O table, policy check`,
    `  pulumi up --stack ${stack}`,
    `  npm run doctor -- --stack ${stack} --smoke   # proves the deployed stack runs a task`,
    `  pulumi stack output nextflowConfig --stack ${stack} > nextflow.config`,
  ];
}
