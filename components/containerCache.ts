import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import {
  registryHost,
  rulePrefix,
  UPSTREAMS,
  UPSTREAM_NAMES,
  type UpstreamName,
} from "../config/containerCache";

export interface ContainerCacheArgs {
  /** Starts every rule prefix: `<cachePrefix>-quay`, ...; stack-specific (config/containerCache.ts). */
  readonly cachePrefix: string;
  /**
   * ARN of the `ecr-pullthroughcache/...` secret holding a Docker Hub username and access token.
   * @default - no Docker Hub rule (ECR caches Docker Hub only with a credential)
   */
  readonly dockerHubCredentialArn?: string;
  /** Days after ECR cached an image before the lifecycle policy expires it. */
  readonly cachedImageExpiryDays: number;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** "aws", "aws-cn" or "aws-us-gov": repository ARNs differ by partition. */
  readonly partition: pulumi.Input<string>;
  /** The partition's DNS suffix (amazonaws.com, amazonaws.com.cn): part of the registry host. */
  readonly dnsSuffix: pulumi.Input<string>;
  /** Tags on the role, and on every repository ECR creates under the prefixes. */
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * Lifecycle of every cached repository: expire an image `days` after ECR cached it.
 *
 * `sinceImagePushed`, not `sinceImagePulled`: "not pulled for N days" exists only as an
 * archive rule (ECR lifecycle policy template: countType sinceImagePulled goes with
 * `action.type: "transition"` to the `archive` storage class; archived images cannot be
 * pulled and have a 90-day minimum storage charge), so it cannot delete an unused cached image.
 * Expiring by cache age is safe for a cache: the next pull imports the image again from
 * upstream (one upstream fetch; it fails only if upstream has deleted the tag). `tagStatus: any`
 * because images pulled by digest are stored untagged. ECR expires within 24 hours of the
 * criterion (user guide, "Automate the cleanup of images by using lifecycle policies").
 */
export function cacheLifecyclePolicy(days: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `Expire cached images ${days} days after ECR cached them; the next pull fetches them again`,
        selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: days },
        action: { type: "expire" },
      },
    ],
  });
}

/**
 * An ECR pull-through cache for the stack's container images: one pull-through cache rule per
 * upstream (quay.io, ECR Public, and Docker Hub when the lab gives a credential), each with a
 * repository creation template so the repositories ECR creates on first pull are encrypted,
 * tagged for cost and expire cached images.
 *
 * The first pull of an image through `<registry>/<prefix>-quay/<repo>:<tag>` makes ECR create
 * the repository (from the template), fetch the image from quay.io with its own
 * infrastructure, store it and serve it; later pulls are served from ECR, whose layers come
 * from S3 over the VPC's S3 gateway endpoint instead of the NAT gateway. Pulling hosts need
 * `ecr:BatchImportUpstreamImage` and `ecr:CreateRepository` on {@link repositoryArns}
 * (Access does that).
 *
 * Rules and templates are keyed by their prefix and replaced when it changes (the provider
 * marks `ecr_repository_prefix` and `prefix` ForceNew). Repositories ECR created are not
 * Pulumi resources: `pulumi destroy` leaves them and their images (README, "Teardown").
 */
export class ContainerCache extends pulumi.ComponentResource {
  /** `<account>.dkr.ecr.<region>.<dnsSuffix>`: the registry cached images are pulled from. */
  public readonly registry: pulumi.Output<string>;
  /** The rule prefix of each cached upstream. */
  public readonly prefixes: Readonly<Partial<Record<UpstreamName, string>>>;
  /** `arn:<partition>:ecr:<region>:<account>:repository/<rule prefix>/*`, one per rule. */
  public readonly repositoryArns: pulumi.Output<string>[];
  /** The role ECR assumes to create and tag repositories from the templates. */
  public readonly templateRoleArn: pulumi.Output<string>;

  constructor(name: string, args: ContainerCacheArgs, opts?: pulumi.ComponentResourceOptions) {
    super("nextflow-batch:containers:ContainerCache", name, {}, opts);
    const tags = { ...args.tags };
    const upstreams = UPSTREAM_NAMES.filter(
      (u) => !UPSTREAMS[u].needsCredential || args.dockerHubCredentialArn !== undefined,
    );
    const prefixes: Partial<Record<UpstreamName, string>> = {};
    for (const u of upstreams) prefixes[u] = rulePrefix(args.cachePrefix, u);
    this.prefixes = prefixes;
    this.repositoryArns = upstreams.map(
      (u) =>
        pulumi.interpolate`arn:${args.partition}:ecr:${args.region}:${args.accountId}:repository/${prefixes[u]}/*`,
    );

    // The creation templates set resource tags, and ECR creates a tagged repository only with a
    // role that may tag: without `customRoleArn` it uses its service-linked role
    // AWSServiceRoleForECRTemplate, whose policy allows ecr:CreateRepository and nothing else
    // (ECR user guide, "Amazon ECR service-linked role for repository creation templates"),
    // and the pull fails with "not found" (aws/containers-roadmap#2398, open since 2024-07,
    // reported without a custom role). AWS's documented fix is this role ("Create an IAM role
    // for repository creation templates": trust ecr.amazonaws.com; AWS's example policy grants
    // ecr:CreateRepository, ecr:ReplicateImage, ecr:TagResource and kms grants on "*"). Here it
    // is cut to what a pull-through cache with AES256 needs: create and tag repositories under
    // this stack's prefixes. ECR requires the role in the registry's own account (API model,
    // CreateRepositoryCreationTemplateRequest.customRoleArn), which is why the trust policy has
    // no source-account condition: none is documented for this role, and an unsupported one
    // would deny every repository creation. Not exercised against AWS here: see the README.
    const role = new aws.iam.Role(
      `${name}-template`,
      {
        description: "ECR creates and tags this stack's pull-through cache repositories",
        assumeRolePolicy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            { Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" },
          ],
        }),
        tags,
      },
      { parent: this },
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-template-repositories`,
      {
        role: role.id,
        policy: pulumi.jsonStringify({
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "CreateTaggedCacheRepositories",
              Effect: "Allow",
              Action: ["ecr:CreateRepository", "ecr:TagResource"],
              Resource: this.repositoryArns,
            },
          ],
        }),
      },
      { parent: this },
    );
    this.templateRoleArn = role.arn;

    for (const u of upstreams) {
      const upstream = UPSTREAMS[u];
      const prefix = rulePrefix(args.cachePrefix, u);
      // The template's prefix is the rule's: "When using a pull through cache rule, the
      // repository prefix you specify during rule creation is what you should specify as your
      // repository creation template prefix as well" (ECR API model,
      // CreateRepositoryCreationTemplateRequest.prefix).
      const template = new aws.ecr.RepositoryCreationTemplate(
        `${name}-${upstream.suffix}`,
        {
          prefix,
          appliedFors: ["PULL_THROUGH_CACHE"],
          description: `nextflow-batch: images cached from ${upstream.upstreamRegistryUrl}`,
          // AES256 (SSE-S3): no KMS key policy and no KMS cost per layer pull.
          encryptionConfigurations: [{ encryptionType: "AES256" }],
          // Mutable, so ECR can keep a cached tag in step with upstream ("as long as the
          // repository's image tags stay mutable", HealthOmics pull-through cache guide).
          imageTagMutability: "MUTABLE",
          lifecyclePolicy: cacheLifecyclePolicy(args.cachedImageExpiryDays),
          resourceTags: tags,
          customRoleArn: role.arn,
        },
        { parent: this, dependsOn: [rolePolicy] },
      );
      // After its template and the role's permissions: no pull can create a repository
      // without encryption, lifecycle and tags.
      new aws.ecr.PullThroughCacheRule(
        `${name}-${upstream.suffix}`,
        {
          ecrRepositoryPrefix: prefix,
          upstreamRegistryUrl: upstream.upstreamRegistryUrl,
          ...(upstream.needsCredential ? { credentialArn: args.dockerHubCredentialArn } : {}),
        },
        { parent: this, dependsOn: [template] },
      );
    }

    this.registry = pulumi
      .all([args.accountId, args.dnsSuffix])
      .apply(([accountId, dnsSuffix]) => registryHost(accountId, args.region, dnsSuffix));
    this.registerOutputs({
      registry: this.registry,
      repositoryArns: this.repositoryArns,
      templateRoleArn: this.templateRoleArn,
    });
  }
}
