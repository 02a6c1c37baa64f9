// AWS Lambda entry of the scheduler tick (EventBridge Scheduler, every minute): enqueues the due jobs.
import { createJobFunctions } from './job-functions.ts';
import { failStartup } from './startup-failure.ts';
import { firedAt, parseScheduledEvent } from './trigger-events.ts';

const jobs = await createJobFunctions(process.env).catch(failStartup);

export async function handler(event: unknown) {
  return jobs.tick(firedAt(parseScheduledEvent(event)));
}
