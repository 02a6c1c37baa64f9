import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './logger.ts';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { destination, text: () => lines.join('') };
}

const SECRETS = {
  accessToken: 'sec-access-top-level',
  access_token: 'sec-access-two-deep',
  refresh_token: 'sec-refresh-in-array',
  authorization: 'Bearer sec-bearer-header-value',
  clientSecret: 'sec-client-secret',
  client_secret: 'sec-client-secret-snake',
  password: 'sec-password',
  apiKey: 'sec-api-key',
  cookie: 'session=sec-cookie',
  setCookie: 'sec-set-cookie',
  signature: 'sec-hubspot-signature',
  email: 'jane.doe@example.com',
  firstname: 'Janet',
  phone: '+15550100',
};

describe('createLogger redaction', () => {
  it('redacts tokens, secrets, auth headers and personal data at any depth, in arrays and in errors', () => {
    const out = capture();
    const logger = createLogger({ destination: out.destination });
    const error = Object.assign(new Error('HubSpot refused the call'), {
      response: { headers: { 'Set-Cookie': SECRETS.setCookie, 'X-HubSpot-Signature-V3': SECRETS.signature } },
      config: { client_secret: SECRETS.client_secret },
    });
    logger.info(
      {
        accessToken: SECRETS.accessToken,
        tenant: { oauth: { access_token: SECRETS.access_token } },
        batches: [{ ok: true }, { tokens: { refresh_token: SECRETS.refresh_token } }],
        req: { headers: { Authorization: SECRETS.authorization, COOKIE: SECRETS.cookie } },
        app: { clientSecret: SECRETS.clientSecret, database: { password: SECRETS.password }, 'x-api-key': SECRETS.apiKey },
        contact: { properties: { email: SECRETS.email, firstname: SECRETS.firstname, phone: SECRETS.phone } },
        note: `copied header: ${SECRETS.authorization}`,
        err: error,
      },
      'nested secrets',
    );
    logger
      .child({ tokens: [{ accessToken: SECRETS.accessToken }] })
      .warn({ cause: new Error('x', { cause: { password: SECRETS.password } }) }, 'child');
    const text = out.text();
    for (const [name, value] of Object.entries(SECRETS)) expect(text, name).not.toContain(value.replace(/^Bearer /, ''));
    // Still a useful log: structure, safe values and the error's message and stack stay.
    const line = JSON.parse(text.split('\n')[0] ?? '{}') as Record<string, unknown>;
    expect(line).toMatchObject({
      msg: 'nested secrets',
      accessToken: '***',
      tenant: { oauth: { access_token: '***' } },
      batches: [{ ok: true }, { tokens: { refresh_token: '***' } }],
      req: { headers: { Authorization: '***', COOKIE: '***' } },
      err: { type: 'Error', message: 'HubSpot refused the call' },
    });
    expect(JSON.stringify(line.err)).toContain('stack');
  });

  it('leaves objects without secrets as they are and survives cycles and deep nesting', () => {
    const out = capture();
    const logger = createLogger({ destination: out.destination });
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    let deep: Record<string, unknown> = { accessToken: 'sec-deep-token' };
    for (let i = 0; i < 50; i++) deep = { next: deep };
    logger.info({ cyclic, deep, count: 3, err: new Error('plain') }, 'shapes');
    const text = out.text();
    expect(text).not.toContain('sec-deep-token');
    const line = JSON.parse(text) as Record<string, unknown>;
    expect(line).toMatchObject({ count: 3, cyclic: { name: 'loop', self: '[Circular]' }, err: { type: 'Error', message: 'plain' } });
  });
});
