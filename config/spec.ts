/**
 * The resolved stack: everything the program builds from, typed. Field types come from the
 * config table (./keys), so a key's type is declared once.
 */
import type { CpuArchitecture, HostStorageSpec, Preset } from "../presets";
import type { ConfigValues } from "./keys";
import type { StackNames } from "./names";

export type NetworkSpec =
  | {
      readonly mode: "new";
      /** `single`: one NAT gateway for the VPC (cheap); `onePerAz`: one per AZ (survives an AZ outage). */
      readonly natGateways: ConfigValues["natGateways"];
      readonly availabilityZones: ConfigValues["availabilityZones"];
      readonly cidrBlock: ConfigValues["vpcCidr"];
    }
  | {
      readonly mode: "existing";
      readonly vpcId: ConfigValues["vpcId"];
      readonly subnetIds: ConfigValues["subnetIds"];
    };

/** The lab account's monthly AWS Budgets cost budget; see components/labBudget.ts. */
export interface BudgetSpec {
  /** The budget's name: unique in the account, checked against AWS's rule (config/budget.ts). */
  readonly name: string;
  readonly limitUsd: ConfigValues["budgetMonthlyUsd"];
  readonly alertEmails: ConfigValues["budgetAlertEmails"];
  readonly alertPercent: ConfigValues["budgetAlertPercent"];
  /** Disable the stack's job queues when actual spend passes the limit. */
  readonly guard: ConfigValues["budgetGuard"];
}

/** The ECR pull-through cache, when the stack has one. */
export interface ContainerCacheSpec {
  /** Starts every rule prefix: `<prefix>-quay`, `<prefix>-ecr-public`, `<prefix>-docker-hub`. */
  readonly prefix: string;
  readonly unqualifiedImages: ConfigValues["unqualifiedImages"];
  /** The Docker Hub credential's secret ARN; undefined: no Docker Hub rule. */
  readonly dockerHubCredentialArn: string | undefined;
  readonly cachedImageExpiryDays: ConfigValues["cachedImageExpiryDays"];
}

/** Everything the program builds from, resolved. */
export interface StackSpec extends Pick<
  ConfigValues,
  | "labName"
  | "instanceTypes"
  | "maxVcpus"
  | "spotBidPercentage"
  | "inputBuckets"
  | "workRetentionDays"
  | "logRetentionDays"
  | "runnableTimeoutMinutes"
  | "maxSpotAttempts"
  | "hostAmiVersion"
> {
  readonly project: string;
  readonly stack: string;
  readonly region: string;
  /** `aws:profile`, when the stack sets one: the aws-native provider needs it passed explicitly. */
  readonly awsProfile: string | undefined;
  readonly preset: Preset;
  /** The single CPU vendor of {@link instanceTypes}. */
  readonly manufacturer: string;
  readonly architecture: CpuArchitecture;
  readonly storage: HostStorageSpec;
  /** Max vCPUs of the on-demand compute environment; `undefined` when the on-demand queue is off. */
  readonly onDemandMaxVcpus: ConfigValues["onDemandMaxVcpus"] | undefined;
  readonly network: NetworkSpec;
  /** Job queue and log group names, checked against AWS's rules. */
  readonly names: StackNames;
  /** The monthly budget; `undefined` when budgetMonthlyUsd is unset (no budget). */
  readonly budget: BudgetSpec | undefined;
  /** The image cache; undefined when containerCache is off. */
  readonly containerCache: ContainerCacheSpec | undefined;
  /** Tags on every taggable resource, instances and volumes included: the lab's cost attribution. */
  readonly tags: Readonly<Record<string, string>>;
}

export interface StackIdentity {
  readonly project: string;
  readonly stack: string;
}

/** Raised with every problem found, one clear line each. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.join("\n"));
    this.name = "ConfigError";
  }
}
