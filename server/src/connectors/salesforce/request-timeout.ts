import { setDefaults } from 'jsforce/lib/request.js';

/**
 * jsforce waits up to 30 minutes for an answer (its own default, for calls made through `Connection`
 * methods, which take no timeout). A Salesforce that accepts connections but never answers would then hold
 * a job for half an hour. Two minutes covers a request with all of jsforce's retries (about 16 s of backoff)
 * and the largest Bulk 2.0 result page; `HTTP_TIMEOUT` (jsforce's own variable) still overrides it.
 */
export const SALESFORCE_REQUEST_TIMEOUT_MS = 120_000;

/**
 * Sets the total time one jsforce request may take, retries included, for every Connection in the process.
 * jsforce keeps one set of request defaults, so the proxy and redirect settings it reads from the
 * environment at load time are set again here unchanged.
 */
export function boundSalesforceRequests(timeoutMs: number = SALESFORCE_REQUEST_TIMEOUT_MS, env: NodeJS.ProcessEnv = process.env): void {
  const fromEnv = env['HTTP_TIMEOUT'] ? Number.parseInt(env['HTTP_TIMEOUT'], 10) : Number.NaN;
  const httpProxy = env['https_proxy'] ?? env['http_proxy'] ?? env['HTTPS_PROXY'] ?? env['HTTP_PROXY'];
  setDefaults({
    ...(httpProxy ? { httpProxy } : {}),
    timeout: Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : timeoutMs,
    followRedirect: true,
  });
}
