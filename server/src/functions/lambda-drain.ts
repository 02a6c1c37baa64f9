// AWS Lambda entry of the drain (EventBridge Scheduler, every minute or more often): runs queued jobs within a budget.
import { createJobFunctions } from './job-functions.ts';
import type { LambdaContext } from './lambda-events.ts';
import { failStartup } from './startup-failure.ts';
import { parseScheduledEvent } from './trigger-events.ts';

const jobs = await createJobFunctions(process.env).catch(failStartup);
/** Left to the platform's timeout after the budget: handing back an interrupted job, closing the run log. */
const TIMEOUT_RESERVE_MS = 5_000;

export async function handler(event: unknown, context: LambdaContext = {}) {
  const requested = parseScheduledEvent(event).budgetSeconds;
  const remaining = context.getRemainingTimeInMillis?.() ?? Number.POSITIVE_INFINITY;
  const budgetMs = Math.min(requested ? requested * 1000 : jobs.budgetMs, remaining - TIMEOUT_RESERVE_MS);
  return jobs.drain(budgetMs);
}
