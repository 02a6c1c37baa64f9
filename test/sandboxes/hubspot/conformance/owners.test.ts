import { Client } from '@hubspot/api-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallPortal } from '../fixtures/small-portal.ts';
import { type HubSpotSandbox, startHubSpotSandbox } from '../index.ts';
import { failure } from './helpers.ts';

/**
 * Owners as HubSpot documents them (/crm/v3/owners): each has `id`, the owner id records take in `hubspot_owner_id`,
 * and `userId`, its HubSpot user; one owner is read by either, `idProperty` saying which.
 */
describe('owners through @hubspot/api-client', () => {
  let sandbox: HubSpotSandbox;
  let client: Client;

  beforeAll(async () => {
    sandbox = await startHubSpotSandbox();
    sandbox.loadPortal(smallPortal());
    client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
  });
  afterAll(async () => {
    await sandbox.stop();
  });

  it('reads one owner by owner id (the default) or by user id, and 404s an unknown one', async () => {
    const [ana, bo] = (await client.crm.owners.ownersApi.getPage()).results;
    expect(ana).toMatchObject({ id: '501', email: 'ana@example.com' });
    expect(typeof ana?.userId).toBe('number');
    expect(ana?.userId).not.toBe(bo?.userId);
    expect((await client.crm.owners.ownersApi.getById(501)).email).toBe('ana@example.com');
    expect((await client.crm.owners.ownersApi.getById(bo!.userId!, 'userId')).id).toBe('502');
    // An owner id is not a user id.
    expect((await failure(client.crm.owners.ownersApi.getById(501, 'userId'))).code).toBe(404);
    expect((await failure(client.crm.owners.ownersApi.getById(bo!.userId!))).code).toBe(404);
  });

  it('refuses an idProperty other than id or userId', async () => {
    const res = await fetch(`${sandbox.url}/crm/v3/owners/501?idProperty=email`, {
      headers: { authorization: `Bearer ${sandbox.privateAppToken}` },
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ category: 'VALIDATION_ERROR' });
  });
});
