import type { AddressInfo } from 'node:net';
import { computeSignatureV3, SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import express from 'express';
import type { HubSpotCardApiDeps } from '../deps.ts';
import { createHubSpotCardRouter } from '../router.ts';

export interface SignOptions {
  secret?: string;
  timestamp?: number;
  /** Replace the signature with this value (forgery tests). */
  signature?: string;
  unsigned?: boolean;
}

/** Starts the real router in a real Express app on a free port and returns a client that signs like HubSpot. */
export async function startCardApi(deps: HubSpotCardApiDeps) {
  const app = express();
  app.use(createHubSpotCardRouter(deps));
  const server = app.listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  async function request(method: string, path: string, body?: unknown, options: SignOptions = {}) {
    const url = `${origin}${path}`;
    const rawBody = body === undefined ? '' : JSON.stringify(body);
    const timestamp = String(options.timestamp ?? Date.now());
    const headers: Record<string, string> = body === undefined ? {} : { 'content-type': 'application/json' };
    if (!options.unsigned) {
      headers[SIGNATURE_HEADER] =
        options.signature ?? computeSignatureV3(options.secret ?? deps.clientSecret, { method, uri: url, rawBody, timestamp });
      headers[TIMESTAMP_HEADER] = timestamp;
    }
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body: rawBody }) });
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as unknown) : undefined, text };
  }

  return {
    origin,
    request,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
