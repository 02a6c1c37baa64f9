import { contactFeatures } from './features/contact-features.ts';
import { dealFeatures } from './features/deal-features.ts';
import { firmographicFeatures } from './features/profile.ts';
import type { PortalStats } from './portal-stats.ts';
import type { TenantData } from './tenant-data.ts';
import { QualityLog } from './values.ts';

/**
 * Reads every record once as of now and counts the odd values per field (negative amounts, 1970 dates,
 * unknown stages, empty strings, text in number fields). The counts go into the model card; the records
 * they came from get a data-quality flag on their score.
 */
export function scanDataQuality(data: TenantData, stats: PortalStats, now: number): QualityLog {
  const log = new QualityLog();
  for (const deal of data.deals) {
    const facts = stats.facts.get(deal.id);
    if (facts) dealFeatures(data, stats, facts, now, log);
  }
  for (const contact of data.contacts) contactFeatures(data, stats, contact, now, log);
  for (const company of data.companies) firmographicFeatures(company, now, {}, log);
  return log;
}
