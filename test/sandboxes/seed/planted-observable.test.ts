import { describe, expect, it } from 'vitest';
import { generateOwners } from './generate-companies.ts';
import { DECISION_MAKER_SENIORITIES, type Industry, type Seniority, TITLES_BY_SENIORITY } from './names.ts';
import {
  type Competitor,
  contactConversionProbability,
  dealWinProbability,
  type LeadSource,
  type ProductInterest,
  typicalDealAmount,
} from './planted-model.ts';
import type { PortalData, SeedRecord } from './portal-data.ts';
import { createRng } from './prng.ts';
import { generateSyntheticPortal, OWNER_COUNT } from './synthetic-portal.ts';

/**
 * The oracle is only a fair bar if it reads nothing a model cannot see: every planted probability must follow
 * from the portal's own data as it stood when the record was created (for deals, plus the owner's skill, a
 * per-rep constant a model learns from that rep's earlier deals). Recomputed here from the exported portal
 * alone, it must equal the truth exactly.
 */
const SENIORITY_BY_TITLE = new Map<string, Seniority>(
  Object.entries(TITLES_BY_SENIORITY).flatMap(([seniority, titles]) => titles.map((t) => [t, seniority as Seniority])),
);

function index(portal: PortalData) {
  const byId = new Map<string, SeedRecord>([...portal.companies, ...portal.contacts].map((r) => [r.id, r]));
  const linked = new Map<string, SeedRecord[]>();
  for (const a of portal.associations) {
    const target = byId.get(a.toId);
    if (target) linked.set(a.fromId, [...(linked.get(a.fromId) ?? []), target]);
  }
  return { byId, linked };
}

const seatsOf = (contact: SeedRecord): number | null => {
  const raw = contact.properties['seats_requested'];
  return raw == null || raw === '' ? null : Number(raw);
};

describe.each([1, 2, 3])('seed %i: planted probabilities from what the CRM shows at creation', (seed) => {
  const portal = generateSyntheticPortal({ seed });
  const { linked } = index(portal);
  const company = (id: string) => linked.get(id)!.find((r) => r.id.startsWith('company-'))!;

  it('every contact’s conversion probability follows from its own fields and its company’s', () => {
    for (const contact of portal.contacts) {
      const firm = company(contact.id);
      const recomputed = contactConversionProbability({
        seniority: SENIORITY_BY_TITLE.get(contact.properties['jobtitle'] ?? '')!,
        industry: firm.properties['industry'] as Industry,
        employees: Number(firm.properties['numberofemployees']),
        leadSource: contact.properties['lead_source_detail'] as LeadSource,
        productInterest: contact.properties['product_interest'] as ProductInterest,
        seatsRequested: seatsOf(contact),
      });
      expect(recomputed, contact.id).toBe(portal.truth!.contactConversion[contact.id]);
    }
  });

  it('every deal’s win probability follows from its first values, its contacts and company at creation, and its owner', () => {
    const skill = new Map(generateOwners(createRng(seed, 'owners'), OWNER_COUNT).drafts.map((o) => [o.id, o.skill]));
    for (const deal of portal.deals) {
      const createdMs = Date.parse(deal.createdAt);
      const contacts = linked
        .get(deal.id)!
        .filter((r) => r.id.startsWith('contact-'))
        .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
      expect(contacts.every((c) => Date.parse(c.createdAt) <= createdMs)).toBe(true);
      const firm = company(deal.id);
      const employees = Number(firm.properties['numberofemployees']);
      const seats = contacts.map(seatsOf).filter((s): s is number => s !== null);
      const first = contacts[0]!;
      const recomputed = dealWinProbability({
        industry: firm.properties['industry'] as Industry,
        employees,
        initialAmount: Number(deal.history['amount']![0]!.value),
        typicalAmount: typicalDealAmount(employees),
        ownerSkill: skill.get(deal.properties['hubspot_owner_id']!)!,
        contactCount: contacts.length,
        decisionMakerPresent: contacts.some((c) =>
          DECISION_MAKER_SENIORITIES.includes(SENIORITY_BY_TITLE.get(c.properties['jobtitle'] ?? '')!),
        ),
        primaryLeadSource: first.properties['lead_source_detail'] as LeadSource,
        primaryProductInterest: first.properties['product_interest'] as ProductInterest,
        maxSeatsRequested: seats.length === 0 ? null : Math.max(...seats),
        competitor: deal.properties['competitor_involved'] as Competitor,
      });
      expect(recomputed, deal.id).toBe(portal.truth!.dealWin[deal.id]);
    }
  });
});
