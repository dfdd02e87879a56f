// ContainerCache: pull-through cache rules for quay.io and ECR Public (Docker Hub with a
// credential), one creation template per rule, and the least-privilege role ECR uses to create
// and tag the repositories. Baseline: the default stack (lab smith-lab, stack dev, cache on);
// one change per case.
import assert from "node:assert/strict";
import { MOCK_ACCOUNT_ID } from "../../plan/offline";
import { BASE_TAGS, DOCKER_HUB_SECRET_ARN, inputsOf, ofType, one, policyDoc, runStack, T } from "../helpers";
import { decide } from "../iamSimulate";

type Run = Awaited<ReturnType<typeof runStack>>;
const REPO = `arn:aws:ecr:us-east-1:${MOCK_ACCOUNT_ID}:repository`;
const ROLE_ARN_PREFIX = `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/nextflow-images-template-`;

/** The one lifecycle rule every cached repository gets. */
const lifecycle = (days: number) => ({
  rules: [
    {
      rulePriority: 1,
      description: `Expire cached images ${days} days after ECR cached them; the next pull fetches them again`,
      selection: { tagStatus: "any", countType: "sinceImagePushed", countUnit: "days", countNumber: days },
      action: { type: "expire" },
    },
  ],
});

const templateOf = (run: Run, suffix: string) =>
  inputsOf(run, T.creationTemplate, `nextflow-images-${suffix}`);
const templatePolicy = (run: Run) =>
  policyDoc(one(run, T.rolePolicy, "nextflow-images-template-repositories").inputs.policy);

describe("component: ContainerCache", function () {
  this.timeout(60000);
  let run: Run;
  before(async () => {
    run = await runStack({});
  });

  it("rules: quay.io and ECR Public under this stack's prefixes, no Docker Hub without a credential", () => {
    assert.deepEqual(
      [...ofType(run, T.ptcRule).values()].map((r) => [r.name, r.inputs]),
      [
        [
          "nextflow-images-ecr-public",
          { ecrRepositoryPrefix: "smith-lab-dev-ecr-public", upstreamRegistryUrl: "public.ecr.aws" },
        ],
        [
          "nextflow-images-quay",
          { ecrRepositoryPrefix: "smith-lab-dev-quay", upstreamRegistryUrl: "quay.io" },
        ],
      ],
    );
  });

  it("templates: one per rule prefix, pull-through cache only, AES256, mutable tags, expiry, cost tags, the role", () => {
    const roleArn = one(run, T.role, "nextflow-images-template").state.arn as string;
    assert.ok(roleArn.startsWith(ROLE_ARN_PREFIX));
    assert.equal(ofType(run, T.creationTemplate).size, 2);
    for (const [suffix, upstream] of [
      ["quay", "quay.io"],
      ["ecr-public", "public.ecr.aws"],
    ]) {
      const t = templateOf(run, suffix);
      assert.deepEqual(
        { ...t, lifecyclePolicy: JSON.parse(t.lifecyclePolicy) },
        {
          prefix: `smith-lab-dev-${suffix}`,
          appliedFors: ["PULL_THROUGH_CACHE"],
          description: `nextflow-batch: images cached from ${upstream}`,
          encryptionConfigurations: [{ encryptionType: "AES256" }],
          imageTagMutability: "MUTABLE",
          lifecyclePolicy: lifecycle(30),
          resourceTags: BASE_TAGS,
          customRoleArn: roleArn,
        },
      );
      // ECR API: LifecyclePolicyText is 100 to 30,720 characters; the provider's description 0 to 255.
      assert.ok(t.lifecyclePolicy.length >= 100 && t.lifecyclePolicy.length <= 30720);
      assert.ok(t.description.length <= 255);
    }
  });

  it("template role: trusted by ECR only; creates and tags repositories under these prefixes, nothing else", async () => {
    assert.deepEqual(
      policyDoc(inputsOf(run, T.role, "nextflow-images-template").assumeRolePolicy).Statement,
      [{ Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" }],
    );
    assert.deepEqual(inputsOf(run, T.role, "nextflow-images-template").tags, BASE_TAGS);
    const policy = templatePolicy(run);
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CreateTaggedCacheRepositories",
          Effect: "Allow",
          Action: ["ecr:CreateRepository", "ecr:TagResource"],
          Resource: [`${REPO}/smith-lab-dev-quay/*`, `${REPO}/smith-lab-dev-ecr-public/*`],
        },
      ],
    });
    const cases: [string, string, string][] = [
      ["ecr:CreateRepository", `${REPO}/smith-lab-dev-quay/biocontainers/fastqc`, "Allowed"],
      ["ecr:TagResource", `${REPO}/smith-lab-dev-ecr-public/docker/library/ubuntu`, "Allowed"],
      ["ecr:CreateRepository", `${REPO}/smith-lab-prod-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:CreateRepository", `${REPO}/smith-lab-dev-quay-x/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:CreateRepository", `${REPO}/smith-lab-dev-quay`, "ImplicitlyDenied"],
      ["ecr:DeleteRepository", `${REPO}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      ["ecr:ReplicateImage", `${REPO}/smith-lab-dev-quay/biocontainers/fastqc`, "ImplicitlyDenied"],
      [
        "ecr:CreateRepository",
        `arn:aws:ecr:us-west-2:${MOCK_ACCOUNT_ID}:repository/smith-lab-dev-quay/biocontainers/fastqc`,
        "ImplicitlyDenied",
      ],
    ];
    for (const [action, resource, expected] of cases)
      assert.equal(await decide([policy], action, resource), expected, `${action} ${resource}`);
  });

  it("order: each rule after its template, each template after the role's permissions", () => {
    const urn = (type: string, name: string) => one(run, type, name).urn;
    for (const suffix of ["quay", "ecr-public"]) {
      const rule = one(run, T.ptcRule, `nextflow-images-${suffix}`);
      const template = one(run, T.creationTemplate, `nextflow-images-${suffix}`);
      assert.ok(rule.dependencies.includes(template.urn), `rule ${suffix} waits for its template`);
      assert.ok(
        template.dependencies.includes(urn(T.rolePolicy, "nextflow-images-template-repositories")),
        `template ${suffix} waits for the role's policy`,
      );
    }
  });

  it("a Docker Hub credential: a Docker Hub rule with the secret's ARN, its template, the role reaches it", async () => {
    const hub = await runStack({ dockerHubCredentialArn: DOCKER_HUB_SECRET_ARN });
    assert.deepEqual(inputsOf(hub, T.ptcRule, "nextflow-images-docker-hub"), {
      ecrRepositoryPrefix: "smith-lab-dev-docker-hub",
      upstreamRegistryUrl: "registry-1.docker.io",
      credentialArn: DOCKER_HUB_SECRET_ARN,
    });
    assert.equal(templateOf(hub, "docker-hub").prefix, "smith-lab-dev-docker-hub");
    assert.deepEqual(templatePolicy(hub).Statement[0].Resource, [
      `${REPO}/smith-lab-dev-quay/*`,
      `${REPO}/smith-lab-dev-ecr-public/*`,
      `${REPO}/smith-lab-dev-docker-hub/*`,
    ]);
    // Only the Docker Hub rule carries the credential.
    assert.equal(inputsOf(hub, T.ptcRule, "nextflow-images-quay").credentialArn, undefined);
  });

  it("cachedImageExpiryDays sets the lifecycle of every template", async () => {
    const week = await runStack({ cachedImageExpiryDays: 7 });
    for (const t of ofType(week, T.creationTemplate).values())
      assert.deepEqual(JSON.parse((t.inputs as any).lifecyclePolicy), lifecycle(7), t.name);
  });

  it("containerCachePrefix replaces <lab>-<stack> in every prefix and ARN", async () => {
    const named = await runStack({ containerCachePrefix: "smith-dev" });
    assert.deepEqual(
      [...ofType(named, T.ptcRule).values()].map((r) => (r.inputs as any).ecrRepositoryPrefix),
      ["smith-dev-ecr-public", "smith-dev-quay"],
    );
    assert.deepEqual(templatePolicy(named).Statement[0].Resource, [
      `${REPO}/smith-dev-quay/*`,
      `${REPO}/smith-dev-ecr-public/*`,
    ]);
  });

  it("a lab and stack too long for ECR's 30 characters get a shortened, stack-specific prefix", async () => {
    const long = await runStack({ labName: "computational-genomics" }, "production");
    assert.deepEqual(
      [...ofType(long, T.ptcRule).values()].map((r) => (r.inputs as any).ecrRepositoryPrefix),
      ["computationa-52f361-ecr-public", "computationa-52f361-quay"],
    );
  });
});
