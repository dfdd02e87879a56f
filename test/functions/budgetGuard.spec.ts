// The budget guard's Lambda code (functions/budgetGuard.js), run as the file Lambda gets, with
// a stand-in for Batch's UpdateJobQueue: it disables every queue it is told about, reports
// each, keeps going past a failure and then fails so Lambda retries.
import assert from "node:assert/strict";
import { GUARD_SOURCE_FILE } from "../../components/labBudget";

interface GuardModule {
  handler(event: unknown): Promise<unknown>;
  disableQueues(
    names: string[],
    update: (input: { jobQueue: string; state: string }) => Promise<unknown>,
    log: (line: string) => void,
  ): Promise<{ jobQueue: string; state: string }[]>;
  queueNamesFrom(env: Record<string, string | undefined>): string[];
  messagesOf(event: unknown): string[];
}
// The same file the component ships; plain CommonJS, so require it as Lambda does.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const guard = require(GUARD_SOURCE_FILE) as GuardModule;

describe("budget guard function", () => {
  it("disables every queue, in order, one UpdateJobQueue call each, and says so", async () => {
    const calls: unknown[] = [];
    const log: string[] = [];
    const done = await guard.disableQueues(
      ["lab-dev-spot", "lab-dev-ondemand"],
      async (input) => {
        calls.push(input);
      },
      (l) => log.push(l),
    );
    assert.deepEqual(calls, [
      { jobQueue: "lab-dev-spot", state: "DISABLED" },
      { jobQueue: "lab-dev-ondemand", state: "DISABLED" },
    ]);
    assert.deepEqual(done, calls);
    assert.deepEqual(log, [
      "disabled job queue lab-dev-spot: it accepts no new jobs; queued and running jobs continue",
      "disabled job queue lab-dev-ondemand: it accepts no new jobs; queued and running jobs continue",
    ]);
  });

  it("keeps going past a failed queue, then fails so Lambda retries the invocation", async () => {
    const calls: string[] = [];
    const log: string[] = [];
    await assert.rejects(
      guard.disableQueues(
        ["a-spot", "a-ondemand"],
        async ({ jobQueue }) => {
          calls.push(jobQueue);
          if (jobQueue === "a-spot") {
            const e = new Error("Rate exceeded");
            e.name = "TooManyRequestsException";
            throw e;
          }
        },
        (l) => log.push(l),
      ),
      { message: "could not disable job queue(s) a-spot" },
    );
    assert.deepEqual(calls, ["a-spot", "a-ondemand"]);
    assert.deepEqual(log, [
      "could not disable job queue a-spot: TooManyRequestsException: Rate exceeded",
      "disabled job queue a-ondemand: it accepts no new jobs; queued and running jobs continue",
    ]);
  });

  it("reads the queue names from QUEUE_NAMES and refuses anything else", () => {
    assert.deepEqual(guard.queueNamesFrom({ QUEUE_NAMES: '["a-spot","a-ondemand"]' }), [
      "a-spot",
      "a-ondemand",
    ]);
    for (const bad of [undefined, "", "a-spot", "[]", '[""]', "[1]", '{"a":1}']) {
      assert.throws(
        () => guard.queueNamesFrom({ QUEUE_NAMES: bad }),
        /QUEUE_NAMES must be a JSON list of job queue names/,
      );
    }
  });

  it("logs what each SNS record from AWS Budgets says", () => {
    assert.deepEqual(
      guard.messagesOf({
        Records: [
          {
            Sns: {
              Subject: "AWS Budgets: nextflow-batch-lab-dev has exceeded your alert threshold",
              Message: "...",
            },
          },
        ],
      }),
      ["AWS Budgets: nextflow-batch-lab-dev has exceeded your alert threshold: ..."],
    );
    assert.deepEqual(guard.messagesOf({}), []);
  });

  it("the handler fails before calling AWS when QUEUE_NAMES is missing", async () => {
    const saved = process.env.QUEUE_NAMES;
    delete process.env.QUEUE_NAMES;
    try {
      await assert.rejects(guard.handler({ Records: [] }), /QUEUE_NAMES must be a JSON list/);
    } finally {
      if (saved !== undefined) process.env.QUEUE_NAMES = saved;
    }
  });
});
