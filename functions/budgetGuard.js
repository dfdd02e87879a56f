// The budget guard: an AWS Lambda function (Node.js 22 runtime, CommonJS) that AWS Budgets
// triggers through SNS when the lab's actual spend passes its monthly budget. It disables the
// stack's job queues: Batch then refuses new submissions while jobs already in a queue or
// running carry on ("new jobs can't be added to the queue, but jobs already in the queue can
// finish", UpdateJobQueue `state`, AWS Batch API reference). Re-enabling is a deliberate act
// (README, "Budget guard"); this function never enables anything.
//
// components/labBudget.ts ships this file as the function's index.js, unchanged;
// test/functions/budgetGuard.spec.ts runs the same file with a stand-in for the Batch API.
// The Node.js 18 and later Lambda runtimes include the AWS SDK for JavaScript v3, so the
// function has no dependencies of its own
// (https://docs.aws.amazon.com/lambda/latest/dg/lambda-nodejs.html).
"use strict";

/**
 * The queues to disable, from the QUEUE_NAMES environment variable (a JSON list of names).
 * @param {Record<string, string | undefined>} env
 * @returns {string[]}
 */
function queueNamesFrom(env) {
  let names;
  try {
    names = JSON.parse(env.QUEUE_NAMES ?? "");
  } catch {
    names = undefined;
  }
  if (!Array.isArray(names) || names.length === 0 || !names.every((n) => typeof n === "string" && n !== "")) {
    throw new Error(
      `QUEUE_NAMES must be a JSON list of job queue names; got ${JSON.stringify(env.QUEUE_NAMES)}`,
    );
  }
  return names;
}

/**
 * What the SNS records say, for the log: AWS Budgets puts the budget's name and the threshold
 * crossed in the message text.
 * @param {{ Records?: { Sns?: { Subject?: string, Message?: string } }[] }} event
 * @returns {string[]}
 */
function messagesOf(event) {
  return (event.Records ?? []).map((r) => `${r.Sns?.Subject ?? "(no subject)"}: ${r.Sns?.Message ?? ""}`);
}

/**
 * Disables every queue, one call each, carrying on past a failure so one bad queue does not
 * leave the other open; then throws if any failed, so Lambda's retries of an asynchronous
 * invocation (SNS invokes asynchronously) try again. Disabling a disabled queue is harmless.
 * @param {string[]} queueNames
 * @param {(input: { jobQueue: string, state: "DISABLED" }) => Promise<unknown>} updateJobQueue
 * @param {(line: string) => void} log
 * @returns {Promise<{ jobQueue: string, state: "DISABLED" }[]>}
 */
async function disableQueues(queueNames, updateJobQueue, log) {
  const done = [];
  const failed = [];
  for (const jobQueue of queueNames) {
    try {
      await updateJobQueue({ jobQueue, state: "DISABLED" });
      log(`disabled job queue ${jobQueue}: it accepts no new jobs; queued and running jobs continue`);
      done.push({ jobQueue, state: "DISABLED" });
    } catch (e) {
      const why = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
      log(`could not disable job queue ${jobQueue}: ${why}`);
      failed.push(jobQueue);
    }
  }
  if (failed.length > 0) throw new Error(`could not disable job queue(s) ${failed.join(", ")}`);
  return done;
}

/** The Lambda entry point. */
async function handler(event) {
  const queueNames = queueNamesFrom(process.env);
  for (const m of messagesOf(event)) console.log(`budget notification: ${m}`);
  const { BatchClient, UpdateJobQueueCommand } = require("@aws-sdk/client-batch");
  const batch = new BatchClient({});
  return disableQueues(queueNames, (input) => batch.send(new UpdateJobQueueCommand(input)), console.log);
}

module.exports = { handler, disableQueues, queueNamesFrom, messagesOf };
