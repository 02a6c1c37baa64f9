// Runs N warm Lambda instances (lambda-instance.worker.ts) side by side and releases them together: the
// model of "20 concurrent card reads" on Lambda, where each in-flight request has an instance of its own.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { percentile } from './signed-events.ts';

const WORKER = new URL('./lambda-instance.worker.ts', import.meta.url).pathname;

export interface FleetOptions {
  entry: string;
  paths: string[];
  instances: number;
  requestsPerInstance: number;
  warmupPerInstance: number;
  env: NodeJS.ProcessEnv;
}

export interface FleetResult {
  instances: number;
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  /** Requests answered per second by the whole fleet while all were released. */
  throughput: number;
  statuses: Record<string, number>;
  coldMsMedian: number;
}

interface InstanceReport {
  coldMs: number;
  firstStatus: number;
  latencies: number[];
  statuses: Record<string, number>;
}

export async function runLambdaFleet(options: FleetOptions): Promise<FleetResult> {
  const children = Array.from({ length: options.instances }, () =>
    spawn(
      process.execPath,
      [
        WORKER,
        '--entry',
        options.entry,
        '--paths',
        options.paths.join(','),
        '--requests',
        String(options.requestsPerInstance),
        '--warmup',
        String(options.warmupPerInstance),
      ],
      { env: options.env, stdio: ['pipe', 'pipe', 'inherit'] },
    ),
  );
  const lines = children.map((child) => createInterface({ input: child.stdout })[Symbol.asyncIterator]());
  const nextLine = async (i: number): Promise<string> => {
    const { value, done } = await (lines[i] as AsyncIterator<string>).next();
    if (done) throw new Error(`lambda instance ${i} exited before reporting`);
    return value;
  };
  // Instances start one after another's init is under way; all must be warm before any is timed.
  await Promise.all(children.map(async (_, i) => expectReady(await nextLine(i), i)));
  const released = performance.now();
  for (const child of children) child.stdin.end('go\n');
  const reports = await Promise.all(children.map(async (_, i) => JSON.parse(await nextLine(i)) as InstanceReport));
  const elapsedS = (performance.now() - released) / 1000;
  const latencies = reports.flatMap((r) => r.latencies);
  const statuses: Record<string, number> = {};
  for (const report of reports) for (const [status, n] of Object.entries(report.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    instances: options.instances,
    requests: latencies.length,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
    p99Ms: percentile(latencies, 99),
    throughput: Math.round(latencies.length / elapsedS),
    statuses,
    coldMsMedian: percentile(
      reports.map((r) => r.coldMs),
      50,
    ),
  };
}

function expectReady(line: string, i: number): void {
  if (line !== 'ready') throw new Error(`lambda instance ${i} said ${line}`);
}
