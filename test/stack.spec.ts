import * as pulumi from "@pulumi/pulumi";
import assert from "node:assert/strict";
import { renderUserData } from "../components/bootstrap/userData";
import { CANCEL_RUNNABLE_REASONS } from "../components/compute";
import { ECS_AL2023_AMI_PARAMETERS } from "../components/launchTemplate";
import { PRESET_NAMES, PRESETS } from "../presets";
import { MOCK_ACCOUNT_ID, MOCK_AMI_ID } from "../scripts/offline";
import { one, ofType, policyDoc, resourceSet, runStack } from "./helpers";

const T = {
  network: "nextflow-batch:network:Network",
  vpc: "awsx:ec2:Vpc",
  endpoint: "aws:ec2/vpcEndpoint:VpcEndpoint",
  sg: "aws:ec2/securityGroup:SecurityGroup",
  bucketComponent: "nextflow-batch:storage:WorkBucket",
  bucket: "aws:s3/bucket:Bucket",
  sse: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  pab: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  ownership: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  lifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  ltComponent: "nextflow-batch:compute:HostLaunchTemplate",
  lt: "aws:ec2/launchTemplate:LaunchTemplate",
  accessComponent: "nextflow-batch:access:Access",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  attachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  profile: "aws:iam/instanceProfile:InstanceProfile",
  policy: "aws:iam/policy:Policy",
  computeComponent: "nextflow-batch:compute:BatchCompute",
  ce: "aws:batch/computeEnvironment:ComputeEnvironment",
  queue: "aws:batch/jobQueue:JobQueue",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
};

const COMMON = [
  `${T.network} nextflow-network`,
  `${T.sg} nextflow-network-hosts`,
  `${T.bucketComponent} nextflow-work`,
  `${T.bucket} nextflow-work`,
  `${T.sse} nextflow-work-encryption`,
  `${T.pab} nextflow-work-public-access`,
  `${T.ownership} nextflow-work-ownership`,
  `${T.bucketPolicy} nextflow-work-tls-only`,
  `${T.lifecycle} nextflow-work-lifecycle`,
  `${T.logGroup} nextflow-jobs`,
  `${T.ltComponent} nextflow-hosts`,
  `${T.lt} nextflow-hosts`,
  `${T.accessComponent} nextflow-access`,
  `${T.role} nextflow-access-instance`,
  `${T.attachment} nextflow-access-instance-ecs`,
  `${T.rolePolicy} nextflow-access-instance-logs`,
  `${T.profile} nextflow-access-instance`,
  `${T.role} nextflow-access-job`,
  `${T.rolePolicy} nextflow-access-job-s3`,
  `${T.policy} nextflow-access-launcher`,
  `${T.computeComponent} nextflow-batch`,
  `${T.ce} nextflow-batch-spot`,
  `${T.queue} nextflow-batch-spot`,
];
const NEW_VPC = [`${T.vpc} nextflow-network-vpc`, `${T.endpoint} nextflow-network-s3`];
const ON_DEMAND = [`${T.ce} nextflow-batch-ondemand`, `${T.queue} nextflow-batch-ondemand`];

const BUCKET_ARN_PREFIX = "arn:aws:s3:::nextflow-work-";

describe("stack, per preset", function () {
  this.timeout(60000);

  for (const name of PRESET_NAMES) {
    describe(name, () => {
      const preset = PRESETS[name];
      let run: Awaited<ReturnType<typeof runStack>>;
      before(async () => {
        run = await runStack({ preset: name });
      });

      it("creates exactly the expected resources", () => {
        assert.deepEqual(resourceSet(run), [...COMMON, ...NEW_VPC, ...ON_DEMAND].sort());
      });

      it("puts every child under its component", () => {
        const parents = new Map(
          run.resources.map((r) => [r.name + "|" + r.type, r.parent?.split("::").pop()]),
        );
        assert.equal(parents.get(`nextflow-batch-spot|${T.ce}`), "nextflow-batch");
        assert.equal(parents.get(`nextflow-hosts|${T.lt}`), "nextflow-hosts");
        assert.equal(parents.get(`nextflow-work-tls-only|${T.bucketPolicy}`), "nextflow-work");
        assert.equal(parents.get(`nextflow-access-launcher|${T.policy}`), "nextflow-access");
        assert.equal(parents.get(`nextflow-jobs|${T.logGroup}`), undefined);
      });

      it("launches the preset's families on spot with the service-linked role", () => {
        const ce = one(run, T.ce, "nextflow-batch-spot").inputs as any;
        assert.equal(ce.type, "MANAGED");
        assert.equal(
          ce.serviceRole,
          undefined,
          "no serviceRole: the service-linked role allows in-place updates",
        );
        assert.equal(ce.name, undefined, "auto-named, so a replacement is created before the old one goes");
        const c = ce.computeResources;
        assert.equal(c.type, "SPOT");
        assert.equal(c.allocationStrategy, "SPOT_PRICE_CAPACITY_OPTIMIZED");
        assert.equal(c.bidPercentage, 100);
        assert.equal(c.spotIamFleetRole, undefined);
        assert.deepEqual(c.instanceTypes, preset.instanceTypes);
        assert.equal(c.minVcpus, 0);
        assert.equal(c.desiredVcpus, 0);
        assert.equal(c.maxVcpus, 1024);
        const vpc = one(run, T.vpc, "nextflow-network-vpc").state;
        assert.equal((vpc.privateSubnetIds as string[]).length, 3);
        assert.deepEqual(c.subnets, vpc.privateSubnetIds, "hosts run in the private subnets only");
        assert.deepEqual(c.securityGroupIds.length, 1);
        assert.match(c.securityGroupIds[0], /^sg-0/);
        assert.equal(
          c.instanceRole,
          `arn:aws:iam::${MOCK_ACCOUNT_ID}:instance-profile/${one(run, T.profile, "nextflow-access-instance").state.name}`,
        );
        assert.deepEqual(c.launchTemplate, {
          launchTemplateId: c.launchTemplate.launchTemplateId,
          version: "1",
        });
        assert.match(c.launchTemplate.launchTemplateId, /^lt-0/);
        assert.deepEqual(c.ec2Configurations, [{ imageType: "ECS_AL2023" }]);
        assert.deepEqual(c.tags, { lab: "smith-lab", "managed-by": "nextflow-batch", "pulumi-stack": "dev" });
        assert.deepEqual(ce.updatePolicy, { terminateJobsOnUpdate: false, jobExecutionTimeoutMinutes: 30 });
      });

      it("adds an on-demand environment with BEST_FIT_PROGRESSIVE and its own cap", () => {
        const c = (one(run, T.ce, "nextflow-batch-ondemand").inputs as any).computeResources;
        assert.equal(c.type, "EC2");
        assert.equal(c.allocationStrategy, "BEST_FIT_PROGRESSIVE");
        assert.equal(c.bidPercentage, undefined);
        assert.equal(c.maxVcpus, 256);
        assert.deepEqual(c.instanceTypes, preset.instanceTypes);
      });

      it("queues: spot is the default, on-demand second; both cancel jobs that can never run", () => {
        const spot = one(run, T.queue, "nextflow-batch-spot").inputs as any;
        const onDemand = one(run, T.queue, "nextflow-batch-ondemand").inputs as any;
        assert.equal(spot.name, "smith-lab-dev-spot");
        assert.equal(onDemand.name, "smith-lab-dev-ondemand");
        assert.equal(spot.state, "ENABLED");
        const spotCe = one(run, T.ce, "nextflow-batch-spot").state.arn;
        const odCe = one(run, T.ce, "nextflow-batch-ondemand").state.arn;
        assert.deepEqual(spot.computeEnvironmentOrders, [{ order: 1, computeEnvironment: spotCe }]);
        assert.deepEqual(onDemand.computeEnvironmentOrders, [{ order: 1, computeEnvironment: odCe }]);
        const expected = CANCEL_RUNNABLE_REASONS.map((reason) => ({
          reason,
          state: "RUNNABLE",
          maxTimeSeconds: 1800,
          action: "CANCEL",
        }));
        assert.deepEqual(spot.jobStateTimeLimitActions, expected);
        assert.deepEqual(onDemand.jobStateTimeLimitActions, expected);
        assert.ok(
          !CANCEL_RUNNABLE_REASONS.some((r) => r.startsWith("CAPACITY")),
          "capacity shortfalls wait, not cancel",
        );
      });

      it("launch template: AL2023 ECS image, IMDSv2, encrypted gp3 root sized by the preset, terminate on shutdown, tags", () => {
        const lt = one(run, T.lt, "nextflow-hosts").inputs as any;
        assert.equal(lt.imageId, MOCK_AMI_ID);
        const ssm = run.invokes.filter((i) => i.token === "aws:ssm/getParameter:getParameter");
        assert.deepEqual(
          ssm.map((i) => i.inputs.name),
          [ECS_AL2023_AMI_PARAMETERS[preset.architecture]],
        );
        assert.deepEqual(lt.metadataOptions, {
          httpEndpoint: "enabled",
          httpTokens: "required",
          httpPutResponseHopLimit: 1,
        });
        assert.deepEqual(lt.blockDeviceMappings, [
          {
            deviceName: "/dev/xvda",
            ebs: {
              volumeType: "gp3",
              volumeSize: preset.storage.rootVolumeGiB,
              iops: preset.storage.iops,
              throughput: preset.storage.throughputMiBps,
              encrypted: "true",
              deleteOnTermination: "true",
            },
          },
        ]);
        assert.equal(lt.instanceInitiatedShutdownBehavior, "terminate");
        const tags = { lab: "smith-lab", "managed-by": "nextflow-batch", "pulumi-stack": "dev" };
        assert.deepEqual(lt.tagSpecifications, [
          { resourceType: "instance", tags },
          { resourceType: "volume", tags },
        ]);
        const userData = Buffer.from(lt.userData, "base64").toString("utf8");
        assert.equal(
          userData,
          renderUserData({
            storage: preset.storage.kind === "instanceStore" ? "instanceStore" : "ebs",
            architecture: preset.architecture,
          }),
        );
        assert.match(userData, /^Content-Type: multipart\/mixed; boundary=/m);
      });

      it("bucket: encrypted, public access blocked, TLS only, kept on destroy", () => {
        const bucket = one(run, T.bucket, "nextflow-work");
        assert.equal((bucket.inputs as any).forceDestroy, false);
        const bucketId = bucket.state.bucket;
        assert.deepEqual(one(run, T.sse, "nextflow-work-encryption").inputs, {
          bucket: bucketId,
          rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
        });
        assert.deepEqual(one(run, T.pab, "nextflow-work-public-access").inputs, {
          bucket: bucketId,
          blockPublicAcls: true,
          blockPublicPolicy: true,
          ignorePublicAcls: true,
          restrictPublicBuckets: true,
        });
        const arn = bucket.state.arn as string;
        assert.ok(arn.startsWith(BUCKET_ARN_PREFIX));
        assert.deepEqual(policyDoc(one(run, T.bucketPolicy, "nextflow-work-tls-only").inputs.policy), {
          Version: "2012-10-17",
          Statement: [
            {
              Sid: "DenyInsecureTransport",
              Effect: "Deny",
              Principal: "*",
              Action: "s3:*",
              Resource: [arn, `${arn}/*`],
              Condition: { Bool: { "aws:SecureTransport": "false" } },
            },
          ],
        });
      });

      it("lifecycle expires only work/ and aborts stale multipart uploads", () => {
        assert.deepEqual((one(run, T.lifecycle, "nextflow-work-lifecycle").inputs as any).rules, [
          {
            id: "expire-nextflow-work",
            status: "Enabled",
            filter: { prefix: "work/" },
            expiration: { days: 30 },
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          {
            id: "abort-incomplete-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
        ]);
      });

      it("logs: one group for the stack's jobs with a retention period", () => {
        assert.deepEqual(one(run, T.logGroup, "nextflow-jobs").inputs, {
          name: "/nextflow-batch/smith-lab/dev",
          retentionInDays: 30,
          tags: { lab: "smith-lab", "managed-by": "nextflow-batch", "pulumi-stack": "dev" },
        });
      });
    });
  }
});

describe("stack IAM", function () {
  this.timeout(60000);
  let run: Awaited<ReturnType<typeof runStack>>;
  before(async () => {
    run = await runStack({ inputBuckets: ["ngi-igenomes"] });
  });

  const bucketArn = () => one(run, T.bucket, "nextflow-work").state.arn as string;
  const logGroupArn = `arn:aws:logs:us-east-1:${MOCK_ACCOUNT_ID}:log-group:/nextflow-batch/smith-lab/dev`;

  it("instance role: trusted by EC2, the ECS container-instance policy and this stack's logs only", () => {
    const role = one(run, T.role, "nextflow-access-instance").inputs as any;
    assert.deepEqual(policyDoc(role.assumeRolePolicy).Statement, [
      { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" },
    ]);
    assert.deepEqual(ofType(run, T.attachment).size, 1);
    assert.equal(
      one(run, T.attachment, "nextflow-access-instance-ecs").inputs.policyArn,
      "arn:aws:iam::aws:policy/service-role/AmazonEC2ContainerServiceforEC2Role",
    );
    assert.deepEqual(
      policyDoc(one(run, T.rolePolicy, "nextflow-access-instance-logs").inputs.policy).Statement,
      [
        {
          Sid: "WriteJobLogs",
          Effect: "Allow",
          Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
          Resource: [logGroupArn, `${logGroupArn}:log-stream:*`],
        },
      ],
    );
  });

  it("job role: trusted by ECS tasks of this account; work bucket read/write, input buckets read-only", () => {
    const role = one(run, T.role, "nextflow-access-job").inputs as any;
    assert.deepEqual(policyDoc(role.assumeRolePolicy).Statement, [
      {
        Effect: "Allow",
        Principal: { Service: "ecs-tasks.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
      },
    ]);
    const statements = policyDoc(one(run, T.rolePolicy, "nextflow-access-job-s3").inputs.policy).Statement;
    assert.deepEqual(statements, [
      {
        Sid: "ListWorkBucket",
        Effect: "Allow",
        Action: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
        Resource: bucketArn(),
      },
      {
        Sid: "ReadWriteWorkBucketObjects",
        Effect: "Allow",
        Action: [
          "s3:GetObject",
          "s3:PutObject",
          "s3:DeleteObject",
          "s3:GetObjectTagging",
          "s3:PutObjectTagging",
          "s3:AbortMultipartUpload",
          "s3:ListMultipartUploadParts",
        ],
        Resource: `${bucketArn()}/*`,
      },
      {
        Sid: "ReadInputBuckets",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:ListBucket", "s3:GetBucketLocation"],
        Resource: ["arn:aws:s3:::ngi-igenomes", "arn:aws:s3:::ngi-igenomes/*"],
      },
    ]);
  });

  it("launcher policy: these queues, nf-* job definitions, describe calls, logs, the bucket, PassRole on the job role only", () => {
    const statements = policyDoc(one(run, T.policy, "nextflow-access-launcher").inputs.policy).Statement;
    const batch = `arn:aws:batch:us-east-1:${MOCK_ACCOUNT_ID}`;
    const bySid = new Map(statements.map((s: any) => [s.Sid, s]));
    assert.deepEqual(
      [...bySid.keys()],
      [
        "SubmitToTheseQueues",
        "ManageNextflowJobDefinitionsAndJobs",
        "DescribeWhatNextflowPolls",
        "ReadJobLogs",
        "ListWorkBucket",
        "ReadWriteWorkBucketObjects",
        "PassOnlyTheJobRole",
      ],
    );
    assert.deepEqual(bySid.get("SubmitToTheseQueues").Resource, [
      `${batch}:job-queue/smith-lab-dev-spot`,
      `${batch}:job-queue/smith-lab-dev-ondemand`,
      `${batch}:job-definition/nf-*`,
    ]);
    assert.deepEqual(bySid.get("PassOnlyTheJobRole"), {
      Sid: "PassOnlyTheJobRole",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: one(run, T.role, "nextflow-access-job").state.arn,
      Condition: { StringEquals: { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
    });
    // The queue ARNs the policy names are the queues' real ARNs.
    assert.equal(one(run, T.queue, "nextflow-batch-spot").state.arn, `${batch}:job-queue/smith-lab-dev-spot`);
  });

  it("no `*` or `service:*` action and no AWS-managed full-access policy anywhere", () => {
    const docs = [
      ...[...ofType(run, T.rolePolicy).values()].map((r) => r.inputs.policy),
      ...[...ofType(run, T.policy).values()].map((r) => r.inputs.policy),
    ].map(policyDoc);
    for (const doc of docs) {
      for (const s of doc.Statement) {
        for (const action of [s.Action].flat()) assert.doesNotMatch(action, /(^\*$|:\*$)/, JSON.stringify(s));
        assert.equal(s.NotAction, undefined);
      }
    }
    for (const a of ofType(run, T.attachment).values())
      assert.doesNotMatch(String(a.inputs.policyArn), /FullAccess|Administrator|PowerUser/);
  });
});

describe("stack variants", function () {
  this.timeout(60000);

  it("existing VPC: no VPC or endpoint is created; hosts go in the given subnets", async () => {
    const subnets = ["subnet-0123456789abcdef0", "subnet-0fedcba9876543210"];
    const run = await runStack({ network: "existing", vpcId: "vpc-0123456789abcdef0", subnetIds: subnets });
    assert.deepEqual(resourceSet(run), [...COMMON, ...ON_DEMAND].sort());
    assert.equal(one(run, T.sg, "nextflow-network-hosts").inputs.vpcId, "vpc-0123456789abcdef0");
    assert.deepEqual((one(run, T.sg, "nextflow-network-hosts").inputs as any).ingress, []);
    assert.deepEqual((one(run, T.ce, "nextflow-batch-spot").inputs as any).computeResources.subnets, subnets);
    assert.equal(run.outputs.vpcId, "vpc-0123456789abcdef0");
  });

  it("new VPC: private subnets across AZs, NAT as configured, S3 endpoint on the private route tables", async () => {
    const run = await runStack({ natGateways: "onePerAz", availabilityZones: 2, vpcCidr: "10.20.0.0/16" });
    const vpc = one(run, T.vpc, "nextflow-network-vpc");
    assert.deepEqual(
      { ...(vpc.inputs as any), tags: undefined },
      {
        cidrBlock: "10.20.0.0/16",
        numberOfAvailabilityZones: 2,
        natGateways: { strategy: "OnePerAz" },
        subnetSpecs: [{ type: "Public" }, { type: "Private" }],
        subnetStrategy: "Auto",
        enableDnsHostnames: true,
        enableDnsSupport: true,
        tags: undefined,
      },
    );
    const endpoint = one(run, T.endpoint, "nextflow-network-s3").inputs as any;
    assert.equal(endpoint.serviceName, "com.amazonaws.us-east-1.s3");
    assert.equal(endpoint.vpcEndpointType, "Gateway");
    const privateTables = (vpc.state.routeTableAssociations as any[])
      .filter((a) => (vpc.state.privateSubnetIds as string[]).includes(a.subnetId))
      .map((a) => a.routeTableId)
      .sort();
    assert.equal(privateTables.length, 2);
    assert.deepEqual(endpoint.routeTableIds, privateTables);
    const sg = one(run, T.sg, "nextflow-network-hosts").inputs as any;
    assert.deepEqual(sg.ingress, []);
    assert.deepEqual(sg.egress, [
      { protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] },
    ]);
  });

  it("no on-demand queue: its environment, queue, output and config block are absent", async () => {
    const run = await runStack({
      onDemandQueue: false,
      maxVcpus: 64,
      spotBidPercentage: 70,
      workRetentionDays: 3,
    });
    assert.deepEqual(resourceSet(run), [...COMMON, ...NEW_VPC].sort());
    assert.equal(run.outputs.onDemandQueueName, undefined);
    assert.doesNotMatch(String(run.outputs.nextflowConfig), /ondemand/);
    const c = (one(run, T.ce, "nextflow-batch-spot").inputs as any).computeResources;
    assert.equal(c.maxVcpus, 64);
    assert.equal(c.bidPercentage, 70);
    const rules = (one(run, T.lifecycle, "nextflow-work-lifecycle").inputs as any).rules;
    assert.deepEqual(rules[0].expiration, { days: 3 });
    assert.deepEqual(rules[0].abortIncompleteMultipartUpload, { daysAfterInitiation: 3 });
    const launcher = policyDoc(one(run, T.policy, "nextflow-access-launcher").inputs.policy).Statement[0];
    assert.equal(launcher.Resource.length, 2, "only the spot queue and job definitions");
  });

  it("cost tags reach every taggable resource, instances and volumes included", async () => {
    const run = await runStack({ costTags: { grant: "R01-GM000000" } });
    const expected = {
      grant: "R01-GM000000",
      lab: "smith-lab",
      "managed-by": "nextflow-batch",
      "pulumi-stack": "dev",
    };
    for (const type of [
      T.bucket,
      T.lt,
      T.ce,
      T.queue,
      T.logGroup,
      T.role,
      T.policy,
      T.sg,
      T.endpoint,
      T.vpc,
    ]) {
      for (const r of ofType(run, type).values())
        assert.deepEqual(r.inputs.tags, expected, `${type} ${r.name}`);
    }
    for (const ce of ofType(run, T.ce).values())
      assert.deepEqual((ce.inputs as any).computeResources.tags, expected);
    for (const spec of (one(run, T.lt, "nextflow-hosts").inputs as any).tagSpecifications)
      assert.deepEqual(spec.tags, expected);
  });

  it("bad config stops the program before any resource, with one line per problem", async () => {
    await assert.rejects(runStack({ maxVcpus: "lots", preset: "nope" }), (e: Error) => {
      assert.ok(pulumi.RunError.isInstance(e), "a RunError: Pulumi prints it without a stack trace");
      assert.equal(
        e.message,
        [
          "invalid stack config:",
          'nextflow-batch:preset must be one of "m5-gp3", "m5d-nvme", "c6a-gp3"; got "nope". Fix: set it with: pulumi config set nextflow-batch:preset m5-gp3',
          'nextflow-batch:maxVcpus must be an integer from 1 to 10000; got "lots". Fix: set it with: pulumi config set nextflow-batch:maxVcpus 1024',
        ].join("\n"),
      );
      return true;
    });
  });
});

describe("nextflowConfig", function () {
  this.timeout(60000);

  it("is a complete nextflow.config for the stack", async () => {
    const run = await runStack({ preset: "m5d-nvme", maxSpotAttempts: 3 });
    const bucket = run.outputs.workBucketName as string;
    const jobRole = run.outputs.jobRoleArn as string;
    assert.equal(
      run.outputs.nextflowConfig,
      `// Nextflow on AWS Batch for lab smith-lab (stack dev), generated by nextflow-batch.
// Regenerate with: pulumi stack output nextflowConfig > nextflow.config

process {
    executor = 'awsbatch'
    queue = 'smith-lab-dev-spot'
    // Tasks that must not be interrupted by spot reclaims: give the process \`label 'ondemand'\`.
    withLabel: 'ondemand' {
        queue = 'smith-lab-dev-ondemand'
    }
}

workDir = 's3://${bucket}/work'

aws {
    region = 'us-east-1'
    client {
        // Matches the bucket's default encryption; objects Nextflow writes say so explicitly.
        storageEncryption = 'AES256'
    }
    batch {
        // The self-contained AWS CLI every host installs; Nextflow mounts its directory into task containers.
        cliPath = '/opt/aws-cli/bin/aws'
        // Tasks use this role (work bucket only), not the host's instance credentials.
        jobRole = '${jobRole}'
        logsGroup = '/nextflow-batch/smith-lab/dev'
        // Retry tasks whose spot host was reclaimed (Nextflow's default is 0 since 24.10).
        maxSpotAttempts = 3
        maxParallelTransfers = 8
        maxTransferAttempts = 3
        delayBetweenAttempts = '15 sec'
    }
}
`,
    );
    assert.match(jobRole, /^arn:aws:iam::123456789012:role\/nextflow-access-job-/);
    for (const removed of [
      "protocol",
      "signerOverride",
      "userAgent",
      "uploadChunkSize",
      "uploadMaxThreads",
      "uploadMaxAttempts",
      "uploadRetrySleep",
    ]) {
      assert.doesNotMatch(
        String(run.outputs.nextflowConfig),
        new RegExp(`\\b${removed}\\b`),
        `${removed} was removed in Nextflow 25.10`,
      );
    }
  });

  it("exports the outputs users and scripts read", async () => {
    const run = await runStack({});
    assert.deepEqual(Object.keys(run.outputs).sort(), [
      "jobRoleArn",
      "launcherPolicyArn",
      "logGroupName",
      "nextflowConfig",
      "onDemandQueueArn",
      "onDemandQueueName",
      "spotQueueArn",
      "spotQueueName",
      "vpcId",
      "workBucketName",
      "workDir",
    ]);
    assert.equal(run.outputs.workDir, `s3://${run.outputs.workBucketName}/work`);
  });
});
