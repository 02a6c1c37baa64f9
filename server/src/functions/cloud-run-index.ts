// Google Cloud Run functions entry of the bundle (server/dist/functions/gcp/index.mjs). Deploy it three
// times with --entry-point closewise | closewiseSchedule | closewiseDrain (docs/deploy-serverless.md).
// Each instance builds only what its entry point serves: FUNCTION_TARGET names it.
import type { Request, Response } from 'express';
import { failStartup } from './startup-failure.ts';

type HttpFunction = (req: Request, res: Response) => void;

const target = process.env.FUNCTION_TARGET ?? 'closewise';
const unused: HttpFunction = (_req, res) => {
  res.status(404).json({ error: { code: 'NOT_FOUND', message: `this instance serves ${target}` } });
};

async function load(): Promise<Record<'closewise' | 'closewiseSchedule' | 'closewiseDrain', HttpFunction>> {
  if (target === 'closewiseSchedule' || target === 'closewiseDrain') {
    const [{ createJobFunctions }, { cloudSchedulerFunctions }] = await Promise.all([
      import('./job-functions.ts'),
      import('./cloud-run-jobs.ts'),
    ]);
    const jobs = await createJobFunctions(process.env);
    const fns = cloudSchedulerFunctions(jobs, process.env.CLOSEWISE_SCHEDULER_SECRET || undefined);
    return { closewise: unused, closewiseSchedule: fns.schedule, closewiseDrain: fns.drain };
  }
  const { createFunctionHttpApp } = await import('./http-app.ts');
  const { app } = await createFunctionHttpApp(process.env);
  return { closewise: (req, res) => app(req, res), closewiseSchedule: unused, closewiseDrain: unused };
}

const fns = await load().catch(failStartup);
export const closewise = fns.closewise;
export const closewiseSchedule = fns.closewiseSchedule;
export const closewiseDrain = fns.closewiseDrain;
