import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { describe, expect, it } from 'vitest';
import type { HoldoutReport } from '../scoring/train.ts';
import { holdoutSlices, portalTimes } from './holdout-comparison.ts';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number) => new Date(ms).toISOString();

/** Four deals; won ones get more activities, but only after their first snapshot. */
function portal(): PortalData {
  const deals = ['d1', 'd2', 'd3', 'd4'].map((id) => ({ id, createdAt: iso(T0), updatedAt: iso(T0), properties: {}, history: {} }));
  const activity = (id: string, dealId: string, at: number) => ({
    id,
    kind: 'call' as const,
    timestamp: iso(at),
    properties: {},
    contactIds: [],
    companyIds: [],
    dealIds: [dealId],
  });
  const activities = [
    activity('a1', 'd1', T0 + 2 * DAY),
    activity('a2', 'd1', T0 + 3 * DAY),
    activity('a3', 'd2', T0 + 2 * DAY),
    activity('a4', 'd2', T0 + 4 * DAY),
    // After every snapshot: must not count.
    activity('a5', 'd3', T0 + 60 * DAY),
    activity('a6', 'd3', T0 + 61 * DAY),
    activity('a7', 'd3', T0 + 62 * DAY),
  ];
  return { deals, contacts: [], activities } as unknown as PortalData;
}

const holdout = (over: Partial<HoldoutReport> = {}): HoldoutReport => ({
  recordIds: ['d1', 'd2', 'd3', 'd4', 'd1', 'd2', 'd3', 'd4'],
  times: [T0, T0, T0, T0, T0 + 7 * DAY, T0 + 7 * DAY, T0 + 7 * DAY, T0 + 7 * DAY],
  primary: [true, true, true, true, false, false, false, false],
  labels: [1, 1, 0, 0, 1, 1, 0, 0],
  predictions: [0.6, 0.4, 0.5, 0.3, 0.9, 0.8, 0.2, 0.1],
  auc: 0,
  ece: 0,
  ...over,
});

describe('holdoutSlices', () => {
  it('compares first snapshots with the oracle and later ones with activities counted up to each snapshot only', () => {
    const slices = holdoutSlices(holdout(), portalTimes(portal(), 'deal'), { d1: 0.9, d2: 0.7, d3: 0.2, d4: 0.1 });
    const first = slices.find((s) => s.slice === 'first snapshot')!;
    expect(first).toMatchObject({ rows: 4, records: 4, oracle: 1, model: 0.75 });
    const later = slices.find((s) => s.slice === 'later snapshots')!;
    // At day 7 the won deals have 2 activities each, the lost none yet (d3's come later): a perfect baseline.
    expect(later.baseline).toEqual({ name: 'activities so far', auc: 1 });
    expect(later.model).toBe(1);
  });

  it('reads a baseline in whichever direction ranks the rows best, and has no oracle without planted values', () => {
    const flipped = holdout({ labels: [0, 0, 1, 1, 0, 0, 1, 1] });
    const slices = holdoutSlices(flipped, portalTimes(portal(), 'deal'), undefined);
    expect(slices.find((s) => s.slice === 'later snapshots')!.baseline).toEqual({ name: 'activities so far', auc: 1 });
    expect(slices.every((s) => s.oracle === null)).toBe(true);
  });

  it('keys records by the CRM id when the portal was loaded under other ids', () => {
    const crm = holdout({ recordIds: holdout().recordIds.map((id) => `crm-${id}`) });
    const slices = holdoutSlices(
      crm,
      portalTimes(portal(), 'deal', (id) => `crm-${id}`),
      undefined,
    );
    expect(slices.find((s) => s.slice === 'later snapshots')!.baseline?.auc).toBe(1);
    expect(holdoutSlices(crm, portalTimes(portal(), 'deal'), undefined)[0]!.baseline).toBeNull();
  });
});
