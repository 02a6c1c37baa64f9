import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import type { JobFunctions } from './job-functions.ts';
import { firedAt, parseScheduledEvent } from './trigger-events.ts';

export const SCHEDULER_SECRET_HEADER = 'x-closewise-scheduler-secret';

function sameSecret(expected: string, got: string | undefined): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(got ?? '');
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The Cloud Scheduler targets (HTTP functions): each call must carry the shared secret in
 * X-Closewise-Scheduler-Secret (set as a header of the Cloud Scheduler job); without the secret configured
 * nothing is run at all, so a public function URL never lets anyone trigger a sync.
 */
export function cloudSchedulerFunctions(jobs: JobFunctions, secret: string | undefined) {
  const guard = (req: Request, res: Response): boolean => {
    if (secret && sameSecret(secret, req.get(SCHEDULER_SECRET_HEADER))) return true;
    res.status(401).json({
      error: { code: 'UNAUTHORIZED', message: secret ? 'Scheduler secret missing or wrong.' : 'CLOSEWISE_SCHEDULER_SECRET is not set.' },
    });
    return false;
  };
  const respond = (res: Response, work: Promise<unknown>) =>
    work.then(
      (body) => res.status(200).json(body),
      (error: unknown) =>
        res.status(500).json({ error: { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) } }),
    );
  return {
    schedule(req: Request, res: Response): void {
      if (!guard(req, res)) return;
      void respond(res, jobs.tick(firedAt(parseScheduledEvent(req.body), req.get('x-cloudscheduler-scheduletime'))));
    },
    drain(req: Request, res: Response): void {
      if (!guard(req, res)) return;
      const requested = parseScheduledEvent(req.body).budgetSeconds;
      void respond(res, jobs.drain(requested ? requested * 1000 : jobs.budgetMs));
    },
  };
}
