import * as assert from "node:assert/strict";
import { parsePolicyDocument } from "../iam/policy-document";
import { policyDocument } from "./helpers";

describe("IAM policy documents", () => {
  it("reads JSON text and objects, a Statement list or a single statement, Sid labels", () => {
    const statements = [
      { Sid: "Read", Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" },
      { Effect: "deny", NotAction: "s3:*", Resource: "*" },
    ];
    for (const doc of [policyDocument(statements), JSON.stringify(policyDocument(statements))]) {
      const parsed = parsePolicyDocument(doc);
      assert.ok(parsed.ok);
      assert.deepEqual(
        parsed.statements.map(({ label, effect, actions, notActions }) => ({
          label,
          effect,
          actions,
          notActions,
        })),
        [
          { label: 'statement "Read"', effect: "Allow", actions: ["s3:GetObject"], notActions: undefined },
          { label: "statement 1", effect: "Deny", actions: undefined, notActions: ["s3:*"] },
        ],
      );
    }
    const single = parsePolicyDocument(
      policyDocument({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }),
    );
    assert.ok(single.ok);
    assert.equal(single.statements.length, 1);
    const empty = parsePolicyDocument(policyDocument([]));
    assert.ok(empty.ok);
    assert.deepEqual(empty.statements, []);
  });

  const unreadable: [string, unknown, string][] = [
    ["text that is not JSON", "{ Statement: [", "it is not valid JSON ("],
    ["an empty string", "", "it is not valid JSON ("],
    ["a number", 42, "it is not a JSON object (got 42)"],
    ["a list", [], "it is not a JSON object (got [])"],
    ["no Statement", { Version: "2012-10-17" }, 'it has no "Statement"'],
    ["a lower-case statement key", { statement: [] }, 'it has no "Statement"'],
    ["a statement that is a string", policyDocument(["s3:*"]), 'statement 0 is not an object (got "s3:*")'],
    [
      "an Effect other than Allow/Deny",
      policyDocument([{ Sid: "X", Effect: "Permit", Action: "s3:GetObject" }]),
      'statement "X" has Effect "Permit", neither "Allow" nor "Deny"',
    ],
    ["no Effect", policyDocument([{ Action: "s3:GetObject" }]), "statement 0 has Effect undefined"],
    [
      "both Action and NotAction",
      policyDocument([{ Effect: "Allow", Action: "s3:GetObject", NotAction: "iam:*" }]),
      "statement 0 has both Action and NotAction",
    ],
    [
      "neither Action nor NotAction",
      policyDocument([{ Effect: "Allow", Resource: "*" }]),
      "statement 0 has neither Action nor NotAction",
    ],
    [
      "an Action that is a number",
      policyDocument([{ Effect: "Allow", Action: 7 }]),
      "statement 0 has Action 7, not a string or a list of strings",
    ],
    [
      "an Action list with an object",
      policyDocument([{ Effect: "Allow", Action: ["s3:GetObject", { all: true }] }]),
      'statement 0 has Action ["s3:GetObject",{"all":true}], not a string or a list of strings',
    ],
  ];
  for (const [label, doc, reason] of unreadable) {
    it(`cannot read ${label}, and says why`, () => {
      const parsed = parsePolicyDocument(doc);
      assert.equal(parsed.ok, false);
      if (!parsed.ok) assert.ok(parsed.reason.startsWith(reason), parsed.reason);
    });
  }
});
