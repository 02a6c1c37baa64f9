import { join } from 'node:path';
import { z } from 'zod';
import type { PortalData, SeedAssociation, SeedOwner, SeedRecord } from '../../seed/portal-data.ts';
import { datasetsDir, readDelimited } from './csv.ts';

const DAY = 86_400_000;

const account = z.object({
  account: z.string().min(1),
  sector: z.string(),
  year_established: z.coerce.number().int(),
  revenue: z.coerce.number(),
  employees: z.coerce.number().int(),
  office_location: z.string(),
  subsidiary_of: z.string(),
});
const agent = z.object({ sales_agent: z.string().min(1), manager: z.string(), regional_office: z.string() });
const product = z.object({ product: z.string().min(1), series: z.string(), sales_price: z.coerce.number() });
const opportunity = z.object({
  opportunity_id: z.string().min(1),
  sales_agent: z.string(),
  product: z.string(),
  account: z.string(),
  deal_stage: z.enum(['Prospecting', 'Engaging', 'Won', 'Lost']),
  engage_date: z.string(),
  close_date: z.string(),
  close_value: z.string(),
});

function parseAll<T extends z.ZodType>(schema: T, rows: Array<Record<string, string>>, file: string): Array<z.infer<T>> {
  return rows.map((r, i) => {
    const parsed = schema.safeParse(r);
    if (!parsed.success) throw new Error(`${file} row ${i + 2}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  });
}

/** A stable pseudo-random day offset from an id, so the portal is the same on every load. */
function daysFrom(id: string, span: number): number {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % span;
}

const iso = (ms: number) => new Date(ms).toISOString();
const dateMs = (d: string) => Date.parse(`${d}T12:00:00.000Z`);

/**
 * Maven "CRM Sales Opportunities" as a HubSpot portal: agents → owners, accounts → companies, opportunities →
 * deals in a four-stage pipeline (Prospecting, Engaging, Won, Lost) associated with their account's company.
 * Stage history: prospecting a week before engage_date, engaging on it, won/lost on close_date. The deal amount
 * starts at the product's list price; a won deal's amount is updated to close_value when it closes (lost deals
 * keep their amount: HubSpot users rarely zero it, and zero would leak the outcome). The dataset's "GTXPro"
 * is the products file's "GTX Pro".
 */
export function loadMaven(options: { dir?: string } = {}): PortalData {
  const dir = join(options.dir ?? datasetsDir(), 'maven-crm-sales-opportunities');
  const accounts = parseAll(account, readDelimited(join(dir, 'accounts.csv'), ','), 'accounts.csv');
  const agents = parseAll(agent, readDelimited(join(dir, 'sales_teams.csv'), ','), 'sales_teams.csv');
  const products = parseAll(product, readDelimited(join(dir, 'products.csv'), ','), 'products.csv');
  const opportunities = parseAll(opportunity, readDelimited(join(dir, 'sales_pipeline.csv'), ','), 'sales_pipeline.csv');

  const lastDate = Math.max(...opportunities.flatMap((o) => [o.engage_date, o.close_date].filter(Boolean).map(dateMs)));
  const nowMs = lastDate + DAY;
  const firstDate = Math.min(...opportunities.filter((o) => o.engage_date).map((o) => dateMs(o.engage_date)));

  const owners: SeedOwner[] = agents.map((a, i) => {
    const [firstName = a.sales_agent, ...rest] = a.sales_agent.split(' ');
    return {
      id: String(10_000_001 + i),
      email: `${a.sales_agent.toLowerCase().replace(/[^a-z]+/g, '.')}@maventech.example`,
      firstName,
      lastName: rest.join(' '),
    };
  });
  const ownerByName = new Map(agents.map((a, i) => [a.sales_agent, owners[i]?.id]));
  const price = new Map(products.map((p) => [p.product, p]));

  const companyAt = iso(firstDate - 30 * DAY);
  const companies: SeedRecord[] = accounts.map((a, i) => ({
    id: `maven-account-${i + 1}`,
    createdAt: companyAt,
    updatedAt: companyAt,
    properties: {
      name: a.account,
      industry: a.sector,
      founded_year: String(a.year_established),
      annualrevenue: String(Math.round(a.revenue * 1_000_000)),
      numberofemployees: String(a.employees),
      country: a.office_location,
      parent_company: a.subsidiary_of || null,
    },
    history: {},
  }));
  const companyByName = new Map(accounts.map((a, i) => [a.account, companies[i]?.id]));

  const deals: SeedRecord[] = [];
  const associations: SeedAssociation[] = [];
  for (const o of opportunities) {
    const productName = o.product === 'GTXPro' ? 'GTX Pro' : o.product;
    const listPrice = price.get(productName);
    if (!listPrice) throw new Error(`sales_pipeline.csv: unknown product ${o.product}`);
    const engaged = o.engage_date ? dateMs(o.engage_date) : undefined;
    const created = engaged !== undefined ? engaged - 7 * DAY : nowMs - (1 + daysFrom(o.opportunity_id, 60)) * DAY;
    const closed = o.close_date ? dateMs(o.close_date) : undefined;
    const stage = o.deal_stage.toLowerCase();
    const stageHistory = [{ value: 'prospecting', timestamp: iso(created) }];
    if (engaged !== undefined) stageHistory.push({ value: 'engaging', timestamp: iso(engaged) });
    if (closed !== undefined) stageHistory.push({ value: stage, timestamp: iso(closed) });
    const amountHistory = [{ value: String(listPrice.sales_price), timestamp: iso(created) }];
    if (stage === 'won' && closed !== undefined && o.close_value) amountHistory.push({ value: o.close_value, timestamp: iso(closed) });
    const last = Math.max(created, engaged ?? 0, closed ?? 0);
    deals.push({
      id: o.opportunity_id,
      createdAt: iso(created),
      updatedAt: iso(last),
      properties: {
        dealname: `${productName} for ${o.account || 'unassigned account'}`,
        pipeline: 'maven',
        dealstage: stage,
        amount: amountHistory.at(-1)?.value ?? null,
        closedate: closed !== undefined ? iso(closed) : null,
        hubspot_owner_id: ownerByName.get(o.sales_agent) ?? null,
        product: productName,
        product_series: listPrice.series,
      },
      history: { dealstage: stageHistory, amount: amountHistory },
    });
    const companyId = o.account ? companyByName.get(o.account) : undefined;
    if (o.account && !companyId) throw new Error(`sales_pipeline.csv: unknown account ${o.account}`);
    if (companyId) associations.push({ fromType: 'deal', fromId: o.opportunity_id, toType: 'company', toId: companyId });
  }

  return {
    name: 'maven-crm-sales-opportunities',
    now: iso(nowMs),
    owners,
    pipelines: [
      {
        id: 'maven',
        label: 'MavenTech sales',
        stages: [
          { id: 'prospecting', label: 'Prospecting', displayOrder: 0, probability: 0.1, closed: false, won: false },
          { id: 'engaging', label: 'Engaging', displayOrder: 1, probability: 0.4, closed: false, won: false },
          { id: 'won', label: 'Won', displayOrder: 2, probability: 1, closed: true, won: true },
          { id: 'lost', label: 'Lost', displayOrder: 3, probability: 0, closed: true, won: false },
        ],
      },
    ],
    customProperties: [
      { objectType: 'company', name: 'parent_company', label: 'Subsidiary of', type: 'string', fieldType: 'text' },
      {
        objectType: 'deal',
        name: 'product',
        label: 'Product',
        type: 'enumeration',
        fieldType: 'select',
        options: products.map((p) => p.product),
      },
      {
        objectType: 'deal',
        name: 'product_series',
        label: 'Product series',
        type: 'enumeration',
        fieldType: 'select',
        options: [...new Set(products.map((p) => p.series))],
      },
    ],
    companies,
    contacts: [],
    deals,
    activities: [],
    associations,
  };
}
