import { Writable } from 'node:stream';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCardSettings } from '../cards/card-settings.ts';
import { main } from '../cli/main.ts';
import { champion } from '../scoring/model-store.ts';
import { createTestTenant, loadPortalIntoStore } from '../scoring/test-support/load-portal.ts';
import { trainTenantModels } from '../scoring/train.ts';
import { openTestPostgres } from '../test-support/stores.ts';

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

/**
 * The acceptance of the drift check end to end: two synthetic portals, the same but for a planted drift
 * (contacts created in the newest half-year convert at 1.5 higher log-odds, so the newest quarter of known
 * 90-day outcomes converts about twice as often), trained by the scoring layer, read back by `closewise status`
 * and the settings API.
 */
describe('drift warning from training to status and settings', () => {
  let store: Awaited<ReturnType<typeof openTestPostgres>>;
  let env: Record<string, string>;
  const now = '2026-11-01T00:00:00Z';

  beforeAll(async () => {
    store = await openTestPostgres();
    env = { DATABASE_URL: store.databaseUrl, CLOSEWISE_ENCRYPTION_KEY: 'a'.repeat(64), LOG_LEVEL: 'silent' };
    const portals = {
      steady: generateSyntheticPortal({ seed: 1, contacts: 2000, now }),
      drifting: generateSyntheticPortal({ seed: 1, contacts: 2000, now, conversionDrift: { from: '2026-05-04T00:00:00Z', logOdds: 1.5 } }),
    };
    for (const [tenant, portal] of Object.entries(portals)) {
      await createTestTenant(store.db, tenant);
      await loadPortalIntoStore(store.db, tenant, portal);
      await trainTenantModels(store.db, tenant, { now: new Date(now), targets: ['contact_close_90d'] });
    }
  }, 180_000);
  afterAll(async () => {
    await store?.dispose();
  });

  it('stores the check on the hold-out in the model card: a warning only where the rates changed', async () => {
    const steady = (await champion(store.db, 'steady', 'contact_close_90d'))?.card;
    const drifting = (await champion(store.db, 'drifting', 'contact_close_90d'))?.card;
    // One row per hold-out record (its first snapshot), newer than every training row.
    expect(steady?.drift).toMatchObject({ checked: true, warning: null });
    expect(steady?.drift?.newestSlice.rows).toBeGreaterThan(200);
    expect(steady?.drift?.newestSlice.timeFrom).toBeGreaterThanOrEqual(Date.parse(String(steady?.holdout.cutoff)));
    expect(steady?.drift?.newestEce).toBeLessThanOrEqual(steady?.drift?.eceBound as number);
    expect(steady?.['warnings']).not.toContainEqual(expect.stringMatching(/^drift/));
    expect(drifting?.drift?.checked).toBe(true);
    expect(drifting?.drift?.newestEce).toBeGreaterThan(drifting?.drift?.eceBound as number);
    expect(drifting?.drift?.warning).toMatch(/^drift on the newest \d+ rows: the probabilities are off: .* happened/);
    expect(drifting?.['warnings']).toContain(drifting?.drift?.warning);
  });

  it('shows a drift line per model in `closewise status`, text and JSON', async () => {
    const json = capture();
    const err = capture();
    expect(await main(['status', '--json'], { stdout: json.stream, stderr: err.stream, env })).toBe(0);
    expect(err.text()).toBe('');
    const { portals } = JSON.parse(json.text()) as { portals: { tenantId: string; drift: Record<string, unknown>[] }[] };
    const byTenant = Object.fromEntries(portals.map((p) => [p.tenantId, p.drift]));
    expect(byTenant['steady']).toEqual([
      expect.objectContaining({ target: 'contact_close_90d', version: 1, checked: true, warning: null }),
    ]);
    expect(byTenant['drifting']).toEqual([
      expect.objectContaining({ target: 'contact_close_90d', checked: true, warning: expect.stringMatching(/^drift on the newest/) }),
    ]);

    const text = capture();
    expect(await main(['status'], { stdout: text.stream, stderr: err.stream, env })).toBe(0);
    expect(text.text()).toMatch(/Drift:\n/);
    expect(text.text()).toMatch(/ {2}drifting: contact_close_90d v1: DRIFT — drift on the newest \d+ rows: the probabilities are off/);
    expect(text.text()).toMatch(
      / {2}steady: contact_close_90d v1: no drift \(newest \d+ rows: largest shift \S+ PSI 0\.\d\d, calibration error 0\.\d{3} ≤ 0\.\d{3}\)/,
    );
  });

  it('returns the warning with the model accuracy of the settings page', async () => {
    const model = (tenant: string) =>
      readCardSettings(store.db, tenant).then((s) => s.models.find((m) => m.target === 'contact_close_90d'));
    expect((await model('steady'))?.driftWarning).toBeNull();
    expect((await model('drifting'))?.driftWarning).toMatch(/^drift on the newest/);
    expect((await readCardSettings(store.db, 'steady')).models.find((m) => m.target === 'deal_win_at_creation')?.driftWarning).toBeNull();
  });
});
