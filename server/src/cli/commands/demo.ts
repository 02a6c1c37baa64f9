import { openRuntime } from '../../runtime/runtime.ts';
import { resolveEncryptionKey } from '../../security/encryption-key.ts';
import type { Command } from '../command.ts';
import { UsageError } from '../command.ts';
import { stepProgress } from '../step-progress.ts';

export const demoCommand: Command = {
  name: 'demo',
  summary: 'Run the main job on a local sandbox portal: install, sync, train, score, write back, and print a summary.',
  options: {
    seed: { type: 'string' },
    serve: { type: 'boolean' },
    crm: { type: 'string' },
    portal: { type: 'string' },
    'data-dir': { type: 'string' },
  },
  optionHelp: {
    seed: 'seed of the synthetic portal (default 42); the same seed gives the same summary',
    crm: 'hubspot (default) or salesforce: which sandbox CRM the demo installs into',
    portal: 'synthetic (default) or maven: the HubSpot demo portal; maven loads the public Maven CRM sample (../shared/datasets)',
    serve: 'keep the backend and the sandbox running and print a card URL and a preview link',
    'data-dir': 'folder of the embedded store (default CLOSEWISE_DATA_DIR or ./.closewise); ignored when DATABASE_URL is set',
  },
  details: 'The summary goes to standard output; progress goes to standard error.',
  async run({ values, io }) {
    const seed = values.seed === undefined ? 42 : Number(values.seed);
    if (!Number.isSafeInteger(seed) || seed < 0) throw new UsageError(`--seed must be a whole number ≥ 0, got '${values.seed}'`);
    const crm = values.crm ?? 'hubspot';
    if (crm !== 'hubspot' && crm !== 'salesforce') throw new UsageError(`--crm must be hubspot or salesforce, got '${crm}'`);
    const portal = values.portal ?? 'synthetic';
    if (portal !== 'synthetic' && portal !== 'maven') throw new UsageError(`--portal must be synthetic or maven, got '${portal}'`);
    if (portal === 'maven' && crm !== 'hubspot')
      throw new UsageError('--portal maven loads the HubSpot sandbox: use it with --crm hubspot');
    if (values.serve && crm !== 'hubspot') throw new UsageError('--serve shows the HubSpot card preview: use it with --crm hubspot');
    const runtime = await openRuntime(io.env, {
      LOG_LEVEL: 'warn',
      ...(typeof values['data-dir'] === 'string' ? { CLOSEWISE_DATA_DIR: values['data-dir'] } : {}),
    });
    // Loaded on use: the demo pulls in the sandbox, the trainer and ONNX Runtime, which other commands never need.
    const [{ runDemo }, { collectDemoFacts }, { formatSummary }, { serveDemo }] = await Promise.all([
      import('../../demo/run-demo.ts'),
      import('../../demo/facts.ts'),
      import('../../demo/summary.ts'),
      import('../../demo/serve-demo.ts'),
    ]);
    const progress = stepProgress(io.stderr);
    try {
      const key = resolveEncryptionKey(runtime.config);
      const run = await runDemo({ db: runtime.store.db, encryptionKey: key, seed, crm, portal, onStep: progress.report });
      progress.end();
      try {
        const facts = await collectDemoFacts(runtime.store.db, run, { seed, store: runtime.store.engine });
        io.stdout.write(formatSummary(facts));
        if (values.serve) {
          await serveDemo(runtime, run, key, io);
        }
      } finally {
        await run.portal.stop();
      }
      return 0;
    } finally {
      progress.end();
      await runtime.close();
    }
  },
};
