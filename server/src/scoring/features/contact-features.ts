import type { PortalStats } from '../portal-stats.ts';
import { linkedAt, type TenantData, type TenantRecord } from '../tenant-data.ts';
import { changesUpTo, openAt, valueAt } from '../timeline.ts';
import { DAY_MS, parseText, type QualityLog } from '../values.ts';
import { type EngagementSummary, engagementFeatureInfo, engagementFeatures } from './engagement.ts';
import {
  customFeatureInfo,
  customFeatures,
  FIRMOGRAPHIC_FEATURES,
  firmographicFeatures,
  isExcluded,
  lifecycleIndex,
  seniority,
} from './profile.ts';
import type { FeatureCatalogData, FeatureInfo, FeatureRow } from './types.ts';

/** Stated data about the person: what the profile-only (fit) model may use. */
const CONTACT_STATED: FeatureInfo[] = [
  { name: 'contact_seniority', kind: 'categorical', source: 'contact.job_title', label: 'seniority' },
  { name: 'contact_country', kind: 'categorical', source: 'contact.country', label: 'country' },
];

const CONTACT_DYNAMIC: FeatureInfo[] = [
  { name: 'contact_lifecycle', kind: 'numeric', source: 'contact.lifecycle', label: 'lifecycle stage' },
  { name: 'contact_days_in_lifecycle', kind: 'numeric', source: 'contact.lifecycle', label: 'days in the lifecycle stage' },
  { name: 'contact_age_days', kind: 'numeric', source: 'contact.age', label: 'days since the contact was created' },
  { name: 'contact_open_deals', kind: 'numeric', source: 'contact.deals', label: 'open deals' },
  { name: 'contact_deals', kind: 'numeric', source: 'contact.deals', label: 'deals' },
];

/** Profile-only features (firmographic and stated): the fit half of the lead grade. */
export function fitFeatureInfo(data: FeatureCatalogData): FeatureInfo[] {
  return [...CONTACT_STATED, ...FIRMOGRAPHIC_FEATURES, ...customFeatureInfo(data, 'contact')].filter((info) => !isExcluded(data, info));
}

export function contactFeatureInfo(data: FeatureCatalogData): FeatureInfo[] {
  return [...fitFeatureInfo(data), ...CONTACT_DYNAMIC, ...engagementFeatureInfo('contact_')].filter((info) => !isExcluded(data, info));
}

export interface ContactContext {
  lifecycle: string | null;
  engagement: EngagementSummary;
  jobTitle: string | null;
}

export function contactFeatures(
  data: TenantData,
  stats: PortalStats,
  contact: TenantRecord,
  t: number,
  log?: QualityLog,
): { row: FeatureRow; context: ContactContext } {
  const row: FeatureRow = {};
  const title = parseText(valueAt(contact, 'job_title', t), { log, field: 'contact.job_title', recordKey: contact.key });
  row['contact_seniority'] = seniority(title);
  row['contact_country'] = parseText(valueAt(contact, 'country', t), { log, field: 'contact.country', recordKey: contact.key });
  firmographicFeatures(linkedAt(data, contact.key, 'company', t)[0], t, row, log);
  customFeatures(data, contact, t, row, log);

  const lifecycle = valueAt(contact, 'lifecycle', t);
  row['contact_lifecycle'] = lifecycleIndex(lifecycle);
  const changes = changesUpTo(contact, 'lifecycle', t);
  const since = changes.length > 0 ? changes[changes.length - 1]!.at : contact.createdAt;
  row['contact_days_in_lifecycle'] = since === null ? null : Math.floor((t - since) / DAY_MS);
  row['contact_age_days'] = contact.createdAt === null ? null : Math.floor((t - contact.createdAt) / DAY_MS);
  const deals = linkedAt(data, contact.key, 'deal', t);
  row['contact_deals'] = deals.length;
  row['contact_open_deals'] = openDealsAt(data, stats, contact, t);
  const engagement = engagementFeatures('contact_', data.activities.get(contact.key) ?? [], t, row, contact.createdAt);
  for (const name of data.settings.excludedFields) delete row[name];
  return { row, context: { lifecycle, engagement, jobTitle: title } };
}

/** Open deals of a contact at t need the deals' facts; kept separate so the feature row stays cheap. */
export function openDealsAt(data: TenantData, stats: PortalStats, contact: TenantRecord, t: number): number {
  return linkedAt(data, contact.key, 'deal', t).filter((deal) => {
    const facts = stats.facts.get(deal.id);
    return facts ? openAt(facts, t) : false;
  }).length;
}
