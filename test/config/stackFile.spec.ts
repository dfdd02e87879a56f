// Editing a stack file rewrites only the lines of the keys that change: every other byte
// (comments, spacing, quoting, CRLF line endings, secrets, foreign keys) stays.
import assert from "node:assert/strict";
import { editedText, NEW_FILE_TEXT, readStackFile, type ConfigEdit } from "../../config/stackFile";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const CRLF_FILE = [
  "# Jones lab. Keep the comments.",
  "encryptionsalt: v1:Zm9vYmFyYmF6:v1:c2FsdHNhbHQ=:Q2lwaGVydGV4dA==",
  "config:",
  "  # The lab's SSO profile.",
  "  aws:profile:   lab      # two spaces after the colon, on purpose",
  "  aws:region: 'us-west-2'",
  '  nextflow-batch:maxVcpus: "1024" # agreed with the PI',
  "  other:key: keep me",
  "  other:apiToken:",
  "    secure: v1:AAABAHNlY3JldHNlY3JldHNlY3JldA==:ZW5jcnlwdGVkIHRva2VuIHZhbHVl",
  "  nextflow-batch:costTags:",
  '    grant: "R01, supplement 2"',
  "  nextflow-batch:subnetIds:",
  "  - subnet-0123456789abcdef0",
  "  - subnet-0fedcba9876543210",
  "",
].join("\r\n");

let dir: string;
before(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "stackfile-spec-"));
});
after(() => fs.rmSync(dir, { recursive: true, force: true }));

function fileWith(text: string | undefined) {
  const file = path.join(dir, `Pulumi.s${Math.random().toString(36).slice(2)}.yaml`);
  if (text !== undefined) fs.writeFileSync(file, text);
  return readStackFile(file);
}

const edit = (text: string | undefined, e: Partial<ConfigEdit>) =>
  editedText(fileWith(text), { set: e.set ?? [], remove: e.remove ?? [] });

/** The lines of `after` that are not in `before`, and the reverse. */
function lineDiff(before: string, after: string): { added: string[]; removed: string[] } {
  const a = before.split("\r\n");
  const b = after.split("\r\n");
  return { added: b.filter((l) => !a.includes(l)), removed: a.filter((l) => !b.includes(l)) };
}

describe("stack file edits", () => {
  it("reads the config map, secrets as { secure }", () => {
    const f = fileWith(CRLF_FILE);
    assert.deepEqual(f.config["nextflow-batch:costTags"], { grant: "R01, supplement 2" });
    assert.deepEqual(f.config["other:apiToken"], {
      secure: "v1:AAABAHNlY3JldHNlY3JldHNlY3JldA==:ZW5jcnlwdGVkIHRva2VuIHZhbHVl",
    });
  });

  it("an empty edit changes nothing", () => {
    assert.equal(edit(CRLF_FILE, {}), CRLF_FILE);
  });

  it("a scalar keeps its quoting, its line's comment and the file's CRLF", () => {
    const out = edit(CRLF_FILE, {
      set: [
        ["nextflow-batch:maxVcpus", 512],
        ["aws:region", "eu-west-1"],
      ],
    });
    assert.deepEqual(lineDiff(CRLF_FILE, out), {
      added: ["  aws:region: 'eu-west-1'", '  nextflow-batch:maxVcpus: "512" # agreed with the PI'],
      removed: ["  aws:region: 'us-west-2'", '  nextflow-batch:maxVcpus: "1024" # agreed with the PI'],
    });
    assert.ok(!/[^\r]\n/.test(out), "every line still ends in CRLF");
  });

  it("a changed map or list is rewritten as its own lines only, in the file's sequence style", () => {
    const out = edit(CRLF_FILE, {
      set: [
        ["nextflow-batch:costTags", { grant: "R01, supplement 2", "cost-center": "1234" }],
        ["nextflow-batch:subnetIds", ["subnet-0123456789abcdef0"]],
      ],
    });
    assert.deepEqual(lineDiff(CRLF_FILE, out), {
      added: ["    grant: R01, supplement 2", '    cost-center: "1234"'],
      removed: ['    grant: "R01, supplement 2"', "  - subnet-0fedcba9876543210"],
    });
    assert.ok(
      out.endsWith(
        '  nextflow-batch:costTags:\r\n    grant: R01, supplement 2\r\n    cost-center: "1234"\r\n  nextflow-batch:subnetIds:\r\n  - subnet-0123456789abcdef0\r\n',
      ),
    );
  });

  it("removes a key's lines and keeps the comment above it; appends new keys with the map's indentation", () => {
    const out = edit(CRLF_FILE, {
      remove: ["aws:profile", "nextflow-batch:subnetIds"],
      set: [
        ["nextflow-batch:network", "new"],
        ["nextflow-batch:inputBuckets", ["ngi-igenomes"]],
      ],
    });
    assert.equal(
      out,
      CRLF_FILE.replace("  aws:profile:   lab      # two spaces after the colon, on purpose\r\n", "").replace(
        "  nextflow-batch:subnetIds:\r\n  - subnet-0123456789abcdef0\r\n  - subnet-0fedcba9876543210\r\n",
        "  nextflow-batch:network: new\r\n  nextflow-batch:inputBuckets:\r\n  - ngi-igenomes\r\n",
      ),
    );
  });

  it("a file without a final line ending gets one before an appended key", () => {
    const text = "config:\n  aws:region: us-east-1";
    assert.equal(
      edit(text, { set: [["nextflow-batch:maxVcpus", 64]] }),
      "config:\n  aws:region: us-east-1\n  nextflow-batch:maxVcpus: 64\n",
    );
  });

  it("a file without config: gets one at the end", () => {
    assert.equal(
      edit("encryptionsalt: abc\n", { set: [["aws:region", "us-east-1"]] }),
      "encryptionsalt: abc\nconfig:\n  aws:region: us-east-1\n",
    );
  });

  it("a new file starts from the header, lists indented under their key", () => {
    assert.equal(
      edit(undefined, {
        set: [
          ["aws:region", "us-east-1"],
          ["nextflow-batch:subnetIds", ["subnet-1"]],
        ],
      }),
      `${NEW_FILE_TEXT}  aws:region: us-east-1\n  nextflow-batch:subnetIds:\n    - subnet-1\n`,
    );
  });

  it("refuses a flow-style config map with one line, rather than reformat it", () => {
    assert.throws(
      () => edit("config: { aws:region: us-east-1 }\n", { set: [["aws:region", "eu-west-1"]] }),
      /the wizard edits a block-style config: map, and this one is a flow map \(\{ \.\.\. \}\)\. Fix: write it one key per line/,
    );
  });
});
