import type { PortalData } from '../seed/portal-data.ts';
import { generateSyntheticPortal } from '../seed/synthetic-portal.ts';
import { type SalesforceSandbox, startSalesforceSandbox } from './sandbox.ts';

/**
 * The demo's stand-in for a customer's Salesforce org: the sandbox seeded with the synthetic portal.
 * `authorizationCode()` plays the admin clicking "Allow" on the sandbox's consent page, so the demo runs the
 * real OAuth web-server flow: pass the code to completeAuthorization / connectSalesforceOrg. Its callback URL
 * is registered on the sandbox's default app (fixtures/connected-app.ts).
 */
export interface SalesforceDemoOrg {
  sandbox: SalesforceSandbox;
  data: PortalData;
  /** Seed id → Salesforce id. */
  idMap: Map<string, string>;
  /** Planted probabilities keyed by Salesforce ids (contacts that became Leads or Contacts alike). */
  truth: PortalData['truth'];
  oauth: { loginUrl: string; clientId: string; clientSecret: string; redirectUri: string };
  authorizationCode(): Promise<string>;
  stop(): Promise<void>;
}

export async function startSalesforceDemoOrg(seed: number, options: { contacts?: number } = {}): Promise<SalesforceDemoOrg> {
  const data = generateSyntheticPortal({ seed, ...(options.contacts ? { contacts: options.contacts } : {}) });
  const sandbox = await startSalesforceSandbox();
  const { idMap } = sandbox.loadPortal(data);
  const rekey = (truth: Record<string, number>) =>
    Object.fromEntries(Object.entries(truth).map(([seedId, p]) => [idMap.get(seedId) ?? seedId, p]));
  const oauth = {
    loginUrl: sandbox.loginUrl,
    clientId: sandbox.clientId,
    clientSecret: sandbox.clientSecret,
    redirectUri: 'http://127.0.0.1/closewise/oauth/salesforce/callback',
  };
  return {
    sandbox,
    data,
    idMap,
    truth: data.truth && { dealWin: rekey(data.truth.dealWin), contactConversion: rekey(data.truth.contactConversion) },
    oauth,
    async authorizationCode() {
      const params = new URLSearchParams({
        response_type: 'code',
        client_id: oauth.clientId,
        redirect_uri: oauth.redirectUri,
        state: 'demo',
      });
      const callback = await sandbox.approveAuthorization(`${oauth.loginUrl}/services/oauth2/authorize?${params.toString()}`);
      const code = callback.searchParams.get('code');
      if (!code) throw new Error(`sandbox authorize redirected without a code: ${callback.search}`);
      return code;
    },
    stop: () => sandbox.stop(),
  };
}
