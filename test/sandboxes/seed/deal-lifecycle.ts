import type { ContactDraft, DealDraft, TimedValue } from './drafts.ts';
import { LIFECYCLE_STAGES, type LifecycleStage } from './pipeline.ts';

const RANK = new Map<string | null, number>(LIFECYCLE_STAGES.map((s, i) => [s, i]));

/**
 * As in HubSpot's default automation, a contact becomes an opportunity when a deal is opened with it. Deals pick
 * their contacts without regard to whether those contacts convert, so this adds realism (contacts sitting at
 * opportunity on open deals) without telling a model anything about the 90-day conversion. The ladder only
 * moves up: stages planned for later that are not above the new one are dropped.
 */
export function markDealContactsAsOpportunities(contacts: readonly ContactDraft[], deals: readonly DealDraft[]): void {
  const firstDealMs = new Map<number, number>();
  for (const deal of deals) {
    for (const ci of deal.contactIndices) firstDealMs.set(ci, Math.min(firstDealMs.get(ci) ?? Number.POSITIVE_INFINITY, deal.createdMs));
  }
  for (const [ci, ms] of firstDealMs) {
    const contact = contacts[ci] as ContactDraft;
    contact.lifecycle = climbOnly([...contact.lifecycle, { ms, value: 'opportunity' satisfies LifecycleStage }]);
  }
}

function climbOnly(steps: TimedValue[]): TimedValue[] {
  // Stable sort: at equal times the existing step comes first.
  steps.sort((a, b) => a.ms - b.ms);
  const kept: TimedValue[] = [];
  let top = -1;
  for (const step of steps) {
    const rank = RANK.get(step.value) ?? -1;
    if (rank > top) {
      kept.push(step);
      top = rank;
    }
  }
  return kept;
}
