import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { parseStored } from '../columns/parse-column.ts';
import type { Database } from '../schema.ts';

/**
 * The `card_action_keys` table: one row per card action key, so a key's action runs once across every
 * `closewise serve` process and restart. The primary key is the claim (exactly one racing INSERT wins); the
 * winner stores its response in the row for the replays. Times come from the database's clock, so every
 * process compares them on one clock.
 */
export interface CardActionKey {
  tenantId: string;
  /** The card action: create-task, snooze, rescore. */
  action: string;
  /** The card's object type and record id: the same key on another record is another action. */
  objectType: string;
  objectId: string;
  /** The key the card sent. */
  key: string;
}

export interface StoredActionResponse {
  status: number;
  body: unknown;
}

/** What a claim found: the key is ours now, or another request has it (still running, or done with a response). */
export type CardActionClaim =
  | { kind: 'claimed' }
  | { kind: 'in-progress'; fingerprint: string }
  | { kind: 'completed'; fingerprint: string; response: StoredActionResponse };

export interface ClaimOptions {
  /** Hash of the request, so the same key with another body is refused rather than replayed. */
  fingerprint: string;
  /** Random per attempt: only the attempt that claimed the key may complete or release it. */
  token: string;
  /** How long the key (and its stored response) lives. */
  ttlMs: number;
  /** A claim this old without a response belongs to a process that died mid-action, and may be taken over. */
  staleClaimMs: number;
}

const interval = (ms: number) => sql<string>`${`${Math.max(0, Math.round(ms))} milliseconds`}::interval`;
/** Any JSON the action answered with; the router validates it with the card's schema before storing. */
const responseBodySchema = z.json();

/** The one row of this key (the primary key's columns). */
function isKey(eb: ExpressionBuilder<Database, 'card_action_keys'>, key: CardActionKey) {
  return eb.and([
    eb('card_action_keys.tenant_id', '=', key.tenantId),
    eb('card_action_keys.action', '=', key.action),
    eb('card_action_keys.object_type', '=', key.objectType),
    eb('card_action_keys.object_id', '=', key.objectId),
    eb('card_action_keys.idempotency_key', '=', key.key),
  ]);
}

/**
 * Claims the key for one attempt: INSERT … ON CONFLICT DO UPDATE … WHERE the existing row has expired or is
 * a stale claim, so exactly one of several racing requests (in any process) gets `claimed`; the others learn
 * what holds the key. A claim released between the insert and the read is simply tried again.
 */
export async function claimCardActionKey(db: Kysely<Database>, key: CardActionKey, options: ClaimOptions): Promise<CardActionClaim> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const claimed = await db
      .insertInto('card_action_keys')
      .values({
        tenant_id: key.tenantId,
        action: key.action,
        object_type: key.objectType,
        object_id: key.objectId,
        idempotency_key: key.key,
        fingerprint: options.fingerprint,
        claim_token: options.token,
        claimed_at: sql<Date>`now()`,
        response_status: null,
        response_body: null,
        expires_at: sql<Date>`now() + ${interval(options.ttlMs)}`,
      })
      .onConflict((oc) =>
        oc
          .columns(['tenant_id', 'action', 'object_type', 'object_id', 'idempotency_key'])
          .doUpdateSet((eb) => ({
            fingerprint: eb.ref('excluded.fingerprint'),
            claim_token: eb.ref('excluded.claim_token'),
            claimed_at: eb.ref('excluded.claimed_at'),
            response_status: null,
            response_body: null,
            expires_at: eb.ref('excluded.expires_at'),
          }))
          .where((eb) =>
            eb.or([
              eb('card_action_keys.expires_at', '<=', sql<Date>`now()`),
              eb.and([
                eb('card_action_keys.response_status', 'is', null),
                eb('card_action_keys.claimed_at', '<=', sql<Date>`now() - ${interval(options.staleClaimMs)}`),
              ]),
            ]),
          ),
      )
      .returning('claim_token')
      .executeTakeFirst();
    if (claimed?.claim_token === options.token) return { kind: 'claimed' };

    const holder = await db
      .selectFrom('card_action_keys')
      .select(['fingerprint', 'response_status', 'response_body'])
      .where((eb) => isKey(eb, key))
      .executeTakeFirst();
    if (!holder) continue;
    if (holder.response_status === null) return { kind: 'in-progress', fingerprint: holder.fingerprint };
    const body = parseStored(responseBodySchema, holder.response_body, `card_action_keys.response_body of ${key.action} ${key.key}`);
    return { kind: 'completed', fingerprint: holder.fingerprint, response: { status: holder.response_status, body } };
  }
  // Claimed and released three times in a row under us: report it as busy rather than spin.
  return { kind: 'in-progress', fingerprint: options.fingerprint };
}

/** Stores the claimed attempt's response for the replays; false when the claim was taken over meanwhile. */
export async function completeCardActionKey(
  db: Kysely<Database>,
  key: CardActionKey,
  token: string,
  response: StoredActionResponse,
): Promise<boolean> {
  const result = await db
    .updateTable('card_action_keys')
    .set({ response_status: response.status, response_body: JSON.stringify(response.body) })
    .where((eb) => isKey(eb, key))
    .where('claim_token', '=', token)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/** Gives up a claim whose action failed, so a retry runs the action again; a completed key is left alone. */
export async function releaseCardActionKey(db: Kysely<Database>, key: CardActionKey, token: string): Promise<void> {
  await db
    .deleteFrom('card_action_keys')
    .where((eb) => isKey(eb, key))
    .where('claim_token', '=', token)
    .where('response_status', 'is', null)
    .execute();
}

/** The sweep of every tenant's expired keys (on purpose across tenants: one sweep per process keeps the table small). */
export async function deleteExpiredCardActionKeysOfAllTenants(db: Kysely<Database>): Promise<number> {
  const result = await db.deleteFrom('card_action_keys').where('expires_at', '<=', sql<Date>`now()`).executeTakeFirst();
  return Number(result.numDeletedRows);
}

/** Removes the action keys of one record's card, with the responses they replay (which may hold its data). */
export async function deleteCardActionKeysOfRecord(db: Kysely<Database>, tenantId: string, objectType: string, id: string): Promise<void> {
  await db
    .deleteFrom('card_action_keys')
    .where('tenant_id', '=', tenantId)
    .where('object_type', '=', objectType)
    .where('object_id', '=', id)
    .execute();
}
