import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadInputError } from '../errors/errors.ts';
import { openRuntime, type Runtime } from '../runtime/runtime.ts';
import { startEmbeddedJobs } from './embedded.ts';
import { InProcessEngine } from './in-process-engine.ts';

describe('embedded jobs in closewise serve', () => {
  // One embedded runtime for the file: opening PGlite takes seconds.
  let runtime: Runtime;
  let closed = false;
  beforeAll(async () => {
    runtime = await openRuntime({ LOG_LEVEL: 'silent' }, { CLOSEWISE_DATA_DIR: 'memory://' });
  });
  afterAll(async () => {
    if (!closed) await runtime.close();
  });

  it('rejects an invalid schedule before starting, naming the setting', async () => {
    const env = { CLOSEWISE_SCHEDULE_RESCORE: '0 2 * * 8' };
    await expect(startEmbeddedJobs(runtime, env, { handlers: {} })).rejects.toThrow(BadInputError);
    await expect(startEmbeddedJobs(runtime, env, { handlers: {} })).rejects.toThrow(/schedules\.rescore.*CLOSEWISE_SCHEDULE_RESCORE/);
  });

  it('leaves the jobs to workers when told to', async () => {
    expect(await startEmbeddedJobs(runtime, { CLOSEWISE_JOBS: 'off' }, { handlers: {} })).toBeNull();
  });

  it('runs the in-process engine on the embedded store and stops it when the runtime closes', async () => {
    const engine = await startEmbeddedJobs(runtime, {}, { handlers: {} });
    expect(engine).toBeInstanceOf(InProcessEngine);
    let stopped = false;
    const stop = engine?.stop.bind(engine);
    if (engine && stop) {
      engine.stop = async (options) => {
        stopped = true;
        await stop(options);
      };
    }
    await runtime.close();
    closed = true;
    expect(stopped).toBe(true);
  });
});
