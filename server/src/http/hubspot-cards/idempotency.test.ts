import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClosewiseError, UpstreamError } from '../../errors/errors.ts';
import { insertTenantRow } from '../../store/tables/tenants.ts';
import { storeEngines, type TestStore } from '../../test-support/stores.ts';
import { type CardActionKey, createIdempotentRunner, createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.ts';
import { createStoreIdempotencyStore } from './store-idempotency.ts';

let serial = 0;
const freshKey = (): CardActionKey => ({
  tenantId: 'tenant-a',
  action: 'create-task',
  objectType: 'deals',
  objectId: '1',
  key: `k-${++serial}`,
});

/** An action that counts its runs and can be held open, to make a replay arrive while it runs. */
function countedAction(response = { status: 201, body: { taskId: 't-1', created: true } }) {
  let runs = 0;
  let open: (() => void) | undefined;
  const held = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    runs: () => runs,
    release: () => open?.(),
    run: async () => {
      runs++;
      await held;
      return response;
    },
  };
}

/**
 * The runner over each store. "Two processes" are two runners (and, for the store-backed one, two store
 * objects) on the one database; a "restart" is a new runner and store object.
 */
const stores: { name: string; open: () => Promise<{ make: () => IdempotencyStore; dispose: () => Promise<void> }> }[] = [
  {
    name: 'memory',
    open: async () => {
      const shared = createMemoryIdempotencyStore();
      return { make: () => shared, dispose: async () => undefined };
    },
  },
  ...storeEngines.map(({ name, open }) => ({
    name: `store (${name})`,
    open: async () => {
      const store: TestStore = await open();
      await insertTenantRow(store.db, {
        id: 'tenant-a',
        crm: 'hubspot',
        externalId: '1',
        name: 'a',
        authMode: 'private_app',
        tokenCiphertext: null,
        tokenExpiresAt: null,
        settings: {},
      });
      return { make: () => createStoreIdempotencyStore(store.db), dispose: () => store.dispose() };
    },
  })),
];

describe.each(stores)('idempotent runner on the $name store', ({ open }) => {
  let make: () => IdempotencyStore;
  let dispose: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ make, dispose } = await open());
  });
  afterAll(async () => {
    await dispose?.();
  });

  it('runs a key once across two processes at once: the replay waits for the first response', async () => {
    const key = freshKey();
    const action = countedAction();
    const first = createIdempotentRunner(make())(key, 'f', action.run);
    const second = createIdempotentRunner(make())(key, 'f', action.run);
    setTimeout(action.release, 100);
    const results = await Promise.all([first, second]);
    expect(action.runs()).toBe(1);
    expect(results.map((r) => r.replayed).sort()).toEqual([false, true]);
    expect(results[1]?.body).toEqual(results[0]?.body);

    // After a restart: a new runner on the same store still replays.
    const afterRestart = await createIdempotentRunner(make())(key, 'f', action.run);
    expect(afterRestart).toEqual({ status: 201, body: { taskId: 't-1', created: true }, replayed: true });
    expect(action.runs()).toBe(1);
  });

  it('releases the key when the action fails, so a retry runs it for real', async () => {
    const key = freshKey();
    const runOnce = createIdempotentRunner(make());
    await expect(
      runOnce(key, 'f', async () => {
        throw new UpstreamError('HubSpot answered 502.');
      }),
    ).rejects.toBeInstanceOf(UpstreamError);
    const retry = await runOnce(key, 'f', async () => ({ status: 201, body: { taskId: 't-2', created: true } }));
    expect(retry).toMatchObject({ replayed: false, body: { taskId: 't-2' } });
  });

  it('refuses the key with another request body (409), whether the first is done or still running', async () => {
    const done = freshKey();
    const runOnce = createIdempotentRunner(make());
    await runOnce(done, 'f', async () => ({ status: 200, body: {} }));
    await expect(runOnce(done, 'other', async () => ({ status: 200, body: {} }))).rejects.toMatchObject({
      code: 'CONFLICT',
      message: 'This idempotency key was already used for a different request.',
    });

    const running = freshKey();
    const action = countedAction();
    const first = runOnce(running, 'f', action.run);
    await new Promise((r) => setTimeout(r, 50));
    await expect(runOnce(running, 'other', action.run)).rejects.toBeInstanceOf(ClosewiseError);
    action.release();
    await first;
  });

  it('answers 409 "in progress" when the first request outlasts the wait, and never runs the action twice', async () => {
    const key = freshKey();
    const action = countedAction();
    const first = createIdempotentRunner(make())(key, 'f', action.run);
    await new Promise((r) => setTimeout(r, 50));
    await expect(createIdempotentRunner(make(), { waitMs: 200 })(key, 'f', action.run)).rejects.toMatchObject({
      code: 'CONFLICT',
      message: expect.stringMatching(/still in progress/),
    });
    action.release();
    await first;
    expect(action.runs()).toBe(1);
  });
});
