// AWS's rules as the plan applies them, and the program's own fixed values checked against them.
import assert from "node:assert/strict";
import {
  bucketNameProblem,
  caseCollision,
  iamDescriptionProblem,
  JOB_QUEUE_NAME,
  LOG_GROUP_NAME,
  tagKeyProblem,
  tagValueProblem,
  TIME_LIMIT_ACTION_REASONS,
} from "../../config/awsRules";
import { CANCEL_RUNNABLE_REASONS } from "../../components/batchCompute";
import { inputsOf, ofType, runStack, T } from "../helpers";

describe("AWS rules", () => {
  const buckets: [string, string | undefined][] = [
    ["ngi-igenomes", undefined],
    ["my.lab.refs", undefined],
    ["1000genomes", undefined],
    ["ab", "3 to 63 characters long"],
    ["My-Bucket", "made of lowercase letters, digits, dots and hyphens"],
    ["-bucket", "started and ended with a letter or digit"],
    ["a..b", "free of two adjacent dots"],
    ["10.0.0.1", "not formatted as an IP address"],
    ["sthree-data", "free of the reserved prefix sthree-"],
    ["amzn-s3-demo-x", "free of the reserved prefix amzn-s3-demo-"],
    ["data-s3alias", "free of the reserved suffix -s3alias"],
    ["data.mrap", "free of the reserved suffix .mrap"],
    ["data--x-s3", "free of the reserved suffix --x-s3"],
    ["data--table-s3", "free of the reserved suffix --table-s3"],
  ];
  for (const [name, problem] of buckets) {
    it(`bucket ${JSON.stringify(name)}: ${problem ?? "accepted"}`, () =>
      assert.equal(bucketNameProblem(name), problem));
  }

  it("tags: IAM's characters, lengths and reserved prefix, in keys and values", () => {
    assert.equal(tagKeyProblem("grant"), undefined);
    assert.equal(tagKeyProblem("Projekt Größe/2026:a=b+c@d"), undefined);
    assert.equal(tagKeyProblem(""), "1 to 128 characters long");
    assert.equal(tagKeyProblem("k".repeat(129)), "1 to 128 characters long");
    assert.equal(tagKeyProblem("grant(1)"), "made of letters, digits, spaces and _ . : / = + - @ only");
    assert.equal(tagKeyProblem("AWS:cost"), "free of the reserved aws: prefix");
    assert.equal(tagValueProblem(""), undefined);
    assert.equal(tagValueProblem("v".repeat(257)), "at most 256 characters long");
    assert.equal(tagValueProblem("a,b"), "made of letters, digits, spaces and _ . : / = + - @ only");
    assert.equal(tagValueProblem("aws:x"), "free of the reserved aws: prefix");
    assert.deepEqual(caseCollision(["Grant", "lab", "grant"]), ["Grant", "grant"]);
    assert.equal(caseCollision(["a", "b"]), undefined);
  });

  it("queue and log group names", () => {
    assert.ok(JOB_QUEUE_NAME.test("smith-lab-prod_2-spot"));
    assert.ok(!JOB_QUEUE_NAME.test("smith-lab-lab.prod-spot"));
    assert.ok(!JOB_QUEUE_NAME.test("q".repeat(129)));
    assert.ok(LOG_GROUP_NAME.test("/nextflow-batch/smith-lab/lab.prod"));
    assert.ok(!LOG_GROUP_NAME.test("/nextflow-batch/smith lab/dev"));
  });

  it("the queues cancel only for reasons Batch acts on", () => {
    for (const reason of CANCEL_RUNNABLE_REASONS) {
      assert.ok((TIME_LIMIT_ACTION_REASONS as readonly string[]).includes(reason), reason);
    }
  });

  it("every IAM description and the launch template's description are text AWS accepts", async function () {
    this.timeout(60000);
    const run = await runStack({});
    const descriptions = [...ofType(run, T.role).values(), ...ofType(run, T.policy).values()].map(
      (r) => r.inputs.description as string,
    );
    // The instance, job and cache-template roles, and the launcher policy.
    assert.equal(descriptions.length, 4);
    for (const d of descriptions) assert.equal(iamDescriptionProblem(d), undefined, d);
    // EC2 CreateLaunchTemplate: VersionDescription / description at most 255 characters.
    assert.ok(String(inputsOf(run, T.lt, "nextflow-hosts").description).length <= 255);
    assert.equal(iamDescriptionProblem("Laboratoire Müller"), undefined);
    assert.equal(iamDescriptionProblem("研究室"), "Latin-1 text");
  });
});
