/**
 * What a browser gets from GET /oauth/hubspot/install: the `state` of the consent URL, and the cookie it must
 * send back with the callback (as a Cookie header value), for tests that drive the install like a browser.
 */
export interface BrowserInstall {
  consentUrl: URL;
  state: string;
  /** Empty when /install set none (the test then shows what a cookie-less callback gets). */
  cookie: string;
  /** The raw Set-Cookie header, to check its attributes. */
  setCookie: string;
}

export async function startInstall(backendUrl: string, mountPath = '/oauth/hubspot'): Promise<BrowserInstall> {
  const response = await fetch(`${backendUrl}${mountPath}/install`, { redirect: 'manual' });
  if (response.status !== 302) throw new Error(`install answered ${response.status}: ${await response.text()}`);
  const consentUrl = new URL(response.headers.get('location') ?? '');
  const setCookie = response.headers.getSetCookie()[0] ?? '';
  const state = consentUrl.searchParams.get('state');
  if (!state) throw new Error('install gave no state');
  return { consentUrl, state, cookie: setCookie.split(';')[0] ?? '', setCookie };
}
