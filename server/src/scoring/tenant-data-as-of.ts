import type { TenantData, TenantRecord } from './tenant-data.ts';

/**
 * The tenant's data as the store would have held it at moment t: no record created later, no activity
 * after t, history cut at t and the current value of every historied property set back to its value at t.
 * Backtests train and score on it; point-in-time.test.ts proves features read from it equal those read
 * from the full data at t.
 */
export function tenantDataAsOf(data: TenantData, t: number): TenantData {
  const records = new Map<string, TenantRecord>();
  for (const [key, record] of data.records) {
    if (record.createdAt !== null && record.createdAt > t) continue;
    const properties = { ...record.properties };
    const history = new Map<string, { value: string | null; at: number }[]>();
    for (const [property, points] of record.history) {
      const kept = points.filter((p) => p.at <= t);
      history.set(property, kept);
      if (kept.length > 0) properties[property] = kept[kept.length - 1]!.value;
      else delete properties[property];
    }
    records.set(key, { ...record, properties, history });
  }
  const byType = (type: string) => [...records.values()].filter((r) => r.type === type);
  const activities = new Map([...data.activities].map(([key, list]) => [key, list.filter((a) => a.at <= t)]));
  const links = new Map(
    [...data.links].filter(([key]) => records.has(key)).map(([key, set]) => [key, new Set([...set].filter((k) => records.has(k)))]),
  );
  return { ...data, records, deals: byType('deal'), contacts: byType('contact'), companies: byType('company'), activities, links };
}
