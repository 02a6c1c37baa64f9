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
  stop(): Promise<void>;
}

export async function startDemoPortal(seed: number): Promise<DemoPortal> {
  const data = generateSyntheticPortal({ seed });
  const sandbox = await startHubSpotSandbox({ port: 0 });
  await sandbox.loadPortal(data);
  return { url: sandbox.url, portalId: String(sandbox.portalId), accessToken: sandbox.privateAppToken, data, stop: () => sandbox.stop() };
}
