// AWS Budgets' rules for the budget name, the amount and the alert addresses (config/budget.ts).
import * as assert from "node:assert/strict";
import { budgetAmount, budgetName, budgetNameProblem, emailList, emailProblem } from "../../config/budget";
import { Invalid } from "../../config/values";

describe("budget rules", () => {
  const addresses: [string, string | undefined][] = [
    ["pi@example.org", undefined],
    ["lab.admin+aws@mail.example.ac.uk", undefined],
    ["o'brien@example.ie", undefined],
    ["pi@example", 'needs a domain such as "example.org" after the @'],
    ["pi@localhost", 'needs a domain such as "example.org" after the @'],
    ["pi@-example.org", 'needs a domain such as "example.org" after the @'],
    ["pi.example.org", "needs exactly one @ with a name before it"],
    ["@example.org", "needs exactly one @ with a name before it"],
    ["pi@lab@example.org", "needs exactly one @ with a name before it"],
    ["pi smith@example.org", "has spaces or characters an address cannot have before the @"],
    [".pi@example.org", "has spaces or characters an address cannot have before the @"],
    ["pi..smith@example.org", "has spaces or characters an address cannot have before the @"],
    [
      "pi@example.org\nbcc: x@example.org",
      "contains a line break (AWS refuses line breaks in a subscriber address)",
    ],
    ["pi@example.org\r", "contains a line break (AWS refuses line breaks in a subscriber address)"],
    [`${"a".repeat(65)}@example.org`, "has a name before the @ longer than 64 characters"],
    [`pi@${"a".repeat(250)}.org`, "is longer than 254 characters"],
  ];
  for (const [address, problem] of addresses) {
    it(`${JSON.stringify(address.slice(0, 40))}: ${problem ?? "an email address"}`, () => {
      assert.equal(emailProblem(address), problem);
    });
  }

  it("takes 0 to 10 addresses; refuses 11, repeats in any case, and non-strings", () => {
    const ten = Array.from({ length: 10 }, (_, i) => `user${i}@example.org`);
    assert.deepEqual(emailList(ten), ten);
    assert.deepEqual(emailList(JSON.stringify(ten)), ten, "as Pulumi passes a list: JSON text");
    assert.deepEqual(emailList([]), []);
    for (const bad of [
      [...ten, "user10@example.org"],
      ["a@example.org", "A@EXAMPLE.ORG"],
      [42],
      "pi@example.org",
    ]) {
      assert.throws(() => emailList(bad), Invalid, JSON.stringify(bad));
    }
  });

  it("amounts: whole dollars from 1 to 1,000,000, 0 for none; never a fraction, sign, separator or exponent", () => {
    for (const [raw, n] of [
      [0, 0],
      ["0", 0],
      [1, 1],
      ["2000", 2000],
      [" 2000 ", 2000],
      [1_000_000, 1_000_000],
    ] as const) {
      assert.equal(budgetAmount(raw), n, JSON.stringify(raw));
    }
    for (const raw of [-1, 1_000_001, 2000.5, "2000.50", "$2000", "2,000", "2e3", "", "lots", true, null]) {
      assert.throws(() => budgetAmount(raw), Invalid, JSON.stringify(raw));
    }
  });

  it("names the budget after the project, lab and stack; AWS's name rule: 1-100 characters, no : or \\, no /action/", () => {
    assert.equal(budgetName("smith-lab", "prod"), "nextflow-batch-smith-lab-prod");
    assert.equal(budgetNameProblem(budgetName("smith-lab", "prod")), undefined);
    assert.equal(budgetNameProblem("x".repeat(100)), undefined);
    assert.match(budgetNameProblem("x".repeat(101))!, /^at most 100 characters; "x+" has 101$/);
    for (const bad of ["a:b", "a\\b", "lab/action/x", "x<script>alert(1)</script>", "x<SCRIPT>a</SCRIPT>"]) {
      assert.match(budgetNameProblem(bad)!, /^free of ":", "\\", "\/action\/" and <script> tags/, bad);
    }
    assert.equal(budgetNameProblem("lab/actions"), undefined, "only the /action/ substring is refused");
  });
});
