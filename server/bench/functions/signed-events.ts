// HubSpot-signed Lambda HTTP events (payload 2.0) for the functions bench, built before any timing starts:
// signing is the load generator's work (HubSpot's, in production), not the handler's.
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';

export type LambdaHttpHandler = (event: unknown) => Promise<{ statusCode: number }>;

/** A signed card read as a Function URL delivers it: `rawPath` + `rawQueryString`, the signature over PUBLIC_BASE_URL. */
export function signedCardRead(pathAndQuery: string, origin: string, secret: string) {
  const [rawPath = '/', rawQueryString = ''] = pathAndQuery.split('?');
  const timestamp = String(Date.now());
  const signature = computeSignatureV3(secret, { method: 'GET', uri: `${origin}${pathAndQuery}`, rawBody: '', timestamp });
  const host = new URL(origin).host;
  return {
    version: '2.0',
    routeKey: '$default',
    rawPath,
    rawQueryString,
    headers: { host, 'x-forwarded-proto': 'https', [SIGNATURE_HEADER]: signature, [TIMESTAMP_HEADER]: timestamp },
    requestContext: {
      http: { method: 'GET', path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'bench' },
      domainName: host,
      stage: '$default',
    },
    isBase64Encoded: false,
  };
}

/** The p-th percentile (0–100) of latencies in ms, nearest rank. */
export function percentile(latencies: number[], p: number): number {
  const sorted = [...latencies].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? 0;
}
