import {
  type CardObjectType,
  type CompanyCardData,
  type ContactCardData,
  type DealCardData,
  type SettingsResponse,
  settingsResponseSchema,
} from '@closewise/contract';
import { companyScored, contactScored, dealClosed, dealScored, settingsResponse } from '@closewise/hubspot-app/test-support/fixtures';
import { BadInputError } from '../../../errors/errors.ts';
import type { HubSpotCardApiDeps } from '../deps.ts';

/**
 * An in-memory implementation of OUR seam (HubSpotCardApiDeps), not of HubSpot: two tenants with their
 * own records, a task list that does NOT dedupe (so tests prove the router does), and call counters.
 */
// 55% → 62.4%, as the deal fixture's trend says.
const WHAT_CHANGED_DEAL = {
  points: 7.4,
  since: '2026-11-03T09:00:00.000Z',
  movers: [
    { label: 'Two meetings held in the last 14 days', points: 9.1 },
    { label: 'Economic buyer added to the deal', points: 4.2 },
    { label: 'Close date pushed back twice', points: -2.3 },
  ],
};
const WHAT_CHANGED_CONTACT = {
  points: -4,
  since: '2026-11-15T09:00:00.000Z',
  movers: [{ label: 'No email opened in 30 days', points: -4.2 }],
};

// What the model says would raise each: labelled estimates (deal 105 at 62.4%, contact 205).
const WOULD_RAISE_DEAL = [
  { action: 'book_meeting' as const, label: 'Book a meeting', estimate: 71.5, points: 9.1 },
  { action: 'log_call' as const, label: 'Log a call', estimate: 66.8, points: 4.4 },
];
const WOULD_RAISE_CONTACT = [{ action: 'send_email' as const, label: 'Send an email', estimate: 14.2, points: 2.5 }];

export function createFakeDeps(overrides: Partial<HubSpotCardApiDeps> = {}) {
  const portals = new Map([
    ['111', 'tenant-a'],
    ['222', 'tenant-b'],
  ]);
  const deals = new Map<string, DealCardData>([
    ['tenant-a:101', dealScored({ id: '101' })],
    ['tenant-b:202', dealScored({ id: '202', winProbability: 11 })],
    ['tenant-a:103', dealClosed({ id: '103' })],
    ['tenant-a:104', dealClosed({ id: '104', outcome: 'lost', stageLabel: 'Closed Lost', lastScoreBeforeClose: null })],
    // A rescored deal: what changed since its previous score.
    ['tenant-a:105', dealScored({ id: '105', change: WHAT_CHANGED_DEAL, raise: WOULD_RAISE_DEAL })],
  ]);
  const contacts = new Map<string, ContactCardData>([
    ['tenant-a:201', contactScored()],
    ['tenant-a:205', contactScored({ id: '205', change: WHAT_CHANGED_CONTACT, raise: WOULD_RAISE_CONTACT })],
  ]);
  const companies = new Map<string, CompanyCardData>([['tenant-a:301', companyScored()]]);
  const settings = new Map<string, SettingsResponse>([['tenant-a', settingsResponse()]]);
  const tasks: { tenantId: string; objectType: CardObjectType; id: string; title: string; dueDate: string; key: string }[] = [];
  const snoozes: { tenantId: string; id: string; actionId: string; until: string }[] = [];
  const rescores: string[] = [];
  const exists = (tenantId: string, objectType: CardObjectType, id: string) =>
    (objectType === 'deals' ? deals : objectType === 'contacts' ? contacts : companies).has(`${tenantId}:${id}`);

  const deps: HubSpotCardApiDeps = {
    clientSecret: 'test-client-secret',
    resolveTenant: async (portalId) => {
      const tenantId = portals.get(portalId);
      return tenantId ? { tenantId } : null;
    },
    cards: {
      deal: async (tenantId, id) => deals.get(`${tenantId}:${id}`) ?? null,
      contact: async (tenantId, id) => contacts.get(`${tenantId}:${id}`) ?? null,
      company: async (tenantId, id) => companies.get(`${tenantId}:${id}`) ?? null,
    },
    actions: {
      createTask: async (tenantId, objectType, id, payload, key) => {
        if (!exists(tenantId, objectType, id)) return null;
        // Slow enough that a concurrent replay overlaps the first call.
        await new Promise((r) => setTimeout(r, 20));
        tasks.push({ tenantId, objectType, id, title: payload.title, dueDate: payload.dueDate, key });
        return { taskId: `task-${tasks.length}` };
      },
      rescore: async (tenantId, objectType, id) => {
        if (!exists(tenantId, objectType, id)) return false;
        rescores.push(`${tenantId}:${objectType}:${id}`);
        const current = deals.get(`${tenantId}:${id}`);
        if (objectType === 'deals' && current?.state === 'scored') deals.set(`${tenantId}:${id}`, { ...current, winProbability: 70 });
        return true;
      },
      snooze: async (tenantId, objectType, id, snooze) => {
        if (!exists(tenantId, objectType, id)) return false;
        snoozes.push({ tenantId, id, ...snooze });
        return true;
      },
    },
    settings: {
      read: async (tenantId) => settings.get(tenantId) ?? settingsResponse(),
      write: async (tenantId, values) => {
        const current = settings.get(tenantId) ?? settingsResponse();
        const known = new Set(current.availablePipelines.map((p) => p.id));
        const unknown = values.pipelines.find((p) => !known.has(p.pipelineId));
        if (unknown) throw new BadInputError(`Unknown pipeline ${unknown.pipelineId}.`);
        const next = settingsResponseSchema.parse({ ...current, values });
        settings.set(tenantId, next);
        return next;
      },
    },
    ...overrides,
  };
  return { deps, deals, tasks, snoozes, rescores, settings };
}
