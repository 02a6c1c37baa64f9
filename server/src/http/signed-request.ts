import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import type { z } from 'zod';
import { verifySignatureV3 } from '../connectors/hubspot/signature.ts';
import { BadInputError, ClosewiseError, UnauthorizedError } from '../errors/errors.ts';
import { BODY_PARSER_LIMIT } from './body-limit.ts';
import { assertStorable, withStorableText } from './storable-text.ts';

const MESSAGES = {
  missing_headers: 'Request is not signed by HubSpot.',
  bad_timestamp: 'Request timestamp is malformed.',
  expired: 'Request signature has expired; reload the card.',
  mismatch: 'Request signature is invalid.',
} as const;

/** Attached by `verifySignedRequest` so handlers only ever read a body whose bytes were signed. */
export interface SignedLocals {
  rawBody: Buffer;
}

export interface SignedRequestOptions {
  /** The app's client secret: the key of HubSpot's v3 signature. */
  clientSecret: string;
  /**
   * The public origin HubSpot calls (it signs the full URL), from configuration (PUBLIC_BASE_URL). Without it
   * only a loopback request to a loopback-bound server (tests, the demo, the local preview) is checked against
   * its own origin: a Host header is the caller's to choose, so it never names the signed origin otherwise.
   */
  publicBaseUrl?: string;
  now: () => number;
}

/**
 * The one signed-request middleware of the card API and the webhooks: reads the raw body (the signature
 * covers its exact bytes, so it must be read before any JSON parser) and verifies the HubSpot v3
 * signature over method + full public URL + body + timestamp (401 before anything is parsed).
 */
export function verifySignedRequest(options: SignedRequestOptions): RequestHandler[] {
  const readRaw = express.raw({ type: () => true, limit: BODY_PARSER_LIMIT });
  const verify = (req: Request, res: Response, next: NextFunction) => {
    // A host that parses bodies before our app but keeps their bytes (Google's functions framework: req.rawBody).
    const kept = (req as Request & { rawBody?: unknown }).rawBody;
    if (req.body !== undefined && !Buffer.isBuffer(req.body) && !Buffer.isBuffer(kept)) {
      // A JSON parser mounted before this router consumed the bytes; we cannot verify a re-serialised body.
      next(new ClosewiseError('CONFIG', 'Mount the HubSpot routers before any body parser.'));
      return;
    }
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.isBuffer(kept) ? kept : Buffer.alloc(0);
    const origin = options.publicBaseUrl?.replace(/\/+$/, '') ?? loopbackOrigin(req);
    if (origin === null) {
      next(new UnauthorizedError(MESSAGES.mismatch));
      return;
    }
    const verdict = verifySignatureV3(
      {
        method: req.method,
        uri: `${origin}${req.originalUrl}`,
        rawBody,
        signature: req.get(SIGNATURE_HEADER),
        timestamp: req.get(TIMESTAMP_HEADER),
      },
      { clientSecret: options.clientSecret, now: options.now() },
    );
    if (!verdict.valid) {
      next(new UnauthorizedError(MESSAGES[verdict.reason]));
      return;
    }
    (res.locals as SignedLocals).rawBody = rawBody;
    next();
  };
  return [readRaw, verify];
}

const LOOPBACK_HOST = /^(?:127\.0\.0\.1|localhost|\[::1\])(?::\d{1,5})?$/i;
const LOOPBACK_ADDRESSES: ReadonlySet<string> = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

/** Development only: the request's own origin when both the server's address and the Host header are loopback. */
function loopbackOrigin(req: Request): string | null {
  const host = req.get('host') ?? '';
  if (!LOOPBACK_HOST.test(host) || !LOOPBACK_ADDRESSES.has(req.socket.localAddress ?? '')) return null;
  return `${req.protocol}://${host}`;
}

/**
 * How a signed body's unstorable text (NUL, lone surrogates) is met: refused with a 400 (what a card sends), or
 * stripped (what HubSpot relays from a portal in webhooks, where a 400 would only make HubSpot retry it).
 */
export type UnstorableTextPolicy = 'reject' | 'strip';

/** The signed body as JSON, held to the text policy and bounded in depth, not yet schema-checked. */
export function signedJson(res: Response, text: UnstorableTextPolicy = 'reject'): unknown {
  const raw = (res.locals as Partial<SignedLocals>).rawBody;
  if (!raw) throw new ClosewiseError('CONFIG', 'signedJson needs verifySignedRequest mounted first.');
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new BadInputError('Request body must be JSON.');
  }
  assertStorable(json, 'body', { text: text === 'reject' });
  return text === 'strip' ? withStorableText(json) : json;
}

/** The signed body, parsed as JSON and with `schema`; a bad body is a 400 naming the first wrong field. */
export function signedJsonBody<S extends z.ZodType>(res: Response, schema: S, text: UnstorableTextPolicy = 'reject'): z.output<S> {
  const parsed = schema.safeParse(signedJson(res, text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new BadInputError(`Invalid ${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid value'}.`);
  }
  return parsed.data;
}
