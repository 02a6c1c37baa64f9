import { LIFECYCLE_STAGES } from '../../connectors/connector.ts';
import type { ObjectType } from '../../store/schema.ts';
import type { TenantData, TenantRecord } from '../tenant-data.ts';
import { valueAt } from '../timeline.ts';
import { DAY_MS, parseBool, parseDate, parseNumber, parseText, type QualityLog } from '../values.ts';
import type { FeatureCatalogData, FeatureInfo, FeatureRow } from './types.ts';

/** Firmographic, stated and custom-property features shared by deal and contact models. */
export const FIRMOGRAPHIC_FEATURES: FeatureInfo[] = [
  { name: 'company_industry', kind: 'categorical', source: 'company.industry', label: 'industry' },
  { name: 'company_employees', kind: 'numeric', source: 'company.employees', label: 'company size' },
  { name: 'company_annual_revenue', kind: 'numeric', source: 'company.revenue', label: 'annual revenue' },
  { name: 'company_country', kind: 'categorical', source: 'company.country', label: 'country' },
];

export function firmographicFeatures(company: TenantRecord | undefined, t: number, row: FeatureRow, log?: QualityLog): void {
  const ctx = (field: string) => ({ log, field: `company.${field}`, recordKey: company?.key });
  row['company_industry'] = company ? parseText(valueAt(company, 'industry', t), ctx('industry')) : null;
  row['company_employees'] = company ? parseNumber(valueAt(company, 'employees', t), ctx('employees'), { nonNegative: true }) : null;
  row['company_annual_revenue'] = company
    ? parseNumber(valueAt(company, 'annual_revenue', t), ctx('annual_revenue'), { nonNegative: true })
    : null;
  row['company_country'] = company ? parseText(valueAt(company, 'country', t), ctx('country')) : null;
}

export type Seniority = 'c_level' | 'vp' | 'director' | 'manager' | 'individual' | 'outsider' | 'unknown';

/** Seniority from a job title, in several languages' common words; decision makers are c_level, vp and director. */
export function seniority(title: string | null): Seniority {
  if (!title) return 'unknown';
  const t = title.toLowerCase();
  if (/\b(ceo|cfo|cto|coo|cio|cmo|cro|chief|founder|owner|president|managing director|geschäftsführer|partner)\b/.test(t)) return 'c_level';
  if (/\b(vp|vice president|svp|evp)\b/.test(t)) return 'vp';
  if (/\b(director|head of|leiter)\b/.test(t)) return 'director';
  if (/\b(manager|lead|supervisor)\b/.test(t)) return 'manager';
  // People who rarely buy: students, interns, freelancers, outside consultants.
  if (/\b(student|intern|trainee|freelancer?|consultant|retired)\b/.test(t)) return 'outsider';
  return 'individual';
}

const SENIORITY_RANK: Record<Seniority, number> = { unknown: 0, outsider: 0, individual: 1, manager: 2, director: 3, vp: 4, c_level: 5 };
export const seniorityRank = (title: string | null): number => SENIORITY_RANK[seniority(title)];

export const isDecisionMaker = (title: string | null): boolean => ['c_level', 'vp', 'director'].includes(seniority(title));

export function lifecycleIndex(value: string | null): number | null {
  if (!value) return null;
  const index = (LIFECYCLE_STAGES as readonly string[]).indexOf(value);
  return index < 0 || value === 'other' ? null : index;
}

/** Admins can exclude a feature by its name or by its source field (e.g. `custom:region`, `company.industry`). */
export function isExcluded(data: FeatureCatalogData, info: FeatureInfo): boolean {
  const excluded = data.settings.excludedFields;
  return excluded.includes(info.name) || excluded.includes(info.source) || excluded.includes(info.source.replace(/^[a-z]+\./, ''));
}

export function customFeatureInfo(data: FeatureCatalogData, objectType: ObjectType): FeatureInfo[] {
  return data.customFields
    .filter((field) => field.objectType === objectType)
    .map((field) => ({
      name: `${objectType}_custom_${field.name}`,
      kind: field.valueType === 'string' || field.valueType === 'enumeration' ? ('categorical' as const) : ('numeric' as const),
      source: `custom:${field.name}`,
      label: field.label,
    }));
}

/** Custom properties typed from their metadata; dates become "days from t" so they mean the same at every snapshot. */
export function customFeatures(data: TenantData, record: TenantRecord, t: number, row: FeatureRow, log?: QualityLog): void {
  for (const field of data.customFields) {
    if (field.objectType !== record.type) continue;
    const raw = valueAt(record, `custom:${field.name}`, t);
    const ctx = { log, field: `custom:${field.name}`, recordKey: record.key };
    const name = `${record.type}_custom_${field.name}`;
    if (field.valueType === 'number') row[name] = parseNumber(raw, ctx);
    else if (field.valueType === 'bool') row[name] = parseBool(raw);
    else if (field.valueType === 'date') {
      const ms = parseDate(raw, ctx, t);
      row[name] = ms === null ? null : Math.round((ms - t) / DAY_MS);
    } else row[name] = parseText(raw, ctx);
  }
}

export function contactAggregateInfo(data: FeatureCatalogData): FeatureInfo[] {
  const out: FeatureInfo[] = [
    { name: 'deal_best_seniority', kind: 'numeric', source: 'deal.decision_maker', label: 'most senior contact' },
  ];
  for (const field of data.customFields) {
    if (field.objectType !== 'contact') continue;
    const categorical = field.valueType === 'string' || field.valueType === 'enumeration';
    out.push({
      name: `deal_contacts_custom_${field.name}`,
      kind: categorical ? 'categorical' : 'numeric',
      source: `custom:${field.name}`,
      label: categorical ? `${field.label} (first contact)` : `${field.label} (highest among contacts)`,
    });
  }
  return out;
}

/** What the deal's contacts said about themselves: the first contact's choices, the highest numbers. */
export function contactAggregateFeatures(data: TenantData, contacts: TenantRecord[], t: number, row: FeatureRow): void {
  const ordered = [...contacts].sort((a, b) => (a.createdAt ?? 0) - (b.createdAt ?? 0) || a.id.localeCompare(b.id));
  row['deal_best_seniority'] = ordered.length === 0 ? null : Math.max(...ordered.map((c) => seniorityRank(valueAt(c, 'job_title', t))));
  for (const field of data.customFields) {
    if (field.objectType !== 'contact') continue;
    const name = `deal_contacts_custom_${field.name}`;
    const raws = ordered.map((c) => valueAt(c, `custom:${field.name}`, t));
    if (field.valueType === 'string' || field.valueType === 'enumeration') {
      row[name] = raws.map((raw) => parseText(raw, { field: name })).find((v) => v !== null) ?? null;
    } else if (field.valueType === 'number') {
      const values = raws.map((raw) => parseNumber(raw, { field: name })).filter((v): v is number => v !== null);
      row[name] = values.length === 0 ? null : Math.max(...values);
    } else if (field.valueType === 'bool') {
      const values = raws.map(parseBool).filter((v): v is number => v !== null);
      row[name] = values.length === 0 ? null : Math.max(...values);
    }
  }
}
