import type { PortalData, SeedRecord } from './portal-data.ts';
import { DAY_MS } from './time.ts';

export interface RealizedOutcomes {
  /** Closed deals only: 1 when closed won. */
  dealWon: Record<string, 0 | 1>;
  /** Contacts whose 90-day window has fully passed by now: 1 when they became a customer within it. */
  contactConverted: Record<string, 0 | 1>;
}

/**
 * Outcomes read back from the portal itself (deal stages, lifecycle history), the way a trainer would
 * label them, so the oracle AUC is measured against what a CRM would actually show.
 */
export function realizedOutcomes(portal: PortalData): RealizedOutcomes {
  const pipelineStages = new Map(portal.pipelines.flatMap((p) => p.stages.map((s) => [s.id, s] as const)));
  const dealWon: Record<string, 0 | 1> = {};
  for (const deal of portal.deals) {
    const stage = pipelineStages.get(deal.properties['dealstage'] ?? '');
    if (stage?.closed) dealWon[deal.id] = stage.won ? 1 : 0;
  }
  const nowMs = Date.parse(portal.now);
  const contactConverted: Record<string, 0 | 1> = {};
  for (const contact of portal.contacts) {
    const createdMs = Date.parse(contact.createdAt);
    if (createdMs + 90 * DAY_MS > nowMs) continue;
    contactConverted[contact.id] = becameCustomerBy(contact, createdMs + 90 * DAY_MS) ? 1 : 0;
  }
  return { dealWon, contactConverted };
}

function becameCustomerBy(contact: SeedRecord, deadlineMs: number): boolean {
  const history = contact.history['lifecyclestage'] ?? [];
  return history.some((h) => h.value === 'customer' && Date.parse(h.timestamp) <= deadlineMs);
}
