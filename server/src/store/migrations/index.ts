import type { Migration, MigrationProvider } from 'kysely/migration';
import * as initial from './001-initial.ts';
import * as stagesAndCustomFields from './002-stages-and-custom-fields.ts';
import * as jobs from './003-jobs.ts';
import * as webhookEvents from './004-webhook-events.ts';
import * as salesforceApiKeys from './005-salesforce-api-keys.ts';
import * as webhookRecordLeases from './006-webhook-record-leases.ts';
import * as activityArchival from './007-activity-archival.ts';
import * as oneCursorKeyScheme from './008-one-cursor-key-scheme.ts';
import * as hubSpotPositionsInCursorMap from './009-hubspot-positions-in-cursor-map.ts';
import * as cardActionKeysAndOAuthNonces from './010-card-action-keys-and-oauth-nonces.ts';
import * as jobRunLeases from './011-job-run-leases.ts';
import * as crmOutsideEdits from './012-crm-outside-edits.ts';
import * as recordErasure from './013-record-erasure.ts';
import * as crmApiPauses from './014-crm-api-pauses.ts';
import * as portalContexts from './015-portal-contexts.ts';
import * as fieldOptions from './016-field-options.ts';

/** The one ordered list of migrations, applied on start to PGlite and PostgreSQL alike. */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      '001-initial': initial,
      '002-stages-and-custom-fields': stagesAndCustomFields,
      '003-jobs': jobs,
      '004-webhook-events': webhookEvents,
      '005-salesforce-api-keys': salesforceApiKeys,
      '006-webhook-record-leases': webhookRecordLeases,
      '007-activity-archival': activityArchival,
      '008-one-cursor-key-scheme': oneCursorKeyScheme,
      '009-hubspot-positions-in-cursor-map': hubSpotPositionsInCursorMap,
      '010-card-action-keys-and-oauth-nonces': cardActionKeysAndOAuthNonces,
      '011-job-run-leases': jobRunLeases,
      '012-crm-outside-edits': crmOutsideEdits,
      '013-record-erasure': recordErasure,
      '014-crm-api-pauses': crmApiPauses,
      '015-portal-contexts': portalContexts,
      '016-field-options': fieldOptions,
    };
  },
};
