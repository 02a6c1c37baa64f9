import { type StageInfo, stageKey, type TenantData, type TenantRecord } from './tenant-data.ts';
import { parseDate } from './values.ts';

/**
 * Point-in-time reads. A property with history is read as its last value stamped <= t; before its first
 * stamp it did not exist yet. A property without history only has its current value, which is what the
 * CRM shows today — the leakage guard watches those.
 */
export function valueAt(record: TenantRecord, property: string, t: number): string | null {
  const points = record.history.get(property);
  if (!points || points.length === 0) return record.properties[property] ?? null;
  let value: string | null = null;
  for (const point of points) {
    if (point.at > t) break;
    value = point.value;
  }
  return value;
}

/** Values a property took up to t, oldest first (only for properties with history). */
export function changesUpTo(record: TenantRecord, property: string, t: number): { value: string | null; at: number }[] {
  return (record.history.get(property) ?? []).filter((point) => point.at <= t);
}

export interface StageVisit {
  stage: StageInfo | null;
  stageId: string | null;
  from: number;
  to: number | null;
}

/** What the scoring core knows about a deal's life: stage visits, outcome and when it closed. */
export interface DealFacts {
  record: TenantRecord;
  pipelineId: string | null;
  visits: StageVisit[];
  outcome: 'won' | 'lost' | null;
  closedAt: number | null;
  /** First entry into the pipeline's proposal stage (or any later open stage). */
  proposalAt: number | null;
}

export function stageFor(data: TenantData, pipelineId: string | null, stageId: string | null): StageInfo | null {
  if (!stageId) return null;
  if (pipelineId) return data.stages.get(stageKey(pipelineId, stageId)) ?? null;
  for (const list of data.stagesByPipeline.values()) {
    const found = list.find((stage) => stage.stageId === stageId);
    if (found) return found;
  }
  return null;
}

/**
 * The open stage from which the after-proposal model applies, per pipeline: the admin's choice, else a stage
 * the CRM itself names as a proposal or quote (Salesforce's standard "Proposal/Price Quote"). Nothing else:
 * picking the middle open stage made the model train on "Engaging" of a two-stage pipeline as if it were the
 * proposal. With neither, the after-proposal model waits for the admin's choice (the settings page asks).
 */
export function proposalStage(data: TenantData, pipelineId: string | null): StageInfo | null {
  const list = pipelineId ? data.stagesByPipeline.get(pipelineId) : [...data.stagesByPipeline.values()][0];
  if (!list) return null;
  const open = list.filter((s) => s.outcome === 'open');
  const chosen = pipelineId ? data.settings.proposalStages[pipelineId] : undefined;
  return firstProposalStage(open, (s) => s.stageId, chosen);
}

/**
 * The rule itself, on any list of a pipeline's open stages (the scoring core's, the settings page's): the
 * stage the admin chose, else the one the CRM names as a proposal or quote, else none.
 */
export function firstProposalStage<S extends { label: string }>(
  open: readonly S[],
  idOf: (stage: S) => string,
  chosen: string | undefined,
): S | null {
  return open.find((s) => idOf(s) === chosen) ?? open.find((s) => PROPOSAL_LABEL.test(s.label)) ?? null;
}

/** Pipelines (not switched off) that have no first-proposal stage: chosen by the admin or named so by the CRM. */
export function pipelinesWithoutProposalStage(data: TenantData): string[] {
  return [...data.stagesByPipeline.keys()]
    .filter((id) => !data.settings.excludedPipelines.includes(id))
    .filter((id) => proposalStage(data, id) === null)
    .sort();
}

/** Stage names that say "proposal" in the words CRMs ship (English and German). */
export const PROPOSAL_LABEL = /proposal|quote|offer|angebot/i;

export function dealFacts(data: TenantData, record: TenantRecord): DealFacts {
  const pipelineId = record.properties['pipeline'] ?? null;
  const created = record.createdAt ?? Number.NEGATIVE_INFINITY;
  const points = record.history.get('stage') ?? [];
  const sequence =
    points.length > 0
      ? points.map((p) => ({ stageId: p.value, at: p.at }))
      : [{ stageId: record.properties['stage'] ?? null, at: created }];
  const visits: StageVisit[] = [];
  for (const entry of sequence) {
    const last = visits[visits.length - 1];
    if (last && last.stageId === entry.stageId) continue;
    if (last) last.to = entry.at;
    visits.push({ stage: stageFor(data, pipelineId, entry.stageId), stageId: entry.stageId, from: entry.at, to: null });
  }
  const closing = visits.find((v) => v.stage && v.stage.outcome !== 'open');
  const current = visits[visits.length - 1];
  let outcome: 'won' | 'lost' | null = null;
  let closedAt: number | null = null;
  if (current?.stage && current.stage.outcome !== 'open') {
    outcome = current.stage.outcome;
    // The deal closed when it entered the closed stage it is in now (reopened deals count from the last close).
    closedAt = current.from;
    if (!Number.isFinite(closedAt)) closedAt = parseDate(record.properties['closed_at'], { field: 'closed_at' }) ?? closing?.from ?? null;
    if (closedAt !== null && !Number.isFinite(closedAt)) closedAt = null;
  }
  const proposal = proposalStage(data, pipelineId);
  const proposalVisit = proposal
    ? visits.find(
        (v) =>
          v.stage !== null && v.stage.pipelineId === proposal.pipelineId && v.stage.outcome === 'open' && v.stage.order >= proposal.order,
      )
    : undefined;
  const proposalAt = proposalVisit && Number.isFinite(proposalVisit.from) ? proposalVisit.from : null;
  return { record, pipelineId, visits, outcome, closedAt, proposalAt };
}

/** The stage visit in progress at t. */
export function visitAt(facts: DealFacts, t: number): StageVisit | null {
  let found: StageVisit | null = null;
  for (const visit of facts.visits) {
    if (visit.from > t) break;
    found = visit;
  }
  return found ?? (facts.visits.length > 0 && !Number.isFinite(facts.visits[0]!.from) ? facts.visits[0]! : null);
}

/** Whether the deal was open at t (created, not yet closed). */
export function openAt(facts: DealFacts, t: number): boolean {
  const created = facts.record.createdAt;
  if (created !== null && created > t) return false;
  return facts.closedAt === null || facts.closedAt > t;
}
