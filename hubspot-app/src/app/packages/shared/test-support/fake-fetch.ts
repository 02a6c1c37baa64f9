import type { FetchResponseLike, HubSpotFetch } from '../src/api-client.ts';

export interface RecordedRequest {
  url: URL;
  method: string;
  body: Record<string, unknown> | undefined;
}

export type Route = (request: RecordedRequest) => { status: number; body: unknown } | Promise<{ status: number; body: unknown }>;

/**
 * A stand-in for hubspot.fetch (which does not exist outside HubSpot): records every request and
 * answers from `route`. Cards receive it through their `api` prop, exactly where hubspot.fetch goes.
 */
export function createFakeFetch(route: Route): { fetch: HubSpotFetch; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch: HubSpotFetch = async (url, options) => {
    const request = { url: new URL(url), method: options?.method ?? 'GET', body: options?.body };
    requests.push(request);
    const { status, body } = await route(request);
    const response: FetchResponseLike = { ok: status >= 200 && status < 300, status, json: async () => body };
    return response;
  };
  return { fetch, requests };
}

/** A promise you resolve later, to hold a request in flight and observe the loading state. */
export function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}
