/**
 * The config table's named constants: built-in defaults (the merge order's first layer), the
 * fixed values AWS offers, and the choices some keys take. Pure data; ./keys.ts re-exports it.
 */

/** The Pulumi project name, and so the namespace of every config key. A public contract. */
export const PROJECT = "nextflow-batch";

export type NatGatewayMode = "single" | "onePerAz";
export type NetworkMode = "new" | "existing";
/**
 * What the generated nextflow.config does with image names that name no registry host
 * (`biocontainers/fastqc:0.12.1--hdfd78af_0`): Nextflow prefixes them with `docker.registry`.
 * `quayCache`: the quay.io cache, as nf-core's own `docker.registry = 'quay.io'` means;
 * `dockerHubCache`: the Docker Hub cache, as Docker's default means (needs the credential);
 * `unchanged`: no `docker.registry` line, the pipeline's own setting (or Docker Hub) applies.
 */
export type UnqualifiedImages = "quayCache" | "dockerHubCache" | "unchanged";

// Built-in defaults, named once.
export const DEFAULT_MAX_VCPUS = 1024;
export const DEFAULT_ON_DEMAND_QUEUE = true;
export const DEFAULT_ON_DEMAND_MAX_VCPUS = 256;
export const DEFAULT_SPOT_BID_PERCENTAGE = 100;
export const DEFAULT_NETWORK: NetworkMode = "new";
export const DEFAULT_NAT_GATEWAYS: NatGatewayMode = "single";
export const DEFAULT_AVAILABILITY_ZONES = 3;
export const DEFAULT_VPC_CIDR = "10.0.0.0/16";
export const DEFAULT_INPUT_BUCKETS: readonly string[] = [];
export const DEFAULT_WORK_RETENTION_DAYS = 30;
export const DEFAULT_LOG_RETENTION_DAYS = 30;
export const DEFAULT_RUNNABLE_TIMEOUT_MINUTES = 30;
/** Nextflow's own default was 5 until 24.10 made it 0 (a reclaimed spot task then just fails). */
export const DEFAULT_MAX_SPOT_ATTEMPTS = 5;
export const DEFAULT_COST_TAGS: Readonly<Record<string, string>> = {};
/** No budget: AWS Budgets is opt-in (0 is "unset"; see config/budget.ts for the amount rule). */
export const DEFAULT_BUDGET_MONTHLY_USD = 0;
export const DEFAULT_BUDGET_ALERT_PERCENT = 80;
export const DEFAULT_BUDGET_GUARD = false;
/**
 * On: rules cost nothing until an image is pulled through them, then $0.10 per GB-month of
 * cached image against $0.045 per GB of NAT processing per host pull saved (README, "Container
 * images"); the prefixes are stack-specific, so stacks in one account and region do not
 * collide; the host may only import into this stack's prefixes.
 */
export const DEFAULT_CONTAINER_CACHE = true;
/**
 * nf-core pipelines, the stack's main workload, already mean quay.io by unqualified names
 * (`docker.registry = 'quay.io'` in every pipeline's nextflow.config): routing them through the
 * quay cache changes where they come from, not what they are.
 */
export const DEFAULT_UNQUALIFIED_IMAGES: UnqualifiedImages = "quayCache";
/** A month: a cached image expired while still in use is fetched again on its next pull. */
export const DEFAULT_CACHED_IMAGE_EXPIRY_DAYS = 30;
/** The empty values that mean "not set" for keys with nothing to default to. */
export const UNSET_STRING = "";
export const UNSET_LIST: readonly string[] = [];

/** The values CloudWatch Logs accepts for a log group's retention (PutRetentionPolicy). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Tag keys the stack sets itself; `costTags` may not override them. */
export const RESERVED_TAG_KEYS = ["lab", "managed-by", "pulumi-stack"] as const;

export const LAB_NAME_PATTERN = /^[a-z][a-z0-9-]{1,28}[a-z0-9]$/;
export const LAB_NAME_ALLOWED = "3 to 30 lowercase letters, digits or hyphens, starting with a letter";
