import type { CompanyEvidenceRow } from '../store/reads/company-evidence.ts';
import { toPercent } from './card-mapping.ts';

const TIERS = ['very_high', 'high', 'medium', 'low'] as const;
type Tier = (typeof TIERS)[number];

/**
 * The company card's evidence (its activity when scored, its open deals, its contacts), from the columns
 * the card read selected (store/reads/company-evidence.ts) to the card's wire shapes.
 */
export function companyEvidenceFrom({ facts, openDeals, contacts }: CompanyEvidenceRow) {
  const lonelyWindowDays = facts.lonelyDays !== undefined && facts.lonelyDays >= 1 ? Math.round(facts.lonelyDays) : 30;
  return {
    activity: {
      lastActivityAt: facts.lastActivityAt ?? null,
      activityCount30d: facts.activities30d ?? 0,
      activityCount90d: facts.activities90d ?? 0,
      lonelyWindowDays,
    },
    openDeals: openDeals.map((d) => ({
      id: d.id,
      name: (d.name ?? `Deal ${d.id}`).slice(0, 500),
      stageLabel: d.stage_label.slice(0, 200),
      winProbability: d.probability === null ? null : toPercent(d.probability),
    })),
    contacts: contacts.map((c) => ({
      id: c.id,
      name: (c.name ?? `Contact ${c.id}`).slice(0, 500),
      priorityTier: TIERS.includes(c.tier as Tier) ? (c.tier as Tier) : null,
      closeLikelihood90d: c.probability === null ? null : toPercent(c.probability),
    })),
  };
}
