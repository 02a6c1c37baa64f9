import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PortalData } from '../seed/portal-data.ts';
import { TokenRegistry } from './auth.ts';
import type { SandboxContext } from './context.ts';
import { type LoadResult, loadPortal } from './load-portal.ts';
import { type Clock, Portal } from './portal.ts';
import type { RecordChange } from './records.ts';
import { buildApp } from './server.ts';
import { type SandboxStats, StatsCollector } from './stats.ts';

export type { LoadResult } from './load-portal.ts';
export type { SandboxStats } from './stats.ts';

export interface HubSpotSandboxOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  portalId?: number;
  /** The private-app token the sandbox accepts as Bearer; random `pat-na1-…` by default. */
  privateAppToken?: string;
  /** App id recorded as `sourceId` for writes made with the private-app token. */
  privateAppId?: string;
  /** Time source (epoch ms), for token-expiry tests. Defaults to Date.now. */
  clock?: Clock;
}

export interface HubSpotSandbox {
  /** http://127.0.0.1:PORT, to pass as the SDK's basePath. */
  url: string;
  portalId: number;
  privateAppToken: string;
  loadPortal(data: PortalData): LoadResult;
  stats(): SandboxStats;
  resetStats(): void;
  stop(): Promise<void>;
}

/** Starts a HubSpot-compatible sandbox portal on 127.0.0.1. */
export async function startHubSpotSandbox(options: HubSpotSandboxOptions = {}): Promise<HubSpotSandbox> {
  const clock = options.clock ?? Date.now;
  const portalId = options.portalId ?? 24_000_000 + Math.floor(Math.random() * 1_000_000);
  const privateAppToken = options.privateAppToken ?? `pat-na1-${randomBytes(16).toString('hex')}`;
  const privateAppId = options.privateAppId ?? '1000001';
  const portal = new Portal(portalId, clock);
  const tokens = new TokenRegistry();
  tokens.add({ token: privateAppToken, portalId, appId: privateAppId, kind: 'private_app', scopes: [] });
  const stats = new StatsCollector();
  const ctx: SandboxContext = {
    portal,
    onChanges: (_changes: RecordChange[]) => {},
  };
  const app = buildApp({ ctx, tokens, stats });

  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, '127.0.0.1', (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  // Keep-alive sockets would hold stop() open; HubSpot's edge closes idle ones quickly too.
  server.keepAliveTimeout = 1000;
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    portalId,
    privateAppToken,
    loadPortal: (data) => loadPortal(portal, data),
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}
