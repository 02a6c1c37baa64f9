import { createServer, type Server, type Socket } from 'node:net';
import { Connection } from 'jsforce';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isCrmFailure } from './errors.ts';
import { HubSpotApi } from './hubspot/hubspot-api.ts';
import { createHubSpotClient } from './hubspot/hubspot-client.ts';
import { limitersForPortal } from './hubspot/rate-limiter.ts';
import { staticTokenProvider } from './hubspot/token-provider.ts';
import { boundSalesforceRequests, SALESFORCE_REQUEST_TIMEOUT_MS } from './salesforce/request-timeout.ts';

/** A CRM that accepts every connection and never answers: the case a connect-refused test cannot show. */
let silent: Server;
let url: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  const address = silent.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  url = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
  boundSalesforceRequests(SALESFORCE_REQUEST_TIMEOUT_MS);
});

describe('every outbound CRM call has a timeout', () => {
  it('a HubSpot call to a CRM that never answers fails after its attempts time out, marked as the CRM failing', async () => {
    const api = new HubSpotApi({
      client: createHubSpotClient({ accessToken: 'pat-test', basePath: url }),
      portalId: '1',
      limiters: limitersForPortal('1'),
      tokens: staticTokenProvider('pat-test'),
      retry: { retries: 1, baseDelayMs: 10 },
      attemptTimeoutMs: 300,
    });
    const started = Date.now();
    const failure = await api.call('standard', (c) => c.crm.contacts.basicApi.getPage(1)).catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect((failure as Error).message).toMatch(/did not answer within 0.3 s/);
    expect(isCrmFailure(failure)).toBe(true);
    // Two attempts of 300 ms and one short backoff: without the timeout this waits minutes for headers.
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(3000);
    expect(api.counters.retried).toBe(1);
  });

  it('a Salesforce request to a CRM that never answers is aborted at the bounded timeout', async () => {
    boundSalesforceRequests(400);
    const conn = new Connection({ instanceUrl: url, accessToken: '00D000000000000!token', version: '62.0' });
    const started = Date.now();
    const failure = await conn.request('/services/data/v62.0/limits').catch((error: unknown) => error);
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(Error);
    expect(elapsed).toBeLessThan(3000);
  });
});
