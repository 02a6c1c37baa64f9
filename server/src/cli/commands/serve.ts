import { loadConfig, requirePublicBaseUrl } from '../../config/config.ts';
import { startHubSpotPrivateApp } from '../../http/hubspot-private-app.ts';
import { listen } from '../../http/listen.ts';
import { buildServeApp } from '../../http/serve-app.ts';
import { createRuntimeRateBudget } from '../../jobs/runtime-budget.ts';
import { loadJobSettings } from '../../jobs/settings.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import { waitForStopSignal } from '../../runtime/wait-for-signal.ts';
import { type Command, UsageError } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Closewise backend (card API, webhooks, health) until SIGTERM or Ctrl-C.',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  optionHelp: { port: 'port to listen on (default PORT or 3000; 0 = any free port)', host: 'address to bind (default HOST or 127.0.0.1)' },
  async run({ values, io }) {
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new UsageError(`--port must be a whole number from 0 to 65535, got '${values.port}'`);
    }
    const bindHost = typeof values.host === 'string' ? values.host : loadConfig(io.env).HOST;
    // Checked before the store opens: a misconfigured production serve stops with one line, having touched nothing.
    requirePublicBaseUrl(loadConfig(io.env), bindHost);
    const runtime = await openRuntime(io.env);
    // Jobs run in this process on the embedded store; with DATABASE_URL it only queues them for `closewise worker`s.
    // Both share one per-portal budget with the webhook refreshes (in PostgreSQL, with every worker too).
    // Anything that fails from here on (a job setting, the private-app install, a port in use) closes what is
    // open, so serve exits with the message instead of hanging on an open store or engine.
    let served: ReturnType<typeof buildServeApp> | undefined;
    let server: Awaited<ReturnType<typeof listen>>;
    try {
      // Jobs run in this process on the embedded store; with DATABASE_URL it only queues them for `closewise worker`s.
      // Both share one per-portal budget with the webhook refreshes (in PostgreSQL, with every worker too).
      const budget = createRuntimeRateBudget(runtime, loadJobSettings(io.env));
      const jobs = await (await import('../../jobs/embedded.ts')).startEmbeddedJobs(runtime, io.env, { budget });
      served = buildServeApp(runtime, jobs, io.env, budget);
      // Private-app mode installs its portal before listening: a token HubSpot refuses stops serve here, with why.
      const privateApp = await startHubSpotPrivateApp(runtime, jobs, served.hubSpotMounted);
      for (const line of privateApp) {
        runtime.logger.warn(line);
        io.stdout.write(`${line}\n`);
      }
      if (!served.hubSpotMounted && privateApp.length === 0)
        runtime.logger.warn('HUBSPOT_CLIENT_SECRET is not set: the card API, webhooks and OAuth install are not mounted');
      server = await listen(served.app, bindHost, port ?? runtime.config.PORT);
    } catch (error) {
      await served?.stop();
      await runtime.close();
      throw error;
    }
    runtime.logger.info({ url: server.url, store: runtime.store.engine }, 'closewise backend listening');
    io.stdout.write(`Closewise backend on ${server.url} (store: ${runtime.store.engine})\n`);
    await waitForStopSignal();
    await server.close();
    await served.stop();
    await runtime.close();
    return 0;
  },
};
