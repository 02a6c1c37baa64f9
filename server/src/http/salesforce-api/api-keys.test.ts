import { afterEach, describe, expect, it } from 'vitest';
import { deleteTenant, upsertTenant } from '../../tenants/tenant-repository.ts';
import { storeEngines, type TestStore } from '../../test-support/stores.ts';
import { issueSalesforceApiKey, revokeSalesforceApiKeys, tenantOfApiKey } from './api-keys.ts';

const install = (store: TestStore, orgId: string) =>
  upsertTenant(store.db, Buffer.alloc(32, 9), {
    crm: 'salesforce',
    externalId: orgId,
    name: orgId,
    authMode: 'oauth',
    tokens: { accessToken: 'x' },
  });

describe.each(storeEngines)('Salesforce API keys on $name', ({ open }) => {
  let store: TestStore | undefined;
  afterEach(async () => {
    await store?.dispose();
    store = undefined;
  });

  it('a key names its own tenant only; revoked keys, altered keys and disabled or deleted tenants name none', async () => {
    store = await open();
    const a = await install(store, '00D000000000001AAA');
    const b = await install(store, '00D000000000002AAA');
    const keyA = await issueSalesforceApiKey(store.db, a.id);
    const keyB = await issueSalesforceApiKey(store.db, b.id);
    expect(keyA).not.toBe(keyB);
    expect(await tenantOfApiKey(store.db, keyA)).toBe(a.id);
    expect(await tenantOfApiKey(store.db, keyB)).toBe(b.id);
    // Same public id, other secret: the hash comparison decides.
    expect(await tenantOfApiKey(store.db, `${keyA.slice(0, 18)}${keyB.slice(18)}`)).toBeNull();
    expect(await tenantOfApiKey(store.db, '')).toBeNull();

    await store.db.updateTable('tenants').set({ status: 'disabled' }).where('id', '=', b.id).execute();
    expect(await tenantOfApiKey(store.db, keyB)).toBeNull();

    expect(await revokeSalesforceApiKeys(store.db, a.id)).toBe(1);
    expect(await tenantOfApiKey(store.db, keyA)).toBeNull();
    const next = await issueSalesforceApiKey(store.db, a.id);
    expect(await tenantOfApiKey(store.db, next)).toBe(a.id);

    await deleteTenant(store.db, 'salesforce', '00D000000000001AAA');
    expect(await tenantOfApiKey(store.db, next)).toBeNull();
    await expect(issueSalesforceApiKey(store.db, a.id)).rejects.toThrow(/no Salesforce tenant/);
  });
});
