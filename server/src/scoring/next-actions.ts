import type { MachineAction } from '../store/columns/score-details.ts';
import type { EngagementLevel, Priority } from './derived.ts';
import { DAY_MS } from './values.ts';

/**
 * The catalogue of next-action rules. Each rule has a stable id, says in one sentence what to do and why
 * (with the actual numbers), carries a severity, and a machine-readable action a connector or the UI can
 * perform (create a task, fix a field, open a deal). A record gets every rule that fires, ranked.
 */
export type Severity = 'high' | 'medium' | 'low';

/** Stored with the score, so its type is the stored schema's. */
export type { MachineAction } from '../store/columns/score-details.ts';

export interface NextAction {
  id: string;
  sentence: string;
  severity: Severity;
  action: MachineAction;
}

export interface DealActionInput {
  dealId: string;
  dealName: string | null;
  now: number;
  probability: number;
  previousProbability: number | null;
  varianceThreshold: number;
  noActivityDays: number;
  stageLabel: string | null;
  daysInStage: number | null;
  /** The stalled-deal percentile of days won deals spent in this stage (null when too few won deals). */
  stalledAfterDays: number | null;
  /** That percentile (the settings page's stalled-deal percentile). */
  stalledPercentile: number;
  daysSinceLastActivity: number | null;
  nextActivityAt: number | null;
  contacts: number;
  hasDecisionMaker: boolean;
  closeDate: number | null;
}

export interface ContactActionInput {
  contactId: string;
  name: string | null;
  now: number;
  priority: Priority;
  lastTouchAt: number | null;
  createdAt: number | null;
}

export interface CompanyActionInput {
  companyId: string;
  name: string | null;
  now: number;
  level: EngagementLevel;
  lonelyDays: number;
  daysSinceTouch: number | null;
  openDeals: number;
}

interface Rule<I> {
  id: string;
  severity: Severity;
  evaluate(input: I): Omit<NextAction, 'id' | 'severity'> | null;
}

const isoDay = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const days = (n: number): string => `${Math.round(n)} day${Math.round(n) === 1 ? '' : 's'}`;
const pct = (p: number): string => `${Math.round(p * 100)}%`;

/** The next business day after `ms` plus `n - 1` more (weekends skipped). */
export function addBusinessDays(ms: number, n: number): number {
  let t = ms;
  let left = n;
  while (left > 0) {
    t += DAY_MS;
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) left -= 1;
  }
  return t;
}

/** Whole business days (Mon–Fri) elapsed from `from` to `to`. */
export function businessDaysBetween(from: number, to: number): number {
  let count = 0;
  for (let t = from + DAY_MS; t <= to; t += DAY_MS) {
    const day = new Date(t).getUTCDay();
    if (day !== 0 && day !== 6) count += 1;
  }
  return count;
}

const dealTask = (i: DealActionInput, title: string, dueInBusinessDays: number): MachineAction => ({
  type: 'create_task',
  title,
  dueDate: isoDay(addBusinessDays(i.now, dueInBusinessDays)),
  record: { objectType: 'deal', externalId: i.dealId },
});

export const DEAL_RULES: Rule<DealActionInput>[] = [
  {
    id: 'deal.close_date_past',
    severity: 'high',
    evaluate: (i) =>
      i.closeDate !== null && i.closeDate < i.now
        ? {
            sentence: `The close date (${isoDay(i.closeDate)}) passed ${days((i.now - i.closeDate) / DAY_MS)} ago: update it or close the deal.`,
            action: {
              type: 'update_property',
              property: 'close_date',
              reason: 'close date in the past',
              record: { objectType: 'deal', externalId: i.dealId },
            },
          }
        : null,
  },
  {
    id: 'deal.probability_drop',
    severity: 'high',
    evaluate: (i) =>
      i.previousProbability !== null && i.previousProbability - i.probability > i.varianceThreshold
        ? {
            sentence: `Win probability fell from ${pct(i.previousProbability)} to ${pct(i.probability)} since the last scoring: review the deal.`,
            action: dealTask(i, 'Review deal: win probability dropped', 1),
          }
        : null,
  },
  {
    id: 'deal.stalled',
    severity: 'high',
    evaluate: (i) =>
      i.daysInStage !== null && i.stalledAfterDays !== null && i.daysInStage > i.stalledAfterDays
        ? {
            sentence: `Stalled: ${days(i.daysInStage)} in '${i.stageLabel ?? 'this stage'}', longer than ${i.stalledPercentile}% of won deals (${days(i.stalledAfterDays)}). Agree a concrete next step.`,
            action: dealTask(i, `Unblock deal stalled in ${i.stageLabel ?? 'stage'}`, 1),
          }
        : null,
  },
  {
    id: 'deal.no_recent_activity',
    severity: 'medium',
    evaluate: (i) =>
      i.daysSinceLastActivity === null || i.daysSinceLastActivity > i.noActivityDays
        ? {
            sentence:
              i.daysSinceLastActivity === null
                ? 'No activity has been logged on this deal: reach out to the buyer.'
                : `No activity in ${days(i.daysSinceLastActivity)}: reach out to the buyer.`,
            action: dealTask(i, 'Follow up with the buyer', 1),
          }
        : null,
  },
  {
    id: 'deal.no_next_activity',
    severity: 'medium',
    evaluate: (i) =>
      i.nextActivityAt === null
        ? { sentence: 'No next activity is scheduled: book the next meeting or call.', action: dealTask(i, 'Schedule the next meeting', 2) }
        : null,
  },
  {
    id: 'deal.single_threaded',
    severity: 'medium',
    evaluate: (i) =>
      i.contacts <= 1
        ? {
            sentence:
              i.contacts === 0
                ? 'No contact is on the deal: add the people you work with.'
                : 'Only one contact on the deal: bring in more stakeholders.',
            action: dealTask(i, 'Add stakeholders to the deal', 3),
          }
        : null,
  },
  {
    id: 'deal.no_decision_maker',
    severity: 'medium',
    evaluate: (i) =>
      i.contacts > 0 && !i.hasDecisionMaker
        ? {
            sentence: 'No decision maker (C-level, VP or director) is on the deal: find and engage one.',
            action: dealTask(i, 'Engage a decision maker', 3),
          }
        : null,
  },
];

export const CONTACT_RULES: Rule<ContactActionInput>[] = [
  {
    id: 'contact.hot_untouched',
    severity: 'high',
    evaluate: (i) => {
      if (i.priority !== 'very_high') return null;
      const since = i.lastTouchAt ?? i.createdAt;
      if (since === null || businessDaysBetween(since, i.now) < 2) return null;
      return {
        sentence: `Very high priority and untouched for ${businessDaysBetween(since, i.now)} business days: contact them today.`,
        action: {
          type: 'create_task',
          title: 'Reach out to a very-high-priority contact',
          dueDate: isoDay(i.now),
          record: { objectType: 'contact', externalId: i.contactId },
        },
      };
    },
  },
];

export const COMPANY_RULES: Rule<CompanyActionInput>[] = [
  {
    id: 'company.lonely',
    severity: 'medium',
    evaluate: (i) =>
      i.level === 'lonely'
        ? {
            sentence:
              i.daysSinceTouch === null
                ? 'Lonely account: nothing has happened on it yet. Re-engage it.'
                : `Lonely account: nothing new for ${days(i.daysSinceTouch)} (threshold ${days(i.lonelyDays)}). Re-engage it.`,
            action: {
              type: 'create_task',
              title: 'Re-engage lonely account',
              dueDate: isoDay(addBusinessDays(i.now, 3)),
              record: { objectType: 'company', externalId: i.companyId },
            },
          }
        : null,
  },
  {
    id: 'company.engaged_no_deal',
    severity: 'high',
    evaluate: (i) =>
      i.level === 'high' && i.openDeals === 0
        ? {
            sentence: 'Highly engaged account without an open deal: qualify an opportunity.',
            action: {
              type: 'create_deal',
              title: `New opportunity: ${i.name ?? 'account'}`,
              record: { objectType: 'company', externalId: i.companyId },
            },
          }
        : null,
  },
];

const SEVERITY_RANK: Record<Severity, number> = { high: 0, medium: 1, low: 2 };

/** Every rule that fires, ranked by severity, then by the catalogue's order. */
export function evaluateRules<I>(rules: Rule<I>[], input: I): NextAction[] {
  const fired: { action: NextAction; order: number }[] = [];
  rules.forEach((rule, order) => {
    const result = rule.evaluate(input);
    if (result) fired.push({ action: { id: rule.id, severity: rule.severity, ...result }, order });
  });
  return fired
    .sort((a, b) => SEVERITY_RANK[a.action.severity] - SEVERITY_RANK[b.action.severity] || a.order - b.order)
    .map((f) => f.action);
}
