import type { ActivityLog, ContactDraft, TimedValue } from './drafts.ts';

const LEAD_STATUS_RANK: Record<string, number> = { NEW: 0, ATTEMPTED_TO_CONTACT: 1, CONNECTED: 2, IN_PROGRESS: 3, OPEN_DEAL: 4 };

/**
 * Lead status follows what happened to the contact: first outbound touch, first reply, sales-qualified,
 * opportunity. It only moves forward.
 */
export function buildLeadStatus(contacts: ContactDraft[], log: ActivityLog): void {
  const firstOutbound = new Float64Array(contacts.length).fill(Number.POSITIVE_INFINITY);
  const firstInbound = new Float64Array(contacts.length).fill(Number.POSITIVE_INFINITY);
  for (let k = 0; k < log.ms.length; k++) {
    const ci = log.contactIndex[k] as number;
    const ms = log.ms[k] as number;
    if (log.touch[k] === 1 && ms < (firstOutbound[ci] as number)) firstOutbound[ci] = ms;
    if (log.touch[k] === 2 && ms < (firstInbound[ci] as number)) firstInbound[ci] = ms;
  }
  contacts.forEach((c, i) => {
    const events: TimedValue[] = [{ ms: c.createdMs, value: 'NEW' }];
    if (Number.isFinite(firstOutbound[i])) events.push({ ms: firstOutbound[i] as number, value: 'ATTEMPTED_TO_CONTACT' });
    if (Number.isFinite(firstInbound[i])) events.push({ ms: firstInbound[i] as number, value: 'CONNECTED' });
    for (const step of c.lifecycle) {
      if (step.value === 'salesqualifiedlead') events.push({ ms: step.ms, value: 'IN_PROGRESS' });
      if (step.value === 'opportunity') events.push({ ms: step.ms, value: 'OPEN_DEAL' });
    }
    events.sort((x, y) => x.ms - y.ms);
    const kept: TimedValue[] = [];
    let rank = -1;
    for (const e of events) {
      const r = LEAD_STATUS_RANK[e.value ?? ''] ?? -1;
      if (r > rank) {
        kept.push(e);
        rank = r;
      }
    }
    c.leadStatus = kept;
  });
}
