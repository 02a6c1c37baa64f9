// Sandbox capacity check: loads a 100k-contact synthetic portal, then pages every contact through the SDK.
// Prints numbers; asserts nothing (timings belong here, not in tests). Run: node test/sandboxes/hubspot/bench.ts
import { Client } from '@hubspot/api-client';
import { FilterOperatorEnum } from '@hubspot/api-client/lib/codegen/crm/contacts/index.js';
import { generateSyntheticPortal } from '../seed/synthetic-portal.ts';
import { startHubSpotSandbox } from './index.ts';

const contacts = Number(process.argv[2] ?? 100_000);
let t = performance.now();
const sandbox = await startHubSpotSandbox({ limits: false });
console.log(`start: ${(performance.now() - t).toFixed(1)} ms`);
t = performance.now();
const data = generateSyntheticPortal({ seed: 1, contacts });
console.log(`generate ${contacts} contacts: ${(performance.now() - t).toFixed(0)} ms`);
t = performance.now();
const loaded = sandbox.loadPortal(data);
console.log(`load: ${(performance.now() - t).toFixed(0)} ms`, loaded.counts, 'undeclared:', loaded.undeclaredProperties);
console.log(`heap used: ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);

const client = new Client({ accessToken: sandbox.privateAppToken, basePath: sandbox.url });
t = performance.now();
let seen = 0;
let after: string | undefined;
let requests = 0;
do {
  const page = await client.crm.contacts.basicApi.getPage(100, after, ['email', 'lifecyclestage']);
  seen += page.results.length;
  requests++;
  after = page.paging?.next?.after;
} while (after);
const ms = performance.now() - t;
console.log(`paged ${seen} contacts in ${requests} requests: ${ms.toFixed(0)} ms (${(ms / requests).toFixed(2)} ms/request)`);
t = performance.now();
const search = await client.crm.contacts.searchApi.doSearch({
  filterGroups: [{ filters: [{ propertyName: 'lifecyclestage', operator: FilterOperatorEnum.Eq, value: 'customer' }] }],
  limit: 200,
});
console.log(`search over ${contacts}: total ${search.total}, ${(performance.now() - t).toFixed(0)} ms`);
await sandbox.stop();
