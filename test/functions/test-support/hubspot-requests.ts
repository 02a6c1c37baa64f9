import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';

export const CLIENT_SECRET = 'functions-test-client-secret';
export const APP_ID = '4242';
/** The origin HubSpot calls and signs: a Function URL. */
export const PUBLIC_BASE_URL = 'https://abcdefghij.lambda-url.us-east-1.on.aws';

export interface SignedRequest {
  method: 'GET' | 'POST';
  /** Path and query exactly as HubSpot calls them. */
  pathAndQuery: string;
  body?: string;
  headers: Record<string, string>;
}

/** A request signed as HubSpot signs it (v3: method + public URL + body + timestamp), or forged with the wrong secret. */
export function signed(method: 'GET' | 'POST', pathAndQuery: string, body?: string, options: { forge?: boolean } = {}): SignedRequest {
  const timestamp = String(Date.now());
  const secret = options.forge ? 'not-the-client-secret' : CLIENT_SECRET;
  const signature = computeSignatureV3(secret, { method, uri: `${PUBLIC_BASE_URL}${pathAndQuery}`, rawBody: body ?? '', timestamp });
  const headers: Record<string, string> = { [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp };
  if (body !== undefined) headers['content-type'] = 'application/json';
  return { method, pathAndQuery, ...(body === undefined ? {} : { body }), headers };
}

let eventId = 1000;
/** One webhook batch: a property change of a deal, with a fresh event id each time. */
export function webhookBody(portalId: string | number, dealId: string): string {
  eventId += 1;
  return JSON.stringify([
    {
      eventId,
      subscriptionId: 77,
      portalId: Number(portalId),
      appId: Number(APP_ID),
      occurredAt: Date.now(),
      subscriptionType: 'deal.propertyChange',
      attemptNumber: 0,
      objectId: Number(dealId),
      propertyName: 'amount',
      propertyValue: '1000',
      changeSource: 'CRM_UI',
    },
  ]);
}

/** Sends a signed request to a listening server (closewise serve's app, the functions framework). */
export async function send(origin: string, request: SignedRequest): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${origin}${request.pathAndQuery}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body === undefined ? {} : { body: request.body }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}
