import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';

/** A card's GET as HubSpot's hubspot.fetch sends it: signature v3 over method + full URL + body + timestamp. */
export async function signedCardRead(origin: string, clientSecret: string, path: string): Promise<{ status: number; body: unknown }> {
  const url = `${origin}${path}`;
  const timestamp = String(Date.now());
  const signature = computeSignatureV3(clientSecret, { method: 'GET', uri: url, rawBody: '', timestamp });
  const response = await fetch(url, { headers: { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp } });
  const text = await response.text();
  return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined };
}

/** Polls the signed card reads of `dealIds` until one of them is scored (the first sync, training and scoring ran). */
export async function waitForScoredDeal(
  origin: string,
  clientSecret: string,
  portalId: number,
  dealIds: string[],
  timeoutMs: number,
): Promise<{ id: string; body: { state: string; winProbability?: number } }> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  while (Date.now() < deadline) {
    for (const id of dealIds) {
      const read = await signedCardRead(origin, clientSecret, `/api/hubspot/cards/deals/${id}?portalId=${portalId}`);
      last = read;
      const body = read.body as { state?: string; winProbability?: number } | undefined;
      if (read.status === 200 && body?.state === 'scored') return { id, body: body as { state: string; winProbability?: number } };
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`no deal was scored within ${timeoutMs} ms; last answer: ${JSON.stringify(last)}`);
}
