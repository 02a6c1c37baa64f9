import type { Kysely } from 'kysely';
import { selectRecordScopeRows } from '../store/reads/record-scope.ts';
import type { Database, ObjectType } from '../store/schema.ts';
import { selectCustomFields } from '../store/tables/custom-fields.ts';
import { selectFieldOptions } from '../store/tables/field-options.ts';
import { selectActiveModelIds } from '../store/tables/models.ts';
import { selectPortalContext } from '../store/tables/portal-contexts.ts';
import { selectStages } from '../store/tables/stages.ts';
import type { ScoreDetails } from './details.ts';
import { contactFeatures } from './features/contact-features.ts';
import { dealFeatures } from './features/deal-features.ts';
import { firmographicFeatures } from './features/profile.ts';
import { contactCutsFrom, contextStats, staleReason } from './portal-context.ts';
import { liveModelsFor } from './runtime.ts';
import { accountStates, companyDetailsAll } from './score-companies.ts';
import { contactDetailsAll, raiseContacts, scoreContacts } from './score-contacts.ts';
import { dealDetails, predictDeals, raiseDeals } from './score-deals.ts';
import { type ScoringReport, scoringReport } from './scoring-report.ts';
import { readScoringSettings } from './settings.ts';
import { previousScores, storeScores } from './stored-scores.ts';
import { tenantDataFromRows } from './tenant-data.ts';
import { openAt } from './timeline.ts';
import { QualityLog } from './values.ts';

/**
 * Rescoring of a few records of one type from the stored portal context and the records' own rows
 * (store/reads/record-scope.ts): nothing read here grows with the portal. The records go through the same
 * feature, model, reason and next-action code as in a full run, against the norms that run stored, so at the
 * run's moment they get exactly its scores (scope-equality.test.ts). Returns null, having stored nothing,
 * when there is no usable context: the caller then takes the full path, which stores one.
 */
export async function scoreScopeFromContext(
  db: Kysely<Database>,
  tenantId: string,
  options: { now: Date; objectType: ObjectType; externalIds: string[] },
): Promise<ScoringReport | null> {
  const at = options.now;
  const now = at.getTime();
  const { objectType } = options;
  const ids = [...new Set(options.externalIds)].sort();
  const [settings, context, champions] = await Promise.all([
    readScoringSettings(db, tenantId),
    selectPortalContext(db, tenantId),
    selectActiveModelIds(db, tenantId),
  ]);
  if (!context || staleReason(context, settings, champions, now) !== null) return null;
  const models = await liveModelsFor(db, tenantId, champions);
  if (!models) return null;
  const [rows, stages, customFields, fieldOptions] = await Promise.all([
    selectRecordScopeRows(db, tenantId, { objectType, externalIds: ids }),
    selectStages(db, tenantId),
    selectCustomFields(db, tenantId),
    selectFieldOptions(db, tenantId),
  ]);
  const data = tenantDataFromRows(tenantId, settings, { ...rows, stages, customFields, fieldOptions });
  const stats = contextStats(data, context);
  const wanted = new Set(ids);
  // The full run's data-quality scan, for these records only: a record's flags come from its own features.
  const log = new QualityLog();
  const previous = await previousScores(db, tenantId, objectType, now, ids);
  let scores = new Map<string, ScoreDetails>();

  if (objectType === 'deal') {
    const deals = ids
      .map((id) => stats.facts.get(id))
      .filter((f) => f !== undefined && f.outcome === null && openAt(f, now))
      .map((f) => f!);
    for (const facts of deals) dealFeatures(data, stats, facts, now, log);
    const predictions = await predictDeals(data, stats, models, deals, now, true);
    const raise = await raiseDeals(data, stats, models, deals, predictions, now);
    for (const facts of deals) {
      const scored = predictions.get(facts.record.id);
      if (!scored) continue;
      const quality = [...(log.records.get(facts.record.key) ?? [])].sort();
      scores.set(
        facts.record.id,
        dealDetails(data, facts, scored, models, previous.get(facts.record.id), quality, now, raise.get(facts.record.id)),
      );
    }
  } else if (objectType === 'contact') {
    const contacts = data.contacts.filter((c) => wanted.has(c.id));
    for (const contact of contacts) contactFeatures(data, stats, contact, now, log);
    const scored = await scoreContacts(data, stats, models, now, undefined, contacts);
    const raise = await raiseContacts(data, stats, models, scored, now);
    scores = contactDetailsAll(data, models, scored, contactCutsFrom(context), previous, log.records, now, raise);
  } else {
    const companies = data.companies.filter((c) => wanted.has(c.id));
    for (const company of companies) firmographicFeatures(company, now, {}, log);
    scores = companyDetailsAll(accountStates(data, stats, companies, now), context.companies, previous, log.records, now);
  }
  await storeScores(db, tenantId, objectType, scores, at, true);
  const none = new Map<string, ScoreDetails>();
  return scoringReport(
    tenantId,
    at,
    models,
    objectType === 'deal' ? scores : none,
    objectType === 'contact' ? scores : none,
    objectType === 'company' ? scores : none,
  );
}
