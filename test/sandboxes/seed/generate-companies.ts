import type { CompanyDraft, OwnerDraft } from './drafts.ts';
import { COMPANY_PREFIXES, COMPANY_SUFFIXES, COUNTRIES, INDUSTRIES, OWNER_NAMES } from './names.ts';
import type { SeedOwner } from './portal-data.ts';
import type { Rng } from './prng.ts';

export function generateOwners(rng: Rng, count: number): { owners: SeedOwner[]; drafts: OwnerDraft[] } {
  const owners: SeedOwner[] = [];
  const drafts: OwnerDraft[] = [];
  for (let i = 0; i < count; i++) {
    const [firstName, lastName] = OWNER_NAMES[i % OWNER_NAMES.length] as [string, string];
    const id = `owner-${i + 1}`;
    const suffix = i >= OWNER_NAMES.length ? String(Math.floor(i / OWNER_NAMES.length) + 1) : '';
    owners.push({ id, email: `${firstName}.${lastName}${suffix}@closewise-demo.example`.toLowerCase(), firstName, lastName });
    // Skill is added to the deal win logit: across 12 reps the best close several times the odds of the worst.
    drafts.push({ id, skill: 0.6 * rng.normal() });
  }
  return { owners, drafts };
}

const COUNTRY_NAMES = COUNTRIES.map((c) => c.name);
const COUNTRY_WEIGHTS = COUNTRIES.map((c) => c.weight);

/**
 * Company names are unique; once prefix×suffix pairs run out (large portals) a number is appended, counted per
 * base name so that lookups stay constant-time.
 */
function companyName(rng: Rng, used: Set<string>, suffixCounts: Map<string, number>): string {
  for (let attempt = 0; attempt < 8; attempt++) {
    const name = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
    if (!used.has(name)) return name;
  }
  const base = `${rng.pick(COMPANY_PREFIXES)} ${rng.pick(COMPANY_SUFFIXES)}`;
  let n = suffixCounts.get(base) ?? 1;
  let name: string;
  do {
    n++;
    name = `${base} ${n}`;
  } while (used.has(name));
  suffixCounts.set(base, n);
  return name;
}

/**
 * Companies with a lognormal headcount (median ~150, a few with tens of thousands) and revenue per employee
 * that varies by company. createdMs is set later, just before the company's first contact.
 */
export function generateCompanies(rng: Rng, count: number, owners: readonly OwnerDraft[]): CompanyDraft[] {
  const used = new Set<string>();
  const suffixCounts = new Map<string, number>();
  const companies: CompanyDraft[] = [];
  for (let i = 0; i < count; i++) {
    const name = companyName(rng, used, suffixCounts);
    used.add(name);
    const employees = Math.round(Math.min(50_000, Math.max(2, Math.exp(Math.log(150) + 1.4 * rng.normal()))));
    const revenuePerEmployee = rng.uniform(80_000, 260_000);
    const annualRevenue = Math.round((employees * revenuePerEmployee) / 1000) * 1000;
    companies.push({
      id: `company-${i + 1}`,
      name,
      domain: `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}.example`,
      industry: rng.pick(INDUSTRIES),
      employees,
      annualRevenue,
      country: COUNTRY_NAMES[rng.weightedIndex(COUNTRY_WEIGHTS)] as string,
      ownerId: rng.pick(owners).id,
      createdMs: 0,
      contactIndices: [],
    });
  }
  return companies;
}
