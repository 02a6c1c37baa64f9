import { z } from 'zod';

/**
 * The portal context a full scoring run stores (`portal_contexts.context`): everything a record's score needs
 * from the rest of its portal, so that a record can be rescored from its own rows. Small by design: a few
 * numbers per stage and per owner, never per record.
 */
export const PORTAL_CONTEXT_FORMAT = 1;

/** A cut point; null stands for NaN (a quantile of no values), which JSON cannot carry. */
const cut = z.number().nullable();
const cuts = z.tuple([cut, cut, cut]);

export const portalContextSchema = z.object({
  /** The run's moment (ISO): the context is the portal as of then. */
  computedAt: z.iso.datetime({ offset: true }),
  /** Fingerprint of the scoring settings the run used; other settings make the context stale. */
  settingsKey: z.string(),
  /** The champion model of each target the run scored with (its row id and version). */
  models: z.record(z.string(), z.object({ id: z.number().int(), version: z.number().int() })),
  deals: z.object({
    /** Won deals' days per stage (pipeline id → stage id → median, the saved stalled-deal percentile, count), as of the run's day; null: too few. */
    stageNorms: z.record(
      z.string(),
      z.record(z.string(), z.object({ median: z.number(), stalled: z.number(), count: z.number().int() }).nullable()),
    ),
    /** Closed deals per owner id as of the run; owners not listed had none. */
    owners: z.record(z.string(), z.object({ won: z.number().int(), lost: z.number().int() })),
  }),
  contacts: z.object({ priorityCuts: cuts, fitCuts: cuts, engagementCuts: cuts }),
  companies: z.object({ lonelyDays: z.number(), medianEngagement: z.number(), maxEngagement: z.number() }),
});

export type StoredPortalContext = z.output<typeof portalContextSchema>;
