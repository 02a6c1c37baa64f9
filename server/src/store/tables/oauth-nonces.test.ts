import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { storeEngines, type TestStore } from '../../test-support/stores.ts';
import { deleteExpiredOAuthNonces, spendOAuthNonce } from './oauth-nonces.ts';

describe.each(storeEngines)('spent OAuth nonces on $name', ({ open }) => {
  let store: TestStore;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('spends a nonce once, even when ten callbacks race, and per provider', async () => {
    const later = new Date(Date.now() + 60_000);
    const spends = await Promise.all(Array.from({ length: 10 }, () => spendOAuthNonce(store.db, 'hubspot', 'n-1', later)));
    expect(spends.filter(Boolean)).toHaveLength(1);
    expect(await spendOAuthNonce(store.db, 'salesforce', 'n-1', later)).toBe(true);
  });

  it('sweeps only nonces past their keep-until time', async () => {
    await spendOAuthNonce(store.db, 'hubspot', 'old', new Date(Date.now() - 1000));
    await spendOAuthNonce(store.db, 'hubspot', 'recent', new Date(Date.now() + 60_000));
    expect(await deleteExpiredOAuthNonces(store.db)).toBe(1);
    expect(await spendOAuthNonce(store.db, 'hubspot', 'recent', new Date(Date.now() + 60_000))).toBe(false);
  });
});
