import type { ActivityLog, ContactDraft, DealDraft } from './drafts.ts';
import type { SeedActivityKind } from './portal-data.ts';
import type { Rng } from './prng.ts';
import { DAY_MS, HOUR_MS } from './time.ts';

/**
 * Activities are noisy readings of a record's engagement, which follows its outcome (generate-contacts.ts,
 * generate-deals.ts): a Poisson process whose rate and whose mix (meetings, inbound emails and calls) rise with
 * engagement. Deal activities stop at close; nothing is stamped after now.
 */
export type Flavour = 'email_out' | 'email_in' | 'call_out' | 'call_in' | 'meeting' | 'note' | 'task';
export const FLAVOURS: readonly Flavour[] = ['email_out', 'email_in', 'call_out', 'call_in', 'meeting', 'note', 'task'];

/** Relative odds of each flavour (FLAVOURS order). */
function flavourWeights(engagement: number, forDeal: boolean): number[] {
  const e = engagement;
  return [
    3,
    1.1 * Math.exp(0.7 * e),
    forDeal ? 2 : 1.2,
    0.4 * Math.exp(0.5 * e),
    (forDeal ? 1 : 0.35) * Math.exp(0.8 * e),
    forDeal ? 1 : 0.5,
    forDeal ? 1 : 0.7,
  ];
}

const KIND: Record<Flavour, SeedActivityKind> = {
  email_out: 'email',
  email_in: 'email',
  call_out: 'call',
  call_in: 'call',
  meeting: 'meeting',
  note: 'note',
  task: 'task',
};

const EMAIL_SUBJECTS = ['Following up', 'Pricing question', 'Next steps', 'Re: demo', 'Intro', 'Proposal'];
const MEETING_TITLES = ['Discovery call', 'Product demo', 'Technical deep dive', 'Pricing review', 'Stakeholder sync'];
const TASK_SUBJECTS = ['Send proposal', 'Follow up', 'Book demo', 'Check in', 'Share case study'];

function activityProperties(rng: Rng, flavour: Flavour, ms: number, ownerId: string, engagement: number, nowMs: number) {
  const p: Record<string, string | null> = { hubspot_owner_id: ownerId };
  switch (flavour) {
    case 'email_out':
    case 'email_in':
      p['hs_email_direction'] = flavour === 'email_in' ? 'INCOMING_EMAIL' : 'EMAIL';
      p['hs_email_subject'] = rng.pick(EMAIL_SUBJECTS);
      break;
    case 'call_out':
    case 'call_in': {
      p['hs_call_direction'] = flavour === 'call_in' ? 'INBOUND' : 'OUTBOUND';
      const connected = flavour === 'call_in' || rng.bernoulli(0.45 + 0.1 * engagement);
      p['hs_call_status'] = 'COMPLETED';
      p['hs_call_duration'] = String(connected ? Math.round(rng.uniform(2, 40) * 60_000) : Math.round(rng.uniform(5, 40) * 1000));
      break;
    }
    case 'meeting': {
      p['hs_meeting_title'] = rng.pick(MEETING_TITLES);
      // Engaged buyers turn up.
      const showUp = 1 / (1 + Math.exp(-(1.5 + 0.8 * engagement)));
      p['hs_meeting_outcome'] = rng.bernoulli(showUp) ? 'COMPLETED' : rng.bernoulli(0.5) ? 'NO_SHOW' : 'CANCELED';
      break;
    }
    case 'note':
      p['hs_note_body'] = 'Call notes and next steps.';
      break;
    case 'task':
      p['hs_task_subject'] = rng.pick(TASK_SUBJECTS);
      p['hs_task_type'] = rng.pick(['CALL', 'EMAIL', 'TODO']);
      p['hs_task_status'] = nowMs - ms > 3 * DAY_MS || rng.bernoulli(0.3) ? 'COMPLETED' : 'NOT_STARTED';
      break;
  }
  return p;
}

function simulate(
  rng: Rng,
  startMs: number,
  endMs: number,
  ratePerDay: number,
  engagement: number,
  forDeal: boolean,
  emit: (flavour: Flavour, ms: number) => void,
): void {
  if (endMs <= startMs) return;
  const count = rng.poisson(ratePerDay * ((endMs - startMs) / DAY_MS));
  const weights = flavourWeights(engagement, forDeal);
  for (let k = 0; k < count; k++) {
    emit(FLAVOURS[rng.weightedIndex(weights)] as Flavour, rng.uniform(startMs, endMs));
  }
}

export const emptyActivityLog = (): ActivityLog => ({ activities: [], ms: [], contactIndex: [], touch: [] });

function record(
  rng: Rng,
  log: ActivityLog,
  flavour: Flavour,
  ms: number,
  ownerId: string,
  engagement: number,
  nowMs: number,
  contact: { index: number; id: string },
  companyId: string,
  dealId: string | null,
): void {
  const properties = activityProperties(rng, flavour, ms, ownerId, engagement, nowMs);
  log.activities.push({
    id: '',
    kind: KIND[flavour],
    timestamp: '',
    properties,
    contactIds: [contact.id],
    companyIds: [companyId],
    dealIds: dealId === null ? [] : [dealId],
  });
  log.ms.push(ms);
  log.contactIndex.push(contact.index);
  const inbound = flavour === 'email_in' || flavour === 'call_in' || properties['hs_meeting_outcome'] === 'COMPLETED';
  log.touch.push(inbound ? 2 : flavour === 'email_out' || flavour === 'call_out' ? 1 : 0);
}

/** A contact's own early engagement in its first 30 days (marketing and SDR touches): ~1.6 on average. */
export function simulateContactActivities(
  rng: Rng,
  contact: ContactDraft,
  contactIndex: number,
  companyId: string,
  nowMs: number,
  log: ActivityLog,
): void {
  const endMs = Math.min(contact.createdMs + 30 * DAY_MS, nowMs);
  const rate = (1.6 / 30) * Math.exp(contact.engagement - 0.5);
  const who = { index: contactIndex, id: contact.id };
  simulate(rng, contact.createdMs + HOUR_MS, endMs, rate, contact.engagement, false, (flavour, ms) =>
    record(rng, log, flavour, ms, contact.ownerId, contact.engagement, nowMs, who, companyId, null),
  );
}

/**
 * Work on a deal from creation until it closes (or now): a burst in the first 30 days (discovery, demo),
 * then about one touch every seven weeks; both rise with engagement.
 */
export function simulateDealActivities(
  rng: Rng,
  deal: DealDraft,
  contacts: readonly ContactDraft[],
  companyId: string,
  nowMs: number,
  log: ActivityLog,
): void {
  const endMs = Math.min(deal.closeMs, nowMs);
  const burstEndMs = Math.min(deal.createdMs + 30 * DAY_MS, endMs);
  const lift = Math.exp(deal.engagement - 0.5);
  const emit = (flavour: Flavour, ms: number): void => {
    const index = deal.contactIndices[rng.int(0, deal.contactIndices.length - 1)] as number;
    const who = { index, id: (contacts[index] as ContactDraft).id };
    record(rng, log, flavour, ms, deal.ownerId, deal.engagement, nowMs, who, companyId, deal.id);
  };
  simulate(rng, deal.createdMs + HOUR_MS, burstEndMs, (2.2 / 30) * lift, deal.engagement, true, emit);
  simulate(rng, deal.createdMs + HOUR_MS, endMs, (0.15 / 7) * lift, deal.engagement, true, emit);
}
