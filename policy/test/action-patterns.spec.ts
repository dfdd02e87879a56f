import * as assert from "node:assert/strict";
import { expandIamActions } from "@cloud-copilot/iam-expand";
import { actionCount } from "../iam/action-list";
import { coverage, globMatch, matchingActions, normalizeActionPattern } from "../iam/action-patterns";

describe("IAM action patterns", () => {
  it("globMatch: * is any run (none too), ? exactly one character, the rest literal", () => {
    const cases: [string, string, boolean][] = [
      ["iam:*", "iam:getrole", true],
      ["iam:*", "iam:", true],
      ["iam:?*", "iam:", false],
      ["iam:get?ole", "iam:getrole", true],
      ["iam:get?ole", "iam:getole", false],
      ["*role", "iam:getrole", true],
      ["i*m:*", "iam:getrole", true],
      ["iam:get.ole", "iam:getrole", false], // "." is literal, not a regex wildcard
      ["iam:getrole", "iam:getroles", false],
      ["", "", true],
      ["*", "", true],
      ["**x", "iam:getrole", false],
    ];
    for (const [pattern, text, expected] of cases) {
      assert.equal(globMatch(pattern, text), expected, `${pattern} ~ ${text}`);
    }
  });

  it("globMatch stays fast on patterns of many stars", () => {
    const started = Date.now();
    assert.equal(globMatch("*?".repeat(40) + "x", "s3:getobjectlegalholdconfiguration".repeat(3)), false);
    assert.ok(Date.now() - started < 100);
  });

  it("normalizes as IAM reads a pattern: trimmed, any case, \\u escapes decoded once", () => {
    assert.equal(normalizeActionPattern("  IAM:PassRole "), "iam:passrole");
    assert.equal(normalizeActionPattern("iam:\\u002A"), "iam:*");
    assert.equal(normalizeActionPattern("iam:\\u005cu002a"), "iam:\\u002a");
  });

  it("finds the same actions as @cloud-copilot/iam-expand wherever iam-expand reads the pattern", async () => {
    const patterns = [
      "s3:*Object",
      "s3:Get*",
      "S3:GET*",
      "iam:Get*",
      "iam:*",
      "iam:**",
      "iam:?*",
      "ec2:Describe*",
      "ec2:*Instances",
      "iam:List?????",
      "batch:SubmitJob",
      "logs:*Log*",
      "sts:AssumeRole*",
      "kms:*",
    ];
    for (const pattern of patterns) {
      const theirs = (await expandIamActions(pattern)).map((a) => a.toLowerCase()).sort();
      assert.deepEqual(matchingActions(pattern).sort(), theirs, pattern);
      assert.ok(theirs.length > 0, pattern);
    }
  });

  it("agrees with iam-expand on a grid of services and pattern shapes", async () => {
    const services = [
      "s3",
      "iam",
      "ec2",
      "batch",
      "logs",
      "sts",
      "kms",
      "ecr",
      "ecs",
      "lambda",
      "resource-groups",
    ];
    const shapes = ["*", "Get*", "*Tag*", "?et*", "List*s", "Describe*", "*Policy", "Put?*", "*e*e*e*"];
    for (const service of services) {
      for (const shape of shapes) {
        const pattern = `${service}:${shape}`;
        const theirs = (await expandIamActions(pattern)).map((a) => a.toLowerCase()).sort();
        assert.deepEqual(matchingActions(pattern).sort(), theirs, pattern);
      }
    }
  });

  it("also reads what iam-expand returns nothing for: a wildcard in the prefix, no colon", async () => {
    for (const pattern of ["i?m:*", "*:*", "iam*", "*am:*"]) {
      assert.deepEqual(await expandIamActions(pattern), [], pattern);
      assert.ok(coverage([pattern]).fullServices.includes("iam"), pattern);
    }
  });

  const spellings: [string, string[]][] = [
    ["iam:*", ["iam:*"]],
    ["IAM:*", ["IAM:*"]],
    ["iam:**", ["iam:**"]],
    ["iam:?*", ["iam:?*"]],
    ["iam:*?", ["iam:*?"]],
    ["i?m:*", ["i?m:*"]],
    ["iam*", ["iam*"]],
    ["padded", ["  iam:*  "]],
    ["escaped", ["iam:\\u002a"]],
    ["split in two", ["iam:*e*", "iam:*"]],
    ["one pattern per initial letter", [..."abcdefghijklmnopqrstuvwxyz"].map((c) => `iam:${c}*`)],
  ];
  for (const [label, patterns] of spellings) {
    it(`${label} (${patterns.join(", ")}) covers every iam action`, () => {
      const c = coverage(patterns);
      assert.deepEqual(c.fullServices, ["iam"]);
      assert.equal(c.everyAction, false);
    });
  }

  it("every iam action named one by one is every iam action", () => {
    const all = matchingActions("iam:*").map((a) => a.replace(/^iam:/, ""));
    assert.equal(all.length, actionCount("iam"));
    assert.deepEqual(coverage(all.map((a) => `iam:${a}`)).fullServices, ["iam"]);
    assert.deepEqual(coverage(all.slice(1).map((a) => `iam:${a}`)).fullServices, []);
  });

  for (const pattern of ["*", "*:*", "?*", "*:?*", "**"]) {
    it(`${pattern} covers every action of every service`, () => {
      const c = coverage([pattern]);
      assert.equal(c.everyAction, true);
      assert.ok(c.fullServices.length > 400);
    });
  }

  it("s*:* covers every service whose prefix starts with s, and only those", () => {
    const c = coverage(["s*:*"]);
    assert.equal(c.everyAction, false);
    assert.ok(c.fullServices.includes("s3") && c.fullServices.includes("sqs"));
    assert.ok(c.fullServices.every((s) => s.startsWith("s")));
  });

  it("a prefix the list does not know is covered only by a name of wildcards", () => {
    assert.deepEqual(coverage(["newsvc:*"]).fullServices, ["newsvc"]);
    assert.deepEqual(coverage(["newsvc:?*"]).fullServices, ["newsvc"]);
    assert.deepEqual(coverage(["newsvc:Get*"]).fullServices, []);
    assert.deepEqual(coverage(["newsvc:DoThing"]).fullServices, []);
  });

  const nearMisses: string[][] = [
    ["s3:*Object"],
    ["iam:Get*"],
    ["s3:Get*", "s3:Put*", "s3:List*"],
    ["ec2:Describe*"],
    ["iam:PassRole"],
    ["iam:?"],
    ["iam:*x"],
    ["*Object"],
    [""],
    [],
  ];
  for (const patterns of nearMisses) {
    it(`near miss ${JSON.stringify(patterns)} covers no service in full`, () => {
      const c = coverage(patterns);
      assert.deepEqual(c.fullServices, []);
      assert.equal(c.everyAction, false);
    });
  }
});
