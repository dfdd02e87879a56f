/**
 * The names a stack gives AWS resources users type or policies name up front: job queues and
 * the log group. Derived from the lab and stack names, checked against AWS's rules
 * (./awsRules) before any resource exists. Pure.
 */
import { JOB_QUEUE_NAME, JOB_QUEUE_NAME_RULE, LOG_GROUP_NAME, LOG_GROUP_NAME_RULE } from "./awsRules";
import { PROJECT } from "./keys";
import { show } from "./messages";

export interface StackNames {
  /** The spot queue, the stack's default: `<lab>-<stack>-spot`. */
  readonly spotQueue: string;
  /** The on-demand queue: `<lab>-<stack>-ondemand`. */
  readonly onDemandQueue: string;
  /** Where task and host logs go: `/nextflow-batch/<lab>/<stack>`. */
  readonly logGroup: string;
}

export function stackNames(labName: string, stack: string): StackNames {
  return {
    spotQueue: `${labName}-${stack}-spot`,
    onDemandQueue: `${labName}-${stack}-ondemand`,
    logGroup: `/${PROJECT}/${labName}/${stack}`,
  };
}

/** One line per derived name AWS would reject, naming the lab and stack names it came from. */
export function stackNameProblems(labName: string, stack: string): string[] {
  const n = stackNames(labName, stack);
  const problems: string[] = [];
  const origin = `nextflow-batch:labName ${show(labName)} and the stack name ${show(stack)}`;
  for (const queue of [n.spotQueue, n.onDemandQueue]) {
    if (!JOB_QUEUE_NAME.test(queue)) {
      problems.push(
        `the job queue name ${show(queue)}, made from ${origin}, must be ${JOB_QUEUE_NAME_RULE}. Fix: use a stack name of letters, digits, - and _ (pulumi stack rename), and keep lab plus stack names within ${128 - "--ondemand".length} characters`,
      );
      break;
    }
  }
  if (!LOG_GROUP_NAME.test(n.logGroup)) {
    problems.push(
      `the log group name ${show(n.logGroup)}, made from ${origin}, must be ${LOG_GROUP_NAME_RULE}. Fix: use a stack name of letters, digits, - and _`,
    );
  }
  return problems;
}
