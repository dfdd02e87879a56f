/**
 * The AWS calls that fetch what the rules read. Each goes through `call` (so a denial names
 * its action) and, through {@link Gatherer.attempt}, turns a denial into a finding instead of
 * stopping the run: the doctor checks what it may and says what it could not.
 *
 * The Gatherer holds the run's context and denials; its lookups are in doctor/lookups/, one
 * module per concern (batch, hosts, consoleOutput, launchTemplate, network, iam), and its methods
 * hand over to them, so callers need only the Gatherer.
 */
import type { ComputeEnvironmentDetail } from "@aws-sdk/client-batch";
import { call, PermissionError, type AwsClients } from "./aws";
import { error, warning, type Finding } from "./findings";
import * as batch from "./lookups/batch";
import * as consoleOutput from "./lookups/consoleOutput";
import * as hosts from "./lookups/hosts";
import * as iam from "./lookups/iam";
import * as launchTemplate from "./lookups/launchTemplate";
import * as network from "./lookups/network";
import { permissionOf, type DoctorAction } from "./permissions";
import type { Host, InstanceShape } from "./rules/waiting";

export interface GatherContext {
  readonly clients: AwsClients;
  /** The AWS profile in use, for messages. */
  readonly profile: string | undefined;
  /** Who the credentials are (sts:GetCallerIdentity's Arn), for messages. */
  readonly callerArn: string;
  readonly launcherPolicyArn: string;
  readonly stack: string;
  readonly now: () => Date;
}

export class Gatherer {
  /** Findings about permissions the doctor lacked, one per action. */
  readonly denied: Finding[] = [];
  private readonly deniedActions = new Set<string>();

  constructor(readonly ctx: GatherContext) {}

  /** `call` bound to this run's profile. */
  call<T>(action: DoctorAction, fn: () => Promise<T>): Promise<T> {
    return call(action, this.ctx.profile, fn);
  }

  /**
   * Runs `fn`; a denied permission becomes a finding (once per action) and the result
   * undefined, so the check is skipped and the run goes on.
   */
  async attempt<T>(what: string, fn: () => Promise<T>): Promise<T | undefined> {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof PermissionError)) throw e;
      this.recordDenied(e.action, what, e.awsMessage);
      return undefined;
    }
  }

  recordDenied(action: string, what: string, awsMessage: string): void {
    if (this.deniedActions.has(action)) return;
    this.deniedActions.add(action);
    this.denied.push(deniedFinding(action, what, awsMessage, this.ctx));
  }

  // -------------------------------------------------------------------------------------------
  // Batch: lookups/batch.ts.

  jobQueues(names: readonly string[]) {
    return batch.jobQueues(this, names);
  }

  computeEnvironments(arns: readonly string[]) {
    return batch.computeEnvironments(this, arns);
  }

  /** RUNNABLE jobs of a queue created more than `olderThanMs` ago, described (at most 100). */
  runnableJobs(queue: string, olderThanMs: number) {
    return batch.runnableJobs(this, queue, olderThanMs);
  }

  describeJobs(ids: readonly string[]) {
    return batch.describeJobs(this, ids);
  }

  // -------------------------------------------------------------------------------------------
  // A compute environment's instance types and hosts: lookups/hosts.ts, lookups/consoleOutput.ts.

  /** vCPUs and memory of the instance types; undefined for Batch keywords ("optimal"). */
  shapes(instanceTypes: readonly string[] | undefined) {
    return hosts.shapes(this, instanceTypes);
  }

  /** The hosts Batch launched for a compute environment, and whether each joined its ECS cluster. */
  hosts(ce: ComputeEnvironmentDetail) {
    return hosts.hosts(this, ce);
  }

  /** Adds the bootstrap lines of (a few of) the hosts that never registered. */
  withConsole(hosts: Host[] | undefined) {
    return consoleOutput.withConsole(this, hosts);
  }

  /** Recent scaling activities of the environment's Auto Scaling group, newest first. */
  activities(ce: ComputeEnvironmentDetail) {
    return hosts.activities(this, ce);
  }

  /** Everything the waiting-job rules read about one environment, fetched now. */
  view(ce: ComputeEnvironmentDetail, opts: { shapes?: InstanceShape[] } = {}) {
    return hosts.view(this, ce, opts);
  }

  // -------------------------------------------------------------------------------------------
  // Launch template, network, roles: lookups/launchTemplate.ts, network.ts, iam.ts.

  launchTemplateVersions(lt: { launchTemplateId?: string; launchTemplateName?: string; version?: string }) {
    return launchTemplate.launchTemplateVersions(this, lt);
  }

  subnets(ids: readonly string[]) {
    return network.subnets(this, ids);
  }

  /** The route table a subnet uses: its explicit association, else the VPC's main table. */
  routeTable(subnetId: string, vpcId: string) {
    return network.routeTable(this, subnetId, vpcId);
  }

  vpcEndpoints(ids: readonly string[]) {
    return network.vpcEndpoints(this, ids);
  }

  instanceProfile(arn: string) {
    return iam.instanceProfile(this, arn);
  }

  attachedPolicies(roleName: string) {
    return iam.attachedPolicies(this, roleName);
  }

  role(arn: string) {
    return iam.role(this, arn);
  }
}

/** The finding for an action the caller may not perform. */
export function deniedFinding(
  action: string,
  what: string,
  awsMessage: string,
  ctx: Pick<GatherContext, "callerArn" | "launcherPolicyArn">,
): Finding {
  const p = permissionOf(action);
  const evidence = [awsMessage];
  if (p === undefined || p.grantedBy === "launcher") {
    return error(
      "permission-denied",
      action,
      `${ctx.callerArn} may not call ${action}${p ? ` (${p.why})` : ""}. The stack's launcher policy grants it because Nextflow needs it: Nextflow run as this identity would fail too.`,
      `attach the launcher policy ${ctx.launcherPolicyArn} to this user, group or role (or run with the profile you deploy with)`,
      evidence,
    );
  }
  return warning(
    "permission-denied",
    action,
    `not checked: ${what}. ${ctx.callerArn} may not call ${action}, which the doctor needs beyond the launcher policy (${p.why}).`,
    `run the doctor with the profile you deploy with, or grant ${action} (README: "verify your deployment" lists every permission)`,
    evidence,
  );
}
