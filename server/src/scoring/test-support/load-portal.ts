import { ADMIN_FIRST_PROPOSAL_STAGES } from '@closewise/sandboxes/seed/pipeline';
import type { PortalData, SeedActivity, SeedRecord } from '@closewise/sandboxes/seed/portal-data';
import type { Kysely } from 'kysely';
import type { CustomFieldInfo, NeutralActivity, NeutralAssociation, NeutralRecord, NeutralStage } from '../../connectors/connector.ts';
import type { Database, ObjectType } from '../../store/schema.ts';
import { createStoreSyncSink } from '../../store/sync-sink.ts';
import { insertTenantRow } from '../../store/tables/tenants.ts';

/**
 * Test fixture: loads a seed portal straight into the store through the store's sync sink, in the neutral
 * shapes a connector produces, so scoring tests do not need a CRM sandbox. The seed format uses a CRM's
 * property names by design; this mapping is test-only and mirrors what the connectors do.
 */
const KEYS: Record<ObjectType, Record<string, string>> = {
  deal: {
    dealname: 'name',
    amount: 'amount',
    dealstage: 'stage',
    pipeline: 'pipeline',
    closedate: 'close_date',
    hubspot_owner_id: 'owner_id',
  },
  contact: {
    lifecyclestage: 'lifecycle',
    jobtitle: 'job_title',
    hs_lead_status: 'lead_status',
    hubspot_owner_id: 'owner_id',
    country: 'country',
    firstname: 'first_name',
    lastname: 'last_name',
    email: 'email',
  },
  company: {
    name: 'name',
    industry: 'industry',
    numberofemployees: 'employees',
    annualrevenue: 'annual_revenue',
    country: 'country',
    hubspot_owner_id: 'owner_id',
    domain: 'domain',
  },
};
const LIFECYCLE: Record<string, string> = { marketingqualifiedlead: 'mql', salesqualifiedlead: 'sql' };

function mapValue(key: string, value: string | null): string | null {
  return key === 'lifecycle' && value !== null ? (LIFECYCLE[value] ?? value) : value;
}

export interface NeutralRecordOptions {
  /** Properties stored without any history, as a CRM that does not track them would sync them. */
  withoutHistory?: ReadonlySet<string>;
}

export function neutralRecord(
  type: ObjectType,
  seed: SeedRecord,
  customNames: Set<string>,
  options: NeutralRecordOptions = {},
): NeutralRecord {
  const properties: Record<string, string | null> = {};
  const rename = (name: string): string | null => KEYS[type][name] ?? (customNames.has(name) ? `custom:${name}` : null);
  for (const [name, value] of Object.entries(seed.properties)) {
    const key = rename(name);
    if (key) properties[key] = mapValue(key, value);
  }
  const history: NeutralRecord['history'] = [];
  for (const [name, entries] of Object.entries(seed.history)) {
    const key = rename(name);
    if (!key) continue;
    for (const entry of entries) history.push({ property: key, value: mapValue(key, entry.value), changedAt: new Date(entry.timestamp) });
  }
  // As HubSpot (and the sandbox) answer for a value that never changed: one history entry at creation.
  for (const [name, value] of Object.entries(seed.properties)) {
    const key = rename(name);
    if (!key || value === null || name in seed.history || options.withoutHistory?.has(name)) continue;
    history.push({ property: key, value: mapValue(key, value), changedAt: new Date(seed.createdAt) });
  }
  return {
    objectType: type,
    externalId: seed.id,
    createdAt: new Date(seed.createdAt),
    updatedAt: new Date(seed.updatedAt),
    archived: false,
    properties,
    history,
  };
}

function neutralActivity(a: SeedActivity): NeutralActivity {
  const p = a.properties;
  const dir = p['hs_email_direction'] ?? p['hs_call_direction'] ?? null;
  const direction =
    dir === 'INCOMING_EMAIL' || dir === 'INBOUND'
      ? 'inbound'
      : dir === 'EMAIL' || dir === 'OUTBOUND' || dir === 'FORWARDED_EMAIL'
        ? 'outbound'
        : null;
  // As the HubSpot connector maps it (mapping.ts mapActivity): the meeting outcome is kept as `outcome`.
  return {
    kind: a.kind,
    externalId: a.id,
    occurredAt: new Date(a.timestamp),
    direction,
    properties: { outcome: p['hs_meeting_outcome'] ?? null },
  };
}

/**
 * A tenant row for a test portal. Its scoring settings carry the first-proposal stage the synthetic portal's
 * admin chooses (ADMIN_FIRST_PROPOSAL_STAGES) unless `settings.scoring` says otherwise: without a choice the
 * after-proposal model waits, as it does for a real portal.
 */
export async function createTestTenant(db: Kysely<Database>, tenantId: string, given: Record<string, unknown> = {}): Promise<void> {
  const scoring = (given['scoring'] ?? {}) as Record<string, unknown>;
  const settings = { ...given, scoring: { proposalStages: ADMIN_FIRST_PROPOSAL_STAGES, ...scoring } };
  await insertTenantRow(db, {
    id: tenantId,
    crm: 'hubspot',
    externalId: tenantId,
    name: tenantId,
    authMode: 'private_app',
    tokenCiphertext: null,
    tokenExpiresAt: null,
    settings,
  });
}

export async function loadPortalIntoStore(
  db: Kysely<Database>,
  tenantId: string,
  portal: PortalData,
  options: NeutralRecordOptions = {},
): Promise<void> {
  const sink = createStoreSyncSink(db, tenantId);
  const customNames = new Set(portal.customProperties.map((c) => c.name));
  const stages: NeutralStage[] = portal.pipelines.flatMap((p) =>
    p.stages.map((s) => ({
      pipelineId: p.id,
      stageId: s.id,
      label: s.label,
      displayOrder: s.displayOrder,
      probability: s.probability,
      outcome: s.closed ? (s.won ? ('won' as const) : ('lost' as const)) : ('open' as const),
    })),
  );
  await sink.stages(stages);
  const fields: CustomFieldInfo[] = portal.customProperties.map((c) => ({
    objectType: c.objectType,
    name: c.name,
    label: c.label,
    valueType: c.type === 'datetime' ? 'date' : c.type,
    ...(c.options ? { options: c.options } : {}),
  }));
  await sink.customFields(fields);
  await sink.records([
    ...portal.companies.map((r) => neutralRecord('company', r, customNames, options)),
    ...portal.contacts.map((r) => neutralRecord('contact', r, customNames, options)),
    ...portal.deals.map((r) => neutralRecord('deal', r, customNames, options)),
  ]);
  await sink.activities(portal.activities.map(neutralActivity));
  const links: NeutralAssociation[] = portal.associations.map((a) => ({
    fromType: a.fromType,
    fromId: a.fromId,
    toType: a.toType,
    toId: a.toId,
  }));
  for (const a of portal.activities) {
    for (const [toType, ids] of [
      ['contact', a.contactIds],
      ['company', a.companyIds],
      ['deal', a.dealIds],
    ] as const) {
      for (const id of ids) links.push({ fromType: a.kind, fromId: a.id, toType, toId: id });
    }
  }
  await sink.associations(links);
}
