import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEngines, type TestStore } from '../../test-support/stores.ts';
import {
  type CardActionKey,
  claimCardActionKey,
  completeCardActionKey,
  deleteExpiredCardActionKeysOfAllTenants,
  releaseCardActionKey,
} from './card-action-keys.ts';
import { insertTenantRow } from './tenants.ts';

const DAY = 24 * 60 * 60 * 1000;
const times = { ttlMs: DAY, staleClaimMs: 60_000 };
let serial = 0;
/** A fresh key per test, so tests share one store without seeing each other's rows. */
const freshKey = (tenantId = 'tenant-a'): CardActionKey => ({
  tenantId,
  action: 'create-task',
  objectType: 'deals',
  objectId: '101',
  key: `key-${++serial}`,
});

describe.each(storeEngines)('card action keys on $name', ({ open }) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
    for (const id of ['tenant-a', 'tenant-b']) {
      await insertTenantRow(store.db, {
        id,
        crm: 'hubspot',
        externalId: id,
        name: id,
        authMode: 'private_app',
        tokenCiphertext: null,
        tokenExpiresAt: null,
        settings: {},
      });
    }
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('lets exactly one of many racing claims win, and tells the others the key is in progress', async () => {
    const key = freshKey();
    const claims = await Promise.all(
      Array.from({ length: 20 }, (_, i) => claimCardActionKey(store.db, key, { fingerprint: 'f', token: `t${i}`, ...times })),
    );
    expect(claims.filter((c) => c.kind === 'claimed')).toHaveLength(1);
    expect(claims.filter((c) => c.kind === 'in-progress')).toHaveLength(19);
  });

  it('replays the stored response with the fingerprint of the request that stored it', async () => {
    const key = freshKey();
    expect(await claimCardActionKey(store.db, key, { fingerprint: 'f1', token: 'a', ...times })).toEqual({ kind: 'claimed' });
    expect(await completeCardActionKey(store.db, key, 'a', { status: 201, body: { taskId: '7', created: true } })).toBe(true);
    expect(await claimCardActionKey(store.db, key, { fingerprint: 'f2', token: 'b', ...times })).toEqual({
      kind: 'completed',
      fingerprint: 'f1',
      response: { status: 201, body: { taskId: '7', created: true } },
    });
  });

  it('keys by tenant, action and record: the same key elsewhere is another claim', async () => {
    const key = freshKey();
    await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'a', ...times });
    for (const other of [
      { ...key, tenantId: 'tenant-b' },
      { ...key, action: 'snooze' },
      { ...key, objectId: '102' },
    ]) {
      expect((await claimCardActionKey(store.db, other, { fingerprint: 'f', token: 'b', ...times })).kind).toBe('claimed');
    }
  });

  it('frees a released claim for a retry, but never a completed key or another attempt’s claim', async () => {
    const key = freshKey();
    await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'a', ...times });
    await releaseCardActionKey(store.db, key, 'not-a');
    expect((await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'b', ...times })).kind).toBe('in-progress');
    await releaseCardActionKey(store.db, key, 'a');
    expect((await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'b', ...times })).kind).toBe('claimed');
    await completeCardActionKey(store.db, key, 'b', { status: 200, body: { ok: true } });
    await releaseCardActionKey(store.db, key, 'b');
    expect((await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'c', ...times })).kind).toBe('completed');
  });

  it('lets a stale claim (its process died mid-action) be taken over; the late first attempt cannot overwrite it', async () => {
    const key = freshKey();
    await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'dead', ...times });
    // Stale after 0 ms: any claim without a response is now the dead process's.
    expect((await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'next', ttlMs: DAY, staleClaimMs: 0 })).kind).toBe(
      'claimed',
    );
    expect(await completeCardActionKey(store.db, key, 'dead', { status: 201, body: { late: true } })).toBe(false);
    expect(await completeCardActionKey(store.db, key, 'next', { status: 201, body: { late: false } })).toBe(true);
    // A completed key is never stale.
    expect((await claimCardActionKey(store.db, key, { fingerprint: 'f', token: 'x', ttlMs: DAY, staleClaimMs: 0 })).kind).toBe('completed');
  });

  it('forgets expired keys: an expired key is claimable again, and the sweep deletes only expired rows', async () => {
    const expired = freshKey();
    const live = freshKey();
    await claimCardActionKey(store.db, expired, { fingerprint: 'f', token: 'a', ttlMs: 0, staleClaimMs: 60_000 });
    await completeCardActionKey(store.db, expired, 'a', { status: 200, body: {} });
    await claimCardActionKey(store.db, live, { fingerprint: 'f', token: 'a', ...times });
    expect((await claimCardActionKey(store.db, expired, { fingerprint: 'g', token: 'b', ttlMs: 0, staleClaimMs: 60_000 })).kind).toBe(
      'claimed',
    );
    expect(await deleteExpiredCardActionKeysOfAllTenants(store.db)).toBeGreaterThanOrEqual(1);
    const left = await store.db.selectFrom('card_action_keys').select('idempotency_key').execute();
    expect(left.map((r) => r.idempotency_key)).toContain(live.key);
    expect(left.map((r) => r.idempotency_key)).not.toContain(expired.key);
  });
});
