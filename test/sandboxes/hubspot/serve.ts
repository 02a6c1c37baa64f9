// Runs a sandbox portal until interrupted, for poking at it by hand (curl, the SDK, a local connector).
//   node test/sandboxes/hubspot/serve.ts [--port 8090] [--portal synthetic|bank|maven|empty] [--contacts 2000] [--seed 1] [--no-limits]
import { parseArgs } from 'node:util';
import type { PortalData } from '../seed/portal-data.ts';
import { generateSyntheticPortal } from '../seed/synthetic-portal.ts';
import { loadBankMarketing } from './datasets/bank-marketing.ts';
import { loadMaven } from './datasets/maven.ts';
import { startHubSpotSandbox } from './index.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8090' },
    portal: { type: 'string', default: 'synthetic' },
    contacts: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    'no-limits': { type: 'boolean', default: false },
  },
});

function portalData(kind: string): PortalData | undefined {
  if (kind === 'synthetic') return generateSyntheticPortal({ seed: Number(values.seed), contacts: Number(values.contacts) });
  if (kind === 'bank') return loadBankMarketing({ limit: Number(values.contacts) });
  if (kind === 'maven') return loadMaven();
  if (kind === 'empty') return undefined;
  throw new Error(`--portal must be synthetic, bank, maven or empty (got ${kind})`);
}

const sandbox = await startHubSpotSandbox({ port: Number(values.port), ...(values['no-limits'] ? { limits: false } : {}) });
const data = portalData(values.portal);
const loaded = data ? sandbox.loadPortal(data) : undefined;
console.log(
  JSON.stringify(
    {
      url: sandbox.url,
      portalId: sandbox.portalId,
      privateAppToken: sandbox.privateAppToken,
      oauth: { clientId: sandbox.oauth.clientId, clientSecret: sandbox.oauth.clientSecret, appId: sandbox.oauth.appId },
      counts: loaded?.counts,
    },
    null,
    2,
  ),
);
const stop = () => {
  void sandbox.stop().then(() => process.exit(0));
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
