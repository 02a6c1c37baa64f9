import { buildApp } from '../../http/app.ts';
import { listen } from '../../http/listen.ts';
import { openRuntime } from '../../runtime/runtime.ts';
import type { Command } from '../command.ts';

export const serveCommand: Command = {
  name: 'serve',
  summary: 'Run the Closewise backend (card API, webhooks, health) until SIGTERM or Ctrl-C.',
  options: { port: { type: 'string' }, host: { type: 'string' } },
  optionHelp: { port: 'port to listen on (default PORT or 3000; 0 = any free port)', host: 'address to bind (default HOST or 127.0.0.1)' },
  async run({ values, io }) {
    const runtime = await openRuntime(io.env);
    const port = values.port === undefined ? runtime.config.PORT : Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      await runtime.close();
      io.stderr.write(`closewise serve: --port must be a whole number from 0 to 65535, got '${values.port}'\n`);
      return 2;
    }
    const app = buildApp({ db: runtime.store.db, logger: runtime.logger });
    const server = await listen(app, typeof values.host === 'string' ? values.host : runtime.config.HOST, port);
    runtime.logger.info({ url: server.url, store: runtime.store.engine }, 'closewise backend listening');
    io.stdout.write(`Closewise backend on ${server.url} (store: ${runtime.store.engine})\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
    await server.close();
    await runtime.close();
    return 0;
  },
};
