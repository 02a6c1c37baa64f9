import { hubSpotTypedError } from '../connectors/hubspot/classify-error.ts';
import { hubSpotErrorStatus } from '../connectors/hubspot/hubspot-client.ts';
import { salesforceErrorStatus, salesforceTypedError } from '../connectors/salesforce/classify-error.ts';
import { ClosewiseError, UpstreamError } from '../errors/errors.ts';

/**
 * How long a request a person waits on (a card action, the Salesforce "Rescore now") may spend on the CRM.
 * HubSpot gives up on a card's call at 15 s, and the connectors' retries of a CRM that is down take ~16 s:
 * the person gets a clear 502 well before either.
 */
export const INTERACTIVE_CRM_DEADLINE_MS = 4000;

const CRM_NAMES = { hubspot: 'HubSpot', salesforce: 'Salesforce' } as const;
type Crm = keyof typeof CRM_NAMES;

const NETWORK_CODES =
  /^(ECONNRESET|ECONNREFUSED|ENOTFOUND|ENETDOWN|ENETUNREACH|EHOSTDOWN|EHOSTUNREACH|EPIPE|ETIMEDOUT|EAI_AGAIN|UND_ERR_\w+|ECONNABORTED)$/;

/** A failure of the connection to the CRM (refused, reset, DNS, timed out), as fetch, node-fetch or the SDKs raise it. */
export function isCrmNetworkError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code, name, cause } = error as { code?: unknown; name?: unknown; cause?: { code?: unknown } };
  if (name === 'FetchError') return true;
  if (typeof code === 'string' && NETWORK_CODES.test(code)) return true;
  if (typeof cause?.code === 'string' && NETWORK_CODES.test(cause.code)) return true;
  return error instanceof TypeError && /fetch failed/i.test(error.message);
}

/**
 * A CRM failure that reached here untyped (the connectors pass some SDK errors through as raised), sorted by
 * the connector's own classifier; anything else (a bug, the store) is left as it is.
 */
function typedCrmError(crm: Crm, error: unknown, context: string): unknown {
  if (error instanceof ClosewiseError) return error;
  const hasStatus = crm === 'hubspot' ? hubSpotErrorStatus(error) !== undefined : salesforceErrorStatus(error) !== undefined;
  if (!hasStatus && !isCrmNetworkError(error)) return error;
  const text = `${CRM_NAMES[crm]} could not be reached while ${context}`;
  return crm === 'hubspot' ? hubSpotTypedError(error, text) : salesforceTypedError(error, text);
}

/**
 * Runs interactive CRM work with a deadline: a CRM that is down or slow answers the person with a 502 within
 * `deadlineMs` instead of a hang or a 500. Work still running at the deadline finishes in the background
 * (its write, if any, is idempotent or retried by the jobs); its late failure is swallowed here.
 */
export async function withinCrmDeadline<T>(
  crm: Crm,
  context: string,
  work: () => Promise<T>,
  deadlineMs: number = INTERACTIVE_CRM_DEADLINE_MS,
): Promise<T> {
  const running = Promise.resolve().then(work);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new UpstreamError(`${CRM_NAMES[crm]} did not answer within ${deadlineMs / 1000} s while ${context}; try again in a minute.`),
        ),
      deadlineMs,
    );
  });
  running.catch(() => undefined);
  try {
    return await Promise.race([running, deadline]);
  } catch (error) {
    throw typedCrmError(crm, error, context);
  } finally {
    clearTimeout(timer);
  }
}
