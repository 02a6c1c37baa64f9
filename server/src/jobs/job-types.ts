import { z } from 'zod';

/**
 * The jobs Closewise runs, their payloads (validated with zod at the queue boundary: a job is data that
 * crossed a process boundary) and how each behaves in a queue.
 */
const tenantId = z.string().min(1, 'tenantId must be a non-empty string');
/** Time-dependent jobs take `now` explicitly (ISO) so a replay is deterministic; absent = the wall clock. */
const now = z.iso.datetime({ offset: true }).optional();

/** Jobs to queue, in order, once this one completed: an install's first sync is followed by training, then scoring. */
const followUps = z
  .array(z.enum(['retrain', 'rescore']))
  .max(2)
  .optional();

export const jobPayloadSchemas = {
  /** Incremental sync of one portal (modified-date cursor). */
  sync: z.object({ tenantId, followUps }).strict(),
  /** Full rescoring of one portal: every open deal, contact and company; then write-back flushes. */
  rescore: z.object({ tenantId, now, writeBackShards: z.number().int().min(1).max(64).optional() }).strict(),
  /** Retraining of one portal's models (champion/challenger inside scoring). */
  retrain: z.object({ tenantId, now, followUps }).strict(),
  /** Webhook-triggered rescoring of a few records, expected within seconds. */
  'record-rescore': z
    .object({
      tenantId,
      objectType: z.enum(['contact', 'company', 'deal']),
      externalIds: z.array(z.string().min(1)).min(1).max(100),
    })
    .strict(),
  /** Writes one shard of a portal's pending score writes to the CRM; shards run on several workers at once. */
  'write-back': z
    .object({ tenantId, shard: z.number().int().min(0), shards: z.number().int().min(1).max(64) })
    .strict()
    .refine((p) => p.shard < p.shards, { message: 'shard must be less than shards', path: ['shard'] }),
} as const;

export type JobType = keyof typeof jobPayloadSchemas;
export type JobPayloads = { [K in JobType]: z.infer<(typeof jobPayloadSchemas)[K]> };
export const JOB_TYPES = Object.keys(jobPayloadSchemas) as JobType[];

export interface JobTypePolicy {
  /**
   * Whether the job holds its portal exclusively. Syncs, retrains and full rescorings rewrite a portal's
   * data and models, so two of them on one portal would race; write-back shards and record rescoring only
   * touch disjoint records and share the portal's API budget instead.
   */
  holdsPortal: boolean;
  /**
   * Whether a job of this type that is already queued or running for the same key makes a new one
   * redundant. A schedule tick during a long sync must not queue a second sync behind it.
   */
  coalesce: boolean;
  /** How long one attempt may run before it is considered lost. */
  expireInSeconds: number;
  retryLimit: number;
}

export const jobTypePolicies: Record<JobType, JobTypePolicy> = {
  sync: { holdsPortal: true, coalesce: true, expireInSeconds: 3600, retryLimit: 3 },
  rescore: { holdsPortal: true, coalesce: true, expireInSeconds: 4 * 3600, retryLimit: 3 },
  retrain: { holdsPortal: true, coalesce: true, expireInSeconds: 4 * 3600, retryLimit: 2 },
  'record-rescore': { holdsPortal: false, coalesce: false, expireInSeconds: 300, retryLimit: 5 },
  'write-back': { holdsPortal: false, coalesce: true, expireInSeconds: 3600, retryLimit: 5 },
};

/** The key under which jobs coalesce (and, for portal holders, the portal they hold). */
export function coalesceKey(type: JobType, payload: JobPayloads[JobType]): string {
  if (type === 'write-back') {
    const p = payload as JobPayloads['write-back'];
    return `${p.tenantId}:${p.shard}/${p.shards}`;
  }
  return payload.tenantId;
}

/** Jobs a schedule can start for every active portal. */
export const SCHEDULED_JOB_TYPES = ['sync', 'rescore', 'retrain'] as const satisfies readonly JobType[];
export type ScheduledJobType = (typeof SCHEDULED_JOB_TYPES)[number];

export function isJobType(value: string): value is JobType {
  return Object.hasOwn(jobPayloadSchemas, value);
}
