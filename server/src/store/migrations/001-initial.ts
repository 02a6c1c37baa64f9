import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('tenants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('crm', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('active'))
    .addColumn('auth_mode', 'text', (c) => c.notNull())
    .addColumn('token_ciphertext', 'text')
    .addColumn('token_expires_at', 'timestamptz')
    .addColumn('settings', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('tenants_crm_external_unique', ['crm', 'external_id'])
    .execute();

  await db.schema
    .createTable('crm_records')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('properties', 'jsonb', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz')
    .addColumn('archived', 'boolean', (c) => c.notNull().defaultTo(false))
    .addPrimaryKeyConstraint('crm_records_pk', ['tenant_id', 'object_type', 'external_id'])
    .execute();

  await db.schema
    .createTable('property_history')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('property', 'text', (c) => c.notNull())
    .addColumn('value', 'text')
    .addColumn('changed_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('property_history_pk', ['tenant_id', 'object_type', 'external_id', 'property', 'changed_at'])
    .execute();

  await db.schema
    .createTable('activities')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('direction', 'text')
    .addColumn('properties', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addPrimaryKeyConstraint('activities_pk', ['tenant_id', 'kind', 'external_id'])
    .execute();

  await db.schema
    .createTable('associations')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('from_type', 'text', (c) => c.notNull())
    .addColumn('from_id', 'text', (c) => c.notNull())
    .addColumn('to_type', 'text', (c) => c.notNull())
    .addColumn('to_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('associations_pk', ['tenant_id', 'from_type', 'from_id', 'to_type', 'to_id'])
    .execute();
  await db.schema.createIndex('associations_to_idx').on('associations').columns(['tenant_id', 'to_type', 'to_id']).execute();

  await db.schema
    .createTable('models')
    .addColumn('id', 'serial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('trained_at', 'timestamptz', (c) => c.notNull())
    .addColumn('metrics', 'jsonb', (c) => c.notNull())
    .addColumn('card', 'jsonb', (c) => c.notNull())
    .addColumn('feature_spec', 'jsonb', (c) => c.notNull())
    .addColumn('onnx', 'bytea', (c) => c.notNull())
    .addUniqueConstraint('models_version_unique', ['tenant_id', 'target', 'version'])
    .execute();

  await db.schema
    .createTable('scores')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('external_id', 'text', (c) => c.notNull())
    .addColumn('score_kind', 'text', (c) => c.notNull())
    .addColumn('model_id', 'integer', (c) => c.references('models.id'))
    .addColumn('probability', 'double precision', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull())
    .addColumn('scored_at', 'timestamptz', (c) => c.notNull())
    .addColumn('written_back_at', 'timestamptz')
    .addPrimaryKeyConstraint('scores_pk', ['tenant_id', 'object_type', 'external_id', 'score_kind'])
    .execute();

  await db.schema
    .createTable('sync_state')
    .addColumn('tenant_id', 'text', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('object_type', 'text', (c) => c.notNull())
    .addColumn('cursor', 'text')
    .addColumn('last_synced_at', 'timestamptz')
    .addPrimaryKeyConstraint('sync_state_pk', ['tenant_id', 'object_type'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const table of ['sync_state', 'scores', 'models', 'associations', 'activities', 'property_history', 'crm_records', 'tenants']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
