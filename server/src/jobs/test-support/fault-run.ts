/**
 * The fault run of the write-back pipeline, shared by the fault test (`test/jobs/faults-writeback.test.ts`,
 * ~2,000 contacts) and its bench section (`npm run bench -- --only faults-writeback`, 20,000 contacts):
 * sync → full rescoring → sharded write-back of a synthetic portal, once cleanly in process and once by
 * real `closewise worker`-like processes (test-worker.ts with the production handlers) on PostgreSQL while
 * every Closewise connection is terminated three times (mid-sync, mid-scoring, mid-write-back) and one
 * worker is SIGKILLed mid-write-back. A process supervisor (as systemd or Kubernetes would) restarts a
 * worker that exits; how many did besides the killed one is reported, not hidden.
 */
import { type HubSpotSandbox, startHubSpotSandbox } from '@closewise/sandboxes/hubspot';
import type { PortalData } from '@closewise/sandboxes/seed/portal-data';
import { generateSyntheticPortal } from '@closewise/sandboxes/seed/synthetic-portal';
import pg from 'pg';
import { closewisePropertyNames } from '../../connectors/hubspot/closewise-properties.ts';
import { createConnectorRegistry } from '../../connectors/registry.ts';
import { pendingScoreWrites } from '../../scoring/index.ts';
import type { ObjectType } from '../../store/schema.ts';
import { upsertTenant } from '../../tenants/tenant-repository.ts';
import { openTestPostgres } from '../../test-support/stores.ts';
import { InProcessEngine } from '../in-process-engine.ts';
import { PgBossEngine } from '../pg-boss-engine.ts';
import { createPostgresRateBudget } from '../rate-budget.ts';
import { createRealHandlers } from '../real-handlers.ts';
import { parseJobSettings } from '../settings.ts';
import { startWorkerProcess, type WorkerProcess } from './worker-process.ts';

const PLURAL = { deal: 'deals', contact: 'contacts', company: 'companies' } as const;
const TYPES = ['deal', 'contact', 'company'] as const;
const SHARDS = 4;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Store = Awaited<ReturnType<typeof openTestPostgres>>;
/** Closewise's properties per record, keyed `type/seed id` so two sandboxes compare. */
type Written = Map<string, Record<string, string | null>>;

export interface FaultRunReport {
  records: number;
  /** Records whose final Closewise values differ from the clean run's (or that the faulted run never wrote). */
  mismatched: number;
  /** Records the clean run wrote and the faulted run left without values. */
  lost: number;
  /** Largest (faulted − clean) API writes of one record; the target is ≤ 1. */
  maxExtraWrites: number;
  recordsWithExtraWrite: number;
  terminations: number;
  terminatedConnections: number;
  kills: number;
  /** Worker exits other than the SIGKILL (a worker dying on a terminated connection), each restarted. */
  unexpectedExits: number;
  firstUnexpectedExit: string | null;
  cleanSeconds: number;
  faultedSeconds: number;
}

interface Portal {
  sandbox: HubSpotSandbox;
  store: Store;
  tenantId: string;
  seedIds: Map<string, string>;
}

const key = Buffer.alloc(32, 21);

async function installPortal(data: PortalData): Promise<Portal> {
  const sandbox = await startHubSpotSandbox({ limits: false });
  const loaded = sandbox.loadPortal(data);
  const store = await openTestPostgres();
  const tenant = await upsertTenant(store.db, key, {
    crm: 'hubspot',
    externalId: String(sandbox.portalId),
    name: 'fault portal',
    authMode: 'private_app',
    tokens: { accessToken: sandbox.privateAppToken },
  });
  await (
    await createConnectorRegistry({ db: store.db, encryptionKey: key, hubspot: { basePath: sandbox.url } }).forTenant(tenant)
  ).install();
  // Sandbox id → `type/seed id`, so the two portals' records line up whatever ids they were given.
  const seedIds = new Map<string, string>();
  for (const type of TYPES) for (const [seed, id] of loaded.ids[PLURAL[type]]) seedIds.set(`${type}/${id}`, `${type}/${seed}`);
  return { sandbox, store, tenantId: tenant.id, seedIds };
}

async function closePortal(portal: Portal | undefined): Promise<void> {
  await portal?.sandbox.stop();
  await portal?.store.dispose();
}

/** Every record's Closewise values and API write count in the portal, by `type/seed id`. */
async function readPortal(portal: Portal): Promise<{ values: Written; writes: Map<string, number> }> {
  const values: Written = new Map();
  const writes = new Map<string, number>();
  const { Client } = await import('@hubspot/api-client');
  const client = new Client({ accessToken: portal.sandbox.privateAppToken, basePath: portal.sandbox.url });
  for (const type of TYPES) {
    let after: string | undefined;
    do {
      const page = await client.crm.objects.basicApi.getPage(PLURAL[type], 100, after, closewisePropertyNames(type));
      for (const r of page.results) {
        const seed = portal.seedIds.get(`${type}/${r.id}`);
        if (seed && closewisePropertyNames(type).some((name) => r.properties[name])) values.set(seed, r.properties);
      }
      after = page.paging?.next?.after;
    } while (after);
    for (const [id, n] of portal.sandbox.apiWritesPerRecord(PLURAL[type])) {
      const seed = portal.seedIds.get(`${type}/${id}`);
      if (seed) writes.set(seed, n);
    }
  }
  return { values, writes };
}

async function jobsDone(store: Store, type: string): Promise<number> {
  const rows = await store.db
    .selectFrom('job_runs')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('job_type', '=', type)
    .where('outcome', '=', 'completed')
    .executeTakeFirstOrThrow();
  return Number(rows.n);
}

/** Polls `check` until true; store reads that meet a terminated connection are simply tried again. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // A read on a connection just terminated: the next poll gets a fresh one.
    }
    if (Date.now() > deadline) throw new Error(`${what}: not reached within ${timeoutMs} ms`);
    await sleep(100);
  }
}

/** The clean run: the same production handlers in one process, nothing going wrong. */
async function cleanRun(data: PortalData, timeoutMs: number): Promise<{ values: Written; writes: Map<string, number>; seconds: number }> {
  const portal = await installPortal(data);
  const engine = new InProcessEngine({
    db: portal.store.db,
    handlers: createRealHandlers({
      db: portal.store.db,
      encryptionKey: key,
      hubSpotBasePath: portal.sandbox.url,
      budget: createPostgresRateBudget(portal.store.db, { requests: 100_000, windowMs: 10_000 }),
    }),
    settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' }, concurrency: 2 }),
    worker: 'clean',
  });
  const started = Date.now();
  try {
    await engine.start();
    await engine.enqueue('sync', { tenantId: portal.tenantId });
    await until('clean sync', async () => (await jobsDone(portal.store, 'sync')) >= 1, timeoutMs);
    await engine.enqueue('rescore', { tenantId: portal.tenantId, now: data.now, writeBackShards: SHARDS });
    await until('clean write-back', async () => (await jobsDone(portal.store, 'write-back')) >= SHARDS, timeoutMs);
    const seconds = (Date.now() - started) / 1000;
    return { ...(await readPortal(portal)), seconds };
  } finally {
    await engine.stop({ graceMs: 1000 });
    await closePortal(portal);
  }
}

/** Terminates every connection to the database but the one asking: Closewise's workers, pg-boss, the test's pool. */
async function terminateConnections(databaseUrl: string): Promise<number> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const result = await admin.query(
      'select pg_terminate_backend(pid) as ok from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()',
    );
    return result.rowCount ?? 0;
  } finally {
    await admin.end();
  }
}

/** Keeps `count` workers running: one that exits is started again, as a process supervisor would. */
class Supervisor {
  readonly workers = new Map<string, WorkerProcess>();
  unexpectedExits = 0;
  firstUnexpectedExit: string | null = null;
  private readonly expected = new Set<number>();
  private stopping = false;
  private restarts = 0;
  private readonly env: Record<string, string>;

  constructor(env: Record<string, string>) {
    this.env = env;
  }

  async start(names: string[]): Promise<void> {
    await Promise.all(names.map((name) => this.launch(name)));
  }

  private async launch(name: string): Promise<void> {
    const worker = await startWorkerProcess(name, this.env);
    this.workers.set(name, worker);
    void worker.exited.then(({ code, signal }) => {
      if (this.stopping) return;
      const pid = worker.child.pid ?? -1;
      if (!this.expected.has(pid)) {
        this.unexpectedExits++;
        this.firstUnexpectedExit ??= `${name} exited (${code ?? signal}): ${worker.stderr().split('\n').filter(Boolean).slice(-3).join(' | ')}`;
      }
      this.restarts++;
      void this.launch(`${name}-r${this.restarts}`).catch(() => undefined);
    });
  }

  /** SIGKILLs the named worker (the one running a job); the supervisor starts its replacement. */
  kill(name: string): boolean {
    const worker = this.workers.get(name);
    if (!worker?.child.pid || worker.child.exitCode !== null || worker.child.signalCode !== null) return false;
    this.expected.add(worker.child.pid);
    worker.child.kill('SIGKILL');
    return true;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    for (const w of this.workers.values()) {
      if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
    }
    await Promise.all([...this.workers.values()].map((w) => w.exited));
  }
}

/** The worker of a run of this type still under way, if any. */
async function runningWorker(store: Store, type: string): Promise<string | null> {
  const row = await store.db
    .selectFrom('job_runs')
    .select('worker')
    .where('job_type', '=', type)
    .where('outcome', 'is', null)
    .orderBy('started_at', 'desc')
    .executeTakeFirst();
  return row?.worker ?? null;
}
const runningJob = async (store: Store, type: string) => (await runningWorker(store, type)) !== null;

/** The faulted run: real worker processes, three rounds of terminated connections and one SIGKILL. */
async function faultedRun(
  data: PortalData,
  timeoutMs: number,
): Promise<{ values: Written; writes: Map<string, number>; seconds: number; report: Partial<FaultRunReport> }> {
  const portal = await installPortal(data);
  const supervisor = new Supervisor({
    DATABASE_URL: portal.store.databaseUrl,
    SANDBOX_URL: portal.sandbox.url,
    SANDBOX_TOKEN: portal.sandbox.privateAppToken,
    CONCURRENCY: '2',
    BUDGET_REQUESTS: '100000',
    HANDLERS: 'real',
    ENCRYPTION_KEY: key.toString('hex'),
  });
  const producer = new PgBossEngine({
    databaseUrl: portal.store.databaseUrl,
    db: portal.store.db,
    handlers: {},
    settings: parseJobSettings({ schedules: { sync: 'off', rescore: 'off', retrain: 'off' } }),
    work: false,
    registerSchedules: false,
  });
  let terminatedConnections = 0;
  const terminate = async () => {
    terminatedConnections += await terminateConnections(portal.store.databaseUrl);
  };
  const started = Date.now();
  try {
    await supervisor.start(['w1', 'w2', 'w3']);
    await producer.start();
    const enqueue = async (...args: Parameters<PgBossEngine['enqueue']>) => {
      await until(
        `enqueue ${args[0]}`,
        async () => {
          await producer.enqueue(...args);
          return true;
        },
        30_000,
      );
    };

    await enqueue('sync', { tenantId: portal.tenantId });
    await until(
      'sync under way',
      async () => (await runningJob(portal.store, 'sync')) && (await recordsStored(portal.store)) > 0,
      timeoutMs,
    );
    await terminate(); // 1: mid-sync
    await until('sync', async () => (await jobsDone(portal.store, 'sync')) >= 1, timeoutMs);

    // HubSpot answering slowly keeps the write-back going long enough for the faults to land inside it.
    portal.sandbox.faults.set({ latencyMs: 400 });
    await enqueue('rescore', { tenantId: portal.tenantId, now: data.now, writeBackShards: SHARDS });
    await until('scoring under way', () => runningJob(portal.store, 'rescore'), timeoutMs);
    await sleep(300);
    await terminate(); // 2: mid-scoring
    await until('write-back under way', async () => (await writtenCount(portal.store)) > 0, timeoutMs);
    await terminate(); // 3: mid-write-back
    let killed = false;
    await until(
      'a worker killed mid-write-back',
      async () => {
        const worker = await runningWorker(portal.store, 'write-back');
        killed = worker !== null && supervisor.kill(worker);
        return killed || (await pendingScoreWrites(portal.store.db, portal.tenantId)).length === 0;
      },
      timeoutMs,
    );
    await until(
      'every score written',
      async () =>
        (await jobsDone(portal.store, 'rescore')) >= 1 && (await pendingScoreWrites(portal.store.db, portal.tenantId)).length === 0,
      timeoutMs,
    );
    const seconds = (Date.now() - started) / 1000;
    return {
      ...(await readPortal(portal)),
      seconds,
      report: {
        terminations: 3,
        terminatedConnections,
        kills: killed ? 1 : 0,
        unexpectedExits: supervisor.unexpectedExits,
        firstUnexpectedExit: supervisor.firstUnexpectedExit,
      },
    };
  } finally {
    await supervisor.stop();
    await producer.stop({ graceMs: 1000 }).catch(() => undefined);
    await closePortal(portal);
  }
}

async function recordsStored(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('crm_records')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function writtenCount(store: Store): Promise<number> {
  const row = await store.db
    .selectFrom('scores')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('written_back_at', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Both runs on the same synthetic portal, compared record by record. */
export async function runWriteBackFaults(options: { contacts: number; seed?: number; timeoutMs?: number }): Promise<FaultRunReport> {
  const data = generateSyntheticPortal({ seed: options.seed ?? 18, contacts: options.contacts });
  const timeoutMs = options.timeoutMs ?? 10 * 60_000;
  const clean = await cleanRun(data, timeoutMs);
  const faulted = await faultedRun(data, timeoutMs);
  let mismatched = 0;
  let lost = 0;
  let maxExtraWrites = 0;
  let recordsWithExtraWrite = 0;
  for (const [record, expected] of clean.values) {
    const got = faulted.values.get(record);
    if (!got) {
      lost++;
      mismatched++;
      continue;
    }
    const type = record.slice(0, record.indexOf('/')) as ObjectType;
    if (closewisePropertyNames(type).some((name) => (got[name] ?? null) !== (expected[name] ?? null))) mismatched++;
  }
  for (const [record, n] of faulted.writes) {
    const extra = n - (clean.writes.get(record) ?? 0);
    if (extra > 0) recordsWithExtraWrite++;
    maxExtraWrites = Math.max(maxExtraWrites, extra);
  }
  return {
    records: clean.values.size,
    mismatched,
    lost,
    maxExtraWrites,
    recordsWithExtraWrite,
    terminations: faulted.report.terminations ?? 0,
    terminatedConnections: faulted.report.terminatedConnections ?? 0,
    kills: faulted.report.kills ?? 0,
    unexpectedExits: faulted.report.unexpectedExits ?? 0,
    firstUnexpectedExit: faulted.report.firstUnexpectedExit ?? null,
    cleanSeconds: clean.seconds,
    faultedSeconds: faulted.seconds,
  };
}
