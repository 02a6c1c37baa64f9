// Runs a sandbox org until interrupted, for poking at it by hand (curl, jsforce, a local connector).
//   node test/sandboxes/salesforce/serve.ts [--port 8091] [--contacts 2000] [--seed 1] [--daily-limit 15000]
import { parseArgs } from 'node:util';
import { generateSyntheticPortal } from '../seed/synthetic-portal.ts';
import { startSalesforceSandbox } from './sandbox.ts';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8091' },
    contacts: { type: 'string', default: '2000' },
    seed: { type: 'string', default: '1' },
    'daily-limit': { type: 'string', default: '15000' },
  },
});

const sandbox = await startSalesforceSandbox({ port: Number(values.port), dailyLimit: Number(values['daily-limit']) });
const { counts } = sandbox.loadPortal(generateSyntheticPortal({ seed: Number(values.seed), contacts: Number(values.contacts) }));
const tokens = sandbox.issueTokens();
console.log(
  JSON.stringify(
    {
      url: sandbox.url,
      loginUrl: sandbox.loginUrl,
      apiVersion: sandbox.apiVersion,
      clientId: sandbox.clientId,
      clientSecret: sandbox.clientSecret,
      ...tokens,
      counts,
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
