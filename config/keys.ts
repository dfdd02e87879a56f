/**
 * Every stack config key, one row each: the single typed source the parser, `Pulumi.yaml`'s
 * `config:` block, the README's key table, the wizard's flags and questions and the config
 * error messages come from. Pure data plus the parsers in ./values.
 *
 * Adding a key: add its row here (and its named default constant), then read its typed value
 * where the spec is assembled (./parse.ts). Tests regenerate Pulumi.yaml and the README table
 * from this file and fail until both are in step.
 */
import { DEFAULT_PRESET, PRESET_NAMES, PRESETS, type PresetName } from "../presets";
import { budgetAmount, emailList } from "./budget";
import type { Choice, KeyRow } from "./row";
import {
  DEFAULT_AVAILABILITY_ZONES,
  DEFAULT_BUDGET_ALERT_PERCENT,
  DEFAULT_BUDGET_GUARD,
  DEFAULT_BUDGET_MONTHLY_USD,
  DEFAULT_CACHED_IMAGE_EXPIRY_DAYS,
  DEFAULT_CONTAINER_CACHE,
  DEFAULT_COST_TAGS,
  DEFAULT_INPUT_BUCKETS,
  DEFAULT_LOG_RETENTION_DAYS,
  DEFAULT_MAX_SPOT_ATTEMPTS,
  DEFAULT_MAX_VCPUS,
  DEFAULT_NAT_GATEWAYS,
  DEFAULT_NETWORK,
  DEFAULT_ON_DEMAND_MAX_VCPUS,
  DEFAULT_ON_DEMAND_QUEUE,
  DEFAULT_RUNNABLE_TIMEOUT_MINUTES,
  DEFAULT_SPOT_BID_PERCENTAGE,
  DEFAULT_UNQUALIFIED_IMAGES,
  DEFAULT_VPC_CIDR,
  DEFAULT_WORK_RETENTION_DAYS,
  LAB_NAME_ALLOWED,
  LAB_NAME_PATTERN,
  LOG_RETENTION_DAYS,
  type NatGatewayMode,
  type NetworkMode,
  RESERVED_TAG_KEYS,
  type UnqualifiedImages,
  UNSET_LIST,
  UNSET_STRING,
} from "./defaults";

import { amiReleaseDate, DEFAULT_HOST_AMI_VERSION } from "../hosts/ami";
import { MAX_TAGS_PER_RESOURCE, TIME_LIMIT_SECONDS } from "./awsRules";
import { CACHE_PREFIX_MAX } from "./containerCache";
import {
  boolean,
  bucketNames,
  cachePrefix,
  integer,
  integerIn,
  matching,
  oneOf,
  orEmpty,
  privateCidr16to24,
  pullThroughCacheSecretArn,
  stringList,
  tagMap,
  Invalid,
} from "./values";

export type { Choice, ConfigValueType, DefaultContext, KeyRow, Question, ScopeName } from "./row";

export * from "./defaults";

function row<V>(r: KeyRow<V>): KeyRow<V> {
  return r;
}

const presetChoice = (name: PresetName): Choice<PresetName> => {
  const p = PRESETS[name];
  const storage = p.storage.kind === "gp3" ? "gp3 root volume" : "NVMe instance store";
  return { value: name, name: `${name}  [${p.instanceTypes.join(", ")}; ${storage}]  ${p.summary}` };
};

/** Every key a stack config may set under `nextflow-batch:`. Order is the README's order. */
export const CONFIG = {
  preset: row<PresetName>({
    type: "string",
    description: `What gets built: instance families, CPU vendor and host storage. One of ${PRESET_NAMES.join(", ")}.`,
    default: DEFAULT_PRESET,
    example: DEFAULT_PRESET,
    parse: oneOf(PRESET_NAMES),
    ask: { message: "Preset (instance families and host storage)", choices: PRESET_NAMES.map(presetChoice) },
  }),
  labName: row<string>({
    type: "string",
    description:
      "The lab this account belongs to: the `lab` cost tag on every resource, and part of the queue and log group names.",
    default: (ctx) => ctx.stack.toLowerCase(),
    defaultText: "the stack name",
    example: "smith-lab",
    parse: orEmpty(matching(LAB_NAME_PATTERN, LAB_NAME_ALLOWED)),
    ask: {
      message: "Lab name (the `lab` cost tag and resource name prefix)",
      early: true,
      fallback: "my-lab",
    },
  }),
  maxVcpus: row<number>({
    type: "integer",
    description:
      "Upper bound of the spot compute environment, in vCPUs: caps what a runaway pipeline can spend.",
    default: DEFAULT_MAX_VCPUS,
    example: String(DEFAULT_MAX_VCPUS),
    parse: integer(1, 10000),
    ask: { message: "Max vCPUs of the spot compute environment (caps what a runaway pipeline can spend)" },
  }),
  spotBidPercentage: row<number>({
    type: "integer",
    description: "Highest spot price to pay, as a percentage of the on-demand price.",
    default: DEFAULT_SPOT_BID_PERCENTAGE,
    example: "60",
    parse: integer(1, 100),
  }),
  onDemandQueue: row<boolean>({
    type: "boolean",
    description:
      "Also build an on-demand compute environment and queue, for tasks that must not be interrupted.",
    default: DEFAULT_ON_DEMAND_QUEUE,
    example: "false",
    parse: boolean,
    ask: { message: "Also build an on-demand queue, for tasks that must not be interrupted?" },
  }),
  onDemandMaxVcpus: row<number>({
    type: "integer",
    description: "Upper bound of the on-demand compute environment, in vCPUs.",
    default: DEFAULT_ON_DEMAND_MAX_VCPUS,
    example: String(DEFAULT_ON_DEMAND_MAX_VCPUS),
    parse: integer(1, 10000),
    scope: "onDemandQueue",
  }),
  instanceTypes: row<readonly string[]>({
    type: "string[]",
    description:
      "Override the preset's instance families or sizes (e.g. [m5, m5n]); one CPU vendor and architecture, no Batch keywords.",
    default: (ctx) => ctx.preset.instanceTypes,
    defaultText: "the preset's",
    example: '["m5", "m5n"]',
    parse: stringList(
      /^[a-z][a-z0-9-]*(\.[a-z0-9-]+)?$/,
      'instance families or sizes such as "m5" or "m5.8xlarge"',
      { min: 0, max: 20 },
    ),
  }),
  network: row<NetworkMode>({
    type: "string",
    description:
      "`new`: a VPC with private subnets across several AZs, NAT and an S3 endpoint; `existing`: the lab's own VPC (set vpcId and subnetIds).",
    default: DEFAULT_NETWORK,
    example: "existing",
    parse: oneOf<NetworkMode>(["new", "existing"]),
    ask: {
      message: "Network",
      choices: [
        { value: "new", name: "new VPC", description: "Private subnets across AZs, NAT and an S3 endpoint" },
        {
          value: "existing",
          name: "existing VPC",
          description: "The lab's own VPC and private subnets with egress",
        },
      ],
    },
  }),
  natGateways: row<NatGatewayMode>({
    type: "string",
    description:
      "New VPC only. `single`: one NAT gateway (cheaper); `onePerAz`: one per AZ (survives an AZ outage).",
    default: DEFAULT_NAT_GATEWAYS,
    example: "onePerAz",
    parse: oneOf<NatGatewayMode>(["single", "onePerAz"]),
    scope: "newVpc",
  }),
  availabilityZones: row<number>({
    type: "integer",
    description: "New VPC only. How many AZs get a private subnet; more AZs, more spot capacity pools.",
    default: DEFAULT_AVAILABILITY_ZONES,
    example: "3",
    parse: integer(2, 6),
    scope: "newVpc",
  }),
  vpcCidr: row<string>({
    type: "string",
    description: "New VPC only. Its IPv4 CIDR block; pick one that does not overlap networks you peer with.",
    default: DEFAULT_VPC_CIDR,
    example: DEFAULT_VPC_CIDR,
    parse: privateCidr16to24,
    scope: "newVpc",
  }),
  vpcId: row<string>({
    type: "string",
    description: "Existing VPC only (required there). The VPC the hosts run in.",
    default: UNSET_STRING,
    defaultText: "none",
    example: "vpc-0123456789abcdef0",
    parse: orEmpty(matching(/^vpc-[0-9a-f]{8}([0-9a-f]{9})?$/, 'a VPC id such as "vpc-0123456789abcdef0"')),
    scope: "existingVpc",
    required: true,
    ask: { message: "VPC id" },
  }),
  subnetIds: row<readonly string[]>({
    type: "string[]",
    description:
      "Existing VPC only (required there). Private subnets with egress (NAT) for the hosts; several AZs for spot capacity.",
    default: UNSET_LIST,
    defaultText: "none",
    example: '["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"]',
    parse: stringList(/^subnet-[0-9a-f]{8}([0-9a-f]{9})?$/, 'subnet ids such as "subnet-0123456789abcdef0"', {
      min: 0,
      max: 16,
    }),
    scope: "existingVpc",
    required: true,
    ask: { message: "Private subnet ids, comma-separated (several AZs)" },
  }),
  inputBuckets: row<readonly string[]>({
    type: "string[]",
    description:
      "Buckets task containers may read, never write: reference data such as ngi-igenomes. The work bucket needs no entry.",
    default: DEFAULT_INPUT_BUCKETS,
    example: '["ngi-igenomes"]',
    parse: bucketNames({ max: 50 }),
  }),
  workRetentionDays: row<number>({
    type: "integer",
    description:
      "Days before objects under the work bucket's `work/` prefix (Nextflow's scratch) expire; nothing else expires.",
    default: DEFAULT_WORK_RETENTION_DAYS,
    example: "14",
    parse: integer(1, 3650),
    ask: { message: "Days to keep Nextflow's work/ scratch in the bucket" },
  }),
  logRetentionDays: row<number>({
    type: "integer",
    description: "Days CloudWatch keeps job and host logs.",
    default: DEFAULT_LOG_RETENTION_DAYS,
    example: "90",
    parse: integerIn(
      LOG_RETENTION_DAYS,
      `one of CloudWatch's retention values: ${LOG_RETENTION_DAYS.join(", ")}`,
    ),
  }),
  runnableTimeoutMinutes: row<number>({
    type: "integer",
    description:
      "Cancel a job stuck in RUNNABLE this long because no allowed instance can ever run it (misconfiguration, not capacity).",
    default: DEFAULT_RUNNABLE_TIMEOUT_MINUTES,
    example: "60",
    // Sent as jobStateTimeLimitActions.maxTimeSeconds, which takes 600 to 86,400 seconds.
    parse: integer(TIME_LIMIT_SECONDS.min / 60, TIME_LIMIT_SECONDS.max / 60),
  }),
  maxSpotAttempts: row<number>({
    type: "integer",
    description: "Nextflow's `aws.batch.maxSpotAttempts`: how often a task reclaimed by spot is retried.",
    default: DEFAULT_MAX_SPOT_ATTEMPTS,
    example: "3",
    parse: integer(0, 20),
  }),
  hostAmiVersion: row<string>({
    type: "string",
    description:
      "The ECS-optimized Amazon Linux 2023 release hosts boot (its image_version). Pinned, so a new AWS release never replaces hosts on an unrelated update; change it to roll them.",
    default: DEFAULT_HOST_AMI_VERSION,
    example: DEFAULT_HOST_AMI_VERSION,
    parse: (raw) => {
      if (typeof raw !== "string" || amiReleaseDate(raw) === undefined) {
        throw new Invalid(
          'an ECS-optimized Amazon Linux 2023 release such as "2023.0.20260918" (image_version in /aws/service/ecs/optimized-ami/amazon-linux-2023/recommended)',
        );
      }
      return raw;
    },
  }),
  containerCache: row<boolean>({
    type: "boolean",
    description:
      "Cache container images from quay.io, ECR Public (and Docker Hub, given a credential) in this account's ECR (pull-through cache rules), and route image names through it in the generated nextflow.config.",
    default: DEFAULT_CONTAINER_CACHE,
    example: "false",
    parse: boolean,
  }),
  containerCachePrefix: row<string>({
    type: "string",
    description: `Container cache only. The start of the stack's ECR repository prefixes (\`<prefix>-quay\`, \`<prefix>-ecr-public\`, \`<prefix>-docker-hub\`); unique per account and region, at most ${CACHE_PREFIX_MAX} characters.`,
    default: UNSET_STRING,
    defaultText: "<labName>-<stack>, hashed if too long",
    example: "smith-dev",
    parse: orEmpty(cachePrefix),
    scope: "containerCache",
  }),
  unqualifiedImages: row<UnqualifiedImages>({
    type: "string",
    description:
      "Container cache only. Where image names without a registry host go: `quayCache` (nf-core's convention), `dockerHubCache` (needs dockerHubCredentialArn) or `unchanged` (no docker.registry in nextflow.config).",
    default: DEFAULT_UNQUALIFIED_IMAGES,
    example: "unchanged",
    parse: oneOf<UnqualifiedImages>(["quayCache", "dockerHubCache", "unchanged"]),
    scope: "containerCache",
  }),
  dockerHubCredentialArn: row<string>({
    type: "string",
    description:
      "Container cache only. ARN of a Secrets Manager secret named `ecr-pullthroughcache/...` in this account and region (keys username, accessToken): also cache Docker Hub. The stack never reads the secret.",
    default: UNSET_STRING,
    defaultText: "none",
    example: "arn:aws:secretsmanager:us-east-1:123456789012:secret:ecr-pullthroughcache/docker-hub-AbCdEf",
    parse: orEmpty(pullThroughCacheSecretArn),
    scope: "containerCache",
  }),
  cachedImageExpiryDays: row<number>({
    type: "integer",
    description:
      "Container cache only. Days after ECR cached an image before it expires; the next pull fetches it again.",
    default: DEFAULT_CACHED_IMAGE_EXPIRY_DAYS,
    example: "90",
    parse: integer(1, 3650),
    scope: "containerCache",
  }),
  costTags: row<Readonly<Record<string, string>>>({
    type: "map",
    description:
      "Extra tags for cost attribution (e.g. grant, cost-center) on every resource, instances and volumes included.",
    default: DEFAULT_COST_TAGS,
    example: '{"grant": "R01-GM000000"}',
    parse: tagMap(RESERVED_TAG_KEYS, MAX_TAGS_PER_RESOURCE - RESERVED_TAG_KEYS.length),
    ask: { message: "Cost tags, key=value, comma-separated (empty for none)" },
  }),
  budgetMonthlyUsd: row<number>({
    type: "integer",
    description:
      "A monthly AWS Budgets cost budget for the whole lab account, in whole US dollars: email when actual spend passes budgetAlertPercent and 100 % of it, and when forecast spend passes it. 0: no budget. Alerts only; see budgetGuard.",
    default: DEFAULT_BUDGET_MONTHLY_USD,
    example: "2000",
    parse: budgetAmount,
  }),
  budgetAlertEmails: row<readonly string[]>({
    type: "string[]",
    description: "Budget only (required there). Who gets the budget's alerts: 1 to 10 email addresses.",
    default: UNSET_LIST,
    defaultText: "none",
    example: '["pi@example.org", "lab-admin@example.org"]',
    parse: emailList,
  }),
  budgetAlertPercent: row<number>({
    type: "integer",
    description: "Budget only. The early alert: actual spend above this percentage of the budget.",
    default: DEFAULT_BUDGET_ALERT_PERCENT,
    example: "50",
    parse: integer(1, 99),
  }),
  budgetGuard: row<boolean>({
    type: "boolean",
    description:
      "Budget only. When actual spend passes the budget, disable the stack's job queues: no new job is accepted, jobs already queued or running finish. Re-enable by hand (README).",
    default: DEFAULT_BUDGET_GUARD,
    example: "true",
    parse: boolean,
  }),
};

export type KeyName = keyof typeof CONFIG;
/** Every key with a value: the built-in default, the preset's, or the stack's. */
export type ConfigValues = {
  readonly [K in KeyName]: (typeof CONFIG)[K] extends KeyRow<infer V> ? V : never;
};
/** The typed value of one key. */
export type ValueOf<K extends KeyName> = ConfigValues[K];
/** Some keys with values: what a stack file set, or what the wizard was told. */
export type PartialValues = { -readonly [K in KeyName]?: ConfigValues[K] };
/** The raw config type: what a stack file may hold under our namespace, before parsing. */
export type RawConfig = { readonly [K in KeyName]?: unknown };

/** The key names in the README's order. */
export const KEY_NAMES = Object.keys(CONFIG) as KeyName[];
