import { type Kysely, sql } from 'kysely';

/**
 * HubSpot's connector kept its archival cursors (`archived-cursor:<type>`) and full-sync checkpoints
 * (`full:<type>`, `full:started`) itself; they are now part of the cursor map the sync use case stores
 * (`cursor:archived:<type>`, `cursor:full:<type>`). Renamed, so an installed portal keeps its archival
 * positions and a full sync interrupted by the deploy resumes. Where the use case already stored a key under
 * the new name (it has since 008), that copy is the current one and the old row goes.
 */
const RENAMES: [from: string, to: string][] = [
  ['archived-cursor:', 'cursor:archived:'],
  ['full:', 'cursor:full:'],
];

async function rename<DB>(db: Kysely<DB>, from: string, to: string): Promise<void> {
  await sql`
    delete from sync_state as old using sync_state as renamed
    where old.tenant_id = renamed.tenant_id
      and old.object_type like ${`${from}%`}
      and renamed.object_type = ${to} || substr(old.object_type, length(${from}) + 1)`.execute(db);
  await sql`
    update sync_state set object_type = ${to} || substr(object_type, length(${from}) + 1)
    where object_type like ${`${from}%`}`.execute(db);
}

// Generic over the schema so a test can run it on a typed store; it touches only sync_state.
export async function up<DB>(db: Kysely<DB>): Promise<void> {
  for (const [from, to] of RENAMES) await rename(db, from, to);
}

export async function down<DB>(db: Kysely<DB>): Promise<void> {
  for (const [from, to] of RENAMES) await rename(db, to, from);
}
