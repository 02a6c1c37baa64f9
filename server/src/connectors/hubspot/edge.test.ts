import { describe, expect, it } from 'vitest';
import { UpstreamError } from '../../errors/errors.ts';
import { CrmForbiddenError, markCrmFailure, RateLimitedError } from '../errors.ts';
import { atHubSpotEdge } from './edge.ts';

const sdkError = (code: number, body: Record<string, string> = {}) =>
  Object.assign(new Error(`HTTP-Code: ${code}`), { code, headers: {}, body: JSON.stringify(body) });

describe('atHubSpotEdge', () => {
  it('turns what HubSpot answered into the classifier’s typed error, with what we were doing', async () => {
    const failing = (error: unknown) => atHubSpotEdge('creating a task', () => Promise.reject(markCrmFailure(error)));
    const upstream = failing(sdkError(500, { message: 'boom' }));
    await expect(upstream).rejects.toBeInstanceOf(UpstreamError);
    await expect(upstream).rejects.toMatchObject({ code: 'UPSTREAM', message: 'creating a task: boom' });
    await expect(failing(sdkError(403, { category: 'MISSING_SCOPES', message: 'no' }))).rejects.toBeInstanceOf(CrmForbiddenError);
  });

  it('leaves typed errors and errors that are not HubSpot’s (the sink’s) as they are', async () => {
    const limited = new RateLimitedError('slow down', null);
    await expect(atHubSpotEdge('syncing', () => Promise.reject(limited))).rejects.toBe(limited);
    const storeDown = new Error('connection terminated');
    await expect(atHubSpotEdge('syncing', () => Promise.reject(storeDown))).rejects.toBe(storeDown);
  });
});
