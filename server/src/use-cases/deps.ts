import type { Kysely } from 'kysely';
import type { ConnectorRegistry } from '../connectors/registry.ts';
import type { Database } from '../store/schema.ts';

/** What every use case runs on: the store, and the registry that builds a tenant's CRM connector. */
export interface UseCaseDeps {
  db: Kysely<Database>;
  connectors: ConnectorRegistry;
}
