import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import { startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import pg from 'pg';
import { createConnectorRegistry } from '../../connectors/registry.ts';
import { pendingScoreWrites } from '../../scoring/index.ts';
import { isLostConnection } from '../../store/lost-connection.ts';
import { upsertTenant } from '../../tenants/tenant-repository.ts';
import { type ClosewiseProcess, freePort, startClosewise } from '../../test-support/closewise-process.ts';
import { openTestPostgres, TEST_POSTGRES_URL } from '../../test-support/stores.ts';
import { PgBossEngine } from '../pg-boss-engine.ts';
import { parseJobSettings } from '../settings.ts';

export interface DbFaultOptions {
  /** How long connections are terminated (every `killEveryMs`) once the sync + score + write-back starts. */
  stormMs: number;
  killEveryMs?: number;
  /** Card reads in flight at every moment of the storm. */
  cardReaders?: number;
  contacts?: number;
}

export interface DbFaultResult {
  /** Rounds of pg_terminate_backend, and the Closewise connections they ended. */
  killRounds: number;
  connectionsKilled: number;
  serveAlive: boolean;
  workerAlive: boolean;
  /** Whether the sync, the rescoring and both write-back shards completed, and nothing is left to write. */
  jobCompleted: boolean;
  pendingWrites: number;
  /** Card-read answers by status during the storm; 0 = no answer (connection refused, reset or over 10 s). */
  cardStatuses: Record<string, number>;
  secondsToComplete: number;
  serveStderr: string;
  workerStderr: string;
}

const KEY_HEX = 'c'.repeat(64);
const SECRET = 'fault-test-client-secret';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `work` until it stops failing for a lost connection: the test's own connections are killed too. */
async function surviving<T>(work: () => Promise<T>): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await work();
    } catch (error) {
      if (!isLostConnection(error) || i > 100) throw error;
      await sleep(200);
    }
  }
}

/**
 * Issue #18's database-fault scenario with real processes: `closewise serve` and `closewise worker` on a
 * fresh PostgreSQL database and a HubSpot sandbox portal. After a clean first sync, every Closewise
 * connection to the database is terminated every 2 s for `stormMs` while a second sync, a full rescoring and
 * its write-back run and `cardReaders` signed card reads are always in flight. Reports whether the processes
 * stayed up, the job completed and every card read answered 200 or 503.
 */
export async function runDbFaultScenario(options: DbFaultOptions): Promise<DbFaultResult> {
  const killEveryMs = options.killEveryMs ?? 2000;
  const readers = options.cardReaders ?? 50;
  const store = await openTestPostgres();
  const sandbox = await startHubSpotSandbox();
  const dataDir = mkdtempSync(join(tmpdir(), 'closewise-faults-'));
  const processes: ClosewiseProcess[] = [];
  const admin = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  admin.on('error', () => undefined);
  let producer: PgBossEngine | undefined;
  try {
    const data = generateSyntheticPortal({ seed: 5, contacts: options.contacts ?? 300 });
    const { ids } = sandbox.loadPortal(data);
    const key = Buffer.from(KEY_HEX, 'hex');
    const tenant = await upsertTenant(store.db, key, {
      crm: 'hubspot',
      externalId: String(sandbox.portalId),
      name: 'Fault portal',
      authMode: 'private_app',
      tokens: { accessToken: sandbox.privateAppToken },
    });
    await (
      await createConnectorRegistry({ db: store.db, encryptionKey: key, hubspot: { basePath: sandbox.url } }).forTenant(tenant)
    ).install();

    const origin = `http://127.0.0.1:${await freePort()}`;
    const env = {
      DATABASE_URL: store.databaseUrl,
      CLOSEWISE_ENCRYPTION_KEY: KEY_HEX,
      CLOSEWISE_DATA_DIR: dataDir,
      HUBSPOT_CLIENT_SECRET: SECRET,
      HUBSPOT_BASE_PATH: sandbox.url,
      PUBLIC_BASE_URL: origin,
      CLOSEWISE_SCHEDULE_SYNC: 'off',
      CLOSEWISE_SCHEDULE_RESCORE: 'off',
      CLOSEWISE_SCHEDULE_RETRAIN: 'off',
      LOG_LEVEL: 'error',
    };
    const serve = await startClosewise(['serve', '--port', new URL(origin).port], env, /Closewise backend on/);
    processes.push(serve);
    const worker = await startClosewise(['worker'], env, /working the queues/);
    processes.push(worker);
    producer = new PgBossEngine({
      databaseUrl: store.databaseUrl,
      db: store.db,
      handlers: {},
      settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
      work: false,
      registerSchedules: false,
    });
    await producer.start();
    const engine = producer;

    const completed = (type: string) =>
      surviving(async () => {
        const row = await store.db
          .selectFrom('job_runs')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('job_type', '=', type)
          .where('outcome', '=', 'completed')
          .executeTakeFirstOrThrow();
        return Number(row.n);
      });
    const waitFor = async (type: string, count: number, deadline: number) => {
      while ((await completed(type)) < count) {
        if (Date.now() > deadline || !worker.alive()) return false;
        await sleep(250);
      }
      return true;
    };

    // A clean first sync, so the cards have records to show.
    await engine.enqueue('sync', { tenantId: tenant.id });
    if (!(await waitFor('sync', 1, Date.now() + 120_000))) throw new Error(`first sync did not complete: ${worker.err()}`);
    // Changes for the second sync to read.
    const deals = [...ids.deals.values()];
    for (const id of deals.slice(0, 30)) sandbox.simulateUserUpdate('deals', id, { dealname: `Renamed ${id}` });

    await admin.connect();
    let killRounds = 0;
    let connectionsKilled = 0;
    let storming = true;
    const started = Date.now();
    const killer = (async () => {
      while (storming && Date.now() - started < options.stormMs) {
        const result = await admin.query<{ n: number }>(
          'SELECT count(pg_terminate_backend(pid))::int AS n FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
          [new URL(store.databaseUrl).pathname.slice(1)],
        );
        killRounds += 1;
        connectionsKilled += result.rows[0]?.n ?? 0;
        await sleep(killEveryMs);
      }
    })();

    const cardStatuses: Record<string, number> = {};
    const readCard = async (i: number) => {
      const url = `${origin}/api/hubspot/cards/deals/${deals[i % deals.length]}?portalId=${sandbox.portalId}`;
      const timestamp = String(Date.now());
      const signature = computeSignatureV3(SECRET, { method: 'GET', uri: url, rawBody: '', timestamp });
      try {
        const response = await fetch(url, {
          headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp },
          signal: AbortSignal.timeout(10_000),
        });
        await response.arrayBuffer();
        return response.status;
      } catch {
        return 0;
      }
    };
    let reading = true;
    const cardReads = Promise.all(
      Array.from({ length: readers }, async (_, r) => {
        for (let i = r; reading; i += readers) {
          const status = await readCard(i);
          cardStatuses[status] = (cardStatuses[status] ?? 0) + 1;
        }
      }),
    );

    // The sync + score + write-back, queued as the storm begins (the queueing itself retried through it).
    const deadline = Date.now() + options.stormMs + 240_000;
    await surviving(() => engine.enqueue('sync', { tenantId: tenant.id }));
    let jobCompleted = await waitFor('sync', 2, deadline);
    if (jobCompleted) {
      await surviving(() => engine.enqueue('rescore', { tenantId: tenant.id, now: data.now, writeBackShards: 2 }));
      jobCompleted = (await waitFor('rescore', 1, deadline)) && (await waitFor('write-back', 2, deadline));
    }
    const secondsToComplete = (Date.now() - started) / 1000;
    // The storm runs its full length whatever the job did.
    await killer;
    storming = false;
    reading = false;
    await cardReads;
    const pendingWrites = (await surviving(() => pendingScoreWrites(store.db, tenant.id))).length;
    return {
      killRounds,
      connectionsKilled,
      serveAlive: serve.alive(),
      workerAlive: worker.alive(),
      jobCompleted,
      pendingWrites,
      cardStatuses,
      secondsToComplete,
      serveStderr: serve.err().slice(-4000),
      workerStderr: worker.err().slice(-4000),
    };
  } finally {
    await Promise.all(processes.map((p) => p.stop()));
    await producer?.stop({ graceMs: 1000 }).catch(() => undefined);
    await admin.end().catch(() => undefined);
    await sandbox.stop();
    await store.dispose();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
