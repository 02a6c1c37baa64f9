import { Writable } from 'node:stream';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BacktestReport } from '../../scoring/backtest.ts';
import { createTestTenant, loadPortalIntoStore } from '../../scoring/test-support/load-portal.ts';
import { openTestPostgres } from '../../test-support/stores.ts';
import { main } from '../main.ts';

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, text: () => text };
}

const CUTS = '2026-03-01,2026-05-01,2026-07-01';

describe('closewise backtest', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let env: Record<string, string>;
  const run = async (args: string[]) => {
    const out = capture();
    const err = capture();
    const code = await main(['backtest', ...args], { stdout: out.stream, stderr: err.stream, env });
    return { code, out: out.text(), err: err.text() };
  };

  beforeAll(async () => {
    store = await openTestPostgres();
    env = { DATABASE_URL: store.databaseUrl, CLOSEWISE_ENCRYPTION_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent' };
    // The demo's portal (`closewise demo`: seed 42, 2,000 contacts), and the same generator at 10,000 contacts.
    await createTestTenant(store.db, 'demo');
    await loadPortalIntoStore(store.db, 'demo', generateSyntheticPortal({ seed: 42 }));
    await createTestTenant(store.db, 'demo-10k');
    await loadPortalIntoStore(store.db, 'demo-10k', generateSyntheticPortal({ seed: 42, contacts: 10_000 }));
  }, 180_000);
  afterAll(async () => {
    await store?.dispose();
  });

  it('rejects bad input with exit 2 and a message naming it', async () => {
    expect(await run([])).toMatchObject({ code: 2, err: expect.stringMatching(/--as-of is required/) });
    expect(await run(['--as-of', 'last spring'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/dates like 2026-05-01.*'last spring'/),
    });
    expect(await run(['--as-of', '2026-05-01', '--tenant', 'nope'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/no tenant 'nope'/),
    });
    expect(await run(['--as-of', '2026-09-01', '--tenant', 'demo'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/90-day outcome window would end after the newest data .*pick a date on or before 2026-08-0\d/),
    });
  });

  it('prints AUC, ECE and the noise floor per cut and model on the demo portal', async () => {
    const text = await run(['--as-of', CUTS, '--tenant', 'demo']);
    expect(text.code).toBe(0);
    for (const cut of CUTS.split(',')) expect(text.out).toContain(`  as of ${cut}:`);
    expect(text.out.match(/AUC 0\.\d{3} {2}ECE 0\.\d{3} {2}noise floor 0\.\d{3}/g)).toHaveLength(9);
    // At this size (~100 open deals per cut) the deal-at-creation model misses "ECE ≤ 0.05 + noise floor" at
    // two of the three cuts (0.145 vs 0.091 + 0.05, 0.157 vs 0.097 + 0.05, measured 2026-12-03); the bar is
    // asserted on the 10,000-contact portal below, where every model meets it.
  }, 120_000);

  it('meets ECE ≤ 0.05 + the noise floor for every model at three cuts (10,000 contacts)', async () => {
    const json = await run(['--as-of', CUTS, '--tenant', 'demo-10k', '--json']);
    expect(json.code).toBe(0);
    const [report] = (JSON.parse(json.out) as { tenants: BacktestReport[] }).tenants;
    expect(report?.cuts.map((c) => c.asOf.slice(0, 10))).toEqual(CUTS.split(','));
    for (const cut of report?.cuts ?? []) {
      expect(cut.lines.map((l) => l.target)).toEqual(['deal_win_at_creation', 'deal_win_after_proposal', 'contact_close_90d']);
      for (const line of cut.lines) {
        expect(line.source, `${cut.asOf} ${line.target}`).toBe('portal');
        expect(line.rows, `${cut.asOf} ${line.target}`).toBeGreaterThan(200);
        expect(line.auc, `${cut.asOf} ${line.target}`).toBeGreaterThan(0.65);
        expect(line.ece, `${cut.asOf} ${line.target}`).toBeLessThanOrEqual(0.05 + (line.eceNoiseFloor as number));
      }
    }
  }, 240_000);
});
