import type { StoredPortalContext } from '../store/columns/portal-context.ts';
import type { PortalStats } from './portal-stats.ts';
import type { LiveModels } from './runtime.ts';
import type { CompanyNorms } from './score-companies.ts';
import type { ContactCuts } from './score-contacts.ts';
import type { ScoringSettings } from './settings.ts';
import type { TenantData } from './tenant-data.ts';
import { dealFacts } from './timeline.ts';
import { MODEL_TARGETS } from './train.ts';

/**
 * The portal context: everything a record's score reads from the rest of its portal, computed by a full
 * scoring run as of its moment and stored (portal_contexts), so a record can be rescored from its own rows.
 * What it holds, and who reads it:
 * - deals: won deals' days per stage (time in stage vs won deals, "stalled"), owners' closed deals (win rate);
 * - contacts: the quartile cut points of likelihood, fit and engagement (priority, lead grade);
 * - companies: the lonely threshold and the non-lonely accounts' median and top engagement (level, number);
 * - the champion model of each target (the cut points are over that model's predictions) and the settings.
 * It is usable while the champions and the settings are the ones it was computed with, and for moments at or
 * after its own; otherwise a rescore takes the full path, which stores a new one.
 */
export type PortalContext = StoredPortalContext;

/** A stable fingerprint of the scoring settings (keys sorted at every level). */
export function settingsKey(settings: ScoringSettings): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value && typeof value === 'object')
      return Object.fromEntries(
        Object.entries(value as Record<string, unknown>)
          .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
          .map(([k, v]) => [k, sorted(v)]),
      );
    return value;
  };
  return JSON.stringify(sorted(settings));
}

const toStored = (cuts: [number, number, number]): [number | null, number | null, number | null] =>
  cuts.map((c) => (Number.isNaN(c) ? null : c)) as [number | null, number | null, number | null];
const fromStored = (cuts: [number | null, number | null, number | null]): [number, number, number] =>
  cuts.map((c) => (c === null ? Number.NaN : c)) as [number, number, number];

/** The context of a full run over `data` as of `now`. */
export function buildPortalContext(
  data: TenantData,
  stats: PortalStats,
  models: LiveModels,
  contacts: ContactCuts,
  companies: CompanyNorms,
  now: number,
): PortalContext {
  const stageNorms: PortalContext['deals']['stageNorms'] = {};
  for (const [key, stage] of data.stages) {
    const pipeline = stageNorms[stage.pipelineId] ?? {};
    pipeline[stage.stageId] = stats.stageDays(key, now);
    stageNorms[stage.pipelineId] = pipeline;
  }
  const owners: PortalContext['deals']['owners'] = {};
  for (const deal of data.deals) {
    const owner = deal.properties['owner_id'];
    if (!owner || owners[owner]) continue;
    const record = stats.owner(owner, now);
    if (record.won + record.lost > 0) owners[owner] = record;
  }
  return {
    computedAt: new Date(now).toISOString(),
    settingsKey: settingsKey(data.settings),
    models: Object.fromEntries(MODEL_TARGETS.map((t) => [t, { id: models[t].model.id, version: models[t].model.version }])),
    deals: { stageNorms, owners },
    contacts: {
      priorityCuts: toStored(contacts.priorityCuts),
      fitCuts: toStored(contacts.fitCuts),
      engagementCuts: toStored(contacts.engagementCuts),
    },
    companies: { ...companies },
  };
}

/** Why a stored context cannot serve a rescore at `now`; null when it can. */
export function staleReason(
  context: PortalContext,
  settings: ScoringSettings,
  champions: ReadonlyMap<string, number>,
  now: number,
): string | null {
  if (Date.parse(context.computedAt) > now) return 'computed after the moment asked for';
  if (context.settingsKey !== settingsKey(settings)) return 'the scoring settings changed';
  for (const target of MODEL_TARGETS) if (context.models[target]?.id !== champions.get(target)) return `the ${target} champion changed`;
  return null;
}

/**
 * Portal statistics for a scope's data: its deals' own facts (from their rows), the portal-wide norms from
 * the stored context. Only the moment the context was computed at is answered exactly (as the full run did);
 * a later moment reads the same norms until the next full run refreshes them.
 */
export function contextStats(data: TenantData, context: PortalContext): PortalStats {
  const facts = new Map(data.deals.map((deal) => [deal.id, dealFacts(data, deal)]));
  return {
    facts,
    stageDays: (key) => {
      // Stored by pipeline, then stage: the in-memory key's NUL separator cannot be a jsonb key.
      const [pipelineId = '', stageId = ''] = key.split('\u0000');
      return context.deals.stageNorms[pipelineId]?.[stageId] ?? null;
    },
    owner: (ownerId) => (ownerId ? (context.deals.owners[ownerId] ?? { won: 0, lost: 0 }) : { won: 0, lost: 0 }),
    avgWonCycleDays: () => {
      throw new Error('a scope scores companies against the stored lonely threshold, not the won-deal cycle');
    },
  };
}

export const contactCutsFrom = (context: PortalContext): ContactCuts => ({
  priorityCuts: fromStored(context.contacts.priorityCuts),
  fitCuts: fromStored(context.contacts.fitCuts),
  engagementCuts: fromStored(context.contacts.engagementCuts),
});
