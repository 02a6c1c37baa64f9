import { randomBytes } from 'node:crypto';
import type { SalesforceSandbox } from '@closewise/sandboxes/salesforce/sandbox';
import { decryptJson, encryptJson } from '../../../security/token-crypto.ts';
import type { CustomFieldInfo, NeutralActivity, NeutralAssociation, NeutralRecord, NeutralStage, SyncSink } from '../../connector.ts';
import { completeAuthorization, type SalesforceOAuthConfig } from '../oauth-flow.ts';
import { SalesforceConnector, type SalesforceConnectorOptions } from '../salesforce-connector.ts';
import { aesTokenCipher, memoryTokenStore } from '../tokens.ts';

/** Test helpers: a connector authorised against a sandbox through the real OAuth flow, and an in-memory sink. */
export interface MemorySink extends SyncSink {
  records_: Map<string, NeutralRecord>;
  history: Map<string, NeutralRecord['history']>;
  activities_: Map<string, NeutralActivity>;
  /** `kind:id` of activities marked archived. */
  archivedActivities_: Set<string>;
  associations_: Set<string>;
  stages_: NeutralStage[];
  customFields_: CustomFieldInfo[];
  deliveries: { objectType: string; externalId: string }[];
}

export function memorySink(): MemorySink {
  const sink: MemorySink = {
    records_: new Map(),
    history: new Map(),
    activities_: new Map(),
    archivedActivities_: new Set(),
    associations_: new Set(),
    stages_: [],
    customFields_: [],
    deliveries: [],
    async records(records) {
      for (const r of records) {
        const key = `${r.objectType}:${r.externalId}`;
        sink.records_.set(key, r);
        sink.history.set(key, [...(sink.history.get(key) ?? []), ...r.history]);
        sink.deliveries.push({ objectType: r.objectType, externalId: r.externalId });
      }
    },
    async activities(activities) {
      for (const a of activities) {
        // A live read un-archives, as the store's upsert does.
        sink.activities_.set(`${a.kind}:${a.externalId}`, a);
        sink.archivedActivities_.delete(`${a.kind}:${a.externalId}`);
      }
    },
    async associations(associations: NeutralAssociation[]) {
      for (const a of associations) sink.associations_.add(`${a.fromType}:${a.fromId}->${a.toType}:${a.toId}`);
    },
    async customFields(fields) {
      sink.customFields_.push(...fields);
    },
    async stages(stages) {
      sink.stages_.push(...stages);
    },
    async archive(objectType, externalIds) {
      for (const id of externalIds) {
        const record = sink.records_.get(`${objectType}:${id}`);
        if (record) sink.records_.set(`${objectType}:${id}`, { ...record, archived: true });
      }
    },
    async archiveActivities(kind, externalIds) {
      // Kept in activities_, as the store keeps the rows; only the known ones are marked.
      for (const id of externalIds) if (sink.activities_.has(`${kind}:${id}`)) sink.archivedActivities_.add(`${kind}:${id}`);
    },
  };
  return sink;
}

/** Runs the web-server flow against the sandbox (authorize redirect, code exchange) and builds a connector. */
export async function connectToSandbox(sandbox: SalesforceSandbox, options: Partial<SalesforceConnectorOptions> = {}) {
  const oauth: SalesforceOAuthConfig = {
    loginUrl: sandbox.loginUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUri: 'http://127.0.0.1:9/oauth/callback',
  };
  const key = randomBytes(32);
  const cipher = aesTokenCipher(key, { encryptJson, decryptJson });
  const store = memoryTokenStore();
  const params = new URLSearchParams({ response_type: 'code', client_id: oauth.clientId, redirect_uri: oauth.redirectUri, state: 'test' });
  const callback = await sandbox.approveAuthorization(`${sandbox.loginUrl}/services/oauth2/authorize?${params.toString()}`);
  const code = callback.searchParams.get('code') ?? '';
  const org = await completeAuthorization(oauth, code, { store, cipher, apiVersion: sandbox.apiVersion });
  const connector = new SalesforceConnector({
    oauth,
    tokens: store,
    cipher,
    apiVersion: sandbox.apiVersion,
    bulkPollIntervalMs: 10,
    budget: { reserve: 0 },
    ...options,
  });
  return { connector, store, cipher, key, org };
}
