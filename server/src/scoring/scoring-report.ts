import type { ScoreDetails } from './details.ts';
import type { LiveModels } from './runtime.ts';

export interface ScoringReport {
  tenantId: string;
  scoredAt: string;
  counts: { deals: number; contacts: number; companies: number };
  /** Scores per model source: how many came from a shipped prior. */
  bySource: { portal: number; prior: number };
  models: { target: string; version: number; source: 'portal' | 'prior' }[];
  /** Records whose odd values were treated as unknown. */
  dataQualityFlagged: number;
}

/** What a scoring run (full or of a scope) stored, counted. */
export function scoringReport(
  tenantId: string,
  at: Date,
  models: LiveModels,
  deals: Map<string, ScoreDetails>,
  contacts: Map<string, ScoreDetails>,
  companies: Map<string, ScoreDetails>,
): ScoringReport {
  const all = [...deals.values(), ...contacts.values()];
  return {
    tenantId,
    scoredAt: at.toISOString(),
    counts: { deals: deals.size, contacts: contacts.size, companies: companies.size },
    bySource: {
      portal: all.filter((d) => d.model?.source === 'portal').length,
      prior: all.filter((d) => d.model?.source === 'prior').length,
    },
    models: Object.values(models).map((m) => ({ target: m.model.target, version: m.model.version, source: m.model.card.source })),
    dataQualityFlagged: all.filter((d) => d.dataQuality.length > 0).length,
  };
}
