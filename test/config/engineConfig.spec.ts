// The stack file as the Pulumi engine hands it to the program (PULUMI_CONFIG text), so the
// offline plan and `pulumi preview` see the same inputs. Expected values follow yaml.v3's
// resolver (go-yaml v3.0.1 resolve.go) and pulumi/pulumi v3.248.0's config code; see
// config/engineConfig.ts for the path.
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { engineConfig, EngineConfigError, SECRET_PLACEHOLDER } from "../../config/engineConfig";

const PROJECT_YAML = fs.readFileSync(path.join(__dirname, "..", "..", "Pulumi.yaml"), "utf8");
const BARE_PROJECT = "name: nextflow-batch\nruntime: nodejs\n";

/** The program's text for `other:v` written as `yaml` in a stack file. */
function valueOf(yaml: string): string {
  return engineConfig(`config:\n  other:v: ${yaml}\n`, BARE_PROJECT, "dev").values["other:v"];
}

describe("stack config as the engine hands it to the program", () => {
  const scalars: [yaml: string, program: string][] = [
    ["512", "512"],
    ['"512"', "512"],
    ["'512'", "512"],
    ["0x10", "16"],
    ["010", "8"],
    ["0777", "511"],
    ["0o10", "8"],
    ["08", "8"],
    ["+5", "5"],
    ["-0x10", "-16"],
    ["0b101", "5"],
    ["1_000", "1000"],
    ["1e3", "1000"],
    ["1.5", "1.5"],
    ["1024.0", "1024"],
    [".5", "0.5"],
    ["1e21", "1e+21"],
    ["12345678901234567890", "12345678901234567890"],
    ["true", "true"],
    ["True", "true"],
    ["yes", "yes"],
    ["off", "off"],
    ["~", ""],
    ["null", ""],
    ["2024-01-01", "2024-01-01 00:00:00 +0000 UTC"],
    ["2024-01-01T10:00:00Z", "2024-01-01 10:00:00 +0000 UTC"],
    ['"010"', "010"],
    ["2023.0.20260918", "2023.0.20260918"],
    ["[m5, m5n]", '["m5","m5n"]'],
    ["[m5, 010]", '["m5",8]'],
    ["{grant: 123}", '{"grant":123}'],
    ["{b: 1, a: 2}", '{"a":2,"b":1}'],
    ["{grant: R&D}", '{"grant":"R\\u0026D"}'],
    ["{a: ~}", '{"a":null}'],
    ["{d: 2024-01-01}", '{"d":"2024-01-01 00:00:00 +0000 UTC"}'],
    ["{}", "{}"],
    ["[]", "[]"],
  ];
  for (const [yaml, program] of scalars) {
    it(`${yaml} reaches the program as ${JSON.stringify(program)}`, () => {
      assert.equal(valueOf(yaml), program);
    });
  }

  it("keeps block scalars verbatim and namespaces bare keys with the project", () => {
    const c = engineConfig(
      "config:\n  note: |\n    two\n    lines\n  aws:region: us-east-1\n",
      BARE_PROJECT,
      "dev",
    );
    assert.deepEqual(c.values, { "nextflow-batch:note": "two\nlines\n", "aws:region": "us-east-1" });
  });

  it("warns, as the CLI does, about an empty value and about octal numbers", () => {
    const c = engineConfig("config:\n  other:a:\n  other:b: 010\n", BARE_PROJECT, "dev");
    assert.deepEqual(c.values, { "other:a": "", "other:b": "8" });
    assert.deepEqual(c.warnings, [
      'No value for configuration key "other:a". Pulumi currently treats this as an empty string "", but will treat it as null in a future version.',
      "other:b: 010 is an octal number to Pulumi's YAML reader, so the program gets 8. Fix: drop the leading zero, or quote it for text",
    ]);
  });

  it("marks secrets, whose text only the engine can decrypt", () => {
    const c = engineConfig("config:\n  other:token:\n    secure: v1:abc\n", BARE_PROJECT, "dev");
    assert.deepEqual(c.secretKeys, ["other:token"]);
    assert.equal(c.values["other:token"], SECRET_PLACEHOLDER);
  });

  it("adds Pulumi.yaml's declared defaults for keys the stack leaves out, as the engine's text", () => {
    const c = engineConfig("config:\n  aws:region: us-east-1\n", PROJECT_YAML, "dev");
    assert.equal(c.values["nextflow-batch:maxVcpus"], "1024");
    assert.equal(c.values["nextflow-batch:onDemandQueue"], "true");
    assert.equal(c.values["nextflow-batch:labName"], "");
    assert.equal(c.values["nextflow-batch:subnetIds"], "[]");
    assert.equal(c.values["nextflow-batch:costTags"], undefined, "a map key is not declared");
  });

  it("reports declared-type mismatches with the CLI's words", () => {
    const c = engineConfig(
      "config:\n  nextflow-batch:maxVcpus: lots\n  nextflow-batch:onDemandQueue: yes\n  nextflow-batch:instanceTypes: [1, 2]\n  nextflow-batch:labName: 512\n  nextflow-batch:availabilityZones: '+3'\n",
      PROJECT_YAML,
      "dev",
    );
    assert.deepEqual(
      c.typeProblems.map((p) => p.line),
      [
        "Stack 'dev' with configuration key 'maxVcpus' must be of type 'integer'",
        "Stack 'dev' with configuration key 'onDemandQueue' must be of type 'boolean'",
        "Stack 'dev' with configuration key 'instanceTypes' must be of type 'array<string>'",
      ],
    );
  });

  const refused: [what: string, text: string, line: RegExp][] = [
    ["infinity", "config:\n  other:v: .inf\n", /other:v: Infinity cannot be a config value/],
    ["a number as a map key", "config:\n  other:v:\n    2024: x\n", /expected only string keys, got "2024"/],
    [
      "a key with two colons",
      "config:\n  a:b:c: x\n",
      /configuration key "a:b:c" should be of the form <namespace>:<name>/,
    ],
    ["an ESC environment", "environment:\n  - lab-secrets\nconfig: {}\n", /uses Pulumi ESC environments/],
    [
      "a duplicate key",
      "config:\n  other:v: 1\n  other:v: 2\n",
      /is not valid YAML: Map keys must be unique/,
    ],
  ];
  for (const [what, text, line] of refused) {
    it(`refuses ${what}, as the engine would`, () => {
      assert.throws(
        () => engineConfig(text, BARE_PROJECT, "dev"),
        (e: unknown) => e instanceof EngineConfigError && e.problems.length === 1 && line.test(e.problems[0]),
      );
    });
  }
});
