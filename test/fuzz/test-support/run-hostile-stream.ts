import { Agent } from 'node:http';
import { type HostileRequest, hostileRequests, type Target } from './hostile-requests.ts';
import { SeededRandom } from './seeded-random.ts';
import { type RawAnswer, sendRaw } from './send-raw.ts';

export const SLOW_MS = 5000;
const CONCURRENCY = 8;

export interface Outcome {
  request: HostileRequest;
  answer: RawAnswer;
}

export interface StreamReport {
  outcomes: Outcome[];
  byStatus: Map<string, number>;
  /** Answers ≥ 500 other than the ones `allowed` (the CRM-is-down answers when the CRMs are down). */
  serverErrors: Outcome[];
  slow: Outcome[];
  /** Ended without a status, other than what the server refuses on the wire (and answered fast). */
  unanswered: Outcome[];
  /** One line for the test log: counts by status and of each kind of failure. */
  line: string;
}

/** The first failures, one line each, for an assertion message. */
export function summarize(list: Outcome[]): string[] {
  return list
    .slice(0, 15)
    .map(
      ({ request, answer }) =>
        `${answer.status} ${Math.round(answer.ms)}ms ${request.label} ${request.method} ${request.path.slice(0, 120)} → ${answer.text.slice(0, 160)}`,
    );
}

/**
 * Sends the seeded hostile stream (`count` requests over every route, 8 at a time) to `target.origin` and
 * sorts the answers. `allowed` names the 5xx statuses the caller expects (none when the CRMs are live).
 */
export async function runHostileStream(
  target: Target,
  options: { seed: number; count: number; allowed?: ReadonlySet<number>; name: string },
): Promise<StreamReport> {
  const requests = hostileRequests(new SeededRandom(options.seed), target, options.count);
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const outcomes: Outcome[] = [];
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      for (let i = next++; i < requests.length; i = next++) {
        const request = requests[i] as HostileRequest;
        outcomes.push({ request, answer: await sendRaw(agent, target.origin, request, SLOW_MS * 2) });
      }
    }),
  );
  agent.destroy();
  const elapsed = performance.now() - started;

  const byStatus = new Map<string, number>();
  for (const { answer } of outcomes) byStatus.set(String(answer.status), (byStatus.get(String(answer.status)) ?? 0) + 1);
  const allowed = options.allowed ?? new Set<number>();
  const serverErrors = outcomes.filter(({ answer }) => answer.status !== null && answer.status >= 500 && !allowed.has(answer.status));
  const slow = outcomes.filter(({ answer }) => answer.ms >= SLOW_MS);
  const resets = outcomes.filter(({ answer }) => answer.status === null).length;
  // A reset is an answer only for what the server refuses on the wire; anything else must get a status.
  const unanswered = outcomes.filter(({ request, answer }) => answer.status === null && !(request.refusedOnTheWire && answer.ms < SLOW_MS));
  const excused = allowed.size > 0 ? ` (not ${[...allowed].join('/')})` : '';
  const line =
    `fuzz ${options.name} seed ${options.seed}: ${outcomes.length} requests in ${Math.round(elapsed)} ms; ` +
    `statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort()))}; ` +
    `5xx${excused} ${serverErrors.length}, ≥ ${SLOW_MS} ms ${slow.length}, unanswered ${unanswered.length} ` +
    `(connection resets of requests refused on the wire: ${resets - unanswered.length})`;
  return { outcomes, byStatus, serverErrors, slow, unanswered, line };
}
