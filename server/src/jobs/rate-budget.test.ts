import { afterEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../store/open-store.ts';
import { openTestPostgres } from '../test-support/stores.ts';
import { type BudgetLimit, createMemoryRateBudget, createPostgresRateBudget, plannedLimit } from './rate-budget.ts';

/** The most requests granted in any window of the limit's length (windows start at each grant). */
function busiestWindow(grants: { at: number; cost: number }[], windowMs: number): number {
  const sorted = [...grants].sort((a, b) => a.at - b.at);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    let sum = 0;
    for (let j = i; j < sorted.length && (sorted[j]?.at ?? 0) < (sorted[i]?.at ?? 0) + windowMs; j++) sum += sorted[j]?.cost ?? 0;
    best = Math.max(best, sum);
  }
  return best;
}

describe('per-portal rate budget', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
  });

  it('keeps three workers with their own connections together under the limit on PostgreSQL', async () => {
    const admin = await openTestPostgres();
    cleanup.push(() => admin.dispose());
    const workers: Store[] = [];
    for (let i = 0; i < 3; i++) {
      const s = await openStore({ databaseUrl: admin.databaseUrl, maxConnections: 2 });
      workers.push(s);
      cleanup.push(() => s.close());
    }
    const limit: BudgetLimit = { requests: 20, windowMs: 600 };
    const budgets = workers.map((w) => createPostgresRateBudget(w.db, limit));
    await Promise.all(
      budgets.map(async (budget, i) => {
        for (let n = 0; n < 25; n++) await budget.take('hubspot:1', 1);
        // Another portal's budget is its own.
        if (i === 0) for (let n = 0; n < 20; n++) await budget.take('hubspot:2', 1);
      }),
    );
    const rows = await admin.db.selectFrom('job_rate_grants').selectAll().execute();
    const of = (key: string) =>
      rows.filter((r) => r.budget_key === key).map((r) => ({ at: new Date(r.granted_at).getTime(), cost: r.cost }));
    expect(of('hubspot:1')).toHaveLength(75);
    expect(busiestWindow(of('hubspot:1'), limit.windowMs)).toBe(20);
    expect(of('hubspot:2')).toHaveLength(20);
  });

  it('never grants more than the limit in a window in memory', async () => {
    const limit: BudgetLimit = { requests: 5, windowMs: 200 };
    // Grant times as the budget made them: a clock read after `await take()` can lag on a busy machine and
    // pile one window's grants into the next.
    const grants: { at: number; cost: number }[] = [];
    const budget = createMemoryRateBudget(limit, (_key, at, cost) => grants.push({ at, cost }));
    await Promise.all(
      [0, 1, 2].map(async () => {
        for (let n = 0; n < 6; n++) await budget.take('k', 1);
      }),
    );
    expect(grants).toHaveLength(18);
    expect(busiestWindow(grants, limit.windowMs)).toBeLessThanOrEqual(5);
  });

  it('plans below the CRM limit by the safety share', () => {
    expect(plannedLimit({ requests: 110, windowMs: 10_000 }, 0.95)).toEqual({ requests: 104, windowMs: 10_000 });
  });
});
