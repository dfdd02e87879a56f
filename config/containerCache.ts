/**
 * The ECR pull-through cache's fixed facts: which upstream registries a stack caches, how its
 * rule prefixes are named, and the rules AWS applies to the values we send (prefixes, the
 * Docker Hub credential's Secrets Manager ARN, the region's partition). Pure: no Pulumi, no I/O.
 * The config parser validates with these, the ContainerCache component builds from them and
 * the generated nextflow.config maps image hosts with them.
 */
import { createHash } from "node:crypto";

/** The upstream registries a stack may cache. */
export type UpstreamName = "quay" | "ecrPublic" | "dockerHub";

export interface Upstream {
  /**
   * Appended to the stack's cache prefix: `<prefix>-<suffix>` is the rule's
   * `ecrRepositoryPrefix`. The words are ECR's own `UpstreamRegistry` enum values (botocore
   * `botocore/data/ecr/2015-09-21/service-2.json` @ 0e6e2404b8, shape `UpstreamRegistry`).
   */
  readonly suffix: string;
  /**
   * `CreatePullThroughCacheRule.upstreamRegistryUrl`, as the ECR API model documents it for
   * each upstream (same file, `CreatePullThroughCacheRuleRequest.upstreamRegistryUrl`): Docker
   * Hub is `registry-1.docker.io`, not `docker.io`.
   */
  readonly upstreamRegistryUrl: string;
  /** The registry hosts image names carry for this upstream (the part before the first `/`). */
  readonly imageHosts: readonly string[];
  /**
   * Quay and ECR Public need no credential; Docker Hub needs a Secrets Manager secret (ECR user
   * guide, "Sync an upstream registry with an Amazon ECR private registry",
   * https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache.html).
   */
  readonly needsCredential: boolean;
  /** Where the upstream's images live, for the plan and the generated config's comments. */
  readonly description: string;
}

/**
 * In this order the rules are created and listed. community.wave.seqera.io (Seqera
 * Containers, about 45 % of nf-core modules) is not here because ECR cannot cache it: the
 * `UpstreamRegistry` enum is closed (ecr, ecr-public, quay, k8s, docker-hub,
 * github-container-registry, azure-container-registry, gitlab-container-registry, chainguard)
 * and has no generic registry. GHCR would need a GitHub token; no anchor pipeline needs it yet.
 */
export const UPSTREAMS: Readonly<Record<UpstreamName, Upstream>> = {
  quay: {
    suffix: "quay",
    upstreamRegistryUrl: "quay.io",
    imageHosts: ["quay.io"],
    needsCredential: false,
    description: "quay.io: biocontainers and nf-core images",
  },
  ecrPublic: {
    suffix: "ecr-public",
    upstreamRegistryUrl: "public.ecr.aws",
    imageHosts: ["public.ecr.aws"],
    needsCredential: false,
    description: "ECR Public, including Docker official images under docker/library/",
  },
  dockerHub: {
    suffix: "docker-hub",
    upstreamRegistryUrl: "registry-1.docker.io",
    // Docker's own names for its hub: `docker.io/x` is what Docker itself writes; the other
    // two appear in older configs.
    imageHosts: ["docker.io", "registry-1.docker.io", "index.docker.io"],
    needsCredential: true,
    description: "Docker Hub, with the lab's Docker Hub credential",
  },
};

export const UPSTREAM_NAMES: readonly UpstreamName[] = ["quay", "ecrPublic", "dockerHub"];

/**
 * `ecrRepositoryPrefix` of a pull-through cache rule: 2 to 30 characters, lower-case name
 * components joined by one `.`, `_` or `-`. This is the provider's validator
 * (hashicorp/terraform-provider-aws `internal/service/ecr/pull_through_cache_rule.go` @
 * 0509e60e8e: `StringLenBetween(2, 30)` and
 * `^((?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*\/?|ROOT)$`), stricter than the
 * API model's (which also allows `__` and `--`), minus `ROOT` and `/`: our prefixes are flat.
 * A creation template's `prefix` takes the same alphabet and 2 to 256 characters
 * (`repository_creation_template.go` @ 083b5c7aff), so a valid rule prefix is a valid
 * template prefix.
 */
export const PTC_PREFIX_RULE = { min: 2, max: 30, pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/ } as const;

/** The longest upstream suffix: every `<prefix>-<suffix>` must stay within 30 characters. */
const LONGEST_SUFFIX = Math.max(...UPSTREAM_NAMES.map((u) => UPSTREAMS[u].suffix.length));

/** The longest stack cache prefix that leaves room for `-ecr-public`: 19 characters. */
export const CACHE_PREFIX_MAX = PTC_PREFIX_RULE.max - 1 - LONGEST_SUFFIX;

export const CACHE_PREFIX_ALLOWED = `2 to ${CACHE_PREFIX_MAX} lower-case letters and digits, joined by single ".", "_" or "-" (ECR's rule prefix alphabet, leaving room for "-ecr-public" within ECR's 30 characters)`;

export function isCachePrefix(s: string): boolean {
  return s.length >= PTC_PREFIX_RULE.min && s.length <= CACHE_PREFIX_MAX && PTC_PREFIX_RULE.pattern.test(s);
}

/** The rule (and creation template) prefix of one upstream for a stack's cache prefix. */
export function rulePrefix(cachePrefix: string, upstream: UpstreamName): string {
  return `${cachePrefix}-${UPSTREAMS[upstream].suffix}`;
}

/**
 * The default cache prefix: `<labName>-<stack>`, the queues' prefix, when ECR accepts it.
 * A rule prefix is unique per account and region (the provider's resource id is the prefix),
 * so it must be stack-specific or two stacks in one account and region collide. When
 * `<labName>-<stack>` is too long or outside ECR's alphabet (a stack name may hold upper case
 * or `__`), it becomes its first 12 usable characters plus 6 hex digits of a hash of
 * lab/stack: still stack-specific, still recognisable, always valid. The plan prints it.
 */
export function defaultCachePrefix(labName: string, stack: string): string {
  const plain = `${labName}-${stack}`.toLowerCase();
  if (isCachePrefix(plain)) return plain;
  const hash = createHash("sha256").update(`${labName}/${stack}`).digest("hex").slice(0, 6);
  const head = plain
    .replace(/[^a-z0-9]+/g, "-")
    .slice(0, CACHE_PREFIX_MAX - 7)
    .replace(/^-+|-+$/g, "");
  return head === "" ? `nfb-${hash}` : `${head}-${hash}`;
}

/**
 * AWS partitions by region, from botocore `botocore/data/partitions.json` @ 0e6e2404b8
 * (`regionRegex` of each partition). The stack's region decides which partition its ARNs use.
 */
const PARTITIONS: readonly [RegExp, string][] = [
  [/^cn-\w+-\d+$/, "aws-cn"],
  [/^us-gov-\w+-\d+$/, "aws-us-gov"],
  [/^us-iso-\w+-\d+$/, "aws-iso"],
  [/^us-isob-\w+-\d+$/, "aws-iso-b"],
  [/^eu-isoe-\w+-\d+$/, "aws-iso-e"],
  [/^us-isof-\w+-\d+$/, "aws-iso-f"],
  [/^eusc-de-\w+-\d+$/, "aws-eusc"],
  [/^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, "aws"],
];

/** The partition of a region, or undefined for a region no partition claims. */
export function partitionOfRegion(region: string): string | undefined {
  return PARTITIONS.find(([re]) => re.test(region))?.[1];
}

/**
 * ECR reads upstream credentials only from secrets named `ecr-pullthroughcache/...`: the API's
 * `CredentialArn` pattern is
 * `^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\-pullthroughcache\/[a-zA-Z0-9\/_+=.@-]+$`,
 * 50 to 612 characters (ECR API model, shape `CredentialArn`), and the user guide's
 * prerequisites say "The name of the secret begins with ecr-pullthroughcache/"
 * (https://docs.aws.amazon.com/AmazonECR/latest/userguide/pull-through-cache-creating-rule.html).
 */
export const PTC_SECRET_NAME_PREFIX = "ecr-pullthroughcache/";

/**
 * A complete Secrets Manager secret ARN: the secret name (ASCII letters, digits and
 * `/_+=.@-`, CreateSecret `Name`) followed by the hyphen and six random characters Secrets
 * Manager appends ("The ARN includes the name of the secret followed by six random
 * characters", CreateSecret response `ARN`). The complete ARN is what `describe-secret`
 * prints; a partial one is ambiguous (Secrets Manager's own advice is to pass complete ARNs).
 */
const SECRET_ARN =
  /^arn:(aws(?:-[a-z]+)*):secretsmanager:([a-z0-9-]+):(\d{12}):secret:([A-Za-z0-9/_+=.@-]+)-([A-Za-z0-9]{6})$/;

export interface SecretArn {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** The secret's name, without the random suffix. */
  readonly name: string;
}

/** The parts of a complete Secrets Manager secret ARN, or undefined if it is not one. */
export function parseSecretArn(arn: string): SecretArn | undefined {
  const m = SECRET_ARN.exec(arn);
  if (!m || arn.length > 612) return undefined;
  return { partition: m[1], region: m[2], accountId: m[3], name: m[4] };
}

/** The ECR private registry host of an account: `<account>.dkr.ecr.<region>.<dnsSuffix>`. */
export function registryHost(accountId: string, region: string, dnsSuffix: string): string {
  // ECR user guide, "Amazon ECR private registry": the registry URL is
  // https://aws_account_id.dkr.ecr.region.amazonaws.com (amazonaws.com.cn in China: the
  // partition's dnsSuffix).
  return `${accountId}.dkr.ecr.${region}.${dnsSuffix}`;
}
