import type { Client } from '@hubspot/api-client';
import type { CrmConnector, ScoreWrite, SyncProgress, SyncResult, SyncSink, WriteBackResult } from '../connector.ts';
import { createHubSpotClient, type HubSpotClientOptions } from './hubspot-client.ts';
import { type InstallReport, provisionProperties } from './install.ts';
import { syncPortal } from './sync.ts';
import { writeScoresToHubSpot } from './write-back.ts';

/** Closewise in one HubSpot portal, through the official SDK. */
export class HubSpotConnector implements CrmConnector {
  readonly crm = 'hubspot' as const;
  readonly client: Client;

  constructor(options: HubSpotClientOptions) {
    this.client = createHubSpotClient(options);
  }

  async install(): Promise<void> {
    await provisionProperties(this.client);
  }

  /** Like install, with what was created and what was already there. */
  installWithReport(): Promise<InstallReport> {
    return provisionProperties(this.client);
  }

  sync(sink: SyncSink, options: { cursors?: Record<string, string>; onProgress?: SyncProgress } = {}): Promise<SyncResult> {
    return syncPortal(this.client, sink, options.onProgress);
  }

  writeScores(writes: ScoreWrite[], onProgress?: (done: number) => void): Promise<WriteBackResult> {
    return writeScoresToHubSpot(this.client, writes, onProgress);
  }
}
