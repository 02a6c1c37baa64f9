import { Connection } from 'jsforce';
import { ConfigError } from '../../errors/errors.ts';
import type { CrmConnector, InstallReport, ScoreWrite, SyncOptions, SyncSink } from '../connector.ts';
import { ApiBudget, ApiBudgetExhaustedError, type BudgetOptions } from './budget.ts';
import { CLOSEWISE_FIELDS, type ScoredSObject } from './closewise-fields.ts';
import { atSalesforceEdge } from './edge.ts';
import { oauth2Of, oauthErrorCode, type SalesforceOAuthConfig } from './oauth-flow.ts';
import { SalesforceOrgDisconnectedError } from './org-disconnected.ts';
import { SalesforceApi } from './salesforce-api.ts';
import { type SalesforceSyncResult, syncOrg } from './sync.ts';
import { type EncryptedTokenStore, loadTokens, saveTokens, type TokenCipher, type TokenSet } from './tokens.ts';
import { type SalesforceWriteBackResult, writeScoresToSalesforce } from './write-back.ts';

export interface SalesforceConnectorOptions {
  oauth: SalesforceOAuthConfig;
  /** Encrypted token set and how to read/write it (see tokens.ts). */
  tokens: EncryptedTokenStore;
  cipher: TokenCipher;
  apiVersion?: string;
  /** Objects with more changed rows than this are read through Bulk API 2.0 (default 10,000). */
  bulkThreshold?: number;
  /** Rows per Bulk 2.0 result page (maxRecords; default 50,000). */
  bulkPageSize?: number;
  bulkPollIntervalMs?: number;
  /** Times a record Salesforce rejected is sent again before it is reported (default 2). */
  writeRetries?: number;
  budget?: BudgetOptions;
  now?: () => Date;
  /**
   * Called once when Salesforce refuses the refresh token with invalid_grant (the org revoked us), before
   * the failing call rejects with SalesforceOrgDisconnectedError: the tenant connector disconnects the tenant.
   */
  onRevoked?: () => Promise<void>;
}

/**
 * Closewise in one Salesforce org, through jsforce. The Closewise fields come with the DX package
 * (salesforce-lwc/), deployed by the admin; `install` checks they are there and writable.
 */
export class SalesforceConnector implements CrmConnector {
  readonly crm = 'salesforce' as const;
  readonly budget: ApiBudget;
  private readonly options: SalesforceConnectorOptions;
  private api: SalesforceApi | undefined;
  private tokenSaves: Promise<void> = Promise.resolve();
  /** The last failure to store a refreshed token, if any (the connection keeps working with it in memory). */
  tokenSaveError: unknown;
  /** Set when a refresh was refused with invalid_grant: every later call fails with it. */
  private revoked: SalesforceOrgDisconnectedError | undefined;

  constructor(options: SalesforceConnectorOptions) {
    this.options = options;
    this.budget = new ApiBudget(options.budget);
  }

  private get apiVersion(): string {
    return this.options.apiVersion ?? '62.0';
  }

  /** The jsforce Connection, built once from the stored tokens; refreshed tokens are stored encrypted again. */
  async connection(): Promise<SalesforceApi> {
    if (this.api) return this.api;
    const tokens = await loadTokens(this.options.tokens, this.options.cipher);
    const conn = new Connection({
      oauth2: oauth2Of(this.options.oauth),
      version: this.apiVersion,
      instanceUrl: tokens.instanceUrl,
      accessToken: tokens.accessToken,
      refreshToken: tokens.refreshToken,
      // jsforce's own refresh (OAuth2.refreshToken, then its 'refresh' event below), wrapped only to read
      // Salesforce's error code: jsforce's refresh delegate rethrows a refusal as a plain Error without it.
      refreshFn: (c, callback) => {
        if (this.revoked) return callback(this.revoked);
        c.oauth2.refreshToken(tokens.refreshToken).then(
          (response) => {
            c.instanceUrl = response.instance_url;
            callback(undefined, response.access_token, response);
          },
          (error: unknown) => {
            const failure = error instanceof Error ? error : new Error(String(error));
            if (oauthErrorCode(error) !== 'invalid_grant') return callback(failure);
            this.revoked = new SalesforceOrgDisconnectedError(failure.message);
            // The tenant is disconnected before the call fails, so whoever sees the error sees the status too.
            void (this.options.onRevoked?.() ?? Promise.resolve()).then(
              () => callback(failure),
              () => callback(failure),
            );
          },
        );
      },
    });
    conn.on('refresh', (accessToken: string) => {
      const next: TokenSet = {
        ...tokens,
        accessToken,
        instanceUrl: conn.instanceUrl,
        issuedAt: (this.options.now?.() ?? new Date()).toISOString(),
      };
      Object.assign(tokens, next);
      // The refreshed token is already in use; if storing it fails, the next start refreshes again.
      this.tokenSaves = this.tokenSaves
        .then(() => saveTokens(this.options.tokens, this.options.cipher, next))
        .catch((error: unknown) => {
          this.tokenSaveError = error;
        });
    });
    this.api = new SalesforceApi(
      conn,
      this.budget,
      this.options.bulkPollIntervalMs !== undefined ? { bulkPollIntervalMs: this.options.bulkPollIntervalMs } : {},
    );
    return this.api;
  }

  /** Nothing is created here (the DX package carries the fields): the report lists none either way. */
  async install(): Promise<InstallReport> {
    const missing = await this.atEdge('checking the Closewise fields in Salesforce', () => this.missingFields());
    if (missing.length > 0) {
      throw new ConfigError(
        `Closewise fields missing or read-only in Salesforce: ${missing.join(', ')}. Deploy salesforce-lwc (sf project deploy start) and assign the Closewise_Integration permission set to the integration user.`,
      );
    }
    return { created: [], unchanged: [] };
  }

  /** `Object.Field` names of Closewise fields that describe does not show as updateable. */
  async missingFields(): Promise<string[]> {
    const api = await this.connection();
    const missing: string[] = [];
    for (const object of Object.keys(CLOSEWISE_FIELDS) as ScoredSObject[]) {
      const described = await api.describe(object);
      const updateable = new Set(described.fields.filter((f) => f.updateable).map((f) => f.name));
      for (const field of CLOSEWISE_FIELDS[object]) if (!updateable.has(field)) missing.push(`${object}.${field}`);
    }
    return missing;
  }

  /** A run the daily budget stopped reports it in `status` and, in neutral terms, in `stoppedEarly`. */
  async sync(sink: SyncSink, options: SyncOptions = {}): Promise<SalesforceSyncResult> {
    const result = await this.atEdge('syncing the Salesforce org', async () =>
      syncOrg(await this.connection(), sink, {
        ...options,
        limits: { bulkThreshold: this.options.bulkThreshold ?? 10_000, bulkPageSize: this.options.bulkPageSize ?? 50_000 },
        now: this.options.now ?? (() => new Date()),
      }),
    );
    if (result.status.state !== 'budget_exhausted') return result;
    return { ...result, stoppedEarly: { resumeAt: result.status.resumeAfter, message: result.status.message } };
  }

  /** Throws ApiBudgetExhaustedError (a RateLimitedError) when the daily budget ran out before every write was sent. */
  async writeScores(writes: ScoreWrite[], onProgress?: (done: number) => void): Promise<SalesforceWriteBackResult> {
    const result = await this.atEdge('writing scores to Salesforce', async () =>
      writeScoresToSalesforce(await this.connection(), writes, {
        maxRetries: this.options.writeRetries ?? 2,
        ...(onProgress ? { onProgress } : {}),
      }),
    );
    if (result.budgetExhausted) {
      const error = this.budget.exhausted();
      throw new ApiBudgetExhaustedError(error.used, error.limit, this.budget.reserveCalls(), {
        deferred: result.deferred,
        of: writes.length,
      });
    }
    return result;
  }

  /** Salesforce's failures as typed errors (edge.ts); after an invalid_grant refresh, the disconnect says so. */
  private async atEdge<T>(context: string, work: () => Promise<T>): Promise<T> {
    if (this.revoked) throw this.revoked;
    try {
      return await atSalesforceEdge(context, work);
    } catch (error) {
      throw this.revoked ?? error;
    }
  }

  /** Waits until refreshed tokens are stored (before shutdown, and in tests). */
  close(): Promise<void> {
    return this.tokenSaves;
  }

  /** Calls made so far through this connector (REST and Bulk). */
  get calls(): number {
    return this.api?.calls ?? 0;
  }
}

export function createSalesforceConnector(options: SalesforceConnectorOptions): SalesforceConnector {
  return new SalesforceConnector(options);
}
