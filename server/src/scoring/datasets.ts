import { contactFeatureInfo, contactFeatures, fitFeatureInfo } from './features/contact-features.ts';
import { dealFeatureInfo, dealFeatures } from './features/deal-features.ts';
import type { FeatureInfo, FeatureRow } from './features/types.ts';
import type { PortalStats } from './portal-stats.ts';
import type { ModelTarget, Snapshot } from './snapshots.ts';
import type { TenantData } from './tenant-data.ts';
import type { QualityLog } from './values.ts';

/** Which features a target's model may use: the fit model sees only profile (firmographic and stated) data. */
export function featuresFor(target: ModelTarget, data: TenantData): FeatureInfo[] {
  if (target === 'contact_fit') return fitFeatureInfo(data);
  if (target === 'contact_close_90d') return contactFeatureInfo(data);
  return dealFeatureInfo(data);
}

export const objectTypeOf = (target: ModelTarget): 'deal' | 'contact' => (target.startsWith('deal') ? 'deal' : 'contact');

/** The feature row of one record as of t, restricted to the target's features. */
export function rowFor(
  target: ModelTarget,
  data: TenantData,
  stats: PortalStats,
  recordId: string,
  t: number,
  log?: QualityLog,
): FeatureRow | null {
  if (objectTypeOf(target) === 'deal') {
    const facts = stats.facts.get(recordId);
    return facts ? dealFeatures(data, stats, facts, t, log).row : null;
  }
  const contact = data.records.get(`contact:${recordId}`);
  return contact ? contactFeatures(data, stats, contact, t, log).row : null;
}

export function buildRows(target: ModelTarget, data: TenantData, stats: PortalStats, snapshots: Snapshot[]): FeatureRow[] {
  const infos = featuresFor(target, data);
  return snapshots.map((s) => {
    const full = rowFor(target, data, stats, s.recordId, s.t) ?? {};
    const row: FeatureRow = {};
    for (const info of infos) row[info.name] = full[info.name] ?? null;
    return row;
  });
}
