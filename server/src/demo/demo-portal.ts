// The demo's stand-in for a customer's HubSpot portal: the local sandbox from test/, seeded with the
// synthetic portal whose outcomes were drawn from known probabilities. Only the demo imports test code.
import { startHubSpotSandbox } from '../../../test/sandboxes/hubspot/index.ts';
import type { PortalData } from '../../../test/sandboxes/seed/portal-data.ts';
import { generateSyntheticPortal } from '../../../test/sandboxes/seed/synthetic-portal.ts';

export interface DemoPortal {
  url: string;
  portalId: string;
  accessToken: string;
  data: PortalData;
  /** Planted probabilities keyed by the portal's record ids. */
  truth: PortalData['truth'];
  stop(): Promise<void>;
}

export async function startDemoPortal(seed: number): Promise<DemoPortal> {
  const data = generateSyntheticPortal({ seed });
  // A fixed portal id per seed keeps the demo's tenant (and so its summary) the same run after run.
  const sandbox = await startHubSpotSandbox({ port: 0, portalId: 24_000_000 + seed });
  const loaded = sandbox.loadPortal(data);
  // The portal gives records its own ids; the planted truth is re-keyed by them for the oracle AUC.
  const rekey = (truth: Record<string, number>, type: 'deals' | 'contacts') =>
    Object.fromEntries(Object.entries(truth).map(([seedId, p]) => [loaded.ids[type].get(seedId) ?? seedId, p]));
  const truth = data.truth && {
    dealWin: rekey(data.truth.dealWin, 'deals'),
    contactConversion: rekey(data.truth.contactConversion, 'contacts'),
  };
  return {
    url: sandbox.url,
    portalId: String(sandbox.portalId),
    accessToken: sandbox.privateAppToken,
    data,
    truth,
    stop: () => sandbox.stop(),
  };
}
