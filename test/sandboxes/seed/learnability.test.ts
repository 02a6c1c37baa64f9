import { describe, expect, it } from 'vitest';
import { rankAuc } from './auc.ts';
import { realizedOutcomes } from './outcomes.ts';
import type { PortalData, SeedActivity, SeedRecord } from './portal-data.ts';
import { generateSyntheticPortal } from './synthetic-portal.ts';
import { DAY_MS } from './time.ts';

/**
 * The planted signal must be visible in the portal, not only in the truth: a plain logistic regression on
 * fields and early activity counts (no truth, no latent variables) has to rank held-out outcomes well, and
 * early activities have to add to what is known at creation.
 */

type Row = number[];

/** L2-regularized logistic regression by full-batch gradient descent on standardized features. */
function fitLogistic(rows: Row[], labels: number[]): (row: Row) => number {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const scale = new Array<number>(d).fill(0);
  for (const r of rows) for (let j = 0; j < d; j++) mean[j]! += r[j]! / rows.length;
  for (const r of rows) for (let j = 0; j < d; j++) scale[j]! += (r[j]! - mean[j]!) ** 2 / rows.length;
  for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]!) || 1;
  const z = rows.map((r) => r.map((v, j) => (v - mean[j]!) / scale[j]!));
  const w = new Array<number>(d).fill(0);
  let b = 0;
  for (let iteration = 0; iteration < 400; iteration++) {
    const grad = new Array<number>(d).fill(0);
    let gradB = 0;
    z.forEach((x, i) => {
      const p = 1 / (1 + Math.exp(-(b + x.reduce((s, v, j) => s + v * w[j]!, 0))));
      const e = p - labels[i]!;
      gradB += e;
      for (let j = 0; j < d; j++) grad[j]! += e * x[j]!;
    });
    for (let j = 0; j < d; j++) w[j]! -= 0.5 * ((grad[j]! + w[j]!) / z.length);
    b -= (0.5 * gradB) / z.length;
  }
  return (row) => b + row.reduce((s, v, j) => s + ((v - mean[j]!) / scale[j]!) * w[j]!, 0);
}

const oneHot = (value: string | null | undefined, levels: readonly string[]): number[] => levels.map((l) => (l === value ? 1 : 0));
const DECISION_MAKER = /CEO|CFO|CTO|COO|Chief|VP|Head|Director/;

function activityCounts(list: readonly SeedActivity[], fromMs: number, toMs: number): number[] {
  const inWindow = list.filter((a) => {
    const t = Date.parse(a.timestamp);
    return t >= fromMs && t < toMs;
  });
  const count = (f: (a: SeedActivity) => boolean) => Math.log1p(inWindow.filter(f).length);
  return [
    count(() => true),
    count((a) => a.properties['hs_email_direction'] === 'INCOMING_EMAIL'),
    count((a) => a.properties['hs_call_direction'] === 'INBOUND'),
    count((a) => a.kind === 'meeting'),
    count((a) => a.properties['hs_meeting_outcome'] === 'COMPLETED'),
  ];
}

function indexPortal(p: PortalData) {
  const byId = new Map<string, SeedRecord>([...p.companies, ...p.contacts].map((r) => [r.id, r]));
  const related = new Map<string, string[]>();
  for (const a of p.associations) related.set(a.fromId, [...(related.get(a.fromId) ?? []), a.toId]);
  const activities = new Map<string, SeedActivity[]>();
  for (const a of p.activities) {
    // Contacts are judged on their own touches; deal touches go to the deal.
    for (const id of a.dealIds.length > 0 ? a.dealIds : a.contactIds) activities.set(id, [...(activities.get(id) ?? []), a]);
  }
  const options = (name: string) => p.customProperties.find((c) => c.name === name)?.options ?? [];
  const levels = {
    owners: p.owners.map((o) => o.id),
    industries: [...new Set(p.companies.map((c) => c.properties['industry'] ?? ''))],
    sources: options('lead_source_detail'),
    products: options('product_interest'),
    competitors: options('competitor_involved'),
  };
  return { byId, related, activities, levels };
}

function heldOutAuc(rows: Row[], labels: (0 | 1)[]): number {
  const train = rows.map((_, i) => i).filter((i) => i % 2 === 0);
  const test = rows.map((_, i) => i).filter((i) => i % 2 === 1);
  const model = fitLogistic(
    train.map((i) => rows[i]!),
    train.map((i) => labels[i]!),
  );
  return rankAuc(
    test.map((i) => model(rows[i]!)),
    test.map((i) => labels[i]!),
  );
}

describe('learnability from observable data', () => {
  const seeds = [1, 2, 3];
  const results = seeds.map((seed) => {
    const p = generateSyntheticPortal({ seed });
    const { dealWon, contactConverted } = realizedOutcomes(p);
    const { byId, related, activities, levels } = indexPortal(p);

    const deals = p.deals.filter((d) => dealWon[d.id] !== undefined);
    const dealRows = (horizonDays: number) =>
      deals.map((d) => {
        const linked = (related.get(d.id) ?? []).map((id) => byId.get(id)!);
        const company = linked.find((r) => r.id.startsWith('company-'))!;
        const people = linked.filter((r) => r.id.startsWith('contact-'));
        const primary = people[0]!;
        const amount = Math.log(Number(d.history['amount']?.[0]?.value));
        const employees = Math.log(Number(company.properties['numberofemployees']));
        const seats = people
          .map((c) => c.properties['seats_requested'])
          .filter((s) => s != null)
          .map(Number);
        const createdMs = Date.parse(d.createdAt);
        return [
          people.length,
          people.some((c) => DECISION_MAKER.test(c.properties['jobtitle'] ?? '')) ? 1 : 0,
          amount,
          employees,
          amount - 0.45 * employees,
          seats.length > 0 ? Math.log1p(Math.max(...seats)) : 0,
          ...oneHot(d.properties['hubspot_owner_id'], levels.owners),
          ...oneHot(company.properties['industry'], levels.industries),
          ...oneHot(primary.properties['lead_source_detail'], levels.sources),
          ...oneHot(primary.properties['product_interest'], levels.products),
          ...oneHot(d.properties['competitor_involved'], levels.competitors),
          ...(horizonDays > 0 ? activityCounts(activities.get(d.id) ?? [], createdMs, createdMs + horizonDays * DAY_MS) : []),
        ];
      });
    const dealLabels = deals.map((d) => dealWon[d.id]!);

    const contacts = p.contacts.filter((c) => contactConverted[c.id] !== undefined);
    const contactRows = (horizonDays: number) =>
      contacts.map((c) => {
        const company = byId.get((related.get(c.id) ?? [])[0] ?? '')!;
        const title = c.properties['jobtitle'] ?? '';
        const seats = c.properties['seats_requested'];
        const createdMs = Date.parse(c.createdAt);
        return [
          /CEO|CFO|CTO|COO|Chief/.test(title) ? 1 : 0,
          /VP|Head|Director/.test(title) ? 1 : 0,
          /Manager/.test(title) ? 1 : 0,
          /Student|Intern|Consultant|Freelancer/.test(title) ? 1 : 0,
          Math.log(Number(company.properties['numberofemployees'])),
          seats == null ? 0 : Math.log1p(Number(seats)),
          seats == null ? 1 : 0,
          ...oneHot(company.properties['industry'], levels.industries),
          ...oneHot(c.properties['lead_source_detail'], levels.sources),
          ...oneHot(c.properties['product_interest'], levels.products),
          ...(horizonDays > 0 ? activityCounts(activities.get(c.id) ?? [], createdMs, createdMs + horizonDays * DAY_MS) : []),
        ];
      });
    const contactLabels = contacts.map((c) => contactConverted[c.id]!);

    const r = {
      dealsAtCreation: heldOutAuc(dealRows(0), dealLabels),
      dealsAfter21Days: heldOutAuc(dealRows(21), dealLabels),
      contactsAtCreation: heldOutAuc(contactRows(0), contactLabels),
      contactsAfter14Days: heldOutAuc(contactRows(14), contactLabels),
    };
    console.log(`seed ${seed}: held-out logistic AUC ${JSON.stringify(r, (_, v) => (typeof v === 'number' ? Number(v.toFixed(3)) : v))}`);
    return r;
  });
  const mean = (key: keyof (typeof results)[number]) => results.reduce((s, r) => s + r[key], 0) / results.length;

  it('ranks deals and contacts well from fields and early activities alone', () => {
    expect(mean('dealsAfter21Days')).toBeGreaterThan(0.7);
    expect(mean('contactsAfter14Days')).toBeGreaterThan(0.72);
  });

  it('gains from early engagement over what is known at creation', () => {
    expect(mean('dealsAfter21Days') - mean('dealsAtCreation')).toBeGreaterThan(0.02);
    expect(mean('contactsAfter14Days') - mean('contactsAtCreation')).toBeGreaterThan(0.02);
  });
});
