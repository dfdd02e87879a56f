/**
 * The monthly budget as the plan and the wizard describe it: who is alerted at what spend,
 * what the guard stops, how to undo it, and what a budget does not do. Pure.
 */
import { PROJECT } from "../config/keys";
import type { StackSpec } from "../config/spec";

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The commands that re-enable queues the guard disabled (README, "Budget guard"). */
export function reenableCommands(region: string, queueNames: readonly string[]): string[] {
  return queueNames.map(
    (q) => `aws batch update-job-queue --region ${region} --job-queue ${q} --state ENABLED`,
  );
}

/**
 * The budget summary. `queueNames` are the queues the guard disables; the plan knows them,
 * the wizard (which builds nothing) does not and speaks of "the stack's job queues".
 */
export function renderBudget(
  spec: Pick<StackSpec, "budget" | "region">,
  queueNames?: readonly string[],
): string[] {
  const b = spec.budget;
  if (b === undefined) {
    return [
      `none: nothing alerts on spending. Set ${PROJECT}:budgetMonthlyUsd and ${PROJECT}:budgetAlertEmails for a monthly AWS Budgets budget with email alerts (README, "Budget").`,
    ];
  }
  const queues = queueNames === undefined ? "the stack's job queues" : `job queues ${queueNames.join(", ")}`;
  return [
    `${b.name}: ${usd(b.limitUsd)} a month of the whole account's cost (AWS Budgets, COST, MONTHLY, no filter)`,
    `alerts to ${b.alertEmails.join(", ")}: actual spend above ${b.alertPercent} % (${usd((b.limitUsd * b.alertPercent) / 100)}) and above 100 % (${usd(b.limitUsd)}); forecast spend above 100 %`,
    ...(b.guard
      ? [
          `guard: at actual spend above 100 % it disables ${queues}: no new job is accepted; jobs already queued or running finish. It stays off until re-enabled by hand, next month too:`,
          ...(queueNames === undefined
            ? [
                "  aws batch update-job-queue --job-queue <queue> --state ENABLED   (for each queue; the plan lists them)",
              ]
            : reenableCommands(spec.region, queueNames).map((c) => `  ${c}`)),
        ]
      : [
          `no guard: nothing stops jobs when the budget is spent (${PROJECT}:budgetGuard true disables the queues)`,
        ]),
    "A budget alerts; it stops nothing by itself, and AWS updates its figures only up to three times a day, so alerts can trail spending by hours: maxVcpus remains the hard cap on how fast money goes.",
  ];
}
