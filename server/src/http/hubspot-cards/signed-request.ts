import { SIGNATURE_HEADER, TIMESTAMP_HEADER } from '@closewise/contract/hubspot-signature';
import express, { type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { verifySignatureV3 } from '../../connectors/hubspot/signature.ts';
import { ClosewiseError, UnauthorizedError } from '../../errors/errors.ts';

/** hubspot.fetch caps bodies at 1 MB; anything larger is not from a card. */
const BODY_LIMIT = '1mb';

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

/**
 * Reads the raw body (the signature covers its exact bytes, so it must be read before any JSON parser)
 * and verifies the HubSpot v3 signature over method + full public URL + body + timestamp.
 */
export function verifySignedRequest(options: { clientSecret: string; publicBaseUrl?: string; now: () => number }): RequestHandler[] {
  const readRaw = express.raw({ type: () => true, limit: BODY_LIMIT });
  const verify = (req: Request, res: Response, next: NextFunction) => {
    if (req.body !== undefined && !Buffer.isBuffer(req.body)) {
      // A JSON parser mounted before this router consumed the bytes; we cannot verify a re-serialised body.
      next(new ClosewiseError('CONFIG', 'Mount the HubSpot card router before any body parser.'));
      return;
    }
    const rawBody: Buffer = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const origin = options.publicBaseUrl?.replace(/\/+$/, '') ?? `${req.protocol}://${req.get('host') ?? ''}`;
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
