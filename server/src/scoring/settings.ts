import type { Kysely } from 'kysely';
import { NotFoundError } from '../errors/errors.ts';
import { type ScoringSettings, scoringSettingsSchema } from '../store/columns/tenant-settings.ts';
import type { Database } from '../store/schema.ts';
import { selectScoringSettings } from '../store/tables/settings.ts';

/**
 * Per-tenant scoring settings, kept under `tenants.settings.scoring` (admins edit them); the schema lives
 * with the store that parses the column. Every field has a default, so a tenant with no settings gets the
 * product's defaults.
 */
export { type ScoringSettings, scoringSettingsSchema } from '../store/columns/tenant-settings.ts';

export const defaultScoringSettings: ScoringSettings = scoringSettingsSchema.parse({});

export async function readScoringSettings(db: Kysely<Database>, tenantId: string): Promise<ScoringSettings> {
  const settings = await selectScoringSettings(db, tenantId);
  if (settings === null) throw new NotFoundError(`tenant ${tenantId} does not exist`);
  return settings ?? defaultScoringSettings;
}
