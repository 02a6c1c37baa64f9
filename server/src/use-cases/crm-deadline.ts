import { UpstreamError } from '../errors/errors.ts';

/**
 * How long a request a person waits on (a card action, the Salesforce "Rescore now") may spend on the CRM.
 * HubSpot gives up on a card's call at 15 s, and the connectors' retries of a CRM that is down take ~16 s:
 * the person gets a clear 502 well before either.
 */
export const INTERACTIVE_CRM_DEADLINE_MS = 4000;

/**
 * Runs interactive CRM work with a deadline: a CRM that is down or slow answers the person with a 502 within
 * `deadlineMs` instead of a hang. Failures inside the deadline are already typed by the connector's own
 * classifier (connectors/<crm>/edge.ts), so they pass through as they are. Work still running at the deadline
 * finishes in the background (its write, if any, is idempotent or retried by the jobs); its late failure is
 * swallowed here.
 *
 * `crmName` is the caller's wording ("HubSpot", "Salesforce"): routers know which CRM they serve, and the
 * use-case layer never branches on it.
 */
export async function withinCrmDeadline<T>(
  crmName: string,
  context: string,
  work: () => Promise<T>,
  deadlineMs: number = INTERACTIVE_CRM_DEADLINE_MS,
): Promise<T> {
  const running = Promise.resolve().then(work);
  running.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new UpstreamError(`${crmName} did not answer within ${deadlineMs / 1000} s while ${context}; try again in a minute.`)),
      deadlineMs,
    );
  });
  try {
    return await Promise.race([running, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
