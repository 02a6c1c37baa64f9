import type { Kysely, Selectable } from 'kysely';
import type { AssociationsTable, Database } from '../schema.ts';

export type AssociationRow = Selectable<AssociationsTable>;

export async function selectAssociations(db: Kysely<Database>, tenantId: string): Promise<AssociationRow[]> {
  return db
    .selectFrom('associations')
    .selectAll()
    .where('tenant_id', '=', tenantId)
    .orderBy('from_type')
    .orderBy('from_id')
    .orderBy('to_type')
    .orderBy('to_id')
    .execute();
}
