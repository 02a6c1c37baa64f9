import type { CommandIo } from '../cli/command.ts';
import { buildApp } from '../http/app.ts';
import { listen } from '../http/listen.ts';
import type { Runtime } from '../runtime/runtime.ts';
import type { DemoRun } from './run-demo.ts';

/** Keeps the backend and the sandbox portal running after the demo until Ctrl-C or SIGTERM. */
export async function serveDemo(runtime: Runtime, run: DemoRun, io: CommandIo): Promise<void> {
  const app = buildApp({ db: runtime.store.db, logger: runtime.logger });
  const server = await listen(app, '127.0.0.1', 0);
  io.stdout.write(
    `\nBackend: ${server.url}  (health: ${server.url}/healthz)\nSandbox HubSpot portal ${run.portal.portalId}: ${run.portal.url}\nPress Ctrl-C to stop.\n`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGTERM', () => resolve());
    process.once('SIGINT', () => resolve());
  });
  await server.close();
}
