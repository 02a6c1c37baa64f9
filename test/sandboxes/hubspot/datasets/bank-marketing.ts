import { join } from 'node:path';
import { z } from 'zod';
import type { PortalData, SeedCustomProperty, SeedRecord } from '../../seed/portal-data.ts';
import { datasetsDir, readDelimited } from './csv.ts';

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] as const;

const row = z.object({
  age: z.coerce.number().int(),
  job: z.string(),
  marital: z.string(),
  education: z.string(),
  default: z.enum(['yes', 'no']),
  balance: z.coerce.number(),
  housing: z.enum(['yes', 'no']),
  loan: z.enum(['yes', 'no']),
  contact: z.string(),
  day: z.coerce.number().int().min(1).max(31),
  month: z.enum(MONTHS),
  duration: z.coerce.number(),
  campaign: z.coerce.number().int(),
  pdays: z.coerce.number().int(),
  previous: z.coerce.number().int(),
  poutcome: z.string(),
  y: z.enum(['yes', 'no']),
});
type BankRow = z.infer<typeof row>;

const enumProperty = (name: string, label: string, rows: BankRow[], pick: (r: BankRow) => string): SeedCustomProperty => ({
  objectType: 'contact',
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  options: [...new Set(rows.map(pick))].sort(),
});
const numberProperty = (name: string, label: string): SeedCustomProperty => ({
  objectType: 'contact',
  name,
  label,
  type: 'number',
  fieldType: 'number',
});

export interface BankMarketingOptions {
  /** Load only the first N clients (the file holds 45,211). */
  limit?: number;
  dir?: string;
}

/**
 * UCI Bank Marketing as a HubSpot portal: each client is a contact whose bank attributes are custom properties.
 * A client who subscribed (`y` = yes) became a customer the day after the campaign call (lifecycle history
 * lead → customer); the others stay leads. `duration` is left out: it is only known after the call and leaks
 * the outcome. Rows are in date order from May 2008; the year is inferred where the month wraps around.
 */
export function loadBankMarketing(options: BankMarketingOptions = {}): PortalData {
  const raw = readDelimited(join(options.dir ?? datasetsDir(), 'uci-bank-marketing', 'bank-full.csv'), ';');
  const all = raw.map((r, i) => {
    const parsed = row.safeParse(r);
    if (!parsed.success) throw new Error(`bank-full.csv row ${i + 2}: ${parsed.error.issues[0]?.message ?? 'invalid'}`);
    return parsed.data;
  });
  let year = 2008;
  let lastMonth = 0;
  const dated = all.map((r) => {
    const month = MONTHS.indexOf(r.month);
    if (month < lastMonth) year++;
    lastMonth = month;
    return { r, at: Date.UTC(year, month, r.day, 9, 0, 0) };
  });
  const rows = dated.slice(0, options.limit ?? dated.length);
  const nowMs = Math.max(...rows.map((d) => d.at)) + 2 * 86_400_000;

  const contacts: SeedRecord[] = rows.map(({ r, at }, i) => {
    const created = new Date(at).toISOString();
    const converted = r.y === 'yes';
    const decided = new Date(at + 86_400_000).toISOString();
    return {
      id: `bank-${i + 1}`,
      createdAt: created,
      updatedAt: converted ? decided : created,
      properties: {
        email: `client${i + 1}@bank-marketing.example`,
        lifecyclestage: converted ? 'customer' : 'lead',
        age: String(r.age),
        job: r.job,
        marital: r.marital,
        education: r.education,
        credit_default: r.default,
        balance: String(r.balance),
        housing: r.housing,
        loan: r.loan,
        contact_channel: r.contact,
        campaign_contacts: String(r.campaign),
        days_since_previous_campaign: r.pdays < 0 ? null : String(r.pdays),
        previous_contacts: String(r.previous),
        previous_outcome: r.poutcome,
      },
      history: {
        lifecyclestage: converted
          ? [
              { value: 'lead', timestamp: created },
              { value: 'customer', timestamp: decided },
            ]
          : [{ value: 'lead', timestamp: created }],
      },
    };
  });

  const plain = rows.map((d) => d.r);
  return {
    name: 'uci-bank-marketing',
    now: new Date(nowMs).toISOString(),
    owners: [],
    pipelines: [],
    customProperties: [
      numberProperty('age', 'Age'),
      enumProperty('job', 'Job', plain, (r) => r.job),
      enumProperty('marital', 'Marital status', plain, (r) => r.marital),
      enumProperty('education', 'Education', plain, (r) => r.education),
      enumProperty('credit_default', 'Has credit in default', plain, (r) => r.default),
      numberProperty('balance', 'Average yearly balance (EUR)'),
      enumProperty('housing', 'Has housing loan', plain, (r) => r.housing),
      enumProperty('loan', 'Has personal loan', plain, (r) => r.loan),
      enumProperty('contact_channel', 'Contact channel', plain, (r) => r.contact),
      numberProperty('campaign_contacts', 'Contacts in this campaign'),
      numberProperty('days_since_previous_campaign', 'Days since previous campaign contact'),
      numberProperty('previous_contacts', 'Contacts before this campaign'),
      enumProperty('previous_outcome', 'Outcome of previous campaign', plain, (r) => r.poutcome),
    ],
    companies: [],
    contacts,
    deals: [],
    activities: [],
    associations: [],
  };
}
