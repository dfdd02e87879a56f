import * as assert from "node:assert/strict";
import * as aws from "@pulumi/aws";
import { s3BlockPublicAccess, s3RequireTls } from "../policies";
import type { AnalyzedResource } from "../analyze";
import { clone, res, run } from "./helpers";

const TLS_DOC = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: ["arn:aws:s3:::lab-work", "arn:aws:s3:::lab-work/*"],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ],
};

/** Happy path: a bucket, its full public access block and its TLS-only bucket policy. */
function happyStack(): AnalyzedResource[] {
  return [
    res(aws.s3.Bucket, "work", { id: "lab-work", bucket: "lab-work", forceDestroy: false }),
    res(aws.s3.BucketPublicAccessBlock, "work-pab", {
      bucket: "lab-work",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    res(aws.s3.BucketPolicy, "work-tls", { bucket: "lab-work", policy: JSON.stringify(TLS_DOC) }),
  ];
}

function change(
  stack: AnalyzedResource[],
  name: string,
  edit: (props: Record<string, unknown>) => void,
): AnalyzedResource[] {
  const copy = clone(stack);
  const r = copy.find((x) => x.name === name);
  if (r === undefined) throw new Error(name);
  edit(r.props);
  return copy;
}

describe("s3-block-public-access (stack)", () => {
  it("passes a bucket with all four flags", async () => {
    assert.deepEqual(await run(s3BlockPublicAccess, happyStack()), []);
  });

  it("matches the block by the bucket's id when its name differs (BucketV2 too)", async () => {
    const stack = change(happyStack(), "work", (p) => (p.bucket = "lab-work-1234"));
    assert.deepEqual(await run(s3BlockPublicAccess, stack), []);
    const v2 = [
      res(aws.s3.BucketV2, "old", { id: "old-b", bucket: "old-b" }),
      res(aws.s3.BucketPublicAccessBlock, "old-pab", { ...happyStack()[1].props, bucket: "old-b" }),
    ];
    assert.deepEqual(await run(s3BlockPublicAccess, v2), []);
  });

  it("rejects a bucket without a public access block, on the bucket's URN", async () => {
    const stack = happyStack().filter((r) => r.name !== "work-pab");
    const v = await run(s3BlockPublicAccess, stack);
    assert.equal(v.length, 1);
    assert.equal(v[0].enforcementLevel, "mandatory");
    assert.equal(v[0].resource, "work");
    assert.equal(v[0].urn, stack[0].urn);
    assert.match(v[0].message, /Bucket "work" has no aws.s3.BucketPublicAccessBlock/);
  });

  it("rejects a block that belongs to another bucket", async () => {
    const v = await run(
      s3BlockPublicAccess,
      change(happyStack(), "work-pab", (p) => (p.bucket = "other")),
    );
    assert.equal(v.length, 1);
    assert.match(v[0].message, /has no aws.s3.BucketPublicAccessBlock/);
  });

  it("rejects a block with a flag false or unset", async () => {
    const v = await run(
      s3BlockPublicAccess,
      change(happyStack(), "work-pab", (p) => {
        p.restrictPublicBuckets = false;
        delete p.ignorePublicAcls;
      }),
    );
    assert.equal(v.length, 1);
    assert.equal(
      v[0].message,
      'Bucket "work": public access block "work-pab" leaves ignorePublicAcls, restrictPublicBuckets unset or false. Set all four flags to true.',
    );
  });
});

describe("s3-require-tls (stack)", () => {
  it("passes a Deny on aws:SecureTransport false (string document, or object with a list value)", async () => {
    assert.deepEqual(await run(s3RequireTls, happyStack()), []);
    const doc = clone(TLS_DOC) as { Statement: Record<string, unknown>[] };
    doc.Statement[0].Condition = { Bool: { "aws:SecureTransport": ["false"] } };
    assert.deepEqual(
      await run(
        s3RequireTls,
        change(happyStack(), "work-tls", (p) => (p.policy = doc)),
      ),
      [],
    );
  });

  it("is advisory by default", () => {
    assert.equal(s3RequireTls.enforcementLevel, "advisory");
  });

  it("rejects a bucket without a bucket policy", async () => {
    const v = await run(
      s3RequireTls,
      happyStack().filter((r) => r.name !== "work-tls"),
    );
    assert.equal(v.length, 1);
    assert.equal(v[0].enforcementLevel, "advisory");
    assert.match(
      v[0].message,
      /Bucket "work" has no aws.s3.BucketPolicy\. Add the statement .*aws:SecureTransport/,
    );
  });

  for (const [label, edit] of [
    ["without the condition", (s: Record<string, unknown>) => delete s.Condition],
    ["that denies only some actions", (s: Record<string, unknown>) => (s.Action = "s3:GetObject")],
    ["that allows instead of denies", (s: Record<string, unknown>) => (s.Effect = "Allow")],
  ] as const) {
    it(`rejects a bucket policy ${label}`, async () => {
      const doc = clone(TLS_DOC) as { Statement: Record<string, unknown>[] };
      edit(doc.Statement[0]);
      const v = await run(
        s3RequireTls,
        change(happyStack(), "work-tls", (p) => (p.policy = JSON.stringify(doc))),
      );
      assert.equal(v.length, 1);
      assert.match(
        v[0].message,
        /has bucket policy "work-tls" without a Deny on aws:SecureTransport = "false"/,
      );
    });
  }
});
