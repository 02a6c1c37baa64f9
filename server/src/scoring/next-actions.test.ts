import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  businessDaysBetween,
  COMPANY_RULES,
  CONTACT_RULES,
  type CompanyActionInput,
  type ContactActionInput,
  DEAL_RULES,
  type DealActionInput,
  evaluateRules,
} from './next-actions.ts';
import { DAY_MS } from './values.ts';

// A Wednesday, so business-day arithmetic is easy to follow.
const NOW = Date.UTC(2026, 10, 18, 12);

/** A healthy deal: no rule should fire on it. */
const healthyDeal: DealActionInput = {
  dealId: 'd1',
  dealName: 'Acme',
  now: NOW,
  probability: 0.6,
  previousProbability: 0.62,
  varianceThreshold: 0.1,
  noActivityDays: 14,
  stageLabel: 'Proposal',
  daysInStage: 5,
  stalledAfterDays: 12,
  stalledPercentile: 75,
  daysSinceLastActivity: 2,
  nextActivityAt: NOW + 3 * DAY_MS,
  contacts: 3,
  hasDecisionMaker: true,
  closeDate: NOW + 20 * DAY_MS,
};

const firing: Record<string, Partial<DealActionInput>> = {
  'deal.close_date_past': { closeDate: NOW - 5 * DAY_MS },
  'deal.probability_drop': { previousProbability: 0.75, probability: 0.5 },
  'deal.stalled': { daysInStage: 41 },
  'deal.no_recent_activity': { daysSinceLastActivity: 20 },
  'deal.no_next_activity': { nextActivityAt: null },
  'deal.single_threaded': { contacts: 1 },
  'deal.no_decision_maker': { hasDecisionMaker: false },
};

const ruleIds = (actions: { id: string }[]) => actions.map((a) => a.id);

describe('deal next-action rules', () => {
  it('fire on nothing for a healthy deal', () => {
    expect(evaluateRules(DEAL_RULES, healthyDeal)).toEqual([]);
  });

  it('every rule in the catalogue has a firing case here', () => {
    expect(Object.keys(firing).sort()).toEqual(DEAL_RULES.map((r) => r.id).sort());
  });

  for (const [id, change] of Object.entries(firing)) {
    it(`${id} fires when its condition holds, with a sentence and a machine-readable action`, () => {
      const actions = evaluateRules(DEAL_RULES, { ...healthyDeal, ...change });
      const action = actions.find((a) => a.id === id);
      expect(action).toBeDefined();
      expect(action!.sentence.length).toBeGreaterThan(10);
      expect(action!.action.record).toEqual({ objectType: 'deal', externalId: 'd1' });
    });
  }

  it('deal.stalled does not fire at the won deals 75th percentile, and words the actual numbers', () => {
    expect(ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, daysInStage: 12 }))).not.toContain('deal.stalled');
    expect(ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, stalledAfterDays: null, daysInStage: 400 }))).not.toContain('deal.stalled');
    const [stalled] = evaluateRules(DEAL_RULES, { ...healthyDeal, daysInStage: 41 });
    expect(stalled?.sentence).toContain("41 days in 'Proposal'");
  });

  it('deal.probability_drop respects the variance threshold and ignores rises', () => {
    expect(ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, previousProbability: 0.69, probability: 0.6 }))).not.toContain(
      'deal.probability_drop',
    );
    expect(ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, previousProbability: 0.2, probability: 0.6 }))).not.toContain(
      'deal.probability_drop',
    );
    expect(ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, previousProbability: null }))).not.toContain('deal.probability_drop');
  });

  it('no_decision_maker does not fire on a deal without contacts (single_threaded covers it)', () => {
    const ids = ruleIds(evaluateRules(DEAL_RULES, { ...healthyDeal, contacts: 0, hasDecisionMaker: false }));
    expect(ids).toContain('deal.single_threaded');
    expect(ids).not.toContain('deal.no_decision_maker');
  });

  it('ranks several actions by severity, high first', () => {
    const actions = evaluateRules(DEAL_RULES, { ...healthyDeal, contacts: 1, closeDate: NOW - DAY_MS, nextActivityAt: null });
    expect(ruleIds(actions)).toEqual(['deal.close_date_past', 'deal.no_next_activity', 'deal.single_threaded']);
    expect(actions[1]!.action).toMatchObject({ type: 'create_task', dueDate: '2026-11-20' });
  });
});

describe('contact next-action rules', () => {
  const contact: ContactActionInput = {
    contactId: 'c1',
    name: 'Ada',
    now: NOW,
    priority: 'very_high',
    lastTouchAt: NOW - DAY_MS,
    createdAt: NOW - 30 * DAY_MS,
  };

  it('contact.hot_untouched fires after 2 business days without a touch', () => {
    const [action] = evaluateRules(CONTACT_RULES, { ...contact, lastTouchAt: NOW - 3 * DAY_MS });
    expect(action?.id).toBe('contact.hot_untouched');
    expect(action?.action).toMatchObject({ type: 'create_task', record: { objectType: 'contact', externalId: 'c1' } });
  });

  it('does not fire when touched yesterday, over a weekend only, or for a lower priority', () => {
    expect(evaluateRules(CONTACT_RULES, contact)).toEqual([]);
    expect(evaluateRules(CONTACT_RULES, { ...contact, priority: 'high', lastTouchAt: NOW - 10 * DAY_MS })).toEqual([]);
    // Friday noon → Monday noon is one business day.
    const monday = Date.UTC(2026, 10, 23, 12);
    expect(evaluateRules(CONTACT_RULES, { ...contact, now: monday, lastTouchAt: Date.UTC(2026, 10, 20, 12) })).toEqual([]);
  });
});

describe('company next-action rules', () => {
  const company: CompanyActionInput = {
    companyId: 'k1',
    name: 'Acme',
    now: NOW,
    level: 'medium',
    lonelyDays: 15,
    daysSinceTouch: 3,
    openDeals: 1,
  };

  it('company.lonely fires only for lonely accounts', () => {
    expect(ruleIds(evaluateRules(COMPANY_RULES, { ...company, level: 'lonely', daysSinceTouch: 40 }))).toEqual(['company.lonely']);
    expect(evaluateRules(COMPANY_RULES, company)).toEqual([]);
  });

  it('company.engaged_no_deal fires for a highly engaged account without an open deal, not with one', () => {
    const [action] = evaluateRules(COMPANY_RULES, { ...company, level: 'high', openDeals: 0 });
    expect(action).toMatchObject({ id: 'company.engaged_no_deal', action: { type: 'create_deal' } });
    expect(evaluateRules(COMPANY_RULES, { ...company, level: 'high', openDeals: 2 })).toEqual([]);
  });
});

describe('business days', () => {
  it('skip weekends', () => {
    const friday = Date.UTC(2026, 10, 20, 12);
    expect(new Date(addBusinessDays(friday, 1)).getUTCDay()).toBe(1);
    expect(businessDaysBetween(friday, friday + 3 * DAY_MS)).toBe(1);
  });
});
