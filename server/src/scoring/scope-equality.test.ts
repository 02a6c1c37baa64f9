import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ObjectType } from '../store/schema.ts';
import { selectPortalContext } from '../store/tables/portal-contexts.ts';
import { selectScoresOfType } from '../store/tables/scores.ts';
import { updateTenantSettings } from '../store/tables/settings.ts';
import { openTestPglite, openTestPostgres, type TestStore } from '../test-support/stores.ts';
import type { ScoreDetails } from './details.ts';
import { rollbackModel } from './model-store.ts';
import { scoreRecords, scoreTenant } from './score.ts';
import { scoreScopeFromContext } from './score-scope.ts';
import { smallPortal } from './test-support/fixtures.ts';
import { createTestTenant, loadPortalIntoStore } from './test-support/load-portal.ts';
import { trainTenantModels } from './train.ts';

/**
 * A record rescored alone, from the stored portal context and its own rows, gets exactly the score, reasons
 * and next actions the full run gives it at the same moment: deals, contacts and companies, three seeds of
 * the synthetic portal, on PGlite and PostgreSQL (SCOPE_EQUALITY_ENGINES=pglite to skip PostgreSQL).
 */
const SEEDS = [1, 2, 3];
const ENGINES = (process.env['SCOPE_EQUALITY_ENGINES'] ?? 'pglite,postgres').split(',');
const TYPES: ObjectType[] = ['deal', 'contact', 'company'];
const PLURAL: Record<ObjectType, 'deals' | 'contacts' | 'companies'> = { deal: 'deals', contact: 'contacts', company: 'companies' };
/** Records per type rescored one at a time (spread over the ids); every record is also rescored in one scope per type. */
const ALONE = 12;
const DAY = 86_400_000;
const TENANT = 'scope-eq';

async function storedDetails(store: TestStore, type: ObjectType): Promise<Map<string, ScoreDetails>> {
  const rows = await selectScoresOfType(store.db, TENANT, type);
  return new Map(rows.map((r) => [r.externalId, r.details!]));
}

/** Blanks what a rescore must recompute (score, reasons, actions), keeping the history the trend reads. */
async function blank(store: TestStore, type: ObjectType, ids: string[]): Promise<void> {
  await sql`update scores set details = details || '{"score": -1, "reasons": [], "nextActions": [], "tier": null}'::jsonb
    where tenant_id = ${TENANT} and object_type = ${type} and external_id in (${sql.join(ids)})`.execute(store.db);
}

const spread = (ids: string[], n: number): string[] =>
  ids.length <= n ? ids : Array.from({ length: n }, (_, i) => ids[Math.floor((i * ids.length) / n)]!);

for (const engine of ENGINES) {
  for (const seed of SEEDS) {
    describe(`a record rescored alone equals the full run (${engine}, seed ${seed})`, () => {
      let store: TestStore;
      let now: Date;
      const full = new Map<ObjectType, Map<string, ScoreDetails>>();

      beforeAll(async () => {
        store = engine === 'postgres' ? await openTestPostgres() : await openTestPglite();
        const portal = smallPortal(seed);
        now = new Date(portal.now);
        await createTestTenant(store.db, TENANT);
        await loadPortalIntoStore(store.db, TENANT, portal);
        await trainTenantModels(store.db, TENANT, { now, seed: 1 });
        // An earlier run first, so trends, previous probabilities and "probability fell" have something to compare.
        await scoreTenant(store.db, TENANT, { now: new Date(now.getTime() - 9 * DAY) });
        await scoreTenant(store.db, TENANT, { now });
        for (const type of TYPES) full.set(type, await storedDetails(store, type));
      }, 300_000);
      afterAll(() => store?.dispose());

      for (const type of TYPES) {
        it(`${PLURAL[type]}: alone and all in one scope, identical details`, async () => {
          const expected = full.get(type)!;
          const ids = [...expected.keys()].sort();
          expect(ids.length).toBeGreaterThan(10);
          const alone = spread(ids, ALONE);
          await blank(store, type, ids);
          for (const id of alone) {
            const report = await scoreScopeFromContext(store.db, TENANT, { now, objectType: type, externalIds: [id] });
            expect(report, `${type} ${id} took the record path`).not.toBeNull();
          }
          let got = await storedDetails(store, type);
          for (const id of alone) expect(got.get(id), `${type} ${id} rescored alone`).toEqual(expected.get(id));
          // A webhook batch: every record of the type in one scope.
          await blank(store, type, ids);
          const report = await scoreScopeFromContext(store.db, TENANT, { now, objectType: type, externalIds: ids });
          expect(report?.counts[PLURAL[type]]).toBe(ids.length);
          got = await storedDetails(store, type);
          for (const id of ids) expect(got.get(id), `${type} ${id} in one scope`).toEqual(expected.get(id));
          // Not vacuous: the portal's records differ in score, tier and actions.
          expect(new Set(ids.map((id) => JSON.stringify(expected.get(id)!.nextActions.map((a) => a.id)))).size).toBeGreaterThan(1);
        }, 120_000);
      }

      it('a deal changed after the run rescores alone as a new full run scores it', async () => {
        const [id] = [...full.get('deal')!.keys()].sort();
        const later = new Date(now.getTime() + 3_600_000);
        await sql`update crm_records set properties = properties || '{"amount": "123456"}'::jsonb
          where tenant_id = ${TENANT} and object_type = 'deal' and external_id = ${id!}`.execute(store.db);
        await sql`insert into property_history (tenant_id, object_type, external_id, property, value, changed_at)
          values (${TENANT}, 'deal', ${id!}, 'amount', '123456', ${new Date(now.getTime() + 60_000)})`.execute(store.db);
        expect(await scoreScopeFromContext(store.db, TENANT, { now: later, objectType: 'deal', externalIds: [id!] })).not.toBeNull();
        const alone = (await storedDetails(store, 'deal')).get(id!)!;
        expect(alone.facts['amount']).toBe(123456);
        // An open deal's amount moves none of the portal's norms, so the next full run must agree.
        await scoreTenant(store.db, TENANT, { now: later });
        expect((await storedDetails(store, 'deal')).get(id!)).toEqual(alone);
      }, 120_000);

      it('a company counts an activity logged only on one of its contacts, alone as in the full run', async () => {
        const link = await store.db
          .selectFrom('associations')
          .select(['from_id', 'to_id'])
          .where('tenant_id', '=', TENANT)
          .where('from_type', '=', 'contact')
          .where('to_type', '=', 'company')
          .orderBy('to_id')
          .executeTakeFirstOrThrow();
        const later = new Date(now.getTime() + 5_400_000);
        const noteId = `contact-only-note-${seed}`;
        await scoreTenant(store.db, TENANT, { now: later });
        const before = (await storedDetails(store, 'company')).get(link.to_id)!;
        await sql`insert into activities (tenant_id, kind, external_id, occurred_at, direction, properties)
          values (${TENANT}, 'meeting', ${noteId}, ${new Date(now.getTime() - DAY)}, null, '{"outcome": "COMPLETED"}'::jsonb)`.execute(
          store.db,
        );
        await sql`insert into associations (tenant_id, from_type, from_id, to_type, to_id)
          values (${TENANT}, 'meeting', ${noteId}, 'contact', ${link.from_id})`.execute(store.db);
        await scoreTenant(store.db, TENANT, { now: later });
        const expected = (await storedDetails(store, 'company')).get(link.to_id)!;
        await blank(store, 'company', [link.to_id]);
        expect(
          await scoreScopeFromContext(store.db, TENANT, { now: later, objectType: 'company', externalIds: [link.to_id] }),
        ).not.toBeNull();
        expect((await storedDetails(store, 'company')).get(link.to_id)).toEqual(expected);
        // Not vacuous: the meeting is on the contact only, and the company counts it.
        expect(expected.facts['activities30d']).toBe(Number(before.facts['activities30d']) + 1);
      }, 120_000);

      it('without a usable context, takes the full path once and stores one', async () => {
        const [id] = [...full.get('contact')!.keys()].sort();
        const at = new Date(now.getTime() + 7_200_000);
        await sql`delete from portal_contexts where tenant_id = ${TENANT}`.execute(store.db);
        expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'contact', externalIds: [id!] })).toBeNull();
        await scoreRecords(store.db, TENANT, { now: at, objectType: 'contact', externalIds: [id!] });
        expect((await selectPortalContext(store.db, TENANT))?.computedAt).toBe(at.toISOString());
        expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'contact', externalIds: [id!] })).not.toBeNull();
        // A context from after the moment asked for is not used.
        expect(await scoreScopeFromContext(store.db, TENANT, { now, objectType: 'contact', externalIds: [id!] })).toBeNull();
      }, 120_000);

      if (seed === SEEDS[0]) {
        it('a changed setting or champion makes the stored context stale', async () => {
          const [id] = [...full.get('deal')!.keys()].sort();
          const at = new Date(now.getTime() + 10_800_000);
          await scoreTenant(store.db, TENANT, { now: at });
          expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'deal', externalIds: [id!] })).not.toBeNull();
          await updateTenantSettings(store.db, TENANT, { scoring: { trendThreshold: 0.2 } });
          expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'deal', externalIds: [id!] })).toBeNull();
          await scoreTenant(store.db, TENANT, { now: at });
          expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'deal', externalIds: [id!] })).not.toBeNull();
          // A second contact_fit version made the champion (trained, then rolled "back" to it whether it won or not).
          await trainTenantModels(store.db, TENANT, { now: at, seed: 2, targets: ['contact_fit'] });
          await rollbackModel(store.db, TENANT, 'contact_fit', 2);
          expect(await scoreScopeFromContext(store.db, TENANT, { now: at, objectType: 'deal', externalIds: [id!] })).toBeNull();
        }, 300_000);
      }
    });
  }
}
