import type { ObjectType } from '../store/schema.ts';
import type { FeatureInfo } from './features/types.ts';
import type { Exclusion } from './leakage.ts';
import type { TenantData } from './tenant-data.ts';

/** A record property a feature reads as it was at the snapshot moment. */
interface PropertyRead {
  type: ObjectType;
  property: string;
}

/**
 * The stored properties each standard feature source reads at t (timeline.ts valueAt). Sources not listed
 * (activities, associations, creation dates) carry their own time and need no property history.
 */
const SOURCE_READS: Record<string, PropertyRead[]> = {
  'company.industry': [{ type: 'company', property: 'industry' }],
  'company.employees': [{ type: 'company', property: 'employees' }],
  'company.revenue': [{ type: 'company', property: 'annual_revenue' }],
  'company.country': [{ type: 'company', property: 'country' }],
  'contact.job_title': [{ type: 'contact', property: 'job_title' }],
  'contact.country': [{ type: 'contact', property: 'country' }],
  'contact.lifecycle': [{ type: 'contact', property: 'lifecycle' }],
  'deal.amount': [{ type: 'deal', property: 'amount' }],
  'deal.stage': [{ type: 'deal', property: 'stage' }],
  'deal.stage_moves': [{ type: 'deal', property: 'stage' }],
  'deal.time_in_stage': [{ type: 'deal', property: 'stage' }],
  'deal.close_date': [{ type: 'deal', property: 'close_date' }],
  'deal.decision_maker': [{ type: 'contact', property: 'job_title' }],
  'owner.history': [{ type: 'deal', property: 'owner_id' }],
};

function readsOf(source: string, data: Pick<TenantData, 'customFields'>): PropertyRead[] {
  if (!source.startsWith('custom:')) return SOURCE_READS[source] ?? [];
  const name = source.slice('custom:'.length);
  return data.customFields.filter((f) => f.name === name).map((f) => ({ type: f.objectType, property: source }));
}

export interface HistoryCoverage {
  /** Records holding a value today. */
  withValue: number;
  /** Of those, records whose history of the property the CRM returned. */
  withHistory: number;
}

/** How the reason of a history-unknown exclusion starts (cards and the demo tell it from leaks by it). */
export const HISTORY_UNKNOWN = 'history unknown';
export const isHistoryUnknown = (reason: string): boolean => reason.startsWith(`${HISTORY_UNKNOWN}:`);

/** Below this share of valued records with history, a property's past values are not known. */
export const KNOWN_HISTORY_SHARE = 0.95;

export function historyCoverage(data: TenantData, type: ObjectType, property: string): HistoryCoverage {
  let withValue = 0;
  let withHistory = 0;
  const records = type === 'deal' ? data.deals : type === 'contact' ? data.contacts : data.companies;
  for (const record of records) {
    const value = record.properties[property];
    if (value === null || value === undefined || value === '') continue;
    withValue += 1;
    if ((record.history.get(property)?.length ?? 0) > 0) withHistory += 1;
  }
  return { withValue, withHistory };
}

const isKnown = (c: HistoryCoverage) => c.withValue === 0 || c.withHistory >= KNOWN_HISTORY_SHARE * c.withValue;

/** Whether an admin let this feature read today's values although their history is unknown (settings `fieldsWithoutHistory`). */
function optedIn(data: Pick<TenantData, 'settings'>, info: FeatureInfo): boolean {
  const allowed = data.settings.fieldsWithoutHistory;
  return allowed.includes(info.name) || allowed.includes(info.source) || allowed.includes(info.source.replace(/^[a-z]+\./, ''));
}

/**
 * Features reading a property whose history the CRM did not give (a Salesforce field without history
 * tracking, a record synced before history was fetched): its value at a past moment would be today's, which
 * may describe the outcome. Excluded by default and named; an admin may opt a field in.
 */
export function historyUnknownExclusions(data: TenantData, features: FeatureInfo[]): Exclusion[] {
  const coverage = new Map<string, HistoryCoverage>();
  const coverageOf = (read: PropertyRead) => {
    const key = `${read.type}:${read.property}`;
    let found = coverage.get(key);
    if (!found) {
      found = historyCoverage(data, read.type, read.property);
      coverage.set(key, found);
    }
    return found;
  };
  const out: Exclusion[] = [];
  for (const info of features) {
    if (optedIn(data, info)) continue;
    for (const read of readsOf(info.source, data)) {
      const c = coverageOf(read);
      if (isKnown(c)) continue;
      out.push({
        feature: info.name,
        reason: `${HISTORY_UNKNOWN}: ${c.withHistory} of ${c.withValue} ${read.type} records with a ${read.property} value have its history, so past values would be today's (an admin may opt it in)`,
      });
      break;
    }
  }
  return out;
}
